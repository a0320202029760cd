import io
from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.utils import timezone
from stdnum.cn import ric, uscc

from accounts.models import User
from accounts.roles import Role
from core.channels import IntakeChannel
from core.masking import mask_id_number
from employers.models import Employer, EmployerAccount, KeyEnterpriseFlag
from employers.validation import parse_contact_phone, parse_credit_code
from households.models import Household
from households.services import household_recompute
from keygroups.models import Membership
from keygroups.services import memberships_refresh
from network.models import OrgUnit, ServicePoint, ServiceVisit
from people.choices import FAILED_OUTCOMES, EmploymentStatus, Sex
from people.models import Consent, Person
from people.selectors import person_list, update_worklist
from registrations.models import Kind, Registration, Status
from registrations.services import STATUS_FOR_TYPE
from textsearch.segment import segment_document
from training.models import Course, Provider
from vacancies.models import PayPeriod, Source, Transition, Vacancy
from vacancies.models import Status as VacancyStatus
from vacancies.services import stale_filter
from vacancies.vetting import vet
from worklist.models import WorkItem

SPEC_ACCOUNTS = {
    "demo-counsellor-chengguan": (Role.COUNSELLOR, "540102002"),
    "demo-counsellor-linzhou": (Role.COUNSELLOR, "540121100"),
    "demo-head-chengguan": (Role.STATION_HEAD, "540102002"),
    "demo-district-chengguan": (Role.DISTRICT_SUPERVISOR, "540102"),
    "demo-city": (Role.CITY_SUPERVISOR, "540100"),
    "demo-sysadmin": (Role.SYSTEM_ADMIN, "540100"),
    "demo-secadmin": (Role.SECURITY_ADMIN, "540100"),
    "demo-auditadmin": (Role.AUDIT_ADMIN, "540100"),
}


def _snapshot():
    persons = Person.objects.order_by("pk")
    return (
        sorted(User.objects.values_list("username", "name_zh", "role", "unit__code")),
        sorted(OrgUnit.objects.filter(level="village").values_list("code", "name_zh", "name_bo")),
        sorted(ServicePoint.objects.values_list("name_zh", "unit__code")),
        [p.id_number for p in persons],
        list(persons.values_list("name_zh", "name_bo", "unit__code", "employment_status", "info_updated_on")),
        list(
            Employer.objects.order_by("pk").values_list("credit_code", "name_zh", "unit__code", "created_at")
        ),
        list(
            Vacancy.objects.order_by("pk").values_list(
                "title_zh", "employer__credit_code", "status", "salary_min", "reconfirmed_at", "search_text"
            )
        ),
        list(Provider.objects.order_by("pk").values_list("name_zh", "licence_expires_on")),
        list(Course.objects.order_by("pk").values_list("title_zh", "starts_on", "unit__code")),
    )


def _delete_jobs():
    Transition.objects.all().delete()
    Vacancy.objects.all().delete()
    KeyEnterpriseFlag.objects.all().delete()
    Employer.objects.all().delete()  # and their accounts
    Course.objects.all().delete()
    Provider.objects.all().delete()


def test_seed_creates_the_spec_accounts_and_a_city(db, settings):
    call_command("seed_demo", "--seed", "7", "--persons", "0", "--vacancies", "20", verbosity=0)
    for username, (role, code) in SPEC_ACCOUNTS.items():
        user = User.objects.get(username=username)
        assert (user.role, user.unit.code) == (role, code)
        assert user.check_password(settings.DEMO_PASSWORD)
        assert user.name_zh and user.name_bo
    assert (
        OrgUnit.objects.filter(level="village").count()
        == 2 * OrgUnit.objects.filter(level="township").count()
    )
    assert set(User.objects.values_list("role", flat=True)) >= set(Role.values)
    assert ServicePoint.objects.filter(kind="roving_team").exists()
    assert ServicePoint.objects.filter(kind="mobile_point", unit__code__startswith="540121").exists()
    assert ServiceVisit.objects.exists()
    assert all(u.name_bo for u in OrgUnit.objects.all())


