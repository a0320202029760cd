from functools import partial

from django.conf import settings

from core.menu import menu_for


def navigation(request):
    """What the base layout needs: the languages, the menu, and the permissions page buttons ask for."""
    user = getattr(request, "user", None)
    perms = {}
    menu = []
    if user is not None and user.is_authenticated:
        for name in (
            "accounts.assign_role",
            "accounts.manage_staff",
            "employers.manage_employer",
            "keygroups.manage_categories",
            "network.manage_orgunit",
            "network.manage_servicepoint",
            "people.export_full",
            "people.import_persons",
            "people.manage_person",
            "people.reveal_identifiers",
            "training.manage_course",
            "training.manage_provider",
            "training.view_course",
            "training.view_provider",
            "vacancies.manage_vacancy",
            "vacancies.review_vacancy",
            "workcalendar.manage_days",
        ):
            perms[name.replace(".", "__")] = user.has_perm(name)
        # Called by the template only where the menu is drawn (not on htmx fragments).
        menu = partial(menu_for, user, request.path)
    return {
        "nav": perms,
        "menu": menu,
        "available_languages": settings.LANGUAGES,
        # Signed in with the password but not yet with the second factor: no menu, since
        # every entry would only lead back to the code page.
        "sign_in_pending": _second_factor_pending(user),
    }


def _second_factor_pending(user) -> bool:
    from accounts.second_factor import second_factor_required

    if user is None or not user.is_authenticated or not hasattr(user, "is_verified"):
        return False
    return not user.is_verified() and second_factor_required(user)
