"""A counsellor working in Tibetan opens "my work today", sees an overdue first assistance,
records the assistance on the person's file and comes back to find it gone from the
overdue list."""

import datetime
import re

import pytest
import time_machine
from django.utils import timezone, translation

from keygroups.models import Category
from keygroups.services import membership_add_manual
from tests.conftest import PASSWORD, make_user
from tests.factories import person as register_person
from tests.factories import valid_id_number
from tests.screenshot_dir import screenshot_dir
from worklist.actions import ACTIONS
from worklist.models import Kind, WorkItem

SCREENSHOTS = screenshot_dir()
TIBETAN = re.compile(r"[\u0f00-\u0fff]")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"{live_server.url}/dashboard/")


def _tibetan(label) -> str:
    with translation.override("bo"):
        return str(label)


def _joined_ten_days_ago(counsellor):
    """A rural labourer who entered the key group ten days ago: the file opened then, and
    first assistance (due within five days) is overdue now."""
    joined = timezone.localdate() - datetime.timedelta(days=10)
    with time_machine.travel(datetime.datetime.combine(joined, datetime.time(10)).astimezone(), tick=False):
        person = register_person(
            user=counsellor,
            name_zh="次旦卓嘎",
            name_bo="ཚེ་བརྟན་སྒྲོལ་དཀར།",
            id_number=valid_id_number(birth="19980321", sequence=41, male=False),
        )
        membership_add_manual(
            acting_user=counsellor,
            person=person,
            category=Category.objects.get(code="rural_labour"),
            started_on=joined,
            evidence="ཡུལ་ཚོའི་ར་སྤྲོད།",
        )
    return person


def test_first_assistance_leaves_the_overdue_list(page, live_server):
    counsellor = make_user("browser-bo-worklist", "counsellor", "540102002", language="bo", name_bo="པདྨ།")
    person = _joined_ten_days_ago(counsellor)
    first = WorkItem.objects.get(person=person, kind=Kind.FIRST_ASSISTANCE)
    assert first.is_open and first.due_on < timezone.localdate()

    _sign_in(page, live_server, counsellor.username)
    assert page.locator("html").get_attribute("lang") == "bo"
    page.goto(f"{live_server.url}/worklist/")
    overdue = page.locator("#overdue")
    row = overdue.locator(f"tr[data-item='{first.pk}']")
    assert row.is_visible()
    assert row.get_attribute("data-kind") == Kind.FIRST_ASSISTANCE
    assert row.locator("td").nth(1).inner_text().startswith(_tibetan(Kind.FIRST_ASSISTANCE.label))
    assert person.id_number_masked in row.inner_text()
    assert row.locator(".days-overdue").inner_text() == str((timezone.localdate() - first.due_on).days)
    assert TIBETAN.search(page.locator("main h1").inner_text())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "worklist-bo.png"), full_page=True)

    # One click to the assistance section of the file, then record the assistance.
    action = row.locator("a.action")
    assert action.inner_text() == _tibetan(ACTIONS[Kind.FIRST_ASSISTANCE].label)
    with page.expect_navigation():
        action.click()
    assert page.url.endswith(f"/people/{person.pk}/#assistance")
    with page.expect_navigation():
        page.locator("#assistance .actions a.btn").first.click()
    page.fill("textarea[name=notes]", "ལས་ཞུགས་ཀྱི་གནས་ཚུལ་གླེང་མོལ་བྱས།")
    with page.expect_navigation():
        page.locator("main form.stacked button[type=submit]").click()
    assert page.locator("#assistance [data-first-assistance]").is_visible()

    # Back on "my work today": nothing overdue any more, and the item is done.
    page.goto(f"{live_server.url}/worklist/")
    assert page.locator(f"#overdue tr[data-item='{first.pk}']").count() == 0
    assert page.locator("#overdue tbody tr").count() == 1  # the "nothing overdue" row
    first.refresh_from_db()
    assert first.done_on == timezone.localdate()
