"""Items to push and fake delivery backends for the notification tests.

Items are written straight to the tables: these tests are about the push channel, not
about how vacancies get through review (tests/vacancies covers that).
"""

import datetime
import itertools

from django.utils import timezone
from stdnum.cn import uscc

from employers.models import Employer
from industries.models import Industry
from network.models import OrgUnit
from notifications.backends import Backend, DeliveryError, PermanentDeliveryError
from occupations.models import Occupation
from training.models import Course, Provider
from vacancies.models import Vacancy

COOK = "4-03-02-01"
_serial = itertools.count(1)

TITLE_ZH = "中式烹调师"
TITLE_BO = "རྒྱ་ཟས་གཡོ་སྐོལ་བ།"
EMPLOYER_ZH = "拉萨雪域餐饮有限公司"
EMPLOYER_BO = "ལྷ་སའི་གངས་ལྗོངས་ཟ་ཁང་ཚད་ཡོད་ཀུང་སི།"


def credit_code(serial: int) -> str:
    body = f"9154010278644{serial:04d}"
    return body + uscc.calc_check_digit(body)


def employer(unit_code: str = "540102002") -> Employer:
    industry, _ = Industry.objects.get_or_create(
        code="H", defaults={"name_zh": "住宿和餐饮业", "name_bo": "མགྲོན་ཁང་དང་ཟ་ཁང་།", "level": "section"}
    )
    return Employer.objects.create(
        name_zh=EMPLOYER_ZH,
        name_bo=EMPLOYER_BO,
        credit_code=credit_code(next(_serial)),
        industry=industry,
        ownership="private",
        unit=OrgUnit.objects.get(code=unit_code),
        channel="walk_in",
    )


def vacancy(*, reviewer, status: str = "published", unit_code: str = "540102002", **values) -> Vacancy:
    unit = OrgUnit.objects.get(code=unit_code)
    data = {
        "employer": employer(unit_code),
        "title_zh": TITLE_ZH,
        "title_bo": TITLE_BO,
        "occupation": Occupation.objects.get(code=COOK),
        "headcount": 2,
        "salary_min": 4000,
        "salary_max": 6000,
        "pay_period": "month",
        "unit": unit,
        "work_unit": unit,
        "channel": "walk_in",
        "status": status,
    }
    if status == "published":
        data.update(reviewed_by=reviewer, published_at=timezone.now(), reconfirmed_at=timezone.now())
    data.update(values)
    return Vacancy.objects.create(**data)


def course(*, licence_expires_on: datetime.date | None = None, **values) -> Course:
    unit = OrgUnit.objects.get(code="540102002")
    today = timezone.localdate()
    provider = Provider.objects.create(
        name_zh="拉萨市城关区职业技能培训学校",
        name_bo="ལྷ་ས་གྲོང་ཁྱེར་ཁྲིན་ཀོན་ཆུས་ལས་རིགས་སློབ་གྲྭ།",
        credit_code=credit_code(next(_serial)),
        licence_number="藏人社民许字第0001号",
        qualification="training_institution",
        licence_expires_on=licence_expires_on or today + datetime.timedelta(days=365),
        unit=unit,
    )
    data = {
        "provider": provider,
        "title_zh": "中式烹调师培训班",
        "title_bo": "རྒྱ་ཟས་གཡོ་སྐོལ་སྦྱོང་བརྡར།",
        "occupation": Occupation.objects.get(code=COOK),
        "starts_on": today + datetime.timedelta(days=10),
        "ends_on": today + datetime.timedelta(days=40),
        "place": "城关区就业服务中心",
        "unit": unit,
        "subsidy": 1500,
        "language": "both",
        "is_published": True,
        "channel": "walk_in",
    }
    data.update(values)
    return Course.objects.create(**data)


class Gateway:
    """What the fake backends saw; reset before each test."""

    sent: list[int] = []
    failures_left = 0
    on_send = None  # called with the push while "sending", to stage a concurrent run

    @classmethod
    def reset(cls):
        cls.sent = []
        cls.failures_left = 0
        cls.on_send = None


class FlakyBackend(Backend):
    """Fails while `Gateway.failures_left` > 0, then delivers."""

    def send(self, push) -> str:
        if Gateway.on_send is not None:
            Gateway.on_send(push)
        if Gateway.failures_left > 0:
            Gateway.failures_left -= 1
            raise DeliveryError("gateway busy (HTTP 503)")
        Gateway.sent.append(push.pk)
        return f"fake-{len(Gateway.sent)}"


class BrokenBackend(Backend):
    def send(self, push) -> str:
        raise DeliveryError("gateway down")


class RefusingBackend(Backend):
    def send(self, push) -> str:
        raise PermanentDeliveryError("number does not exist")


class UnreachableBackend(Backend):
    def can_reach(self, person) -> bool:
        return False

    def send(self, push) -> str:  # pragma: no cover - never asked
        raise AssertionError("must not be used")


FAKE = "tests.notifications.push_data."


# WeChat bindings for the tests (the register keeps no openid); NOTIFY_WECHAT_OPENID_LOOKUP names this.
OPENIDS: dict[int, str] = {}


def openid_lookup(person):
    return OPENIDS.get(person.pk)
