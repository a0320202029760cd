"""Reads of the policy catalogue (public reference data: no personal data, no scope)."""

from django.db.models import QuerySet

from policies.models import Policy


def active_policies() -> QuerySet:
    return Policy.objects.filter(is_active=True)


def after_hire_policies() -> QuerySet:
    """Pushed to a person hired through a recommendation, in a stable order."""
    return active_policies().filter(after_hire=True).order_by("code")