def test_seed_is_deterministic(db):
    call_command("seed_demo", "--seed", "7", "--persons", "60", "--vacancies", "80", verbosity=0)
    first = _snapshot()
    _delete_jobs()
    Person.objects.all().delete()
    Household.objects.all().delete()
    User.objects.all().delete()
    ServiceVisit.objects.all().delete()
    ServicePoint.objects.all().delete()
    WorkItem.objects.all().delete()  # household items sit on village units
    OrgUnit.objects.filter(level="village").delete()
    call_command("seed_demo", "--seed", "7", "--persons", "60", "--vacancies", "80", verbosity=0)
    assert _snapshot() == first


def test_seed_refuses_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("seed_demo", verbosity=0)
    assert not User.objects.exists()


def test_demo_counsellor_can_sign_in(db, settings, client):
    call_command("seed_demo", "--persons", "0", "--vacancies", "0", verbosity=0)
    response = client.post(
        "/accounts/login/", {"username": "demo-counsellor-chengguan", "password": settings.DEMO_PASSWORD}
    )
    assert response.status_code == 302


# ----- the demo population ---------------------------------------------------------------------

DEMO_PERSONS = "300"
# Today's districts and counties, and the codes numbers issued before a renaming still carry.
LHASA_AREA_CODES = {"540102", "540103", "540104", "540121", "540122", "540123", "540124", "540127"}
LHASA_AREA_CODES |= {"540120", "540125", "540126"}


@pytest.fixture
def population(db):
    out = io.StringIO()
    call_command("seed_demo", "--seed", "11", "--persons", DEMO_PERSONS, "--vacancies", "30", stdout=out)
    return out.getvalue()


def test_population_has_valid_unique_identity_numbers(population):
    persons = list(Person.objects.all())
    assert len(persons) == int(DEMO_PERSONS)
    numbers = [p.id_number for p in persons]  # decrypted by the model field
    assert len(set(numbers)) == len(numbers)
    for person in persons:
        assert ric.is_valid(person.id_number), person.id_number
        assert ric.get_birth_date(person.id_number) == person.birth_date
        assert (int(person.id_number[16]) % 2 == 1) == (person.sex == Sex.MALE)
        assert person.id_number[:6] in LHASA_AREA_CODES
        assert person.id_number_masked == mask_id_number(person.id_number)
    phones = [p.phone for p in persons if p.phone]
    assert all(len(phone) == 11 and phone[0] == "1" for phone in phones)
    assert len(set(phones)) == len(phones) and len(phones) > len(persons) * 0.8
    assert any(p.name_bo.startswith("ཚེ་རིང") or "བཀྲ་ཤིས" in p.name_bo for p in persons)
    assert any(not p.name_bo for p in persons) and all(p.name_zh for p in persons)
    assert "persons 300" in population


def test_population_reaches_both_demo_counsellors(population):
    today = timezone.localdate()
    demo_counsellors = {"demo-counsellor-chengguan": "540102002", "demo-counsellor-linzhou": "540121100"}
    for username, code in demo_counsellors.items():
        counsellor = User.objects.get(username=username)
        assert person_list(user=counsellor).count() >= 20
        assert Person.objects.filter(unit__path__contains=f"{code}/").exclude(registered_by=None).exists()
        assert update_worklist(user=counsellor, today=today).exists()
        assert person_list(user=counsellor, unreachable=True).exists()
        assert Household.objects.filter(unit__path__contains=f"{code}/", zero_employment=True).count() >= 3
    assert Household.objects.filter(zero_employment=True, clearance_due__lt=today).exists()  # overdue
    open_groups = set(Membership.objects.filter(ended_on=None).values_list("category__code", flat=True))
    assert {"registered_unemployed", "hard_to_employ", "unemployed_graduate"} <= open_groups
    kinds = set(Registration.objects.values_list("kind", "status"))
    assert {(Kind.UNEMPLOYMENT, Status.OPEN), (Kind.EMPLOYMENT, Status.OPEN)} <= kinds
    assert Registration.objects.filter(status=Status.CLOSED).exclude(close_reason="").exists()
    assert Registration.objects.filter(kind=Kind.EMPLOYMENT).exclude(employer_name="").exists()
    assert Consent.objects.filter(purpose="employment_service").count() > int(DEMO_PERSONS) * 0.8
    unemployed = Person.objects.filter(employment_status=EmploymentStatus.UNEMPLOYED).count()
    assert 0.3 < unemployed / int(DEMO_PERSONS) < 0.6


