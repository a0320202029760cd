"""Start-up checks: a bad vetting setting or rules file stops the server with a clear message."""

from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured


@register()
def vetting_configuration(app_configs=None, **kwargs):
    from vacancies import vetting

    errors = []
    for check in (vetting.workdays_per_month, vetting.screening_rules):
        try:
            check()
        except (ImproperlyConfigured, OSError) as exc:
            errors.append(Error(str(exc), id="vacancies.E001"))
    return errors
