from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from django.db import connections
        from django.db.backends.signals import connection_created

        from audit.dbguard import register_sqlite_function

        connection_created.connect(register_sqlite_function, dispatch_uid="audit_sqlite_function")
        # A connection opened before this app was ready (rare: during setup) gets it too.
        for connection in connections.all(initialized_only=True):
            if connection.connection is not None:
                register_sqlite_function(sender=None, connection=connection)
