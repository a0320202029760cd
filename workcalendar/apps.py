from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkCalendarConfig(AppConfig):
    name = "workcalendar"
    verbose_name = _("Working-day calendar")

    def ready(self):
        import workdays
        from workcalendar.services import calendar_from_table

        # The pure calendar package knows nothing of Django; hand it the admin-edited table.
        workdays.set_calendar_provider(calendar_from_table)
