"""Every string has zh-hans and bo translations, and pages in Tibetan show no English."""

import gettext
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def _entries(po: Path):
    """(msgid, msgstr) pairs, joining the continuation lines gettext wraps long strings into."""
    text = po.read_text(encoding="utf-8")
    entries, key, current = [], None, {}
    for line in text.splitlines() + [""]:
        match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[0\])?|msgstr\[\d+\]) "(.*)"$', line)
        if match:
            key = match.group(1)
            current[key] = match.group(2)
        elif line.startswith('"') and key:
            current[key] += line[1:-1]
        elif not line.strip() and current:
            if "msgid" in current:
                entries.append((current["msgid"], current.get("msgstr", current.get("msgstr[0]", ""))))
            key, current = None, {}
    return text, entries


@pytest.mark.parametrize("language", ["zh_Hans", "bo"])
def test_catalogue_is_complete_and_compiled(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    text, entries = _entries(po)
    assert "#, fuzzy" not in text
    untranslated = [msgid for msgid, msgstr in entries if msgid and not msgstr]
    assert untranslated == []
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    # The committed .mo must match the .po (someone may have edited one and not the other).
    stale = [
        msgid
        for msgid, msgstr in entries
        if msgid and "\\" not in msgid and compiled.gettext(msgid) != msgstr
    ]
    assert stale == []


def test_tibetan_catalogue_is_tibetan():
    _text, entries = _entries(LOCALE / "bo" / "LC_MESSAGES" / "django.po")
    han = [msgstr for _msgid, msgstr in entries if re.search(r"[\u4e00-\u9fff]", msgstr)]
    assert han == []
    tibetan = [msgstr for _msgid, msgstr in entries if re.search(r"[\u0f00-\u0fff]", msgstr)]
    assert len(tibetan) > 0.9 * len(entries)


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.chunks, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip:
            self.chunks.append(data)


# Words that are the same in every language: product names, codes, user names.
ALLOWED = {"Excel", "JSON", "English", "CN", "IP"}


@pytest.mark.parametrize(
    ("persona", "paths"),
    [
        (
            "head_chengguan",
            [
                "/dashboard/",
                "/network/units/",
                "/network/units/540102002/",
                "/network/points/",
                "/accounts/staff/",
                "/calendar/",
                "/accounts/profile/",
                "/subject-requests/",
                "/privacy/export-approvals/",
            ],
        ),
        ("city", ["/retention/", "/subject-requests/"]),
        (
            "sysadmin",
            [
                "/network/units/540102/edit/",
                "/network/units/540102002/new/",
                "/accounts/staff/new/",
                "/calendar/new/",
                "/calendar/?start=2026-02-14&days=1&region=540100",
            ],
        ),
        ("secadmin", ["/accounts/staff/", "/retention/"]),
        ("auditadmin", ["/audit/"]),
    ],
)
def test_pages_in_tibetan_show_no_untranslated_english(personas, page_client, persona, paths):
    user = personas[persona]
    user.language = "bo"
    user.save()
    client = page_client(user)
    from network.models import OrgUnit

    usernames = {u.username for u in personas.values()}
    usernames |= {word for name in OrgUnit.objects.values_list("name_en", flat=True) for word in name.split()}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        parser = _Text()
        parser.feed(response.content.decode())
        words = set(re.findall(r"[A-Za-z][A-Za-z'’-]{2,}", " ".join(parser.chunks)))
        leftovers = (
            words
            - ALLOWED
            - usernames
            - {
                "counsellor",
                "chengguan",
                "jiri",
                "linzhou",
                "head",
                "district",
                "city",
                "sysadmin",
                "secadmin",
                "auditadmin",
            }
        )
        assert leftovers == set(), (path, leftovers)
        assert re.search(r"[\u0f00-\u0fff]", response.content.decode()), path


def test_pages_in_chinese_show_chinese(personas, page_client):
    response = page_client(personas["counsellor_chengguan"]).get("/dashboard/")
    assert "工作台" in response.content.decode()
