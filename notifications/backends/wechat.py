"""WeChat template messages (模板消息).

POST to NOTIFY_WECHAT_URL (the send endpoint with its access token, or a relay that
holds the token) with NOTIFY_WECHAT_TEMPLATE_ID and the person's openid. The register
keeps no openid, so NOTIFY_WECHAT_OPENID_LOOKUP names a callable `person -> openid or
None` (e.g. reading a binding table of the official account). Without one the channel
fails clearly and is not offered as a default.
"""

from django.conf import settings
from django.utils.module_loading import import_string

from notifications.backends import Backend, DeliveryError, PermanentDeliveryError
from notifications.backends.http import post_json


def no_openid(person) -> None:
    return None


def openid_for(person) -> str | None:
    return import_string(settings.NOTIFY_WECHAT_OPENID_LOOKUP)(person) or None


class WechatBackend(Backend):
    def can_reach(self, person) -> bool:
        return openid_for(person) is not None

    def send(self, push) -> str:
        openid = openid_for(push.person)
        if not openid:
            raise PermanentDeliveryError("The person has no WeChat openid bound to the official account.")
        answer = post_json(
            settings.NOTIFY_WECHAT_URL,
            {
                "touser": openid,
                "template_id": settings.NOTIFY_WECHAT_TEMPLATE_ID,
                "url": push.link,
                "data": {
                    "first": {"value": push.subject},
                    "remark": {"value": push.body},
                },
            },
        )
        code = answer.get("errcode", 0)
        if code:
            # 43004: the user unfollowed; 40003: bad openid. Neither improves with time.
            error = PermanentDeliveryError if code in (40003, 43004) else DeliveryError
            raise error(f"WeChat refused the message (errcode {code}).")
        return str(answer.get("msgid", ""))[:100]
