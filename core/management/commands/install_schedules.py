"""Create or update the django-q2 schedules of every app's background jobs. Safe to run again."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone
from django_q.models import Schedule

CALL_COMMAND = "django.core.management.call_command"
RUN_AT = datetime.time(2, 0)
# Schedule name → management command, both run daily at 02:00 local time.
NIGHTLY = {
    "nightly: refresh key groups": "refresh_key_groups",
    "nightly: propose no-contact closures": "propose_no_contact_closures",
    "nightly: suspend stale vacancies": "suspend_stale_vacancies",
    "nightly: expire recommendations": "expire_recommendations",
    "nightly: expire employment plans": "expire_plans",
    "nightly: one-person-one-policy tasks": "personal_policy_tasks",
    # After the key-group refresh above has opened what it opens (same hour, own entry).
    "nightly: open missing assistance files": "open_missing_assistance_files",
}
# Matching runs an hour later, on the key groups, vacancies and recommendations the
# 02:00 jobs have brought up to date.
MATCHING_AT = datetime.time(3, 0)
MATCHING = {"nightly: match key groups": "match_key_groups"}
# Work items follow the domains' deadlines after the night's jobs, then reminders and
# escalations go out before the working day, in that order (each reads the one before).
WORKLIST = [
    ("morning: sync worklist", "sync_worklist", datetime.time(6, 0)),
    ("morning: escalate overdue work items", "escalate_overdue_items", datetime.time(6, 30)),
    ("morning: work reminders", "send_work_reminders", datetime.time(6, 45)),
]
# Schedule name → command run every few minutes: pushes whose hand-off to the queue was
# lost (worker died, commit hook failed) are sent again; sending is idempotent.
FREQUENT_MINUTES = 5
FREQUENT = {"frequent: requeue pushes": "requeue_pushes"}
# Retention (issue 7): every night a dry run stores its report (who would be marked,
# cancelled, anonymised, per district); on the 1st of each month, half an hour after that
# night's dry run, the wet run acts. It anonymises only persons marked at least
# RETENTION_GRACE_DAYS before, so each one appeared in the reports first.
RETENTION_DRY_RUN = ("nightly: retention dry run", "anonymise_inactive", datetime.time(4, 0))
RETENTION_WET_RUN = ("monthly: retention wet run", ("anonymise_inactive", "--wet-run"), datetime.time(4, 30))
# The audit hash chain is walked every night after the night's jobs; a broken chain fails
# the task (verify_audit exits non-zero) and shows on the audit page.
AUDIT_VERIFY = ("nightly: verify audit chain", "verify_audit", datetime.time(5, 0))


def next_run_at(now: datetime.datetime, at: datetime.time = RUN_AT) -> datetime.datetime:
    local = timezone.localtime(now)
    run = timezone.make_aware(datetime.datetime.combine(local.date(), at))
    return (
        run
        if run > local
        else timezone.make_aware(datetime.datetime.combine(local.date() + datetime.timedelta(days=1), at))
    )


def next_month_start_at(now: datetime.datetime, at: datetime.time) -> datetime.datetime:
    local = timezone.localtime(now)
    run = timezone.make_aware(datetime.datetime.combine(local.date().replace(day=1), at))
    if run > local:
        return run
    first = (local.date().replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return timezone.make_aware(datetime.datetime.combine(first, at))


class Command(BaseCommand):
    help = "Install (or update) the schedules of the nightly jobs and the frequent push requeue."

    def _install(self, name: str, command, when: str, **schedule) -> None:
        _schedule, created = Schedule.objects.update_or_create(
            name=name,
            defaults={"func": CALL_COMMAND, "args": repr(command), "kwargs": None, "repeats": -1, **schedule},
        )
        shown = " ".join(command) if isinstance(command, tuple) else command
        self.stdout.write(f"{'created' if created else 'updated'}: {name} → {shown} {when}")

    def handle(self, *args, **options):
        now = timezone.now()
        daily = [(name, command, RUN_AT) for name, command in NIGHTLY.items()]
        daily += [(name, command, MATCHING_AT) for name, command in MATCHING.items()]
        daily += [*WORKLIST, RETENTION_DRY_RUN, AUDIT_VERIFY]
        for name, command, at in daily:
            next_run = next_run_at(now, at)
            self._install(
                name,
                command,
                f"daily at {at:%H:%M}, next {next_run}",
                schedule_type=Schedule.DAILY,
                next_run=next_run,
            )
        for name, command in FREQUENT.items():
            self._install(
                name,
                command,
                f"every {FREQUENT_MINUTES} minutes",
                schedule_type=Schedule.MINUTES,
                minutes=FREQUENT_MINUTES,
                next_run=now,
            )
        name, command, at = RETENTION_WET_RUN
        self._install(
            name,
            command,
            f"monthly on the 1st at {at:%H:%M}",
            schedule_type=Schedule.MONTHLY,
            next_run=next_month_start_at(now, at),
        )
