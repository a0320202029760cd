"""Builds a believable demo city on top of the reference data. Deterministic for a seed."""

import datetime
import random
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.models import User
from accounts.roles import Role
from accounts.services import staff_bootstrap
from dashboard.demo import names
from dashboard.demo.jobs_builder import DEFAULT_VACANCIES, JobsBuilder
from dashboard.demo.people_builder import PopulationBuilder
from network.models import Level, OrgUnit, ServicePoint, ServicePointKind, ServiceVisit
from network.services import orgunit_create

DEMO_ACCOUNTS = [
    ("demo-counsellor-chengguan", Role.COUNSELLOR, "540102002"),
    ("demo-counsellor-linzhou", Role.COUNSELLOR, "540121100"),
    ("demo-head-chengguan", Role.STATION_HEAD, "540102002"),
    ("demo-district-chengguan", Role.DISTRICT_SUPERVISOR, "540102"),
    ("demo-city", Role.CITY_SUPERVISOR, "540100"),
    ("demo-sysadmin", Role.SYSTEM_ADMIN, "540100"),
    ("demo-secadmin", Role.SECURITY_ADMIN, "540100"),
    ("demo-auditadmin", Role.AUDIT_ADMIN, "540100"),
]
# Townships that get a full station team in the demo, besides the demo accounts' own.
STAFFED_TOWNSHIPS = ["540102003", "540102008", "540103001", "540104100", "540122101", "540127100"]
# One station in each remaining county, so the demo population reaches every district.
STAFFED_TOWNSHIPS += ["540123100", "540124100"]
DEFAULT_PERSONS = 3000


