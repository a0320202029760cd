"""Demo employers, vacancies, training providers and courses, and employer accounts.

Like the population, everything is planned from one seeded RNG and written with bulk
inserts; derived fields the services would fill (search text, review and publication
stamps, the transition log) are filled here. Dates are whole days back from `today`
at fixed times, so the same seed on the same day gives the same rows.
"""

import datetime
import functools
import random

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from stdnum.cn import uscc

from accounts.models import User
from accounts.roles import Role
from core.channels import IntakeChannel as C
from dashboard.demo import jobs_names as jn
from dashboard.demo import names
from dashboard.demo import people_names as pn
from dashboard.demo.people_history import bulk_set
from employers.models import Employer, EmployerAccount, KeyEnterpriseFlag
from industries.models import Industry
from network.models import Level, OrgUnit
from occupations.models import Occupation
from people.choices import Education
from people.choices import Proficiency as P
from textsearch.segment import segment_document
from training.models import Course, Provider
from vacancies.models import PayPeriod, Source, Status, Transition, Vacancy, WorkType
from vacancies.services import SYSTEM_SUSPEND_NOTE

DEFAULT_VACANCIES = 3000
DEFAULT_EMPLOYERS = 300
COURSES = 120
KEY_ENTERPRISES = 30
# The demo units get a fixed share of the employers, so both demo counsellors see some.
DEMO_AREAS = {"540102002": 14, "540121100": 8}
# Where employers are (Lhasa's eight counties and districts; the zones have no station).
DISTRICT_WEIGHTS = {"540102": 50, "540103": 14, "540104": 6, "540121": 6, "540122": 5, "540123": 5}
DISTRICT_WEIGHTS |= {"540124": 6, "540127": 8}
# Shares of the vacancies by status; every status appears even in a small demo.
STATUS_SHARES = {
    "published": 0.62,
    "published_due_soon": 0.06,  # reconfirmed 25–29 days ago: the validity job's work this week
    "published_stale": 0.02,  # more than 30 days: `suspend_stale_vacancies` has work at once
    Status.DRAFT: 0.05,
    Status.UNDER_REVIEW: 0.07,
    Status.SUSPENDED: 0.06,
    Status.FILLED: 0.07,
    Status.CLOSED: 0.05,
}
EMPLOYER_ACCOUNTS = 6  # demo-employer and five more, so employer self-service has several users
EDUCATION_ORDER = list(Education.values)
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def organisation_code(rng: random.Random) -> str:
    """A GB 11714 organisation code: eight digits and their check character."""
    digits = [rng.randrange(10) for _ in range(8)]
    check = 11 - sum(d * w for d, w in zip(digits, ORG_CODE_WEIGHTS, strict=True)) % 11
    return "".join(map(str, digits)) + {10: "X", 11: "0"}.get(check, str(check))


def credit_code(rng: random.Random, kind: str, division: str) -> str:
    """A GB 32100 code: authority and type (`kind`), county code, organisation code, check."""
    body = kind + division + organisation_code(rng)
    return body + uscc.calc_check_digit(body)


@functools.cache
def _words(text: str) -> tuple[str, ...]:
    return tuple(segment_document(text).split())


def search_text(*texts: str) -> str:
    """`segment_document(*texts)`, with each text cut once: thousands of vacancies share titles."""
    return " ".join(dict.fromkeys(word for text in texts for word in _words(text)))


