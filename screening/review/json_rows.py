"""Small related lists read inside the parent's query, as JSON, on PostgreSQL and SQLite.

A staff page that shows an intake with its bookings, decisions and history
would otherwise pay one query per kind of row. ``json_rows`` turns a
correlated queryset into one JSON array column of the parent row (JSONB_AGG
on PostgreSQL, JSON_GROUP_ARRAY on SQLite), so the page keeps to a fixed,
small number of queries (tests/perf/test_query_counts.py).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from django.db.models import Aggregate, JSONField, QuerySet, Subquery
from django.db.models.functions import JSONObject
from django.utils.dateparse import parse_date, parse_datetime


class JSONList(Aggregate):
    function = "JSONB_AGG"
    output_field = JSONField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)


def json_rows(queryset: QuerySet, *, group_by: str, **fields) -> Subquery:
    """The rows of ``queryset`` (correlated with OuterRef) as a JSON array of objects with ``fields``.

    ``group_by`` is the column the queryset is correlated on. No rows gives
    NULL, which ``rows_of`` reads as an empty list. Order is not kept: sort
    in Python.
    """
    return Subquery(
        queryset.order_by().values(group_by).annotate(_rows=JSONList(JSONObject(**fields))).values("_rows")[:1],
        output_field=JSONField(),
    )


def rows_of(value: Any) -> list[dict]:
    return list(value or [])


def as_datetime(value: Any) -> datetime | None:
    """A datetime out of JSON: ISO text from PostgreSQL, naive UTC text from SQLite."""
    if not value:
        return None
    moment = parse_datetime(value.replace(" ", "T", 1)) if isinstance(value, str) else value
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def as_date(value: Any) -> date | None:
    return parse_date(value) if isinstance(value, str) and value else None
