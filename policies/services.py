"""The policy catalogue: loaded from data/policies.csv, and pushed to a person after a hire (§5.4.3)."""

import csv
import logging
from pathlib import Path

from django.db import transaction

from audit.models import Action
from audit.services import audit_change, snapshot
from config.paths import DATA_DIR
from core.errors import ValidationFailed
from notifications.services import ConsentState, notification_consent, push_to_person
from policies.models import Policy, PolicyKind
from policies.selectors import after_hire_policies

logger = logging.getLogger(__name__)

POLICIES_CSV = DATA_DIR / "policies.csv"
POLICY_FIELDS = ["kind", "title_zh", "title_bo", "summary_zh", "summary_bo", "after_hire"]
# Stored in the audit trail (data, not interface text).
SKIPPED_NO_CONSENT = "after-hire policies not pushed: consent to notifications withdrawn"

TRUE_WORDS = {"1", "true", "yes", "y"}


def _row_values(row: dict, line: int) -> dict:
    values = {name: (row.get(name) or "").strip() for name in POLICY_FIELDS}
    if values["kind"] not in PolicyKind.values:
        raise ValueError(f"policies.csv line {line}: unknown kind {values['kind']!r}")
    if not values["title_zh"]:
        raise ValueError(f"policies.csv line {line}: a Chinese title is required")
    values["after_hire"] = values["after_hire"].lower() in TRUE_WORDS
    return values


@transaction.atomic
def policies_load(*, csv_path: Path = POLICIES_CSV) -> dict:
    """Idempotent by code: a known code is updated, never duplicated; nothing is deleted
    (a policy dropped from the file stays, so past pushes still name it)."""
    created = updated = 0
    with csv_path.open(encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            code = (row.get("code") or "").strip()
            if not code:
                raise ValueError(f"policies.csv line {line}: a code is required")
            _policy, was_created = Policy.objects.update_or_create(code=code, defaults=_row_values(row, line))
            created += was_created
            updated += not was_created
    return {"created": created, "updated": updated}


def policies_push_after_hire(*, person, recommendation=None) -> dict:
    """Push every active after-hire policy to a person who was just hired, as the system.

    Called after the hire has committed: a refusal or a failing push is logged and
    skipped, never raised, because the hire stands whatever happens here. A person who
    withdrew consent to notifications gets nothing, and the audit trail says so.
    """
    result = {"pushed": 0, "skipped": 0, "failed": 0}
    policies = list(after_hire_policies())
    if not policies:
        return result
    if notification_consent(person) == ConsentState.WITHDRAWN:
        result["skipped"] = len(policies)
        record = recommendation if recommendation is not None else person
        audit_change(
            actor=None,
            action=Action.UPDATE,
            instance=record,
            before=snapshot(record),
            note=SKIPPED_NO_CONSENT,
        )
        return result
    for policy in policies:
        try:
            push_to_person(person=person, item=policy, acting_user=None)
        except ValidationFailed as exc:
            logger.warning("policy %s not pushed to person %s: %s", policy.code, person.pk, exc.errors)
            result["skipped"] += 1
        except Exception:  # a broken gateway or template must not reach the hire
            logger.exception("policy %s could not be pushed to person %s", policy.code, person.pk)
            result["failed"] += 1
        else:
            result["pushed"] += 1
    return result
