"""The database refuses UPDATE and DELETE on the audit table (append-only below the ORM).

The one exception is the retention purge (audit.purge), which deletes the oldest entries
after writing a checkpoint:
- PostgreSQL: a plpgsql trigger; DELETE passes only while the transaction-local setting
  audit.purge is 'on' (set_config(..., true) inside the purge's transaction).
- SQLite: triggers that RAISE(ABORT); DELETE passes only while audit_delete_allowed()
  returns 1. That SQL function exists only on connections Django opened (audit.apps
  registers it), reading a flag on the connection, so any other client fails closed.

TRUNCATE fires no row trigger, so PostgreSQL has a statement-level BEFORE TRUNCATE trigger
under the same setting; Django's flush (audit's own flush command) sets it for its run.
SQLite has no TRUNCATE: its DELETE without WHERE fires the row trigger. The database owner
can still drop the triggers; verify_audit then notices a removed trail through the chain
head. The migrations install these by calling install(), which is idempotent.
"""

from contextlib import contextmanager

TABLE = "audit_auditentry"
PURGE_FLAG = "audit_purge_allowed"

PG_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'DELETE' AND current_setting('audit.purge', true) = 'on' THEN
        RETURN OLD;
      END IF;
      RAISE EXCEPTION 'audit entries are append-only (% refused)', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
    END
    $$ LANGUAGE plpgsql
    """,
    f"DROP TRIGGER IF EXISTS audit_entry_append_only ON {TABLE}",
    f"""
    CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()
    """,
]
PG_TRUNCATE_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION audit_entry_no_truncate() RETURNS trigger AS $$
    BEGIN
      IF current_setting('audit.purge', true) = 'on' THEN
        RETURN NULL;
      END IF;
      RAISE EXCEPTION 'audit entries are append-only (TRUNCATE refused)'
        USING ERRCODE = 'integrity_constraint_violation';
    END
    $$ LANGUAGE plpgsql
    """,
    f"DROP TRIGGER IF EXISTS audit_entry_no_truncate ON {TABLE}",
    f"""
    CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_no_truncate()
    """,
]
PG_TRUNCATE_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS audit_entry_no_truncate ON {TABLE}",
    "DROP FUNCTION IF EXISTS audit_entry_no_truncate()",
]
PG_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS audit_entry_append_only ON {TABLE}",
    "DROP FUNCTION IF EXISTS audit_entry_append_only()",
    *PG_TRUNCATE_UNINSTALL,
]

SQLITE_INSTALL = [
    f"""
    CREATE TRIGGER IF NOT EXISTS audit_entry_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only (UPDATE refused)'); END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS audit_entry_no_delete BEFORE DELETE ON {TABLE}
    WHEN audit_delete_allowed() = 0
    BEGIN SELECT RAISE(ABORT, 'audit entries are append-only (DELETE refused)'); END
    """,
]
SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS audit_entry_no_update",
    "DROP TRIGGER IF EXISTS audit_entry_no_delete",
]


def _run(connection, statements):
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def install(connection):
    if connection.vendor == "postgresql":
        _run(connection, PG_INSTALL + PG_TRUNCATE_INSTALL)
    elif connection.vendor == "sqlite":
        _run(connection, SQLITE_INSTALL)


def uninstall_truncate_guard(connection):
    """Back to the state before migration 0005 (row triggers only)."""
    if connection.vendor == "postgresql":
        _run(connection, PG_TRUNCATE_UNINSTALL)


def uninstall(connection):
    if connection.vendor == "postgresql":
        _run(connection, PG_UNINSTALL)
    elif connection.vendor == "sqlite":
        _run(connection, SQLITE_UNINSTALL)


def register_sqlite_function(sender, connection, **kwargs):
    """connection_created receiver: give Django's SQLite connections audit_delete_allowed()."""
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function(
        "audit_delete_allowed", 0, lambda: 1 if getattr(connection, PURGE_FLAG, False) else 0
    )


@contextmanager
def flush_allowed(connection):
    """Let Django's flush empty every table, the audit trail included, on this connection.

    Flush opens its own transaction, so on PostgreSQL the setting is session-level here and
    is put back when the flush ends.
    """
    if connection.vendor == "postgresql":
        _pg_purge_setting(connection, "on", transaction_local=False)
        try:
            yield
        finally:
            _pg_purge_setting(connection, "off", transaction_local=False)
        return
    with _sqlite_deletes_allowed(connection):
        yield


@contextmanager
def deletes_allowed(connection):
    """Let this connection delete audit entries for the enclosed block (the retention purge).

    On PostgreSQL the setting is transaction-local: call inside transaction.atomic.
    """
    if connection.vendor == "postgresql":
        if not connection.in_atomic_block:
            raise RuntimeError("Audit deletes are allowed only inside a transaction.")
        _pg_purge_setting(connection, "on", transaction_local=True)
        yield
        # On an error the transaction rolls back, and the setting with it.
        _pg_purge_setting(connection, "off", transaction_local=True)
        return
    with _sqlite_deletes_allowed(connection):
        yield


def _pg_purge_setting(connection, value: str, *, transaction_local: bool) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('audit.purge', %s, %s)", [value, transaction_local])


@contextmanager
def _sqlite_deletes_allowed(connection):
    setattr(connection, PURGE_FLAG, True)
    try:
        yield
    finally:
        setattr(connection, PURGE_FLAG, False)
