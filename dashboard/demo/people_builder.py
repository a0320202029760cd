"""A believable demo population: persons in households, with registrations, contacts and consents.

Everything is planned in memory from one seeded RNG and written with bulk inserts, so
`make run` stays fast and the same seed on the same day gives the same data. Derived
state (zero-employment episodes, key groups) is then left to the real services.
"""

import datetime
import random
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from stdnum.cn import ric

from accounts.models import User
from accounts.roles import Role
from dashboard.demo import people_names as pn
from dashboard.demo.people_history import HistoryPlanner, backdate_history, bulk_set
from households.models import Allowance, Household
from households.rules import MemberFacts, is_zero_employment, working_age
from households.services import household_recompute
from keygroups.rules_engine import retirement_age
from keygroups.services import active_categories, memberships_refresh
from network.models import OrgUnit
from occupations.models import Occupation
from people import derived
from people.choices import (
    COLLEGE_LEVELS,
    WORKING_STATUSES,
    ContactChannel,
    Disability,
    Education,
    EmploymentStatus,
    Proficiency,
    Relation,
    Sex,
    WorkMode,
)
from people.identity import age_on
from people.models import Person

# The two demo counsellors' units get a larger share so both see a full caseload.
DEMO_UNITS = {"540102002": 0.14, "540121100": 0.14}
# ID area codes changed when counties became districts; a number keeps the code of its
# birth year (stdnum knows the validity periods), so older people carry the old code.
FORMER_AREA_CODES = {"540102": ["540120"], "540103": ["540125"], "540104": ["540126"]}
HOUSEHOLD_SHAPES = {"single": 14, "couple": 18, "family": 38, "three_generations": 18, "single_parent": 6}
HOUSEHOLD_SHAPES["siblings"] = 6
# Age at the graduation season, by degree.
GRADUATION_AGES = {Education.COLLEGE: (21, 22), Education.BACHELOR: (22, 23), Education.MASTER: (25, 26)}
S = EmploymentStatus


@dataclass
class Member:
    person: Person
    relation: str
    station: str  # township whose staff keep this file
    han: bool
    recent_graduate: bool = False
    history: dict = field(default_factory=dict)


@dataclass
class HouseholdPlan:
    household: Household
    station: str
    members: list[Member] = field(default_factory=list)
    zero: bool = False


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def shift_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def tibetan_script(parts: list[str]) -> str:
    # The closing shad keeps a tsheg after ང (ཚེ་རིང་།) and is left out after ག and ཀ.
    text = "་".join(parts)
    if text.endswith(("ག", "ཀ")):
        return text
    return text + ("་།" if text.endswith("ང") else "།")


