"""What anonymising a person clears, model by model.

Every field of `people.Person` is either kept for statistics or cleared here; the rows
that hang off a person (service records, recommendations, memberships, files...) stay,
and only their free text, which can name or describe the person, is blanked.
"""

import datetime

from django.apps import apps
from django.db.models import Q

from audit.services import MASK

# Stored in place of the names: the table requires a name, and a fixed word is what
# lists and search then show. Latin and Tibetan search keys are emptied.
ANONYMISED_NAME = "已匿名"

# Kept for statistics: sex, units, household and relation, education, languages,
# disability category, experience years, intentions (occupations, districts, salary,
# kind of work), employment status and dates, contact counters and dates, channel,
# registered_by, created/updated. Everything below is cleared.
PERSON_CLEARED_TEXT = (
    "name_bo",
    "name_pinyin",
    "name_wylie",
    "id_number",
    "id_number_masked",
    "phone",
    "phone_index",
    "phone_masked",
    "address",
    "major",
    "skills",
    "certificates",
    "work_history",
    "disability_details",
)
PERSON_CLEARED_OTHER = ("name_zh", "id_number_index", "graduation_date", "external_id", "birth_date")

# Free text on rows kept for statistics: (model label, path from the model to the person, fields).
RELATED_FREE_TEXT = (
    ("people.ContactAttempt", "person", ("note",)),
    ("people.Transfer", "person", ("reason",)),
    ("servicerecords.ServiceRecord", "person", ("notes", "outcome")),
    ("registrations.Registration", "person", ("reason", "close_note")),
    ("notifications.Push", "person", ("subject", "body", "link", "last_error")),
    ("assistance.AssistanceFile", "person", ("outcome_note", "decision_note")),
    ("assistance.FileMeasure", "file__person", ("note",)),
    ("recommendations.Recommendation", "person", ("note",)),
    ("recommendations.Step", "recommendation__person", ("note",)),
    ("keygroups.Membership", "person", ("evidence", "end_reason")),
    ("guidance.GuidanceCase", "person", ("outcome_note",)),
    ("guidance.CaseStep", "case__person", ("note",)),
    ("guidance.IntakeRecord", "case__person", ("notes",)),
    ("guidance.Assessment", "case__person", ("summary",)),
    ("guidance.GoalAnalysis", "case__person", ("reasoning", "goals")),
    ("guidance.EmploymentPlan", "case__person", ("goals",)),
    ("guidance.PlanAction", "plan__case__person", ("description",)),
    ("guidance.PlanReview", "plan__case__person", ("notes",)),
    ("guidance.PersonalPolicyPlan", "person", ("situation", "measures")),
)
# JSON holding answers about the person (assessment instruments).
RELATED_JSON = (("guidance.Assessment", "case__person", ("results",)),)


def clear_person_fields(person) -> list[str]:
    """Blank the identity on the instance; returns the names of the fields that held a value."""
    held = [
        name for name in PERSON_CLEARED_TEXT + ("graduation_date", "external_id") if getattr(person, name)
    ]
    held += ["name_zh", "id_number_index", "birth_date"]
    for name in PERSON_CLEARED_TEXT:
        setattr(person, name, "")
    person.name_zh = ANONYMISED_NAME
    # Unique and never equal to an HMAC (64 hex digits), so the identity cannot be found again.
    person.id_number_index = f"anonymised-{person.pk}"
    # Year of birth only: age bands and the youth rules still work on 1 January.
    person.birth_date = datetime.date(person.birth_date.year, 1, 1)
    person.graduation_date = None
    person.external_id = None
    return held


def masked_before(after: dict, cleared: list[str]) -> dict:
    """A 'before' for the audit entry that names the cleared fields without their values."""
    before = dict(after)
    for name in cleared:
        before[name] = MASK
    return before


def clear_related_text(person) -> dict[str, int]:
    """Blank free text on the person's related rows; returns rows touched per model."""
    touched = {}
    for label, path, fields in RELATED_FREE_TEXT:
        model = apps.get_model(label)
        rows = model.objects.filter(**{path: person})
        non_empty = Q()
        for name in fields:
            non_empty |= ~Q(**{name: ""})
        count = rows.filter(non_empty).update(**dict.fromkeys(fields, ""))
        if count:
            touched[label] = count
    for label, path, fields in RELATED_JSON:
        model = apps.get_model(label)
        count = model.objects.filter(**{path: person}).update(**{name: {} for name in fields})
        if count:
            touched[label] = touched.get(label, 0) + count
    return touched


def scrub_names_in_notices(names: list[str]) -> int:
    """Staff notices are rendered text without a link to the person: replace the names."""
    from notifications.models import Notice

    names = [n for n in names if n and n != ANONYMISED_NAME]
    if not names:
        return 0
    match = Q()
    for name in names:
        match |= Q(subject__contains=name) | Q(body__contains=name)
    changed = 0
    for notice in Notice.objects.filter(match).only("pk", "subject", "body"):
        for name in names:
            notice.subject = notice.subject.replace(name, ANONYMISED_NAME)
            notice.body = notice.body.replace(name, ANONYMISED_NAME)
        notice.save(update_fields=["subject", "body"])
        changed += 1
    return changed