class DemoBuilder:
    def __init__(
        self,
        seed: int,
        today: datetime.date,
        persons: int = DEFAULT_PERSONS,
        vacancies: int = DEFAULT_VACANCIES,
    ):
        self.seed = seed
        self.persons = persons
        self.vacancies = vacancies
        self.rng = random.Random(seed)  # noqa: S311 - demo data, not security
        self.today = today
        self.people = iter(self._people_pool())
        # Every demo account has the same published password: hash it once.
        self.password_hash = make_password(settings.DEMO_PASSWORD)

    def _people_pool(self):
        pool = names.TIBETAN_PEOPLE * 6 + names.HAN_PEOPLE * 3
        self.rng.shuffle(pool)
        return pool

    def _person(self) -> dict:
        name_zh, name_bo = next(self.people)
        return {
            "name_zh": name_zh,
            "name_bo": f"{name_bo}།",
            "speaks_tibetan": name_bo not in {b for _z, b in names.HAN_PEOPLE},
            "speaks_chinese": True,
        }

    @transaction.atomic
    def build(self) -> dict:
        villages = self._villages()
        self._place_townships()
        staff = self._staff()
        points = self._service_points()
        population = PopulationBuilder(seed=self.seed, today=self.today, persons=self.persons)
        people = population.build(station_codes=STAFFED_TOWNSHIPS)
        jobs = JobsBuilder(seed=self.seed, today=self.today, vacancies=self.vacancies, account=self._account)
        return {"villages": villages, "staff": staff, "service_points": points} | people | jobs.build()

    def _villages(self) -> int:
        created = 0
        for township in OrgUnit.objects.filter(level=Level.TOWNSHIP).order_by("code"):
            urban = township.name_zh.endswith("街道")
            suffix = names.COMMUNITY_SUFFIX if urban else names.VILLAGE_SUFFIX
            for index, (root_zh, root_bo) in enumerate(self.rng.sample(names.PLACE_ROOTS, 2), start=1):
                code = f"{township.code}{index:03d}"
                if OrgUnit.objects.filter(code=code).exists():
                    continue
                orgunit_create(
                    acting_user=None,
                    code=code,
                    parent=township,
                    name_zh=f"{root_zh}{suffix[0]}",
                    name_bo=f"{root_bo}{suffix[1]}",
                )
                created += 1
        return created

    def _place_townships(self) -> None:
        """Demo coordinates: each township a few kilometres from its district's seat
        (data/district_seats.csv), so matching has distances to explain. Real
        coordinates are entered by administrators on the unit's page."""
        # Its own generator, so adding places did not change the rest of the demo.
        rng = random.Random(self.seed * 7 + 1)  # noqa: S311 - demo data
        seats = {u.pk: u for u in OrgUnit.objects.filter(level=Level.DISTRICT, latitude__isnull=False)}
        for township in OrgUnit.objects.filter(level=Level.TOWNSHIP, latitude__isnull=True).order_by("code"):
            seat = seats.get(township.parent_id)
            if seat is None:
                continue
            township.latitude = round(seat.latitude + Decimal(rng.uniform(-0.06, 0.06)), 5)
            township.longitude = round(seat.longitude + Decimal(rng.uniform(-0.08, 0.08)), 5)
            township.save(update_fields=["latitude", "longitude"])

    def _account(self, username: str, role: str, unit_code: str, **extra) -> User:
        profile = self._person() | extra
        if role in {Role.COUNSELLOR, Role.STATION_HEAD}:
            profile.setdefault("qualification_level", self.rng.choice([1, 2, 3]))
        return staff_bootstrap(
            username=username,
            password=settings.DEMO_PASSWORD,
            password_hash=self.password_hash,
            role=role,
            unit=OrgUnit.objects.get(code=unit_code),
            **profile,
        )

    def _staff(self) -> int:
        count = 0
        for username, role, unit_code in DEMO_ACCOUNTS:
            extra = {"qualification_level": 3} if username == "demo-counsellor-chengguan" else {}
            self._account(username, role, unit_code, **extra)
            count += 1
        for district in OrgUnit.objects.filter(level=Level.DISTRICT, code__lt="540170"):
            self._account(f"supervisor-{district.code}", Role.DISTRICT_SUPERVISOR, district.code)
            count += 1
        for code in STAFFED_TOWNSHIPS:
            self._account(f"head-{code}", Role.STATION_HEAD, code)
            for n in (1, 2):
                self._account(
                    f"counsellor-{code}-{n}",
                    Role.COUNSELLOR,
                    code,
                    psychological_counsellor=n == 1 and self.rng.random() < 0.5,
                    training_liaison=n == 2,
                )
            count += 3
        return count

    def _service_points(self) -> int:
        count = 0
        for district_code, places in names.GATHERING_PLACES.items():
            district = OrgUnit.objects.get(code=district_code)
            township = district.children.order_by("code").first()
            for zh, bo, lat, lon in places:
                point, created = ServicePoint.objects.get_or_create(
                    name_zh=f"{zh}流动服务点",
                    unit=township,
                    defaults={
                        "kind": ServicePointKind.MOBILE_POINT,
                        "name_bo": f"{bo} གཡོ་འགུལ་ཞབས་ཞུ་ས་ཚིགས།",
                        "location": zh,
                        "latitude": lat,
                        "longitude": lon,
                        "schedule": "每周二、周五 10:00–16:00",
                        "target_groups": "务工人员、求职者",
                    },
                )
                count += created
                self._visits(point, weekdays=(1, 4), place=zh)
            team, created = ServicePoint.objects.get_or_create(
                name_zh=f"{district.name_zh}就业巡回服务队",
                unit=district,
                defaults={
                    "kind": ServicePointKind.ROVING_TEAM,
                    "name_bo": f"{district.name_bo} ལས་ཞུགས་འཁོར་སྐྱོད་ཞབས་ཞུ་རུ་ཁག",
                    "location": district.name_zh,
                    "schedule": "每周三 巡回各乡镇、村居",
                    "target_groups": "农牧民、高校毕业生、就业困难人员",
                },
            )
            count += created
            for township_unit in district.children.order_by("code")[:2]:
                self._visits(team, weekdays=(2,), place=township_unit.name_zh)
        return count

    def _visits(self, point: ServicePoint, *, weekdays: tuple[int, ...], place: str) -> None:
        for offset in range(21):
            day = self.today + datetime.timedelta(days=offset)
            if day.weekday() in weekdays:
                ServiceVisit.objects.get_or_create(
                    service_point=point,
                    day=day,
                    place=place,
                    defaults={"starts_at": datetime.time(10), "ends_at": datetime.time(16)},
                )
