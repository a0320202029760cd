"""The main menu: grouped, each entry shown only to users who may open it, in the user's language."""

import re

import pytest
from django.urls import reverse

from core.menu import MENU, menu_for
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db
TIBETAN = re.compile(r"[\u0F00-\u0FFF]")


def _entries(groups) -> dict[str, str]:
    return {entry["url"]: group["key"] for group in groups for entry in group["entries"]}


def test_every_entry_is_listed_once_and_resolves():
    names = [entry.url_name for group in MENU for entry in group.entries]
    assert len(names) == len(set(names))
    for name in names:
        reverse(name)


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_each_entry_shown_opens_for_that_user_and_no_group_is_empty(persona, personas, page_client):
    user = personas[persona]
    groups = menu_for(user, "/")
    assert all(group["entries"] for group in groups)
    client = page_client(user)
    for url in _entries(groups):
        response = client.get(url)
        assert response.status_code == 200, (persona, url, response.status_code)


def test_a_counsellor_sees_the_desk_not_the_administration(personas):
    entries = _entries(menu_for(personas["counsellor_chengguan"], "/"))
    assert entries[reverse("people:person_list")] == "people"
    assert entries[reverse("worklist:my_work")] == "today"
    assert reverse("accounts:staff_list") not in entries
    assert reverse("audit:entry_list") not in entries
    assert entries[reverse("accounts:profile")] == "admin"  # everyone has their own account page


def test_the_audit_administrator_sees_the_trail_not_the_register(personas):
    entries = _entries(menu_for(personas["auditadmin"], "/"))
    assert reverse("audit:entry_list") in entries
    assert reverse("people:person_list") not in entries


def test_the_page_marks_the_current_entry_under_its_group_heading(personas, page_client):
    user = personas["counsellor_chengguan"]
    user.language = "bo"
    user.save(update_fields=["language"])
    html = page_client(user).get(reverse("people:person_list")).content.decode()
    menu = html[html.index('<nav class="menu"') : html.index("</nav>")]
    assert f'<a href="{reverse("people:person_list")}" aria-current="page">' in menu
    assert menu.count('aria-current="page"') == 1
    headings = re.findall(r'<h2 id="menu-([a-z]+)">([^<]+)</h2>', menu)
    assert [key for key, _ in headings][:2] == ["today", "people"]
    assert all(TIBETAN.search(label) for _, label in headings), headings


def test_the_menu_is_built_only_where_it_is_drawn(personas, page_client, monkeypatch):
    """Forty permission checks per request are spent on full pages, not on htmx fragments."""
    import core.context_processors

    calls = []
    monkeypatch.setattr(core.context_processors, "menu_for", lambda user, path: calls.append(path) or [])
    client = page_client(personas["counsellor_chengguan"])
    fragment = client.get(reverse("people:person_list"), HTTP_HX_REQUEST="true").content.decode()
    assert 'class="menu"' not in fragment and calls == []
    client.get(reverse("people:person_list"))
    assert calls == [reverse("people:person_list")]
