"""The data the API attack tests (schemathesis, bad input) run against: the small demo city plus,
in 八廓街道, one record of every kind a detail or action endpoint needs, all made through the
real services. Built once per module inside a transaction rolled back at the end."""

from contextlib import contextmanager

from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from rest_framework.authtoken.models import Token

from tests.conftest import PERSONAS, make_user

UNIT = "540102002"


def _first(queryset, n: int = 3) -> list[int]:
    return list(queryset.order_by("pk").values_list("pk", flat=True)[:n])


def build_world() -> dict:
    from assistance.models import AssistanceFile
    from employers.models import Employer
    from guidance.models import CaseState, EmploymentPlan
    from households.models import Household
    from network.models import ServicePoint
    from notifications.models import Notice
    from notifications.services import push_to_person
    from people.models import Person
    from recommendations.models import Recommendation
    from servicerecords.services import service_record
    from tests.assistance.assistance_builders import disabled
    from tests.guidance.guidance_builders import case_at, service_type
    from tests.recommendations.recommendation_builders import recommendation
    from training.models import Course, Provider
    from vacancies.models import Vacancy
    from worklist.models import WorkItem

    call_command("seed_demo", "--seed", "7", "--persons", "60", "--vacancies", "30", verbosity=0)
    users = {name: make_user(name, *PERSONAS[name]) for name in ("counsellor_chengguan", "head_chengguan")}
    counsellor, head = users["counsellor_chengguan"], users["head_chengguan"]
    case = case_at(counsellor, CaseState.REVIEW)
    person = case.person
    assisted = disabled(counsellor, name_zh="阿旺")
    rec = recommendation(counsellor=counsellor, head=head)
    service_record(
        acting_user=counsellor,
        person=person,
        values={
            "service_type": service_type("consultation"),
            "on": person.created_at.date(),
            "channel": "in_person",
            "language": "zh-hans",
        },
    )
    push_to_person(person=person, item=rec.vacancy, acting_user=counsellor)
    from subjectrights.services import request_receive

    subject_request = request_receive(
        acting_user=counsellor,
        person=person,
        kind="copy",
        channel="in_person",
        received_on=person.created_at.date(),
        details="本人要求一份个人信息副本",
    )
    Household.objects.create(unit=counsellor.unit, address="八廓街 12 号")
    Notice.objects.create(
        user=counsellor, kind="work_reminder", language="zh-hans", subject="待办", body="待办"
    )

    path = counsellor.unit.path
    mine = {"unit__path__startswith": path}
    persons_mine = {"person__unit__path__startswith": path}
    return {
        "users": users,
        "tokens": {name: Token.objects.create(user=user).key for name, user in users.items()},
        "person": person.pk,
        "case": case.pk,
        "assistance_file": AssistanceFile.objects.get(person=assisted).pk,
        "recommendation": rec.pk,
        "vacancy": rec.vacancy_id,
        "employer": rec.vacancy.employer_id,
        # Real ids per API resource, for path parameters.
        "ids": {
            "persons": [person.pk, assisted.pk, *_first(Person.objects.filter(**mine))],
            "vacancies": [rec.vacancy_id, *_first(Vacancy.objects.filter(**mine))],
            "employers": _first(Employer.objects.filter(**mine)),
            "households": _first(Household.objects.filter(**mine)),
            "assistance-files": _first(AssistanceFile.objects.filter(**persons_mine)),
            "recommendations": _first(Recommendation.objects.filter(**persons_mine)),
            "guidance-cases": [case.pk],
            "subject-requests": [subject_request.pk],
            "plans": _first(EmploymentPlan.objects.filter(case=case)),
            "training/courses": _first(Course.objects.filter(**mine)),
            "training/providers": _first(Provider.objects.filter(**mine)),
            "service-points": _first(ServicePoint.objects.filter(**mine)),
            "staff": [counsellor.pk],
            "work-items": _first(WorkItem.objects.filter(**mine)),
            "public/vacancies": [rec.vacancy_id],
            "units": [UNIT, counsellor.unit.parent.code],
            "occupations": ["4-03-02-01", "4-03"],
        },
    }


@contextmanager
def world_in_rollback(django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            # The same fast hasher tests/conftest.py sets per test, so the personas can sign in.
            with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                built = build_world()
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
