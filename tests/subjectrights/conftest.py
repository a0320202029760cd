"""A job seeker in 八廓街道 (540102002) with a little of everything the copy holds."""

import datetime

import pytest
import time_machine
from django.utils import translation

from tests.factories import person as make_person
from tests.ratios.conftest import pending_msgids_as_tibetan  # noqa: F401  (a fixture, used by name)

TODAY = datetime.date(2026, 11, 16)


@pytest.fixture
def frozen():
    with (
        time_machine.travel(datetime.datetime(2026, 11, 16, 10, tzinfo=datetime.UTC), tick=False),
        translation.override("zh-hans"),
    ):
        yield TODAY


@pytest.fixture
def seeker(personas, frozen):
    from people.services import consent_give

    counsellor = personas["counsellor_chengguan"]
    person = make_person(
        user=counsellor, name_zh="次仁卓玛", name_bo="ཚེ་རིང་སྒྲོལ་མ།", phone="13987654321", address="八廓街12号"
    )
    consent_give(acting_user=counsellor, person=person, purpose="share_with_employers")
    return person


def receive(user, person, kind="access", **values):
    from subjectrights.services import request_receive

    data = {"channel": "in_person", "received_on": TODAY, "details": "请给我一份我的资料。"}
    data.update(values)
    return request_receive(acting_user=user, person=person, kind=kind, **data)


def act(user, subject_request, action, **values):
    from subjectrights.services import request_transition

    subject_request.refresh_from_db()
    values.setdefault("version", subject_request.version)
    return request_transition(acting_user=user, subject_request=subject_request, action=action, **values)


def in_both(msgid: str) -> tuple[str, str]:
    """A message as the Chinese and the Tibetan catalogue give it."""
    texts = []
    for language in ("zh-hans", "bo"):
        with translation.override(language):
            texts.append(translation.gettext(msgid))
    return texts[0], texts[1]
