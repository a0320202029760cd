"""Text messages through an HTTP gateway (NOTIFY_SMS_URL, key header NOTIFY_SMS_KEY).

The request is `POST {"to", "text", "reference"}` with an `Idempotency-Key` naming the
push, so a gateway that honours it drops a repeat should a send be retried after the
gateway accepted it but before we recorded the outcome. The phone number is the
person's decrypted phone; it is sent to the gateway and nowhere else (not logged, not
in errors).
"""

from django.conf import settings

from notifications.backends import Backend, PermanentDeliveryError
from notifications.backends.http import post_json


class SmsBackend(Backend):
    def can_reach(self, person) -> bool:
        return bool(person.phone)

    def send(self, push) -> str:
        phone = push.person.phone
        if not phone:
            raise PermanentDeliveryError("The person has no phone number on file.")
        headers = {"Idempotency-Key": f"push-{push.pk}"}
        if settings.NOTIFY_SMS_KEY:
            headers[settings.NOTIFY_SMS_KEY_HEADER] = settings.NOTIFY_SMS_KEY
        answer = post_json(
            settings.NOTIFY_SMS_URL,
            {"to": phone, "text": f"{push.subject}\n{push.body}", "reference": f"push-{push.pk}"},
            headers,
        )
        return str(answer.get("id") or answer.get("message_id") or "")[:100]
