"""Entry points for django-q2. The work is in recommendations.services."""

import datetime

from recommendations.services import expire_recommendations


def expire(day: str | None = None) -> int:
    """`day` as an ISO date (a task's arguments are stored as text); today when omitted."""
    return expire_recommendations(today=datetime.date.fromisoformat(day) if day else None)
