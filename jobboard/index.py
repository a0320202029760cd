"""The full-text index over `vacancies_vacancy.search_text`, per database.

`search_text` already holds space-separated tokens (textsearch.segment_document), so
the database only has to split on spaces and must not cut further:

- SQLite: an FTS5 external-content table kept in sync by triggers. unicode61 treats
  combining marks as separators, which would cut a Tibetan syllable such as བྱན at the
  subjoined ྱ; `tokenchars` makes the Tibetan vowel signs and subjoined letters part of
  the token.
- PostgreSQL: a GIN index on `to_tsvector('simple', search_text)`; 'simple' only
  lowercases, so a segmented token stays one lexeme.
"""

# All SQL below is built from these constants only; no input ever reaches it.
# ruff: noqa: S608
FTS_TABLE = "jobboard_vacancy_fts"
GIN_INDEX = "jobboard_vacancy_search_gin"
SOURCE_TABLE = "vacancies_vacancy"

# Tibetan vowel signs and marks (U+0F71–U+0F84, U+0F86–U+0F87) and subjoined
# consonants (U+0F8D–U+0FBC).
TIBETAN_TOKENCHARS = "".join(
    chr(c) for lo, hi in ((0x0F71, 0x0F84), (0x0F86, 0x0F87), (0x0F8D, 0x0FBC)) for c in range(lo, hi + 1)
)

SQLITE_CREATE_TABLE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    f"search_text, content='{SOURCE_TABLE}', content_rowid='id', "
    f"tokenize = \"unicode61 remove_diacritics 0 tokenchars '{TIBETAN_TOKENCHARS}'\")"
)
# External content: the index is told the old text on delete, and both on update.
SQLITE_TRIGGERS = {
    f"{FTS_TABLE}_ai": (
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON {SOURCE_TABLE} BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END"
    ),
    f"{FTS_TABLE}_ad": (
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON {SOURCE_TABLE} BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
        f"VALUES ('delete', old.id, old.search_text); END"
    ),
    f"{FTS_TABLE}_au": (
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE OF search_text ON {SOURCE_TABLE} BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
        f"VALUES ('delete', old.id, old.search_text); "
        f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END"
    ),
}
SQLITE_REBUILD = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"

PG_CREATE_INDEX = (
    f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON {SOURCE_TABLE} "
    f"USING gin (to_tsvector('simple'::regconfig, search_text))"
)


def create(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(SQLITE_CREATE_TABLE)
            for sql in SQLITE_TRIGGERS.values():
                cursor.execute(sql)
            cursor.execute(SQLITE_REBUILD)  # index the rows that already exist
        elif connection.vendor == "postgresql":
            cursor.execute(PG_CREATE_INDEX)


def drop(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        elif connection.vendor == "postgresql":
            cursor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")


def ensure_after_migrate(sender, using="default", **kwargs) -> None:
    """Re-create missing SQLite triggers (and re-index) after a vacancies table remake."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, type FROM sqlite_master WHERE name LIKE %s", [f"{FTS_TABLE}%"])
        present = {name for name, _type in cursor.fetchall()}
        if FTS_TABLE not in present:
            return  # the jobboard migration has not run (yet), or was reversed
        missing = [sql for name, sql in SQLITE_TRIGGERS.items() if name not in present]
        if not missing:
            return
        for sql in missing:
            cursor.execute(sql)
        cursor.execute(SQLITE_REBUILD)
