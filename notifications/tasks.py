"""Entry points for django-q2. The work is in notifications.services."""

from notifications.services import push_deliver, requeue_pushes


def deliver(push_id: int) -> str:
    return push_deliver(push_id=push_id)


def requeue() -> int:
    return requeue_pushes()
