"""Django's flush, allowed past the audit table's append-only guard.

Emptying the whole database (the test runner does it after every transactional test) is
not tampering with the trail. SQLite flushes with DELETE, PostgreSQL with TRUNCATE; the
guard refuses both unless dbguard.flush_allowed is in effect.
"""

from django.core.management.commands import flush
from django.db import connections

from audit.dbguard import flush_allowed


class Command(flush.Command):
    def handle(self, **options):
        with flush_allowed(connections[options["database"]]):
            return super().handle(**options)
