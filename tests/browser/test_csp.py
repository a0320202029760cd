"""Every representative page runs under the strict self-only Content-Security-Policy in a real
browser: no violation reported, no console error, charts drawn, bars sized, and the behaviours
that used to be inline handlers (auto-submit, confirm) still work."""

import re

import pytest
from django.utils import timezone

from accounts.second_factor import second_factor_required
from recommendations.models import State
from tests.conftest import PASSWORD, enrol_totp, make_user, otp_code
from tests.matching.matching_builders import published_vacancy, seeker
from tests.ratios.ratio_builders import recommend, vacancies, veteran
from workcalendar.models import RegionalDay

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Registered before any page script runs, so violations during parsing are caught too.
COLLECT_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


class Watched:
    """A browser context whose pages report CSP violations, console errors and page errors."""

    def __init__(self, browser, live_server):
        self.base = live_server.url
        self.context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
        self.context.add_init_script(COLLECT_VIOLATIONS)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", self._console)
        self.page.on("response", self._response)
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))

    def _console(self, message):
        # A failed load is judged by the response listener, which knows the address. Other
        # warnings (a form's date format, say) are not about the policy; errors always are suspect.
        text = message.text
        policy = "Content Security Policy" in text or "Refused to" in text
        if (message.type == "error" and not text.startswith("Failed to load resource")) or policy:
            self.problems.append(f"console {message.type}: {text}")

    def _response(self, response):
        # The site has no favicon; the browser asks for one anyway.
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            self.problems.append(f"{response.status} {response.url}")

    def visit(self, path: str):
        response = self.page.goto(self.base + path)
        assert response.status == 200, path
        policy = response.headers.get("content-security-policy", "")
        assert "default-src 'self'" in policy and "'unsafe-inline'" not in policy, path
        self.page.wait_for_load_state("networkidle")
        self.assert_clean(path)
        return response

    def assert_clean(self, where: str):
        violations = self.page.evaluate("window.__csp")
        assert violations == [], (where, violations)
        assert self.problems == [], (where, self.problems)

    def sign_in(self, user):
        if second_factor_required(user):
            enrol_totp(user)
        self.page.goto(f"{self.base}/accounts/login/")
        self.page.fill("input[name=username]", user.username)
        self.page.fill("input[name=password]", PASSWORD)
        with self.page.expect_navigation():
            self.page.click("form.stacked button[type=submit]")
        if "/second-factor/" in self.page.url:
            self.assert_clean("second factor")
            self.page.fill("input[name=code]", otp_code())
            self.page.click("form.stacked button[type=submit]")
        self.page.wait_for_url(f"{self.base}/dashboard/")
        self.assert_clean("sign-in")

    def charts_drawn(self) -> int:
        boxes = self.page.locator(".chart")
        for i in range(boxes.count()):
            boxes.nth(i).locator("svg, canvas").first.wait_for()
        return boxes.count()

    def close(self):
        self.context.close()


@pytest.fixture
def watched(browser, live_server):
    opened = []

    def open_context():
        opened.append(Watched(browser, live_server))
        return opened[-1]

    yield open_context
    for context in opened:
        context.close()


def _bar_width(page, selector: str) -> float:
    return page.locator(selector).first.evaluate("e => e.getBoundingClientRect().width")


def test_public_job_board_obeys_the_policy(watched, personas):
    vacancy = published_vacancy(head=personas["head_chengguan"], title_zh="中式厨师")
    anonymous = watched()
    anonymous.visit("/jobs/")
    assert anonymous.page.locator(f"a[href='/jobs/{vacancy.pk}/']").count() == 1
    anonymous.visit(f"/jobs/{vacancy.pk}/")
    anonymous.visit("/jobs/courses/")
    # The htmx filter swaps results in without an inline <style> of its own.
    anonymous.visit("/jobs/")
    assert anonymous.page.locator("head style").count() == 0


def test_staff_pages_obey_the_policy(watched, personas):
    counsellor = personas["counsellor_chengguan"]
    head = personas["head_chengguan"]
    vacancies = [
        published_vacancy(head=head, title_zh=f"中式厨师{n}", salary_max=5000 + 100 * n) for n in range(3)
    ]
    tashi = seeker(user=counsellor, name_zh="扎西")

    desk = watched()
    desk.sign_in(counsellor)
    desk.charts_drawn()
    desk.visit("/people/")
    assert desk.page.locator("#results table.persons tbody tr").count() == 1
    desk.page.locator("input[name=q]").press_sequentially("扎西")
    desk.page.wait_for_load_state("networkidle")
    desk.assert_clean("person search (htmx)")
    desk.visit(f"/people/{tashi.pk}/")

    desk.visit(f"/recommendations/person/{tashi.pk}/")
    with desk.page.expect_navigation():
        desk.page.click("form.find-now button")
    desk.page.wait_for_load_state("networkidle")
    desk.assert_clean("recommendations")
    assert desk.page.locator("article.rec-card").count() == 3
    # The score bars are sized by classes now; a good match fills a visible share of the bar.
    assert _bar_width(desk.page, ".score-line .bar > span") > 0

    desk.visit(f"/matching/vacancy/{vacancies[0].pk}/candidates/")
    assert _bar_width(desk.page, "table.candidates .bar > span") > 0
    # data-autosubmit replaces the inline onchange: picking a number reloads the list.
    with desk.page.expect_navigation():
        desk.page.select_option("select[name=limit]", "20")
    assert re.search(r"[?&]limit=20\b", desk.page.url)
    desk.assert_clean("candidates after auto-submit")


def test_supervisor_dashboard_and_ratio_charts_draw(watched, personas):
    # A key-group member shown a vacancy this month: something for each chart to draw.
    member = veteran(personas["counsellor_chengguan"], "540102002", "次仁")
    recommend(member, vacancies(1)[0], State.REFERRED, shown=timezone.localdate().isoformat())
    supervisor = watched()
    supervisor.sign_in(personas["city"])
    assert supervisor.charts_drawn() >= 1  # at least the staff chart
    supervisor.visit("/ratios/")
    assert supervisor.charts_drawn() >= 1
    supervisor.visit("/ratios/pipeline/")
    assert supervisor.charts_drawn() >= 1
    supervisor.assert_clean("charts")


def test_calendar_delete_asks_first_without_an_inline_handler(watched):
    admin = make_user("csp-sysadmin", "system_admin", "540100")
    day = RegionalDay.objects.create(day="2031-05-01", kind="holiday", region="CN", name="劳动节")
    calendar = watched()
    calendar.sign_in(admin)
    calendar.visit("/calendar/?year=2031")
    delete = calendar.page.locator(f"form[action='/calendar/{day.pk}/delete/'] button")

    calendar.page.once("dialog", lambda dialog: dialog.dismiss())
    delete.click()
    calendar.page.wait_for_load_state("networkidle")
    assert RegionalDay.objects.filter(pk=day.pk).exists()

    calendar.page.once("dialog", lambda dialog: dialog.accept())
    with calendar.page.expect_navigation():
        delete.click()
    assert not RegionalDay.objects.filter(pk=day.pk).exists()
    calendar.assert_clean("calendar delete")