class PopulationBuilder:
    def __init__(self, *, seed: int, today: datetime.date, persons: int):
        self.rng = random.Random(f"people-{seed}")  # noqa: S311 - demo data, not security
        self.today = today
        self.target = persons
        self.id_bodies: set[str] = set()
        self.phones: set[str] = set()
        self.areas: dict[tuple[str, int], bool] = {}

    # ----- where people live -------------------------------------------------------------

    def _stations(self, station_codes: list[str]) -> None:
        codes = list(dict.fromkeys(list(DEMO_UNITS) + station_codes))
        townships = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
        self.stations = [c for c in codes if c in townships]
        self.township = townships
        self.villages = {
            code: list(OrgUnit.objects.filter(parent__code=code).order_by("code")) for code in self.stations
        }
        front_line = User.objects.filter(
            unit__code__in=self.stations, role__in=[Role.COUNSELLOR, Role.STATION_HEAD], is_active=True
        ).order_by("username")
        self.staff: dict[str, list[User]] = {}
        for user in front_line.select_related("unit"):
            self.staff.setdefault(user.unit.code, []).append(user)
        # Files are kept by stations with front-line staff, who register and call the people.
        self.stations = [c for c in self.stations if self.staff.get(c)]
        rest = 1 - sum(DEMO_UNITS.values())
        others = [c for c in self.stations if c not in DEMO_UNITS]
        self.weights = {c: DEMO_UNITS.get(c, rest / max(len(others), 1)) for c in self.stations}

    def _home(self, station: str) -> tuple[OrgUnit, str]:
        township = self.township[station]
        villages = self.villages[station]
        n = self.rng.randint(1, 60)
        if villages and self.rng.random() < 0.9:
            unit = self.rng.choice(villages)
            if unit.name_zh.endswith("社区"):
                return (
                    unit,
                    f"{unit.name_zh}{n % 12 + 1}栋{self.rng.randint(1, 4)}单元{self.rng.randint(1, 30)}号",
                )
            return unit, f"{unit.name_zh}{n % 6 + 1}组{n}号"
        return township, f"{township.name_zh}人民路{n}号"

    # ----- who lives together ------------------------------------------------------------

    def _shape(self) -> list[tuple[str, int, str]]:
        rng = self.rng
        kind = _weighted(rng, HOUSEHOLD_SHAPES)
        other = {Sex.MALE: Sex.FEMALE, Sex.FEMALE: Sex.MALE}
        head_sex = Sex.MALE if rng.random() < 0.72 else Sex.FEMALE
        if kind == "single":
            age = rng.randint(18, 64) if rng.random() < 0.85 else rng.randint(65, 74)
            return [(Relation.HEAD, age, rng.choice([Sex.MALE, Sex.FEMALE]))]
        if kind == "siblings":
            age = rng.randint(18, 40)
            return [(Relation.HEAD, age, head_sex), (Relation.SIBLING, max(16, age + rng.randint(-6, 6)), "")]
        if kind == "single_parent":
            head = [(Relation.HEAD, rng.randint(38, 58), Sex.FEMALE if rng.random() < 0.75 else Sex.MALE)]
            return head + self._children(head[0][1], rng.randint(1, 2))
        low, high = {"couple": (22, 66), "family": (38, 64), "three_generations": (24, 48)}[kind]
        head_age = rng.randint(low, high)
        spouse_age = min(80, max(18, head_age + rng.randint(-6, 3)))
        members = [(Relation.HEAD, head_age, head_sex), (Relation.SPOUSE, spouse_age, other[head_sex])]
        if kind == "family":
            members += self._children(min(head_age, spouse_age), rng.randint(1, 3))
        if kind == "three_generations":
            parents = [Sex.MALE, Sex.FEMALE] if rng.random() < 0.5 else [rng.choice([Sex.MALE, Sex.FEMALE])]
            members += [(Relation.PARENT, min(86, head_age + rng.randint(20, 32)), s) for s in parents]
            members += self._children(min(head_age, spouse_age), rng.randint(0, 1))
        return members

    def _children(self, parent_age: int, count: int) -> list[tuple[str, int, str]]:
        upper = min(35, parent_age - 20)
        if upper < 16:
            return []
        ages = sorted((self.rng.randint(16, upper) for _ in range(count)), reverse=True)
        return [(Relation.CHILD, age, "") for age in ages]

    def _birth(self, age: int) -> datetime.date:
        latest = shift_years(self.today, -age)
        earliest = shift_years(self.today, -age - 1) + datetime.timedelta(days=1)
        return earliest + datetime.timedelta(days=self.rng.randrange((latest - earliest).days + 1))

    # ----- one person --------------------------------------------------------------------

    def _name(self, sex: str, han: bool, surname: str) -> tuple[str, str]:
        rng = self.rng
        if han:
            return surname + rng.choice(pn.HAN_MALE if sex == Sex.MALE else pn.HAN_FEMALE), ""
        own = pn.TIBETAN_MALE if sex == Sex.MALE else pn.TIBETAN_FEMALE
        if rng.random() < 0.22:
            parts = [rng.choice(own + pn.TIBETAN_UNISEX)]
        else:
            first = rng.choice(pn.TIBETAN_UNISEX + (pn.TIBETAN_MALE if sex == Sex.MALE else []))
            second = rng.choice([p for p in own + pn.TIBETAN_UNISEX[:4] if p != first])
            parts = [first, second]
        return "".join(p[0] for p in parts), tibetan_script([p[1] for p in parts])

    def _phone(self, age: int) -> str:
        if self.rng.random() < (0.3 if age >= 65 else 0.06):
            return ""
        while True:
            phone = self.rng.choice(pn.MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone

    def _education(self, age: int) -> str:
        E = Education
        if age >= 55:
            table = {E.NONE: 40, E.PRIMARY: 40, E.JUNIOR: 15, E.SENIOR: 5}
        elif age >= 40:
            table = {E.NONE: 15, E.PRIMARY: 35, E.JUNIOR: 30, E.SENIOR: 12, E.VOCATIONAL: 5, E.COLLEGE: 3}
        elif age >= 25:
            table = {E.PRIMARY: 10, E.JUNIOR: 30, E.SENIOR: 22, E.VOCATIONAL: 15, E.COLLEGE: 13}
            table |= {E.BACHELOR: 9, E.MASTER: 1}
        else:
            table = {E.JUNIOR: 35, E.SENIOR: 40, E.VOCATIONAL: 20, E.COLLEGE: 5}
        return _weighted(self.rng, table)

    def _graduation(self, person: Person, recent: bool) -> bool:
        """Set education and graduation date; True when the person is a recent graduate.

        `recent` asks for a degree finished in one of the last graduation seasons that
        still count (SPEC: within GRADUATE_YEARS), at an age that fits the birth date.
        """
        seasons = {
            level: [datetime.date(person.birth_date.year + offset, 6, 30) for offset in offsets]
            for level, offsets in GRADUATION_AGES.items()
        }
        options = [(lv, day) for lv, days in seasons.items() for day in days if self._recent(day)]
        if recent and options:
            weights = [{Education.MASTER: 1, Education.COLLEGE: 6}.get(level, 10) for level, _day in options]
            person.education, person.graduation_date = self.rng.choices(options, weights=weights)[0]
            person.major = self.rng.choice(pn.MAJORS)
            return True
        if person.education not in COLLEGE_LEVELS:
            return False
        day = self.rng.choice(seasons[person.education])
        if day > self.today:  # still studying for the degree
            person.education = Education.SENIOR
            return False
        person.graduation_date, person.major = day, self.rng.choice(pn.MAJORS)
        return self._recent(day)

    def _recent(self, day: datetime.date) -> bool:
        years = settings.STANDARD["GRADUATE_YEARS"]
        return day <= self.today and relativedelta(self.today, day).years < years

    def _status(self, member: Member, age: int) -> None:
        rng, person = self.rng, member.person
        if age >= retirement_age(person.sex):
            person.employment_status = _weighted(rng, {S.RETIRED: 70, S.UNEMPLOYED: 12, S.FLEXIBLE: 10})
        elif person.disability in {Disability.GRADE_1, Disability.GRADE_2} and rng.random() < 0.45:
            person.employment_status, person.able_and_willing = S.UNABLE, False
        elif not member.recent_graduate and age <= 23 and rng.random() < (0.55 if age <= 19 else 0.2):
            person.employment_status = S.STUDENT
        elif rng.random() < (0.7 if member.recent_graduate else 0.57):
            person.employment_status = S.UNEMPLOYED
        else:
            person.employment_status = _weighted(rng, {S.EMPLOYED: 50, S.FLEXIBLE: 30, S.SELF_EMPLOYED: 20})

    def _intentions(self, member: Member, age: int) -> list[str]:
        rng, person = self.rng, member.person
        seeking = person.employment_status in {S.UNEMPLOYED, S.STUDENT, S.FLEXIBLE}
        if person.employment_status in {S.RETIRED, S.UNABLE} or (not seeking and rng.random() < 0.6):
            return []
        graduate = person.education in COLLEGE_LEVELS
        low = 4000 if graduate else 2500
        person.salary_expectation = None if rng.random() < 0.1 else rng.randrange(low, low + 5001, 500)
        person.work_mode = _weighted(
            rng, {WorkMode.FULL_TIME: 50, WorkMode.ANY: 25, WorkMode.FLEXIBLE: 15, WorkMode.PART_TIME: 10}
        )
        person.willing_outside_county = rng.random() < (0.5 if age < 35 else 0.2)
        pool = pn.OCCUPATIONS_GRADUATE if graduate else pn.OCCUPATIONS_GENERAL
        return rng.sample(pool, rng.randint(1, 3))

    def _languages(self, person: Person, han: bool, age: int) -> None:
        rng, P = self.rng, Proficiency
        if han:
            person.chinese_level = P.FLUENT
            person.tibetan_level = _weighted(rng, {P.NONE: 70, P.BASIC: 25, P.GOOD: 5})
            return
        person.tibetan_level = P.FLUENT if rng.random() < 0.95 else P.GOOD
        if age < 35:
            person.chinese_level = _weighted(rng, {P.FLUENT: 50, P.GOOD: 45, P.BASIC: 5})
        elif age < 55:
            person.chinese_level = _weighted(rng, {P.GOOD: 45, P.BASIC: 45, P.FLUENT: 10})
        else:
            person.chinese_level = _weighted(rng, {P.BASIC: 50, P.NONE: 40, P.GOOD: 10})
        weak = person.chinese_level in {P.NONE, P.BASIC}
        person.preferred_language = "bo" if weak or rng.random() < 0.3 else "zh-hans"

    def _member(self, plan: HouseholdPlan, relation: str, age: int, sex: str, han: bool, surname: str):
        rng = self.rng
        unit, address = plan.household.unit, plan.household.address
        sex = sex or rng.choice([Sex.MALE, Sex.FEMALE])
        name_zh, name_bo = self._name(sex, han, surname)
        person = Person(
            name_zh=name_zh,
            name_bo=name_bo,
            sex=sex,
            birth_date=self._birth(age),
            unit=unit,
            household_unit=unit,
            residence_unit=unit,
            address=address,
            household=plan.household,
            relation_to_head=relation,
            registered_by=rng.choice(self.staff[plan.station]),
        )
        member = Member(person=person, relation=relation, station=plan.station, han=han)
        person.education = self._education(age)
        young = 21 <= age <= 27 and relation != Relation.PARENT
        member.recent_graduate = self._graduation(person, recent=young and rng.random() < 0.45)
        if rng.random() < (0.09 if age >= 50 else 0.03):
            person.disability = _weighted(rng, {"1": 15, "2": 25, "3": 35, "4": 25})
            person.disability_details = f"{rng.choice(pn.DISABILITY_KINDS)}残疾{person.disability}级"
        self._status(member, age)
        self._languages(person, han, age)
        person.__dict__.update(derived.phone_values(self._phone(age)))
        channels = {ContactChannel.PHONE: 70, ContactChannel.WECHAT: 20, ContactChannel.SMS: 5}
        channels[ContactChannel.VISIT] = 5
        person.contact_channel = _weighted(rng, channels) if person.phone else ContactChannel.VISIT
        if rng.random() < 0.35:
            person.skills = "、".join(rng.sample(pn.SKILLS, rng.randint(1, 2)))
        if rng.random() < 0.15:
            person.certificates = rng.choice(pn.CERTIFICATES)
        member.history["occupations"] = self._intentions(member, age)
        if rng.random() < 0.05:  # 户籍 in another district; lives and is served here
            other = rng.choice([c for c in self.stations if c[:6] != plan.station[:6]] or [plan.station])
            person.household_unit = rng.choice(self.villages[other] or [self.township[other]])
        return member

    # ----- households ----------------------------------------------------------------------

    def _households(self) -> list[HouseholdPlan]:
        plans: list[HouseholdPlan] = []
        count = 0
        stations, weights = list(self.weights), list(self.weights.values())
        while count < self.target:
            station = self.rng.choices(stations, weights=weights)[0]
            unit, address = self._home(station)
            rural = not unit.name_zh.endswith(("社区", "街道")) and not station.startswith("540102")
            household = Household(
                unit=unit,
                address=address,
                allowance_status=_weighted(
                    self.rng,
                    {Allowance.NONE: 88, Allowance.DIBAO: 6, Allowance.LOW_INCOME: 4, Allowance.TEKUN: 2},
                ),
                land_lost=rural and self.rng.random() < 0.07,
                relocated=rural and self.rng.random() < 0.06,
                has_business_income=self.rng.random() < 0.06,
            )
            plan = HouseholdPlan(household=household, station=station)
            han = self.rng.random() < (0.15 if station.startswith("540102") else 0.04)
            surname = self.rng.choice(pn.HAN_SURNAMES)
            for relation, age, sex in self._shape()[: self.target - count]:
                own_surname = surname if relation in {Relation.HEAD, Relation.CHILD} else ""
                plan.members.append(
                    self._member(
                        plan, relation, age, sex, han, own_surname or self.rng.choice(pn.HAN_SURNAMES)
                    )
                )
            count += len(plan.members)
            plans.append(plan)
        return plans

    def _facts(self, plan: HouseholdPlan) -> list[MemberFacts]:
        return [
            MemberFacts(
                m.person.birth_date, m.person.sex, m.person.employment_status, m.person.able_and_willing
            )
            for m in plan.members
        ]

    def _labour(self, plan: HouseholdPlan) -> list[Member]:
        return [
            m
            for m, facts in zip(plan.members, self._facts(plan), strict=True)
            if working_age(facts, self.today) and m.person.able_and_willing
        ]

    def _zero_employment(self, plans: list[HouseholdPlan]) -> None:
        """A few dozen zero-employment households, some in each demo unit; none by accident."""
        wanted = max(4, round(len(plans) * 0.035))
        candidates = [p for p in plans if self._labour(p)]
        chosen = set(map(id, self.rng.sample(candidates, min(wanted, len(candidates)))))
        for code in DEMO_UNITS:
            local = [p for p in candidates if p.station == code]
            chosen |= set(map(id, local[:3]))
        for plan in plans:
            if id(plan) in chosen:
                plan.household.has_business_income = False
                if self.rng.random() < 0.4:
                    plan.household.allowance_status = Allowance.DIBAO
                labour = set(map(id, self._labour(plan)))
                for member in plan.members:
                    if id(member) in labour:
                        member.person.employment_status = S.UNEMPLOYED
                    elif member.person.employment_status in WORKING_STATUSES:
                        member.person.employment_status = S.RETIRED
                plan.zero = True
            elif is_zero_employment(
                self._facts(plan), has_business_income=plan.household.has_business_income, today=self.today
            ):
                if self.rng.random() < 0.5:
                    plan.household.has_business_income = True
                else:
                    self.rng.choice(self._labour(plan)).person.employment_status = S.FLEXIBLE

    def _enough_graduates(self, plans: list[HouseholdPlan]) -> None:
        """Small demos still need a few unemployed recent graduates."""
        members = [m for p in plans for m in p.members]
        have = sum(m.recent_graduate and m.person.employment_status == S.UNEMPLOYED for m in members)
        young = [
            m
            for m in members
            if not m.recent_graduate
            and 21 <= age_on(m.person.birth_date, self.today) <= 26
            and m.person.employment_status not in WORKING_STATUSES
        ]
        for member in young[: max(0, max(3, len(members) // 100) - have)]:
            member.recent_graduate = self._graduation(member.person, recent=True)
            if member.recent_graduate:
                member.person.employment_status = S.UNEMPLOYED
                member.person.able_and_willing = True
                member.history["occupations"] = self.rng.sample(pn.OCCUPATIONS_GRADUATE, 2)

    # ----- identity ------------------------------------------------------------------------

    def _area_valid(self, area: str, year: int) -> bool:
        key = (area, year)
        if key not in self.areas:
            body = f"{area}{year}0101001"
            self.areas[key] = ric.is_valid(body + ric.calc_check_digit(body + "X"))
        return self.areas[key]

    def _id_number(self, person: Person) -> str:
        district = person.household_unit.path.split("/")[1]
        birth = person.birth_date.strftime("%Y%m%d")
        parity = range(1, 10, 2) if person.sex == Sex.MALE else range(0, 10, 2)
        for area in [district, *FORMER_AREA_CODES.get(district, [])]:
            if not self._area_valid(area, person.birth_date.year):
                continue  # this area code did not exist in the birth year
            while True:
                body = f"{area}{birth}{self.rng.randrange(100):02d}{self.rng.choice(parity)}"
                if body not in self.id_bodies:
                    self.id_bodies.add(body)
                    return body + ric.calc_check_digit(body + "X")
        raise RuntimeError(f"no valid ID number for area {district} born {birth}")

    # ----- writing -------------------------------------------------------------------------

    @transaction.atomic
    def build(self, *, station_codes: list[str]) -> dict:
        if self.target <= 0 or Person.objects.exists():
            return {"persons": 0}
        self._stations(station_codes)
        if not self.stations:
            return {"persons": 0}
        plans = self._households()
        self._enough_graduates(plans)
        self._zero_employment(plans)
        members = [m for p in plans for m in p.members]
        for member in members:
            person = member.person
            person.__dict__.update(derived.id_number_values(self._id_number(person), today=self.today))
            person.__dict__.update(derived.name_values(person.name_zh, person.name_bo))
        history = HistoryPlanner(rng=self.rng, today=self.today, staff=self.staff, township=self.township)
        history.plan(members, demo_units=list(DEMO_UNITS))

        Household.objects.bulk_create([p.household for p in plans], batch_size=500)
        persons = [m.person for m in members]
        Person.objects.bulk_create(persons, batch_size=500)
        # created_at/updated_at are auto fields; the file's own history dates them.
        for member in members:
            member.person.created_at = member.person.updated_at = member.history["opened_at"]
        bulk_set(Person, ["created_at", "updated_at"], persons)
        self._intentions_m2m(members)
        counts = history.write(members)

        categories = active_categories()
        for plan in plans:
            # The service is a no-op for a household the rule does not recognise; skip those.
            if is_zero_employment(
                self._facts(plan), has_business_income=plan.household.has_business_income, today=self.today
            ):
                household_recompute(household=plan.household, today=self.today)
        ids = [p.pk for p in persons]
        for start in range(0, len(ids), 500):
            memberships_refresh(person_ids=ids[start : start + 500], today=self.today, categories=categories)
        counts |= backdate_history(
            rng=self.rng, today=self.today, plans=plans, members=members, demo_units=list(DEMO_UNITS)
        )
        zero = Household.objects.filter(zero_employment=True).count()
        return {
            "persons": len(persons),
            "households": len(plans),
            "zero_employment_households": zero,
        } | counts

    def _intentions_m2m(self, members: list[Member]) -> None:
        occupation_ids = dict(
            Occupation.objects.filter(
                level=4, code__in=pn.OCCUPATIONS_GENERAL + pn.OCCUPATIONS_GRADUATE
            ).values_list("code", "id")
        )
        districts = {u.code: u.pk for u in OrgUnit.objects.filter(level="district")}
        wanted_jobs, wanted_places = [], []
        jobs = Person.desired_occupations.through
        places = Person.desired_districts.through
        for member in members:
            person = member.person
            for code in member.history["occupations"]:
                if code in occupation_ids:
                    wanted_jobs.append(jobs(person_id=person.pk, occupation_id=occupation_ids[code]))
            if member.history["occupations"]:
                own = districts.get(member.station[:6])
                choice = [own] + (
                    [self.rng.choice(list(districts.values()))] if self.rng.random() < 0.2 else []
                )
                for district_id in dict.fromkeys(d for d in choice if d):
                    wanted_places.append(places(person_id=person.pk, orgunit_id=district_id))
        jobs.objects.bulk_create(wanted_jobs, batch_size=1000)
        places.objects.bulk_create(wanted_places, batch_size=1000)
