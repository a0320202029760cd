import pytest

ADD = "/api/v1/calendar/add-workdays"
IS = "/api/v1/calendar/is-workday"


@pytest.mark.parametrize(
    ("start", "days", "region", "expected"),
    [
        ("2026-02-13", 1, "540100", "2026-02-14"),  # make-up Saturday
        ("2026-02-14", 1, "CN", "2026-02-24"),
        ("2026-02-14", 1, "540100", "2026-02-27"),  # Lhasa's merged Losar break
        ("2026-02-14", 1, "540102002", "2026-02-27"),  # a township inherits Lhasa's days
        ("2026-09-30", 1, "CN", "2026-10-08"),
        ("2026-09-30", 1, "540100", "2026-10-08"),
    ],
)
def test_add_workdays(api, personas, start, days, region, expected):
    response = api(personas["counsellor_chengguan"]).get(
        ADD, {"start": start, "days": days, "region": region}
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"date": expected}


def test_is_workday(api, personas):
    client = api(personas["counsellor_linzhou"])
    assert client.get(IS, {"date": "2026-02-25", "region": "540100"}).json()["is_workday"] is False
    assert client.get(IS, {"date": "2026-02-25", "region": "CN"}).json()["is_workday"] is True
    body = client.get(IS, {"date": "2026-02-28", "region": "540121100"}).json()
    assert body["is_workday"] is True and body["schedule_entered"] is True


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        (ADD, {"start": "2026-13-01", "days": 1}, "start"),
        (ADD, {"start": "2026-02-13", "days": "x"}, "days"),
        (ADD, {"start": "2026-02-13"}, "days"),
        (ADD, {"start": "2026-02-13", "days": 99999}, "days"),
        (ADD, {"start": "2026-02-13", "days": 1, "region": "999999"}, "region"),
        (ADD, {"start": "2026-02-13", "days": 1, "region": "'; drop table x;--"}, "region"),
        (IS, {"date": "yesterday"}, "date"),
        (IS, {"date": "0001-01-01"}, "date"),
    ],
)
def test_bad_parameters_get_a_clear_400(api, personas, url, params, field):
    response = api(personas["counsellor_chengguan"]).get(url, params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_failed"
    assert field in body["errors"]
    assert body["message"]


def test_error_message_is_in_the_users_language(api, personas):
    response = api(personas["counsellor_chengguan"]).get(IS, {"date": "nope"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.json()["message"] == "部分字段无效。"


def test_anonymous_is_refused(api, db):
    response = api().get(ADD, {"start": "2026-02-13", "days": 1})
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
