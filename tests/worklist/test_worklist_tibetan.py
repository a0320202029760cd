"""The worklist pages and notices in Tibetan: no English left in the page body."""

import re

import pytest
from django.utils import timezone

from notifications.models import Notice
from tests.conftest import make_user
from tests.worklist.conftest import days, item, someone
from worklist.models import Kind
from worklist.services import escalate_overdue_items, send_work_reminders

pytestmark = pytest.mark.django_db
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]{2,}")
TIBETAN = re.compile(r"[\u0f00-\u0fff]")
MAIN = re.compile(r'<main id="main">(.*)</main>', re.S)
# On the person's file, only the worklist's own section (other sections belong to other apps).
WORK_PANEL = re.compile(r'<section id="work-items".*?</section>', re.S)
TAG = re.compile(r"<[^>]+>")
# Words that are data, not interface: usernames and the Excel button's "Excel".
ALLOWED = {"Excel"}


def english_in_main(html: str, allowed: set[str], region=MAIN) -> set[str]:
    found = region.search(html)
    body = found.group(1) if found.groups() else found.group(0)
    body = re.sub(r"<script.*?</script>", " ", body, flags=re.S)
    text = TAG.sub(" ", body)
    return set(LATIN_WORD.findall(text)) - ALLOWED - allowed


@pytest.fixture
def tibetan_staff(today):
    return {
        "counsellor": make_user("counsellor_bo_1", "counsellor", "540102002", language="bo", name_bo="པདྨ།"),
        "head": make_user("head_bo_1", "station_head", "540102002", language="bo", name_bo="བསོད་ནམས།"),
    }


def test_pages_in_tibetan(tibetan_staff, page_client):
    counsellor, head = tibetan_staff["counsellor"], tibetan_staff["head"]
    person = someone(counsellor, name_bo="ཚེ་རིང་།")
    for n, kind in enumerate(Kind.values):
        owner = person if kind == Kind.MONTHLY_UPDATE else None
        item(counsellor, days(n - 4), kind=kind, person=owner, assignee=counsellor if n % 2 else None)
    escalate_overdue_items(now=timezone.now())
    pages = [
        (counsellor, "/worklist/", MAIN),
        (head, "/worklist/", MAIN),
        (head, "/worklist/unit/", MAIN),
        (head, "/worklist/unit/?overdue=on&escalated=on", MAIN),
        (counsellor, f"/worklist/transfer/{person.pk}/", MAIN),
        (counsellor, f"/people/{person.pk}/", WORK_PANEL),
    ]
    for user, path, region in pages:
        response = page_client(user).get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert english_in_main(html, {counsellor.username, head.username}, region) == set(), path
        assert TIBETAN.search(region.search(html).group(0)), path


def test_notices_in_tibetan(tibetan_staff):
    counsellor, head = tibetan_staff["counsellor"], tibetan_staff["head"]
    item(counsellor, days(0), assignee=counsellor)
    item(counsellor, days(-10), assignee=counsellor)
    send_work_reminders(now=timezone.now())
    escalate_overdue_items(now=timezone.now())
    for notice in Notice.objects.filter(user__in=[counsellor, head]):
        assert notice.language == "bo"
        words = set(LATIN_WORD.findall(f"{notice.subject} {notice.body}")) - {
            "http",
            "https",
            "worklist",
            "unit",
        }
        assert words == set(), (notice.kind, words)
        assert TIBETAN.search(notice.subject) and TIBETAN.search(notice.body)


def test_the_transfer_notice_in_tibetan(tibetan_staff):
    from people.services import person_transfer
    from tests.worklist.conftest import unit

    receiver = make_user("counsellor_bo_jiri", "counsellor", "540102003", language="bo")
    person = someone(tibetan_staff["counsellor"])
    item(tibetan_staff["counsellor"], days(0), person=person)
    person_transfer(
        acting_user=tibetan_staff["counsellor"],
        person=person,
        unit=unit("540102003"),
        reason="ཁྱིམ་སྤོས།",
        version=person.version,
    )
    [notice] = Notice.objects.filter(user=receiver, kind="person_transferred")
    words = set(LATIN_WORD.findall(f"{notice.subject} {notice.body}")) - {"http", "https", "people"}
    assert notice.language == "bo" and words == set()
    assert person.id_number_masked in notice.body and "ཁྱིམ་སྤོས།" in notice.body
