"""Django's flush, allowed past the audit table's DELETE guard on SQLite.

Emptying the whole database (the test runner does it after every transactional test) is
not tampering with the trail. On PostgreSQL flush uses TRUNCATE, which row triggers do not
see, so nothing changes there.
"""

from django.core.management.commands import flush
from django.db import connections

from audit.dbguard import PURGE_FLAG


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        setattr(connection, PURGE_FLAG, True)
        try:
            return super().handle(**options)
        finally:
            setattr(connection, PURGE_FLAG, False)
