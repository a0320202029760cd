import ast
import datetime
import io
from zoneinfo import ZoneInfo

import time_machine
from django.core.management import call_command
from django.utils.module_loading import import_string
from django_q.models import Schedule

from retention.models import RetentionRun

LHASA = ZoneInfo("Asia/Shanghai")


def install(day: str) -> None:
    with time_machine.travel(datetime.datetime.fromisoformat(f"{day}T10:00:00+08:00"), tick=False):
        call_command("install_schedules", stdout=io.StringIO())


def test_nightly_dry_run_and_monthly_wet_run_are_installed(db):
    install("2026-11-28")
    install("2026-11-28")
    dry = Schedule.objects.get(name="nightly: retention dry run")
    assert ast.literal_eval(dry.args) == "anonymise_inactive"
    assert dry.schedule_type == Schedule.DAILY
    assert dry.next_run.astimezone(LHASA) == datetime.datetime(2026, 11, 29, 4, 0, tzinfo=LHASA)
    wet = Schedule.objects.get(name="monthly: retention wet run")
    assert ast.literal_eval(wet.args) == ("anonymise_inactive", "--wet-run")
    assert wet.schedule_type == Schedule.MONTHLY and wet.repeats == -1
    # Half an hour after that night's dry run, on the 1st.
    assert wet.next_run.astimezone(LHASA) == datetime.datetime(2026, 12, 1, 4, 30, tzinfo=LHASA)


def test_the_wet_run_of_december_is_due_next_january(db):
    install("2026-12-01")  # 10:00, after the 04:30 run of the 1st
    wet = Schedule.objects.get(name="monthly: retention wet run")
    assert wet.next_run.astimezone(LHASA) == datetime.datetime(2027, 1, 1, 4, 30, tzinfo=LHASA)


def test_installed_schedules_run_their_commands(db):
    install("2026-11-28")
    for name in ("nightly: retention dry run", "monthly: retention wet run"):
        schedule = Schedule.objects.get(name=name)
        args = ast.literal_eval(schedule.args)
        args = args if isinstance(args, tuple) else (args,)
        import_string(schedule.func)(*args, stdout=io.StringIO())
    assert list(RetentionRun.objects.order_by("id").values_list("dry_run", flat=True)) == [True, False]
