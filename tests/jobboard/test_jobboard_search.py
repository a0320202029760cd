"""Full-text search of published vacancies: Chinese words, Tibetan syllables and the filters.

The same tests run on SQLite (FTS5 with Tibetan tokenchars, kept current by triggers) and
PostgreSQL (GIN over to_tsvector('simple', search_text)).
"""

import pytest
from django.db import connection

from jobboard import index
from jobboard.search import search_published, text_filter
from occupations.models import Occupation
from tests.conftest import make_user
from tests.jobboard import board_data as data
from vacancies import services
from vacancies.models import Vacancy
from vacancies.services import vacancy_refresh_search_text

pytestmark = pytest.mark.django_db

ZA_KHANG_MA_CHEN = "ཟ་ཁང་གི་མ་བྱན།"  # restaurant cook
TSONG_KHANG = "ཚོང་ཁང་གི་ཚོང་པ།"  # shop seller


@pytest.fixture
def reviewer(db):
    return make_user("jobboard-reviewer", "station_head", "540102002")


@pytest.fixture
def board(reviewer):
    """Published vacancies with distinct words, plus some that must never show."""
    restaurant = data.employer(name_zh="拉萨雪域餐饮有限公司")
    firm = data.employer(name_zh="西藏诚信财务咨询有限公司")
    shop = data.employer(name_zh="八廓街民族手工艺品店")
    v = {
        "accountant": data.vacancy(
            reviewer=reviewer, employer=firm, title_zh="招聘会计", occupation="2-06-03-00", age=3
        ),
        "cpa": data.vacancy(
            reviewer=reviewer,
            employer=firm,
            title_zh="注册会计师",
            occupation="2-06-03-00",
            salary=(8000, 12000),
            work_unit="540121100",
            age=1,
        ),
        "cook": data.vacancy(reviewer=reviewer, employer=restaurant, title_zh="中餐厨师", age=2),
        "cook_bo": data.vacancy(
            reviewer=reviewer,
            employer=restaurant,
            title_zh="藏餐馆帮厨",
            title_bo=ZA_KHANG_MA_CHEN,
            work_type="part_time",
            salary=(120, 180),
            pay_period="day",
            age=4,
        ),
        "seller": data.vacancy(
            reviewer=reviewer,
            employer=shop,
            title_zh="店员",
            title_bo=TSONG_KHANG,
            occupation="4-01-02-01",
            salary=(2500, 3200),
            age=5,
        ),
    }
    # Never public: a draft and a suspended vacancy with the very same words.
    v["draft"] = data.vacancy(reviewer=reviewer, employer=firm, title_zh="会计（草稿）", status="draft")
    v["suspended"] = data.vacancy(
        reviewer=reviewer, employer=restaurant, title_zh="厨师 ཟ་ཁང་གི་མ་བྱན།", status="suspended"
    )
    v["under_review"] = data.vacancy(
        reviewer=reviewer, employer=firm, title_zh="会计师助理", status="under_review"
    )
    return v


def found(**filters) -> set[str]:
    return set(search_published(**filters).values_list("title_zh", flat=True))


def test_the_index_exists_for_this_database():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT type, name FROM sqlite_master WHERE name LIKE 'jobboard_vacancy_fts%'")
            names = {name for _type, name in cursor.fetchall()}
            assert {index.FTS_TABLE, *index.SQLITE_TRIGGERS} <= names
        else:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [index.GIN_INDEX])
            (definition,) = cursor.fetchone()
            assert "gin" in definition and "to_tsvector('simple'" in definition


def test_the_search_can_use_the_index(board):
    query = search_published(q="会计")
    if connection.vendor == "sqlite":
        plan = query.explain()
        assert f"SCAN {index.FTS_TABLE} VIRTUAL TABLE INDEX 0:M" in plan  # M: the MATCH is used
        return
    # A handful of rows: force the planner's hand, on the text condition alone.
    text_only = Vacancy.objects.filter(text_filter(["会计"]))
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            assert index.GIN_INDEX in text_only.explain()
        finally:
            cursor.execute("RESET enable_seqscan")


def test_two_character_chinese_words(board):
    assert found(q="会计") == {"招聘会计", "注册会计师"}
    assert found(q="厨师") == {"中餐厨师"}


def test_a_three_character_word_finds_the_longer_title(board):
    assert found(q="会计师") == {"注册会计师"}
    assert found(q="注册会计师") == {"注册会计师"}


def test_every_word_must_match(board):
    assert found(q="中餐 厨师") == {"中餐厨师"}
    assert found(q="会计 厨师") == set()


def test_employer_and_occupation_names_are_searched(board):
    assert found(q="雪域餐饮") == {"中餐厨师", "藏餐馆帮厨"}
    assert found(q="烹调师") == {"中餐厨师", "藏餐馆帮厨"}


def test_tibetan_syllables(board):
    assert found(q="མ་བྱན") == {"藏餐馆帮厨"}
    assert found(q="ཟ་ཁང") == {"藏餐馆帮厨"}
    assert found(q="ཚོང་པ།") == {"店员"}
    # A syllable with a subjoined letter and a vowel sign is one token, not its pieces.
    assert found(q="བྱ") == set()


