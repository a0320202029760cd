from django.conf import settings


def navigation(request):
    """What the base layout needs: the languages and which menu entries this user may open."""
    user = getattr(request, "user", None)
    perms = {}
    if user is not None and user.is_authenticated:
        for name in (
            "dashboard.view",
            "network.view_orgunit",
            "network.view_servicepoint",
            "accounts.view_staff",
            "accounts.manage_staff",
            "audit.view_log",
            "workcalendar.view_days",
            "workcalendar.manage_days",
            "network.manage_orgunit",
            "network.manage_servicepoint",
            "accounts.assign_role",
            "people.view_person",
            "people.manage_person",
            "people.import_persons",
            "people.export_full",
            "people.reveal_identifiers",
            "registrations.decide_closure",
            "keygroups.manage_categories",
            "keygroups.view_categories",
            "occupations.view",
            "exchange.import_data",
            "exchange.export_data",
            "exchange.view_intake",
            "employers.view_employer",
            "employers.manage_employer",
            "employers.flag_key_enterprise",
            "vacancies.view_vacancy",
            "vacancies.manage_vacancy",
            "vacancies.review_vacancy",
            "training.view_provider",
            "training.view_course",
            "training.manage_provider",
            "training.manage_course",
            "notifications.view_push_ratio",
            "privacy.view_access_log",
        ):
            perms[name.replace(".", "__")] = user.has_perm(name)
    return {
        "nav": perms,
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