def test_population_agrees_with_the_services(population):
    """Re-deriving with the real services changes nothing: the planned data is consistent."""
    today = timezone.localdate()
    for household in Household.objects.all():
        assert household_recompute(household=household, today=today) is None
    ids = list(Person.objects.values_list("pk", flat=True))
    assert memberships_refresh(person_ids=ids, today=today) == {"opened": 0, "closed": 0}
    threshold = django_settings.STANDARD["UNREACHABLE_FAILED_CONTACTS"]
    for person in Person.objects.prefetch_related("contacts", "registrations"):
        attempts = sorted(person.contacts.all(), key=lambda a: a.at)
        streak = 0
        for attempt in reversed(attempts):
            if attempt.outcome not in FAILED_OUTCOMES:
                break
            streak += 1
        assert person.failed_contacts == streak
        assert (person.unreachable_since is not None) == (streak >= threshold)
        updated = [a for a in attempts if a.info_updated]
        assert person.info_updated_on == (timezone.localdate(updated[-1].at) if updated else None)
        assert all(a.at < timezone.now() and a.at >= person.created_at for a in attempts)
        for registration in person.registrations.all():
            assert registration.registered_on <= (registration.closed_on or today) <= today
            assert registration.registered_on >= person.birth_date + relativedelta(years=16)
            if registration.status == Status.CLOSED:
                continue
            if registration.kind == Kind.UNEMPLOYMENT:
                assert person.employment_status == EmploymentStatus.UNEMPLOYED
                assert person.unemployed_since <= registration.registered_on
            else:
                assert person.employment_status == STATUS_FOR_TYPE[registration.employment_type]
    for membership in Membership.objects.all():
        assert membership.started_on <= today


def test_seed_if_empty_does_not_duplicate(population):
    counts = (Person.objects.count(), Household.objects.count(), Registration.objects.count())
    out = io.StringIO()
    call_command("seed_demo", "--if-empty", "--persons", DEMO_PERSONS, "--vacancies", "30", stdout=out)
    assert "left as it is" in out.getvalue()
    call_command(  # rerun, no --if-empty
        "seed_demo", "--seed", "11", "--persons", DEMO_PERSONS, "--vacancies", "30", verbosity=0
    )
    assert (Person.objects.count(), Household.objects.count(), Registration.objects.count()) == counts


def test_seed_rejects_a_bad_population_size(db):
    with pytest.raises(CommandError):
        call_command("seed_demo", "--persons", "-5", verbosity=0)
    assert not User.objects.exists()


# ----- employers, vacancies and training providers ---------------------------------------------

DEMO_VACANCIES = 120
LHASA_COUNTIES = {"540102", "540103", "540104", "540121", "540122", "540123", "540124", "540127"}
# GB/T 4754 divisions the brief names: hotels, catering, building, civil engineering, retail,
# road transport, agricultural products, food, Tibetan medicine, handicrafts.
NAMED_DIVISIONS = {"61", "62", "47", "48", "52", "54", "13", "14", "27", "24"}