def test_only_published_vacancies_ever_appear(board):
    everything = found()
    assert everything == {"招聘会计", "注册会计师", "中餐厨师", "藏餐馆帮厨", "店员"}
    assert found(q="草稿") == set()
    assert found(q="助理") == set()


def test_no_usable_token_means_no_text_filter(board):
    assert found(q="  ，。!! ") == found()
    assert len(found(q='"')) == 5


def test_fts_syntax_in_the_query_is_just_text(board):
    # FTS5 operators and quotes must not break the query or widen it.
    assert found(q="会计 OR 厨师") == set()
    assert found(q='会计" OR "厨师') == set()
    assert found(q="NEAR(会计 厨师)") == set()
    assert found(q="会计*") == {"招聘会计", "注册会计师"}


def test_occupation_prefix_matches_descendants(board):
    assert found(occupation="2") == {"招聘会计", "注册会计师"}
    assert found(occupation="4-03") == {"中餐厨师", "藏餐馆帮厨"}
    assert found(occupation="4-03-02-01") == {"中餐厨师", "藏餐馆帮厨"}
    assert found(occupation="4-0") == set()  # a code prefix that is not a group matches nothing
    assert found(occupation="4") == {"中餐厨师", "藏餐馆帮厨", "店员"}


def test_district_filter(board):
    assert found(district="540121") == {"注册会计师"}
    assert "注册会计师" not in found(district="540102")
    assert found(district="540102") == {"招聘会计", "中餐厨师", "藏餐馆帮厨", "店员"}
    assert found(district="999999") == set()


def test_salary_and_work_type(board):
    assert found(salary_min=6000) == {"注册会计师"}
    assert found(salary_min=3200) == {"招聘会计", "注册会计师", "中餐厨师", "店员"}
    assert found(work_type="part_time") == {"藏餐馆帮厨"}
    assert found(q="会计", salary_min=9000, district="540121") == {"注册会计师"}


def test_newest_first(board):
    titles = list(search_published().values_list("title_zh", flat=True))
    assert titles == ["注册会计师", "中餐厨师", "招聘会计", "藏餐馆帮厨", "店员"]


def test_an_edited_search_text_is_searchable(board):
    cook = board["cook"]
    cook.title_zh = "西餐面点师"
    cook.save()  # a full save rewrites search_text too (the UPDATE trigger on SQLite)
    vacancy_refresh_search_text(cook)  # the services' queryset update
    assert found(q="厨师") == set()
    assert found(q="面点师") == {"西餐面点师"}
    Vacancy.objects.filter(pk=board["accountant"].pk).update(search_text="出纳")
    assert found(q="出纳") == {"招聘会计"}
    assert found(q="会计") == {"注册会计师"}


def test_a_vacancy_through_the_real_services(personas, monkeypatch):
    # Created, submitted, approved, edited (back to review) and approved again.
    monkeypatch.setattr(services, "_notify", lambda user, message, context: None)
    counsellor, head = personas["counsellor_chengguan"], personas["head_chengguan"]
    employer = data.employer()
    values = {
        "employer": employer,
        "title_zh": "酒店前台接待",
        "title_bo": "མགྲོན་ཁང་གི་སྒོ་སྲུང་།",
        "occupation": Occupation.objects.get(code="4-03-01-01"),
        "salary_min": 3500,
        "salary_max": 4500,
        "unit": employer.unit,
        "work_unit": employer.unit,
        "channel": "walk_in",
    }
    vacancy = services.vacancy_create(acting_user=counsellor, values=values)
    assert found(q="前台") == set()  # a draft is not public

    def move(user, action):
        vacancy.refresh_from_db()
        services.vacancy_transition(
            acting_user=user, vacancy=vacancy, action=action, expected_version=vacancy.version
        )

    move(counsellor, "submit")
    move(head, "approve")
    assert found(q="前台") == {"酒店前台接待"}
    assert found(q="སྒོ་སྲུང") == {"酒店前台接待"}

    vacancy.refresh_from_db()
    services.vacancy_update(
        acting_user=counsellor,
        vacancy=vacancy,
        expected_version=vacancy.version,
        changes={"title_zh": "酒店客房服务员"},
    )
    assert found(q="客房") == set()  # changed after review: back under review, off the board
    move(head, "approve")
    assert found(q="客房") == {"酒店客房服务员"}
    assert found(q="前台") == set()


def test_deleted_and_unpublished_vacancies_leave_the_results(board):
    board["seller"].delete()
    assert found(q="ཚོང") == set()
    Vacancy.objects.filter(pk=board["cook"].pk).update(status="suspended")
    assert found(q="厨师") == set()


def test_lost_sqlite_triggers_come_back_after_migrate(board):
    # On SQLite, a later migration that remakes vacancies_vacancy drops its triggers;
    # post_migrate puts them back. PostgreSQL's expression index needs no such care.
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for name in index.SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER {name}")
    index.ensure_after_migrate(sender=None, using="default")
    board["cook"].search_text = "拉面 师傅"
    board["cook"].save()
    assert found(q="拉面") == {"中餐厨师"}
    assert found(q="厨师") == set()
