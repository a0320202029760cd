"""The public job-board pages are rate-limited per client address (PUBLIC_PAGE_RATE)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/jobs/", "/jobs/courses/"])
def test_the_request_past_the_limit_gets_429(settings, path):
    settings.PUBLIC_PAGE_RATE = "3/m"
    client = Client()
    assert [client.get(path).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(path)
    assert refused.status_code == 429
    assert "<html" in refused.content.decode()  # the error page, not a bare text reply


def test_the_pages_share_one_count_per_address(settings):
    settings.PUBLIC_PAGE_RATE = "2/m"
    client = Client()
    assert client.get("/jobs/").status_code == 200
    assert client.get("/jobs/courses/").status_code == 200
    assert client.get("/jobs/").status_code == 429
    # Another address still gets in.
    assert Client(REMOTE_ADDR="198.51.100.7").get("/jobs/").status_code == 200


def test_a_forged_forwarded_for_does_not_reset_the_count(settings):
    settings.PUBLIC_PAGE_RATE = "1/m"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 0}
    client = Client()
    assert client.get("/jobs/").status_code == 200
    assert client.get("/jobs/", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
