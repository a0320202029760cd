"""The worklist's daily jobs are installed in order: sync, then escalation, then reminders."""

import ast
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_q.models import Schedule

from tests.worklist.conftest import at

pytestmark = pytest.mark.django_db


def test_install_schedules_adds_the_morning_worklist_jobs():
    with at("2026-11-28"):
        call_command("install_schedules", stdout=io.StringIO())
        call_command("install_schedules", stdout=io.StringIO())
    runs = {
        ast.literal_eval(s.args): timezone.localtime(s.next_run).strftime("%Y-%m-%d %H:%M")
        for s in Schedule.objects.filter(schedule_type=Schedule.DAILY, name__startswith="morning: ")
    }
    assert runs == {
        "sync_worklist": "2026-11-29 06:00",
        "escalate_overdue_items": "2026-11-29 06:30",
        "send_work_reminders": "2026-11-29 06:45",
    }
