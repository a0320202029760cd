"""Search of published vacancies for the public board, on SQLite and PostgreSQL.

The query is cut with the same segmenter that built `search_text`
(textsearch.segment_query), and every token must match. User text only ever reaches
the database as a bound parameter.
"""

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from jobboard.index import FTS_TABLE
from network.models import OrgUnit
from textsearch import segment_query
from vacancies.models import Vacancy
from vacancies.selectors import published_vacancies


def _fts5_phrase(token: str) -> str:
    """One FTS5 string literal: the token in double quotes, inner quotes doubled."""
    return '"' + token.replace('"', '""') + '"'


def text_filter(tokens: list[str]) -> Q:
    """Vacancies whose search text holds every token."""
    if connection.vendor == "postgresql":
        # The expression matches the GIN index's; plainto_tsquery parses the text itself
        # (no operators) and ANDs the words.
        table = connection.ops.quote_name(Vacancy._meta.db_table)
        sql = (
            f"to_tsvector('simple'::regconfig, {table}.search_text) "
            "@@ plainto_tsquery('simple'::regconfig, %s)"
        )
        return Q(RawSQL(sql, [" ".join(tokens)], output_field=BooleanField()))  # noqa: S611 - bound parameter
    # FTS5: space-separated phrases are ANDed.
    match = " ".join(_fts5_phrase(t) for t in tokens)
    sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608 - constant name
    return Q(pk__in=RawSQL(sql, [match]))  # noqa: S611 - constant SQL, bound parameter


def search_published(
    *,
    q: str = "",
    occupation: str = "",
    district: str = "",
    salary_min: int | None = None,
    work_type: str = "",
) -> QuerySet:
    """Published vacancies matching the (already validated) filters, newest first.

    `occupation` is a code at any level: a major or medium group matches everything
    under it. `district` is an org-unit code: vacancies whose place of work lies
    in that unit's subtree (an unknown code matches nothing). `salary_min`: vacancies
    that may pay at least that much.
    """
    vacancies = published_vacancies()
    tokens = segment_query(q)
    if tokens:
        vacancies = vacancies.filter(text_filter(tokens))
    if occupation:
        vacancies = vacancies.filter(
            Q(occupation__code=occupation) | Q(occupation__code__startswith=f"{occupation}-")
        )
    if district:
        path = OrgUnit.objects.filter(code=district).values_list("path", flat=True).first()
        if path is None:
            return vacancies.none()
        vacancies = vacancies.filter(work_unit__path__startswith=path)
    if salary_min is not None:
        vacancies = vacancies.filter(salary_max__gte=salary_min)
    if work_type:
        vacancies = vacancies.filter(work_type=work_type)
    return vacancies.order_by("-published_at", "-id")


def published_get(pk: int) -> Vacancy | None:
    return published_vacancies().filter(pk=pk).first()
