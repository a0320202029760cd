import datetime
import hashlib
import io

import pytest
import time_machine
from django.core.management import call_command

from people.models import ContactAttempt, Person
from retention.anonymise import ANONYMISED_NAME
from retention.models import RetentionNotice, RetentionRun
from tests.factories import person as make_person

REGISTERED = datetime.datetime(2019, 3, 1, 10, tzinfo=datetime.UTC)
MARK_DAY = datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC)


def at(moment: datetime.datetime, days: int = 0):
    return time_machine.travel(moment + datetime.timedelta(days=days), tick=False)


def run(*args) -> str:
    out = io.StringIO()
    call_command("anonymise_inactive", *args, stdout=out)
    return out.getvalue()


def persons_hash() -> str:
    rows = Person.objects.order_by("pk").values_list()
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


@pytest.fixture
def old_person(personas):
    with at(REGISTERED):
        return make_person(user=personas["counsellor_chengguan"], employment_status="employed")


@pytest.fixture
def recent_person(personas):
    with at(MARK_DAY, days=-100):
        return make_person(user=personas["counsellor_chengguan"], employment_status="employed", sequence=2)


def test_dry_run_changes_nothing_and_stores_its_report(old_person, recent_person):
    before = persons_hash()
    with at(MARK_DAY):
        output = run()
    assert persons_hash() == before
    assert not RetentionNotice.objects.exists()
    report = RetentionRun.objects.get()
    assert report.dry_run and report.finished_at is not None
    assert report.counts["mark"] == 1 and report.counts["anonymise"] == 0
    assert report.counts["by_district"] == {"540102": {"mark": 1, "cancel": 0, "anonymise": 0}}
    assert "would be marked: 1" in output and "540102: marked 1" in output


def test_wet_run_marks_then_anonymises_after_the_grace_period(old_person, recent_person, settings):
    grace = settings.PRIVACY["RETENTION_GRACE_DAYS"]
    with at(MARK_DAY):
        run("--wet-run")
    notice = RetentionNotice.objects.get()
    assert notice.person == old_person
    assert notice.due_on == MARK_DAY.date() + datetime.timedelta(days=grace)
    assert Person.objects.get(pk=old_person.pk).anonymised_at is None

    with at(MARK_DAY, days=grace - 1):
        run("--wet-run", "--batch-size", "1")
    assert Person.objects.get(pk=old_person.pk).anonymised_at is None

    with at(MARK_DAY, days=grace):
        output = run("--wet-run")
    anonymised = Person.objects.get(pk=old_person.pk)
    assert anonymised.anonymised_at is not None and anonymised.name_zh == ANONYMISED_NAME
    assert RetentionNotice.objects.get().done_on == (MARK_DAY + datetime.timedelta(days=grace)).date()
    assert Person.objects.get(pk=recent_person.pk).anonymised_at is None
    assert "anonymised: 1" in output
    # The next run does not mark the anonymised person again.
    with at(MARK_DAY, days=grace + 1):
        run("--wet-run")
    assert RetentionNotice.objects.count() == 1


def test_activity_during_the_grace_period_cancels_the_notice(old_person, personas, settings):
    grace = settings.PRIVACY["RETENTION_GRACE_DAYS"]
    with at(MARK_DAY):
        run("--wet-run")
    with at(MARK_DAY, days=3):
        ContactAttempt.objects.create(
            person=old_person,
            at=MARK_DAY + datetime.timedelta(days=3),
            channel="phone",
            outcome="reached",
            by=personas["counsellor_chengguan"],
        )
    with at(MARK_DAY, days=grace + 1):
        run("--wet-run")
    notice = RetentionNotice.objects.get()
    assert notice.cancelled_on == (MARK_DAY + datetime.timedelta(days=grace + 1)).date()
    assert notice.done_on is None
    assert Person.objects.get(pk=old_person.pk).anonymised_at is None


def test_a_batch_size_below_one_is_refused(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        run("--batch-size", "0")
