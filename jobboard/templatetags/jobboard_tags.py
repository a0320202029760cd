from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def localized(obj, field: str) -> str:
    """`obj.<field>_bo` on Tibetan pages when it is filled in, else `obj.<field>_zh`."""
    if (get_language() or "").startswith("bo") and getattr(obj, f"{field}_bo", ""):
        return getattr(obj, f"{field}_bo")
    return getattr(obj, f"{field}_zh", "")


@register.filter
def other_language(obj, field: str) -> str:
    """The same text in the other language (shown smaller), or "" when there is none."""
    if (get_language() or "").startswith("bo"):
        return getattr(obj, f"{field}_zh", "")
    return getattr(obj, f"{field}_bo", "")
