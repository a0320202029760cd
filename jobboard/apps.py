from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class JobboardConfig(AppConfig):
    name = "jobboard"
    verbose_name = _("Public job board")

    def ready(self):
        from jobboard import index

        # On SQLite, a later vacancies migration that rebuilds the table (Django "remakes"
        # it for most column changes) drops the triggers that feed the search index.
        # Checking them after every migrate keeps the index in sync. This app has no
        # models, so Django sends it no post_migrate of its own: listen to vacancies'.
        post_migrate.connect(
            index.ensure_after_migrate,
            sender=apps.get_app_config("vacancies"),
            dispatch_uid="jobboard-search-index",
        )