def _organisation_code_valid(code: str) -> bool:
    """GB 11714: eight characters and a check character, weights 3 7 9 10 5 8 4 2, modulus 11."""
    body, check = code[:8], code[8]
    total = sum(int(c, 36) * w for c, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    expected = 11 - total % 11
    return check == {10: "X", 11: "0"}.get(expected, str(expected))


@pytest.fixture
def jobs_demo(db):
    out = io.StringIO()
    call_command("seed_demo", "--seed", "5", "--persons", "0", "--vacancies", str(DEMO_VACANCIES), stdout=out)
    return out.getvalue()


def test_employers_have_valid_unique_credit_codes(jobs_demo):
    employers = list(Employer.objects.select_related("industry__parent", "unit"))
    assert 250 <= len(employers) <= 350
    codes = [e.credit_code for e in employers]
    assert len(set(codes)) == len(codes)
    for employer in employers:
        code = employer.credit_code
        assert uscc.is_valid(code) and parse_credit_code(code) == code, code
        assert parse_contact_phone(employer.contact_phone) == employer.contact_phone
        assert _organisation_code_valid(code[8:17]), code
        assert code[2:8] == employer.unit.code[:6] and code[2:8] in LHASA_COUNTIES
        assert employer.name_zh and employer.name_bo and employer.contact_phone
    assert NAMED_DIVISIONS <= {e.industry.code for e in employers}
    sections = {e.industry.parent.code for e in employers}
    assert {"S", "P", "Q", "L"} <= sections  # public-welfare posts, education, health, security services
    assert sum(e.unit.code.startswith("540102002") for e in employers) >= 5
    assert sum(e.unit.code.startswith("540121100") for e in employers) >= 5
    assert {True, False} == {e.publish_contact_phone for e in employers}
    assert {e.channel for e in employers} == set(IntakeChannel.values)
    assert all(e.external_id for e in employers if e.channel == IntakeChannel.REGIONAL_PLATFORM)
    assert "employers " in jobs_demo and "key_enterprises 30" in jobs_demo


def test_key_enterprises_are_flagged_by_their_township(jobs_demo):
    open_flags = KeyEnterpriseFlag.objects.filter(ended_on=None).select_related(
        "employer__unit", "flagged_by__unit"
    )
    assert open_flags.count() == 30
    for flag in open_flags:
        assert flag.reason and flag.flagged_on <= timezone.localdate()
        assert flag.unit.level == "township" and flag.employer.unit.code.startswith(flag.unit.code)
        assert flag.flagged_by.role == Role.STATION_HEAD and flag.flagged_by.unit == flag.unit
    assert KeyEnterpriseFlag.objects.exclude(ended_on=None).exclude(end_reason="").exists()


def test_vacancies_are_searchable_vetted_and_reviewed(jobs_demo, settings):
    now = timezone.now()
    vacancies = list(
        Vacancy.objects.select_related(
            "employer__unit", "occupation", "reviewed_by__unit", "unit", "created_by__unit"
        ).prefetch_related("transitions")
    )
    assert len(vacancies) == DEMO_VACANCIES
    assert {v.status for v in vacancies} == set(VacancyStatus.values)
    assert {v.source for v in vacancies} >= {Source.STAFF, Source.JOB_FAIR, Source.REGIONAL_PLATFORM}
    daily_minimum = settings.STANDARD["MINIMUM_WAGE_MONTHLY"] / float(settings.STANDARD["WORKDAYS_PER_MONTH"])
    for v in vacancies:
        assert v.search_text == segment_document(
            v.title_zh,
            v.title_bo,
            v.description,
            v.skills,
            v.employer.name_zh,
            v.employer.name_bo,
            v.occupation.name_zh,
            v.occupation.name_bo,
        )
        assert v.occupation.level == 4 and v.title_zh and v.title_bo
        assert vet(v) == [], (v.title_zh, vet(v))  # no wording, pay, age or employer problem at all
        if v.pay_period == PayPeriod.MONTH:
            assert v.salary_min >= 2100
        elif v.pay_period == PayPeriod.DAY:
            assert v.salary_min >= daily_minimum
        assert v.salary_max >= v.salary_min and v.headcount >= 1 and v.channel
        # As the services require: the holding station serves the employer, its staff entered it.
        assert v.unit.level == "township" and v.employer.unit.code.startswith(v.unit.code)
        assert v.created_by is None or v.created_by.unit == v.unit or v.created_by.role == Role.EMPLOYER
        assert v.created_at <= v.updated_at <= now
        steps = list(v.transitions.all())
        assert all(a.at <= b.at for a, b in zip(steps, steps[1:], strict=False))
        assert all(a.to_status == b.from_status for a, b in zip(steps, steps[1:], strict=False))
        if steps:
            assert steps[-1].to_status == v.status and steps[-1].at <= now
        if v.published_at:  # passed review: approved by the head of the holding station
            assert v.reviewed_by.role == Role.STATION_HEAD and v.reviewed_by.unit == v.unit
            assert v.reviewed_by_id not in {v.created_by_id, v.submitted_by_id}
            assert v.published_at <= v.reconfirmed_at <= now
            assert [(s.from_status, s.to_status) for s in steps[:2]] == [
                ("draft", "under_review"),
                ("under_review", "published"),
            ]
            assert steps[1].by == v.reviewed_by and steps[1].at == v.published_at
    published = [v for v in vacancies if v.status == VacancyStatus.PUBLISHED]
    ages = [(now - v.reconfirmed_at).days for v in published]
    assert sum(age < 30 for age in ages) > len(ages) * 0.8
    assert any(25 <= age < 30 for age in ages)  # the validity job has work within days
    stale = Vacancy.objects.filter(stale_filter(now))
    assert stale.exists() and all(age >= 30 for age in [(now - v.reconfirmed_at).days for v in stale])
    assert any(v.status == VacancyStatus.UNDER_REVIEW and v.unit.code == "540102002" for v in vacancies)
    for v in vacancies:
        if v.status == VacancyStatus.SUSPENDED:
            assert v.transitions.last().by is None and v.reconfirmed_at < now - timedelta(days=30)


def test_training_providers_and_courses(jobs_demo):
    today = timezone.localdate()
    providers = list(Provider.objects.all())
    assert len(providers) == 25
    assert all(uscc.is_valid(p.credit_code) and p.licence_number for p in providers)
    assert sum(p.licence_expires_on < today for p in providers) >= 2
    assert sum(today <= p.licence_expires_on <= today + timedelta(days=60) for p in providers) >= 2
    courses = list(Course.objects.select_related("provider__unit", "occupation", "unit", "created_by__unit"))
    assert len(courses) == 120
    assert {c.language for c in courses} == {"zh", "bo", "both"}
    assert any(c.starts_on < today for c in courses) and any(c.starts_on > today for c in courses)
    assert sum(c.is_published for c in courses) > len(courses) * 0.7
    for course in courses:
        assert course.occupation.level == 4 and course.title_zh and course.title_bo and course.place
        assert course.starts_on <= course.ends_on and course.capacity >= 1
        assert course.starts_on <= course.provider.licence_expires_on
        assert course.unit.code.startswith(course.provider.unit.code)
        assert course.created_by is None or course.created_by.unit == course.provider.unit


def test_demo_employer_account_is_linked(jobs_demo, settings, client):
    user = User.objects.get(username="demo-employer")
    assert user.role == Role.EMPLOYER and user.check_password(settings.DEMO_PASSWORD)
    employer = user.employer_account.employer
    assert employer.unit.code.startswith("540102002") and user.unit == employer.unit
    assert employer.industry.code == "61"  # README: a hotel in 八廓街道
    assert EmployerAccount.objects.filter(employer__is_active=True).count() >= 2
    response = client.post(
        "/accounts/login/", {"username": "demo-employer", "password": settings.DEMO_PASSWORD}
    )
    assert response.status_code == 302


def test_jobs_demo_is_not_duplicated(jobs_demo):
    counts = (
        Employer.objects.count(),
        Vacancy.objects.count(),
        Provider.objects.count(),
        Course.objects.count(),
    )
    call_command("seed_demo", "--if-empty", "--vacancies", str(DEMO_VACANCIES), verbosity=0)
    call_command("seed_demo", "--seed", "5", "--persons", "0", "--vacancies", "50", verbosity=0)  # rerun
    after = (
        Employer.objects.count(),
        Vacancy.objects.count(),
        Provider.objects.count(),
        Course.objects.count(),
    )
    assert after == counts


def test_seed_rejects_a_bad_vacancy_count(db):
    with pytest.raises(CommandError):
        call_command("seed_demo", "--vacancies", "-1", verbosity=0)
    assert not Employer.objects.exists()
