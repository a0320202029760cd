"""The result of one import: what happened to each record, and every problem found."""

from dataclasses import dataclass, field


class Outcome:
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    # A person already on file (same ID number) got the platform's id attached.
    ATTACHED = "attached"


@dataclass(frozen=True)
class RecordError:
    index: int  # position in the list sent, from 0
    field: str  # "salary_min", "employer.credit_code"; "" for the record as a whole
    message: str


@dataclass(frozen=True)
class RecordResult:
    index: int
    external_id: str
    outcome: str
    id: int


@dataclass
class ImportReport:
    kind: str  # "vacancies" or "job_seekers"
    total: int = 0
    errors: list[RecordError] = field(default_factory=list)
    results: list[RecordResult] = field(default_factory=list)
    committed: bool = False

    def count(self, outcome: str) -> int:
        return sum(1 for result in self.results if result.outcome == outcome)

    @property
    def records_with_errors(self) -> int:
        return len({error.index for error in self.errors})

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "committed": self.committed,
            "total": self.total,
            "created": self.count(Outcome.CREATED),
            "updated": self.count(Outcome.UPDATED),
            "attached": self.count(Outcome.ATTACHED),
            "unchanged": self.count(Outcome.UNCHANGED),
            "errors": [{"index": e.index, "field": e.field, "message": e.message} for e in self.errors],
            "results": [
                {"index": r.index, "external_id": r.external_id, "outcome": r.outcome, "id": r.id}
                for r in self.results
            ],
        }
