"""The validity job (§5.3.3): published vacancies not reconfirmed within 30 days are suspended."""

import datetime
import io

import time_machine
from django.core.management import call_command
from django.utils import timezone

from employers.models import EmployerAccount
from tests.conftest import make_user
from tests.vacancies.vacancy_builders import move
from vacancies.models import Status, Transition
from vacancies.services import suspend_stale_vacancies

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def at(days: float):
    return time_machine.travel(START + datetime.timedelta(days=days), tick=False)


def published_at_start(personas, vacancy):
    with at(0):
        move(vacancy, personas["counsellor_chengguan"], "submit")
        move(vacancy, personas["head_chengguan"], "approve")
    vacancy.refresh_from_db()
    return vacancy


def test_suspends_after_31_days_not_after_29(personas, draft):
    vacancy = published_at_start(personas, draft)
    with at(29):
        assert suspend_stale_vacancies(now=timezone.now()) == 0
    vacancy.refresh_from_db()
    assert vacancy.status == Status.PUBLISHED
    with at(31):
        assert suspend_stale_vacancies(now=timezone.now()) == 1
    vacancy.refresh_from_db()
    assert vacancy.status == Status.SUSPENDED
    last = vacancy.transitions.last()
    assert (last.from_status, last.to_status, last.by) == ("published", "suspended", None)
    assert last.note == "not reconfirmed within 30 days"


def test_the_job_is_idempotent(personas, draft):
    published_at_start(personas, draft)
    with at(31):
        assert suspend_stale_vacancies(now=timezone.now()) == 1
        assert suspend_stale_vacancies(now=timezone.now()) == 0
    assert Transition.objects.filter(vacancy=draft, to_status="suspended").count() == 1


def test_reconfirming_restarts_the_clock_and_moves_a_suspended_one_back(personas, draft):
    vacancy = published_at_start(personas, draft)
    counsellor = personas["counsellor_chengguan"]
    with at(20):
        move(vacancy, counsellor, "reconfirm")
    with at(31):
        assert suspend_stale_vacancies(now=timezone.now()) == 0
    with at(51):
        assert suspend_stale_vacancies(now=timezone.now()) == 1
        move(vacancy, counsellor, "reconfirm")
    vacancy.refresh_from_db()
    assert vacancy.status == Status.PUBLISHED
    assert vacancy.reconfirmed_at == START + datetime.timedelta(days=51)


def test_an_edit_does_not_restart_the_clock(personas, draft):
    # Unlike an "updated_at" clock, only a reconfirmation (or a new approval) counts.
    vacancy = published_at_start(personas, draft)
    with at(10):
        vacancy.description = "更新说明"
        vacancy.save(update_fields=["description", "updated_at"])
    with at(31):
        assert suspend_stale_vacancies(now=timezone.now()) == 1


def test_old_rows_without_a_reconfirmation_date_use_the_publication_date(personas, draft):
    vacancy = published_at_start(personas, draft)
    type(vacancy).objects.filter(pk=vacancy.pk).update(reconfirmed_at=None)
    with at(31):
        assert suspend_stale_vacancies(now=timezone.now()) == 1


def test_employer_accounts_and_the_creator_are_told(personas, draft, notices):
    vacancy = published_at_start(personas, draft)
    owner = make_user("employer_owner", "employer", "540102002")
    EmployerAccount.objects.create(user=owner, employer=vacancy.employer, is_manager=True)
    notices.clear()
    with at(31):
        suspend_stale_vacancies(now=timezone.now(), batch_size=1)
    told = {(user.username, message) for user, message, _ in notices}
    assert told == {("employer_owner", "vacancy_suspended"), ("counsellor_chengguan", "vacancy_suspended")}
    assert all(context == {"vacancy": vacancy} for _, _, context in notices)


def test_batches_cover_every_stale_vacancy(personas, employer):
    from tests.vacancies.vacancy_builders import vacancy_values
    from vacancies import services

    counsellor = personas["counsellor_chengguan"]
    vacancies = [
        services.vacancy_create(acting_user=counsellor, values=vacancy_values(employer, title_zh=f"厨师{n}"))
        for n in range(5)
    ]
    for vacancy in vacancies:
        published_at_start(personas, vacancy)
    with at(31):
        assert suspend_stale_vacancies(now=timezone.now(), batch_size=2) == 5


def test_the_management_command(personas, draft):
    published_at_start(personas, draft)
    out = io.StringIO()
    with at(31):
        call_command("suspend_stale_vacancies", stdout=out)
    assert "suspended 1 vacancies" in out.getvalue()
    draft.refresh_from_db()
    assert draft.status == Status.SUSPENDED


def test_the_notices_reach_the_notifications_app(personas, draft, monkeypatch):
    from notifications.models import Notice

    monkeypatch.undo()  # deliver through the real notifications.services.notify_user
    counsellor = personas["counsellor_chengguan"]
    published_at_start(personas, draft)
    review = Notice.objects.get(user=counsellor, kind="vacancy_review_result")
    assert draft.title_zh in review.subject + review.body
    with at(31):
        suspend_stale_vacancies(now=timezone.now())
    assert Notice.objects.filter(user=counsellor, kind="vacancy_suspended").count() == 1
