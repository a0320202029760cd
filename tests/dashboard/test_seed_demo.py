import io

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.utils import timezone
from stdnum.cn import ric

from accounts.models import User
from accounts.roles import Role
from core.masking import mask_id_number
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
    )


def test_seed_creates_the_spec_accounts_and_a_city(db, settings):
    call_command("seed_demo", "--seed", "7", "--persons", "0", verbosity=0)
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
    call_command("seed_demo", "--seed", "7", "--persons", "60", verbosity=0)
    first = _snapshot()
    Person.objects.all().delete()
    Household.objects.all().delete()
    User.objects.all().delete()
    ServiceVisit.objects.all().delete()
    ServicePoint.objects.all().delete()
    OrgUnit.objects.filter(level="village").delete()
    call_command("seed_demo", "--seed", "7", "--persons", "60", verbosity=0)
    assert _snapshot() == first


def test_seed_refuses_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("seed_demo", verbosity=0)
    assert not User.objects.exists()


def test_demo_counsellor_can_sign_in(db, settings, client):
    call_command("seed_demo", "--persons", "0", verbosity=0)
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
    call_command("seed_demo", "--seed", "11", "--persons", DEMO_PERSONS, stdout=out)
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
    call_command("seed_demo", "--if-empty", "--persons", DEMO_PERSONS, stdout=out)
    assert "left as it is" in out.getvalue()
    call_command("seed_demo", "--seed", "11", "--persons", DEMO_PERSONS, verbosity=0)  # rerun, no --if-empty
    assert (Person.objects.count(), Household.objects.count(), Registration.objects.count()) == counts


def test_seed_rejects_a_bad_population_size(db):
    with pytest.raises(CommandError):
        call_command("seed_demo", "--persons", "-5", verbosity=0)
    assert not User.objects.exists()