class JobsBuilder:
    def __init__(self, *, seed: int, today: datetime.date, vacancies: int, account):
        self.rng = random.Random(f"jobs-{seed}")  # noqa: S311 - demo data, not security
        self.today = today
        self.target = vacancies
        # DemoBuilder._account(username, role, unit_code, **profile): accounts share its names and hash.
        self.account = account
        self.codes: set[str] = set()
        self.phones: set[str] = set()
        self.tz = timezone.get_current_timezone()

    # ----- helpers ----------------------------------------------------------------------------

    def at(self, days_ago: int, hour: tuple[int, int] = (9, 18)) -> datetime.datetime:
        day = self.today - datetime.timedelta(days=days_ago)
        moment = datetime.time(self.rng.randrange(*hour), self.rng.randrange(60))
        return datetime.datetime.combine(day, moment, tzinfo=self.tz)

    def _code(self, kind: str, division: str) -> str:
        while True:
            code = credit_code(self.rng, kind, division)
            if code not in self.codes:
                self.codes.add(code)
                return code

    def _phone(self) -> str:
        while True:
            if self.rng.random() < 0.3:
                phone = f"0891-6{self.rng.randrange(10**6):06d}"
            else:
                phone = self.rng.choice(pn.MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone

    def _contact(self) -> str:
        if self.rng.random() < 0.35:
            return self.rng.choice(jn.CONTACT_SURNAMES) + self.rng.choice(["经理", "女士", "先生", "主任"])
        return self.rng.choice(names.TIBETAN_PEOPLE + names.HAN_PEOPLE)[0]

    # ----- reference data and staff ---------------------------------------------------------

    def _reference(self) -> None:
        divisions = {i.division for i in jn.INDUSTRIES.values()}
        self.industries = {i.code: i for i in Industry.objects.filter(code__in=divisions, level="division")}
        missing = divisions - set(self.industries)
        if missing:
            raise RuntimeError(
                f"GB/T 4754 industry divisions {sorted(missing)} are not loaded; run load_reference first."
            )
        codes = {j.occupation for j in jn.JOBS.values()}
        self.occupations = {o.code: o for o in Occupation.objects.filter(code__in=codes, level=4)}
        if codes - set(self.occupations):
            raise RuntimeError(f"occupations {sorted(codes - set(self.occupations))} are not loaded.")
        units = OrgUnit.objects.filter(level__in=[Level.TOWNSHIP, Level.VILLAGE], code__startswith="5401")
        self.townships: dict[str, OrgUnit] = {}
        self.villages: dict[str, list[OrgUnit]] = {}
        for unit in units.order_by("code"):
            if unit.code[:6] not in DISTRICT_WEIGHTS:
                continue
            if unit.level == Level.TOWNSHIP:
                self.townships[unit.code] = unit
            else:
                self.villages.setdefault(unit.code[:9], []).append(unit)
        self.districts = {u.code: u for u in OrgUnit.objects.filter(code__in=DISTRICT_WEIGHTS)}

    def _staff(self) -> None:
        """Stations are townships with counsellors; each gets a head to review its vacancies."""
        front = User.objects.filter(role=Role.COUNSELLOR, is_active=True, unit__level=Level.TOWNSHIP)
        self.counsellors: dict[str, list[User]] = {}
        for user in front.select_related("unit").order_by("username"):
            self.counsellors.setdefault(user.unit.code, []).append(user)
        self.stations = sorted(c for c in self.counsellors if c[:6] in DISTRICT_WEIGHTS)
        heads = User.objects.filter(role=Role.STATION_HEAD, unit__code__in=self.stations, is_active=True)
        self.heads = {u.unit.code: u for u in heads.select_related("unit").order_by("-username")}
        for code in self.stations:
            if code not in self.heads:
                self.heads[code] = self.account(f"head-{code}", Role.STATION_HEAD, code)
        self.liaisons = {
            code: [u for u in users if u.training_liaison] or [None]
            for code, users in self.counsellors.items()
        }

    def _station(self, unit: OrgUnit) -> str:
        """The station that serves a unit: its own township's; for a county, one of the county's."""
        township = unit.code[:9]
        if township in self.counsellors:
            return township
        same_county = [c for c in self.stations if c[:6] == unit.code[:6]] or self.stations
        return same_county[int(township) % len(same_county)]  # spread over the county's stations

    # ----- employers ------------------------------------------------------------------------

    def _industry_plan(self) -> list[str]:
        total = sum(i.weight for i in jn.INDUSTRIES.values())
        plan = []
        for key, industry in jn.INDUSTRIES.items():
            plan += [key] * max(2, round(DEFAULT_EMPLOYERS * industry.weight / total))
        self.rng.shuffle(plan)
        plan.insert(0, plan.pop(plan.index("hotels")))  # first into 八廓街道: demo-employer's hotel
        return plan

    def _place(self, township: str) -> OrgUnit:
        villages = self.villages.get(township, [])
        if villages and self.rng.random() < 0.3:
            return self.rng.choice(villages)
        return self.townships[township]

    def _random_station(self) -> str:
        """A station township, counties weighted by their business; employers are where staff serve them
        (the services refuse a vacancy for an employer outside the counsellor's area)."""
        district = _weighted(self.rng, DISTRICT_WEIGHTS)
        return self.rng.choice([c for c in self.stations if c[:6] == district] or self.stations)

    def _address(self, unit: OrgUnit) -> str:
        n = self.rng.randint(1, 188)
        if unit.level == Level.VILLAGE and unit.name_zh.endswith("村"):
            return f"{self.townships[unit.code[:9]].name_zh}{unit.name_zh}{n % 8 + 1}组"
        streets = jn.STREETS.get(unit.code[:6])
        if streets:
            return f"{unit.name_zh}{self.rng.choice(streets)}{n}号"
        return f"{unit.name_zh}{self.rng.choice(jn.TOWN_STREETS)}{n}号"

    def _name(self, key: str, unit: OrgUnit, used: set[str]) -> tuple[str, str, str] | None:
        industry = jn.INDUSTRIES[key]
        township = self.townships[unit.code[:9]]
        t_zh, t_bo = township.name_zh, township.name_bo.rstrip("།")
        for _ in range(40):
            zh_pattern, bo_pattern, kind = self.rng.choice(industry.names)
            if "{v}" in zh_pattern:  # one committee per community or village
                community = unit.name_zh.endswith("社区")
                zh_pattern, bo_pattern, kind = industry.names[0 if community else 1]
            elif "{t}" in zh_pattern:  # street offices and township governments
                street = t_zh.endswith("街道")
                zh_pattern, bo_pattern, kind = industry.names[0 if street else 1]
            prefix = self.rng.choice(jn.PREFIXES)
            root = self.rng.choice(jn.ROOTS)
            values_zh = {"p": prefix[0], "r": root[0], "t": t_zh, "v": unit.name_zh}
            values_bo = {"p": prefix[1], "r": root[1], "t": t_bo + "་", "v": unit.name_bo.rstrip("།") + "་"}
            name_zh = zh_pattern.format(**values_zh)
            if name_zh not in used:
                used.add(name_zh)
                return name_zh, bo_pattern.format(**values_bo).replace("་་", "་"), kind
        return None

    def _employer_places(self, plan: list[str]) -> list[tuple[str, OrgUnit]]:
        """Where each planned employer is; offices and committees take a unit of their own."""
        places: list[tuple[str, OrgUnit]] = []
        free_villages = [v for code in self.stations for v in self.villages.get(code, [])]
        free_townships = list(self.stations)
        self.rng.shuffle(free_villages)
        self.rng.shuffle(free_townships)
        demo = [code for code, count in DEMO_AREAS.items() for _ in range(count) if code in self.townships]
        for key in plan:
            if key == "public_welfare" and free_villages:
                places.append((key, free_villages.pop()))
            elif key == "government" and free_townships:
                places.append((key, self.townships[free_townships.pop()]))
            elif key not in {"public_welfare", "government"}:
                township = demo.pop(0) if demo else self._random_station()
                places.append((key, self._place(township)))
        return places

    def _employers(self) -> list[Employer]:
        used: set[str] = set()
        employers = []
        for key, unit in self._employer_places(self._industry_plan()):
            named = self._name(key, unit, used)
            if named is None:
                continue
            name_zh, name_bo, kind = named
            industry = jn.INDUSTRIES[key]
            ownership = _weighted(self.rng, industry.ownership)
            if kind == "92":
                ownership = "individual"
            elif kind == "93":
                ownership = "cooperative"
            elif ownership == "individual":
                ownership = "private"
            size = _weighted(self.rng, industry.size)
            if kind == "92":
                size = "micro"
            station = self._station(unit)
            channel = _weighted(
                self.rng, {C.WALK_IN: 25, C.PHONE: 15, C.TOWNSHIP_COLLECTION: 35, C.JOB_FAIR: 12}
            )
            if self.rng.random() < 0.1:
                channel = C.REGIONAL_PLATFORM
            employer = Employer(
                name_zh=name_zh,
                name_bo=name_bo,
                credit_code=self._code(kind, unit.code[:6]),
                industry=self.industries[industry.division],
                size=size,
                ownership=ownership,
                unit=unit,
                address=self._address(unit),
                contact_name=self._contact(),
                contact_phone=self._phone(),
                publish_contact_phone=self.rng.random() < 0.35,
                description=f"{self.industries[industry.division].name_zh}单位，位于{unit.name_zh}。",
                channel=channel,
                external_id=None,
                created_by=None
                if channel == C.REGIONAL_PLATFORM
                else self.rng.choice(self.counsellors[station]),
            )
            employer.industry_key, employer.station = key, station
            employers.append(employer)
        for n, employer in enumerate(employers, start=1):
            if employer.channel == C.REGIONAL_PLATFORM:
                employer.external_id = f"XZJY-E-{n:06d}"
        Employer.objects.bulk_create(employers, batch_size=500)
        for employer in employers:
            employer.created_at = self.at(self.rng.randint(180, 900))
        bulk_set(Employer, ["created_at"], employers)
        return employers

    def _key_enterprises(self, employers: list[Employer]) -> int:
        big = {
            "hotels",
            "building",
            "civil",
            "agrifood",
            "food",
            "tibetan_medicine",
            "handicrafts",
            "transport",
        }
        candidates = [
            e
            for e in employers
            if e.industry_key in big and e.size != "micro" and e.unit.code[:9] in self.heads
        ]
        chosen = self.rng.sample(candidates, min(KEY_ENTERPRISES + 3, len(candidates)))
        flags = []
        for n, employer in enumerate(chosen):
            township = employer.unit.code[:9]
            flagged = self.today - datetime.timedelta(days=self.rng.randint(10, 700))
            flag = KeyEnterpriseFlag(
                employer=employer,
                unit=self.townships[township],
                reason=self.rng.choice(jn.KEY_ENTERPRISE_REASONS),
                flagged_on=flagged,
                flagged_by=self.heads[township],
            )
            if n >= KEY_ENTERPRISES:  # a few left the directory again
                flag.ended_on = min(self.today, flagged + datetime.timedelta(days=self.rng.randint(60, 300)))
                flag.end_reason = self.rng.choice(jn.KEY_ENTERPRISE_END_REASONS)
            flags.append(flag)
        KeyEnterpriseFlag.objects.bulk_create(flags)
        return min(KEY_ENTERPRISES, len(flags))

    def _employer_accounts(self, employers: list[Employer]) -> dict[int, User]:
        """demo-employer acts for a hotel in 八廓街道; a few other employers have accounts too."""
        local = [e for e in employers if e.unit.code.startswith("540102002") and e.industry_key == "hotels"]
        first = local[0] if local else employers[0]
        others = [e for e in employers if e is not first and e.ownership not in {"public_institution"}]
        chosen = [first] + self.rng.sample(others, min(EMPLOYER_ACCOUNTS - 1, len(others)))
        users = {}
        for n, employer in enumerate(chosen):
            username = "demo-employer" if n == 0 else f"employer-{n:02d}"
            user = self.account(username, Role.EMPLOYER, employer.unit.code)
            EmployerAccount.objects.update_or_create(
                user=user, defaults={"employer": employer, "is_manager": True}
            )
            users[employer.pk] = user
            if employer.channel != C.REGIONAL_PLATFORM:
                employer.channel = C.EMPLOYER_SELF_SERVICE
        Employer.objects.bulk_update(chosen, ["channel"])
        return users

    # ----- vacancies ------------------------------------------------------------------------

    def _statuses(self) -> list[str]:
        counts = {s: round(self.target * share) for s, share in STATUS_SHARES.items() if s != "published"}
        if self.target >= 4 * len(STATUS_SHARES):
            counts = {s: max(1, n) for s, n in counts.items()}
        counts["published"] = max(0, self.target - sum(counts.values()))
        plan = [s for s, n in counts.items() for _ in range(n)][: self.target]
        self.rng.shuffle(plan)
        return plan

    def _pay(self, job: jn.Job, title: str) -> tuple[str, int, int, str]:
        rng = self.rng
        period, low, high, work_type = job.period, job.low, job.high, WorkType.FULL_TIME
        if title in jn.HOURLY and rng.random() < 0.2:
            (low, high), period, work_type = jn.HOURLY[title], PayPeriod.HOUR, WorkType.PART_TIME
        elif title in jn.FLEXIBLE and rng.random() < 0.4:
            work_type = WorkType.FLEXIBLE
        step = {PayPeriod.MONTH: 100, PayPeriod.DAY: 10}.get(period, 1)
        spread = (high - low) * 0.4
        salary_min = low + round(rng.uniform(0, spread) / step) * step
        salary_max = max(salary_min + step, high - round(rng.uniform(0, spread) / step) * step)
        return period, salary_min, salary_max, work_type

    def _languages(self, title: str, key: str) -> tuple[str, str]:
        rng = self.rng
        if title in jn.BILINGUAL_JOBS:
            return P.GOOD, P.GOOD
        if key in {"hotels", "retail", "security"} or title in {"导游", "电商运营专员", "会计", "出纳"}:
            return rng.choice([P.NONE, P.BASIC]), P.GOOD
        if key in {"public_welfare", "herding", "farming", "handicrafts"} or title in {
            "甜茶馆服务员",
            "藏餐厨师",
        }:
            return P.GOOD, rng.choice([P.NONE, P.BASIC])
        return P.NONE, rng.choice([P.NONE, P.BASIC, P.BASIC])

    def _requirements(self, vacancy: Vacancy, title: str, job: jn.Job, key: str) -> None:
        rng = self.rng
        education = job.education
        if education != Education.NONE and rng.random() < 0.2:  # some employers ask less
            education = EDUCATION_ORDER[EDUCATION_ORDER.index(education) - 1]
        vacancy.education_min = education
        if title in jn.DRIVER_AGES:
            vacancy.age_min, vacancy.age_max = jn.DRIVER_AGES[title]
            vacancy.age_reason = "驾驶证准驾车型的年龄条件"
        elif title in jn.ADULTS_ONLY:  # no minors in hazardous or night work; 18 needs no reason
            vacancy.age_min = 18
        vacancy.tibetan_required, vacancy.chinese_required = self._languages(title, key)
        vacancy.skills = jn.SKILLS.get(title, "")
        vacancy.certificates = jn.CERTIFICATES.get(title, "") if rng.random() < 0.8 else ""
        if title in jn.OUTDOOR:
            vacancy.physical_requirements = jn.PHYSICAL["outdoor"]
        elif title in jn.FOOD_JOBS:
            vacancy.physical_requirements = jn.PHYSICAL["food"]
        elif title in jn.STANDING_JOBS:
            vacancy.physical_requirements = jn.PHYSICAL["standing"]
        vacancy.other_requirements = "；".join(rng.sample(jn.GENERAL_REQUIREMENTS, rng.randint(1, 2)))

    def _benefits(self, vacancy: Vacancy, key: str, employer: Employer) -> str:
        rng = self.rng
        lodging = key in {"hotels", "catering", "building", "civil", "agrifood", "handicrafts", "herding"}
        vacancy.accommodation = rng.random() < (0.7 if lodging else 0.2)
        vacancy.meals = rng.random() < (0.85 if key in {"hotels", "catering"} else 0.45)
        insured = {"state": 0.95, "public_institution": 0.95, "private": 0.75, "foreign": 0.9}
        chance = insured.get(employer.ownership, 0.35)
        if vacancy.pay_period != PayPeriod.MONTH:
            chance = 0.1
        vacancy.social_insurance = rng.random() < chance
        notes = []
        if vacancy.accommodation and vacancy.meals:
            notes.append("包吃住")
        elif vacancy.accommodation or vacancy.meals:
            notes.append("提供住宿" if vacancy.accommodation else "提供工作餐")
        if vacancy.social_insurance:
            notes.append("缴纳社会保险")
        if rng.random() < 0.4:
            notes.append(rng.choice(jn.BENEFIT_NOTES[2:]))
        return "，".join(notes)

    def _work_unit(self, employer: Employer, key: str) -> OrgUnit:
        if key in {"building", "civil"} and self.rng.random() < 0.6:  # the building site, in the county
            same = [c for c in self.townships if c[:6] == employer.unit.code[:6]]
            return self._place(self.rng.choice(same))
        return employer.unit

    def _source(self, vacancy: Vacancy, employer: Employer, n: int) -> User | None:
        rng = self.rng
        counsellor = rng.choice(self.counsellors[vacancy.unit.code])
        account = self.accounts.get(employer.pk)
        roll = rng.random()
        if account and roll < 0.7:
            vacancy.source, vacancy.channel = Source.EMPLOYER, C.EMPLOYER_SELF_SERVICE
            return account
        if roll < 0.08:
            vacancy.source, vacancy.channel = Source.REGIONAL_PLATFORM, C.REGIONAL_PLATFORM
            vacancy.external_id = f"XZJY-V-{n:07d}"
            return None
        if roll < 0.2:
            vacancy.source, vacancy.channel = Source.JOB_FAIR, C.JOB_FAIR
            return counsellor
        vacancy.source = Source.STAFF
        vacancy.channel = _weighted(rng, {C.WALK_IN: 30, C.PHONE: 35, C.TOWNSHIP_COLLECTION: 35})
        return counsellor

    def _vacancy(self, employer: Employer, n: int) -> Vacancy:
        rng = self.rng
        key = employer.industry_key
        title = _weighted(rng, jn.INDUSTRIES[key].jobs)
        job = jn.JOBS[title]
        occupation = self.occupations[job.occupation]
        period, salary_min, salary_max, work_type = self._pay(job, title)
        sizes = {
            "micro": {1: 60, 2: 30, 3: 10},
            "small": {1: 30, 2: 30, 3: 20, 5: 15, 8: 5},
            "medium": {2: 20, 3: 20, 5: 25, 10: 20, 15: 10, 20: 5},
            "large": {5: 20, 10: 30, 20: 25, 30: 15, 50: 10},
        }
        headcount = _weighted(rng, sizes[employer.size]) * (2 if period == PayPeriod.DAY else 1)
        work_unit = self._work_unit(employer, key)
        vacancy = Vacancy(
            employer=employer,
            title_zh=title,
            title_bo=job.bo,
            occupation=occupation,
            headcount=headcount,
            salary_min=salary_min,
            salary_max=salary_max,
            pay_period=period,
            unit=self.townships[employer.station],
            work_unit=work_unit,
            work_type=work_type,
        )
        self._requirements(vacancy, title, job, key)
        benefits = self._benefits(vacancy, key, employer)
        vacancy.description = f"{jn.DUTIES[title]}。工作地点：{work_unit.name_zh}。" + (
            f"{benefits}。" if benefits else ""
        )
        vacancy.created_by = self._source(vacancy, employer, n)
        vacancy.search_text = search_text(
            vacancy.title_zh,
            vacancy.title_bo,
            vacancy.description,
            vacancy.skills,
            employer.name_zh,
            employer.name_bo,
            occupation.name_zh,
            occupation.name_bo,
        )
        return vacancy

    def _history(self, vacancy: Vacancy, plan: str) -> list[tuple]:
        """Set the vacancy's status and stamps as the services would; return its transition log.

        Each step is (from, to, at, by, note), as `vacancies.services` writes it: the author
        submits, the station head approves or sends back, counsellors reconfirm, fill and
        close, the system suspends.
        """
        rng, S = self.rng, Status
        head = self.heads[vacancy.unit.code]
        author = vacancy.created_by
        staff = rng.choice(self.counsellors[vacancy.unit.code])
        hour = datetime.timedelta(hours=1)
        if plan in {S.DRAFT, S.UNDER_REVIEW} or (plan == S.CLOSED and rng.random() < 0.3):
            first_day = {S.DRAFT: 20, S.UNDER_REVIEW: 8}.get(plan, 60)
            vacancy.created_at = self.at(rng.randint(1 if plan != S.CLOSED else 3, first_day), (9, 15))
            steps = []
            if plan == S.UNDER_REVIEW or rng.random() < 0.3:
                submitted = vacancy.created_at + datetime.timedelta(minutes=rng.randint(5, 120))
                vacancy.submitted_by = author
                steps.append((S.DRAFT, S.UNDER_REVIEW, submitted, author, ""))
                if plan != S.UNDER_REVIEW:  # the station head sent it back
                    vacancy.review_note = rng.choice(jn.REVIEW_NOTES_RETURNED)
                    vacancy.reviewed_by = head
                    steps.append((S.UNDER_REVIEW, S.DRAFT, submitted + hour * 3, head, vacancy.review_note))
            if plan == S.CLOSED:
                steps.append(
                    (steps[-1][1] if steps else S.DRAFT, S.CLOSED, vacancy.created_at + hour * 30, staff, "")
                )
            vacancy.status = plan
            vacancy.updated_at = steps[-1][2] if steps else vacancy.created_at
            return steps
        if plan in {"published", "published_due_soon", "published_stale"}:
            ago = {"published": (1, 24), "published_due_soon": (25, 29), "published_stale": (31, 40)}[plan]
            reconfirmed = self.at(rng.randint(*ago))
            back = 0 if plan == "published_stale" or rng.random() < 0.6 else rng.randint(1, 25)
            published = reconfirmed - datetime.timedelta(days=back)
        elif plan == S.SUSPENDED:
            reconfirmed = published = self.at(rng.randint(32, 80))
        else:  # filled, or closed after publication
            reconfirmed = published = self.at(rng.randint(20, 150))
        submitted = published - hour * rng.randint(1, 72)
        vacancy.created_at = submitted - datetime.timedelta(minutes=rng.randint(5, 240))
        vacancy.submitted_by, vacancy.reviewed_by = author, head
        vacancy.published_at, vacancy.reconfirmed_at = published, reconfirmed
        steps = [
            (S.DRAFT, S.UNDER_REVIEW, submitted, author, ""),
            (S.UNDER_REVIEW, S.PUBLISHED, published, head, ""),
        ]
        if reconfirmed > published:
            steps.append((S.PUBLISHED, S.PUBLISHED, reconfirmed, staff, ""))
        if plan == S.SUSPENDED:  # the validity job runs at night
            days = settings.STANDARD["VACANCY_RECONFIRM_DAYS"]
            night = self.at((self.today - reconfirmed.date()).days - days - 1, (2, 3))
            steps.append((S.PUBLISHED, S.SUSPENDED, night, None, SYSTEM_SUSPEND_NOTE.format(days=days)))
        elif plan in {S.FILLED, S.CLOSED}:
            ended = published + datetime.timedelta(days=rng.randint(3, 18))
            steps.append((S.PUBLISHED, plan, ended, staff, ""))
        vacancy.status = plan if plan in S.values else S.PUBLISHED
        vacancy.updated_at = steps[-1][2]
        return steps

    def _vacancies(self, employers: list[Employer]) -> dict:
        rng = self.rng
        active = [e for e in employers if e.is_active]
        weights = [{"micro": 1, "small": 3, "medium": 7, "large": 12}[e.size] for e in active]
        demo_queue = [e for e in active if e.station == "540102002"]
        vacancies, histories = [], []
        for n, plan in enumerate(self._statuses(), start=1):
            if plan == Status.UNDER_REVIEW and demo_queue and rng.random() < 0.4:
                employer = rng.choice(demo_queue)  # the demo station head has a review queue
            else:
                employer = rng.choices(active, weights=weights)[0]
            vacancy = self._vacancy(employer, n)
            histories.append(self._history(vacancy, plan))
            vacancies.append(vacancy)
        # bulk_create stamps the auto fields with the time of the run; the history dates them.
        stamps = [(v.created_at, v.updated_at) for v in vacancies]
        Vacancy.objects.bulk_create(vacancies, batch_size=500)
        for vacancy, (created, updated) in zip(vacancies, stamps, strict=True):
            vacancy.created_at, vacancy.updated_at = created, updated
        bulk_set(Vacancy, ["created_at", "updated_at"], vacancies)
        steps = [(v, *step) for v, history in zip(vacancies, histories, strict=True) for step in history]
        transitions = [
            Transition(vacancy=v, from_status=a, to_status=b, by=by, note=note)
            for v, a, b, _at, by, note in steps
        ]
        Transition.objects.bulk_create(transitions, batch_size=1000)
        for transition, step in zip(transitions, steps, strict=True):
            transition.at = step[3]
        bulk_set(Transition, ["at"], transitions)
        published = sum(v.status == Status.PUBLISHED for v in vacancies)
        return {"vacancies": len(vacancies), "published_vacancies": published}

    # ----- training -------------------------------------------------------------------------

    def _providers(self) -> list[Provider]:
        rng = self.rng
        patterns = {p[0]: p for p in jn.PROVIDERS}
        kinds = [k for k, count in jn.PROVIDER_COUNTS.items() for _ in range(count)]
        expiry = ["expired"] * 2 + ["soon"] * 3 + ["valid"] * max(0, len(kinds) - 5)
        rng.shuffle(expiry)
        districts = list(DISTRICT_WEIGHTS)
        roots = rng.sample(jn.ROOTS, len(kinds))
        providers = []
        for n, (kind, state, root) in enumerate(zip(kinds, expiry, roots, strict=False), start=1):
            zh, bo, qualification, code_kind = patterns[kind]
            if "{d}" in zh:  # one public centre per county, at its station
                district = self.districts[districts[n % len(districts)]]
                township = self.townships[self._station(district)]
                values_zh = {"d": district.name_zh}
                values_bo = {"d": district.name_bo.rstrip("།") + "་"}
            else:
                township = self.townships[
                    rng.choice([c for c in self.stations if c[:6] in {"540102", "540103"}])
                ]
                values_zh, values_bo = {"r": root[0]}, {"r": root[1]}
            days = {"expired": -rng.randint(20, 200), "soon": rng.randint(5, 55)}.get(
                state, rng.randint(180, 1400)
            )
            # Licences of private schools read 人社民…, of public ones 人社公….
            licence = (
                f"人社{'公' if code_kind == '12' else '民'}{township.code[:6]}{rng.randrange(10**7):07d}号"
            )
            providers.append(
                Provider(
                    name_zh=zh.format(**values_zh),
                    name_bo=bo.format(**values_bo).replace("་་", "་"),
                    credit_code=self._code(code_kind, township.code[:6]),
                    licence_number=licence,
                    qualification=qualification,
                    licence_expires_on=self.today + datetime.timedelta(days=days),
                    unit=township,
                    address=self._address(township),
                    contact_phone=self._phone(),
                    is_active=True,
                )
            )
            providers[-1].kind = kind
        Provider.objects.bulk_create(providers)
        return providers

    def _courses(self, providers: list[Provider]) -> int:
        rng = self.rng
        catalogue = {c[0]: c for c in jn.COURSES}
        courses = []
        for n in range(COURSES if providers else 0):
            provider = providers[n % len(providers)]
            title_zh, title_bo, job, days, subsidy = catalogue[rng.choice(jn.PROVIDER_COURSES[provider.kind])]
            starts = self.today + datetime.timedelta(days=rng.randint(-150, 120))
            if starts > provider.licence_expires_on:  # no course after the licence ran out
                starts = provider.licence_expires_on - datetime.timedelta(days=days + rng.randint(5, 60))
            unit = provider.unit  # or, for public centres, a village the station serves
            if provider.qualification == "public_centre" and rng.random() < 0.5:
                unit = self._place(unit.code)
            crafts = job in {
                "唐卡画师",
                "藏毯编织工",
                "藏装裁缝",
                "银饰加工工",
                "藏药炮制工",
                "牦牛乳制品加工工",
            }
            language = _weighted(
                rng, {"bo": 50, "both": 40, "zh": 10} if crafts else {"zh": 35, "bo": 15, "both": 50}
            )
            courses.append(
                Course(
                    provider=provider,
                    title_zh=title_zh,
                    title_bo=title_bo,
                    occupation=self.occupations[jn.JOBS[job].occupation],
                    starts_on=starts,
                    ends_on=starts + datetime.timedelta(days=days - 1),
                    place=f"{unit.name_zh}{rng.choice(jn.COURSE_PLACES)}",
                    unit=unit,
                    subsidy=0 if provider.qualification == "enterprise" else subsidy,
                    language=language,
                    capacity=rng.randrange(20, 65, 5),
                    is_published=rng.random() < 0.85,
                    channel=_weighted(
                        rng, {C.TOWNSHIP_COLLECTION: 40, C.WALK_IN: 25, C.PHONE: 20, C.REGIONAL_PLATFORM: 15}
                    ),
                    created_by=rng.choice(self.liaisons.get(provider.unit.code, [None])),
                )
            )
        Course.objects.bulk_create(courses, batch_size=500)
        return len(courses)

    # ----- writing --------------------------------------------------------------------------

    @transaction.atomic
    def build(self) -> dict:
        if Employer.objects.exists():
            return {"employers": 0}
        self._reference()
        self._staff()
        if not self.stations:
            return {"employers": 0}
        employers = self._employers()
        key_enterprises = self._key_enterprises(employers)
        self.accounts = self._employer_accounts(employers)
        counts = self._vacancies(employers)
        providers = self._providers()
        courses = self._courses(providers)
        return (
            {
                "employers": len(employers),
                "key_enterprises": key_enterprises,
                "employer_accounts": len(self.accounts),
            }
            | counts
            | {"training_providers": len(providers), "courses": courses}
        )
