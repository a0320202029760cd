"""The SMS and WeChat adapters against a local HTTP gateway, and the console backend."""

import itertools
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from notifications import services, tasks
from notifications.backends import DeliveryError, PermanentDeliveryError, get_backend
from notifications.backends.console import ConsoleBackend
from notifications.backends.sms import SmsBackend
from notifications.backends.wechat import WechatBackend
from notifications.models import Push, PushStatus
from people.services import consent_give
from tests.factories import person
from tests.notifications.push_data import FAKE, OPENIDS, TITLE_ZH, vacancy

PHONE = "13912345678"


class Gateway(BaseHTTPRequestHandler):
    requests: list[dict] = []
    answer = (200, {"id": "sms-42"})

    def do_POST(self):  # noqa: N802 - the http.server API
        length = int(self.headers["Content-Length"])
        headers = {name.lower(): value for name, value in self.headers.items()}
        Gateway.requests.append({"headers": headers, "body": json.loads(self.rfile.read(length))})
        code, body = Gateway.answer
        payload = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    Gateway.requests = []
    Gateway.answer = (200, {"id": "sms-42"})
    server = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/send"
    settings.NOTIFY_SMS_URL = url
    settings.NOTIFY_SMS_KEY = "secret-key"
    settings.NOTIFY_WECHAT_URL = url
    settings.NOTIFY_WECHAT_TEMPLATE_ID = "TPL-1"
    settings.NOTIFY_WECHAT_OPENID_LOOKUP = FAKE + "openid_lookup"
    settings.NOTIFY_HTTP_TIMEOUT = 2
    settings.NOTIFY_BACKENDS = {
        "database": "notifications.backends.database.DatabaseBackend",
        "sms": "notifications.backends.sms.SmsBackend",
        "wechat": "notifications.backends.wechat.WechatBackend",
    }
    yield url
    server.shutdown()
    server.server_close()
    OPENIDS.clear()


@pytest.fixture
def make_push(counsellor, personas, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(services, "_enqueue", lambda push_id: None)

    sequence = itertools.count(1)

    def build(contact_channel="sms", **values) -> Push:
        seeker = person(
            user=counsellor, phone=PHONE, contact_channel=contact_channel, sequence=next(sequence), **values
        )
        consent_give(acting_user=counsellor, person=seeker, purpose="notifications")
        if contact_channel == "wechat":
            OPENIDS[seeker.pk] = "oWx-openid-1"
        job = vacancy(reviewer=personas["head_chengguan"])
        with django_capture_on_commit_callbacks(execute=True):
            return services.push_to_person(person=seeker, item=job, acting_user=counsellor)

    return build


def test_sms_posts_the_message_with_key_and_idempotency_key(gateway, make_push, caplog):
    push = make_push()
    assert push.channel == "sms"
    with caplog.at_level(logging.DEBUG):
        assert tasks.deliver(push.pk) == PushStatus.SENT
    [request] = Gateway.requests
    assert request["body"]["to"] == PHONE
    assert TITLE_ZH in request["body"]["text"]
    assert request["headers"]["x-api-key"] == "secret-key"
    assert request["headers"]["idempotency-key"] == f"push-{push.pk}"
    push.refresh_from_db()
    assert push.provider_message_id == "sms-42"
    assert PHONE not in caplog.text


@pytest.mark.parametrize(
    "code, error, retried",
    [(503, DeliveryError, True), (429, DeliveryError, True), (400, PermanentDeliveryError, False)],
)
def test_sms_gateway_errors(gateway, make_push, code, error, retried, caplog):
    Gateway.answer = (code, {"error": "no"})
    push = make_push()
    with pytest.raises(error) as raised:
        SmsBackend().send(Push.objects.select_related("person").get(pk=push.pk))
    assert raised.value.retry is retried
    assert str(code) in str(raised.value) and PHONE not in str(raised.value)
    status = tasks.deliver(push.pk)
    assert status == (PushStatus.PENDING if retried else PushStatus.FAILED)
    push.refresh_from_db()
    assert PHONE not in push.last_error and PHONE not in caplog.text


def test_an_unreachable_gateway_is_a_retryable_error(settings, make_push, gateway):
    settings.NOTIFY_SMS_URL = "http://127.0.0.1:9/nothing-listens-here"
    push = make_push()
    with pytest.raises(DeliveryError) as raised:
        SmsBackend().send(Push.objects.select_related("person").get(pk=push.pk))
    assert raised.value.retry


def test_sms_needs_a_phone(gateway, make_push):
    push = make_push()
    push = Push.objects.select_related("person").get(pk=push.pk)
    push.person.phone = ""
    assert not SmsBackend().can_reach(push.person)
    with pytest.raises(PermanentDeliveryError):
        SmsBackend().send(push)


def test_a_bad_gateway_address_is_refused(settings, make_push, gateway):
    push = make_push()
    settings.NOTIFY_SMS_URL = "file:///etc/passwd"
    with pytest.raises(PermanentDeliveryError):
        SmsBackend().send(Push.objects.select_related("person").get(pk=push.pk))


def test_wechat_sends_a_template_message_to_the_openid(gateway, make_push):
    Gateway.answer = (200, {"errcode": 0, "errmsg": "ok", "msgid": 200228332})
    push = make_push(contact_channel="wechat")
    assert push.channel == "wechat"
    assert tasks.deliver(push.pk) == PushStatus.SENT
    [request] = Gateway.requests
    body = request["body"]
    assert body["touser"] == "oWx-openid-1" and body["template_id"] == "TPL-1"
    assert body["url"].endswith(f"/jobs/{push.item_id}/")
    assert TITLE_ZH in body["data"]["first"]["value"]
    push.refresh_from_db()
    assert push.provider_message_id == "200228332"


def test_wechat_errcodes(gateway, make_push):
    push = make_push(contact_channel="wechat")
    loaded = Push.objects.select_related("person").get(pk=push.pk)
    Gateway.answer = (200, {"errcode": 43004, "errmsg": "require subscribe"})
    with pytest.raises(PermanentDeliveryError):
        WechatBackend().send(loaded)
    Gateway.answer = (200, {"errcode": 45009, "errmsg": "api freq out of limit"})
    with pytest.raises(DeliveryError) as raised:
        WechatBackend().send(loaded)
    assert raised.value.retry


def test_wechat_without_an_openid_fails_clearly_and_is_not_the_default(gateway, make_push):
    push = make_push(contact_channel="wechat")
    loaded = Push.objects.select_related("person").get(pk=push.pk)
    OPENIDS.clear()
    with pytest.raises(PermanentDeliveryError) as raised:
        WechatBackend().send(loaded)
    assert "openid" in str(raised.value)
    # A person without a binding gets the in-app record instead.
    other = make_push(contact_channel="visit")
    assert other.channel == "database"


def test_console_writes_the_message_to_the_log_without_personal_data(make_push, caplog):
    push = Push.objects.select_related("person").get(pk=make_push(contact_channel="visit").pk)
    with caplog.at_level(logging.INFO, logger="notifications.console"):
        assert ConsoleBackend().send(push) == f"console-{push.pk}"
    assert TITLE_ZH in caplog.text and PHONE not in caplog.text and push.person.name_zh not in caplog.text


def test_a_channel_without_a_backend_is_a_permanent_error(settings):
    settings.NOTIFY_BACKENDS = {"database": "notifications.backends.database.DatabaseBackend"}
    with pytest.raises(PermanentDeliveryError):
        get_backend("sms")
