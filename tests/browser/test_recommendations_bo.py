"""A counsellor working in Tibetan finds recommendations for a seeker, reads why each fits,
refers one and records the hire; the file then shows the person employed."""

import datetime
import re

import pytest
from django.utils import translation

from matching.explain import explanation
from people.choices import EmploymentStatus
from recommendations.models import Recommendation, State
from registrations.models import Kind
from registrations.services import registration_open
from tests.conftest import PASSWORD, make_user
from tests.matching.matching_builders import published_vacancy, seeker
from tests.screenshot_dir import screenshot_dir
from tests.vacancies.vacancy_builders import make_employer

SCREENSHOTS = screenshot_dir()
TIBETAN = re.compile(r"[\u0f00-\u0fff]")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]{2,}")

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


def _english_words(text: str, allowed: set[str]) -> set[str]:
    return set(LATIN_WORD.findall(text)) - allowed


def test_find_refer_and_hire_in_tibetan(page, live_server):
    counsellor = make_user("browser-bo-recommend", "counsellor", "540102002", language="bo")
    head = make_user("browser-bo-head", "station_head", "540102002")
    employer = make_employer(name_bo="ལྷ་སའི་ཟ་ཁང་།")
    # Six published vacancies fit: the desired occupation, the home district, the pay and the languages.
    for n in range(6):
        published_vacancy(
            head=head,
            employer=employer,
            title_zh=f"中式厨师{n}",
            title_bo=f"རྒྱ་ཟས་མ་བྱེད་པ། {n}",
            salary_min=4000,
            salary_max=5000 + 200 * n,
            tibetan_required="basic",
            chinese_required="basic",
        )
    tashi = seeker(user=counsellor, name_bo="བཀྲ་ཤིས་དོན་གྲུབ།", skills="中式烹调", experience_years=2)
    # An open unemployment registration: recording the hire changes the file, so it asks first.
    registration_open(
        acting_user=counsellor,
        person=tashi,
        kind=Kind.UNEMPLOYMENT,
        registered_on=datetime.date.today() - datetime.timedelta(days=30),
    )

    _sign_in(page, live_server, counsellor.username)
    assert page.locator("html").get_attribute("lang") == "bo"
    page.goto(f"{live_server.url}/people/{tashi.pk}/")
    page.click(f"a[href='/recommendations/person/{tashi.pk}/']")
    page.wait_for_url(re.compile(rf"/recommendations/person/{tashi.pk}/$"))

    with page.expect_navigation():
        page.click("form.find-now button")
    cards = page.locator("#open article.rec-card")
    assert cards.count() == 5
    best = Recommendation.objects.filter(person=tashi).order_by("-score", "pk").first()
    with translation.override("bo"):
        reasons = [row["text"] for row in explanation(best.facts, best.factors)]
    assert reasons and all(TIBETAN.search(text) for text in reasons)
    card = page.locator(f"#rec-{best.pk}")
    assert card.locator(".reason").first.inner_text() == reasons[0]
    assert card.locator(".reason").first.is_visible()
    main = page.locator("main").inner_text()
    assert TIBETAN.search(main)
    assert _english_words(main, {"PDF"}) == set()

    # Refer the best one; the card then offers the referral letter.
    with page.expect_navigation():
        card.locator("form[data-action=refer] button").click()
    assert page.url.endswith(f"#rec-{best.pk}")
    assert page.locator(f"#rec-{best.pk}").get_attribute("data-state") == State.REFERRED
    assert page.locator(f"#rec-{best.pk} a.letter").is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "recommendations-bo.png"), full_page=True)
    # The cards fit a phone's width.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size({"width": 1280, "height": 860})

    # Record the hire: the page asks for a confirmation and keeps what was typed.
    hire = page.locator(f"#rec-{best.pk} form[data-action=hire]")
    hire.locator("input[name=note]").fill("ཟླ་ཕོགས། ༥༠༠༠")
    with page.expect_navigation():
        hire.locator("button").click()
    hire = page.locator(f"#rec-{best.pk} form[data-action=hire]")
    assert hire.locator(".confirm").is_visible()
    assert TIBETAN.search(hire.locator(".confirm").inner_text())
    assert hire.locator("input[name=note]").input_value() == "ཟླ་ཕོགས། ༥༠༠༠"
    hire.locator("input[name=confirm]").check()
    with page.expect_navigation():
        hire.locator("button").click()
    assert page.url.endswith(f"?closed=1#rec-{best.pk}")
    hired = page.locator(f"#rec-{best.pk}")
    assert hired.is_visible()
    assert hired.get_attribute("data-state") == State.HIRED
    assert hired.locator(".tag.state").inner_text() == _tibetan(State.HIRED.label)

    # The person's file shows them employed.
    page.goto(f"{live_server.url}/people/{tashi.pk}/")
    assert page.locator(".person-tags .tag").first.inner_text() == _tibetan(EmploymentStatus.EMPLOYED.label)
