"""Keyset pagination: Next and Previous continue from the row last (or first) shown.

A list ordered by several columns (``Keyset.order``, "-" for descending)
is paged by carrying the edge row's values of those columns in the link
(a signed cursor): the next page is the rows beyond it, so a row inserted
meanwhile never shifts a page and the database reads a page through its
index, however deep. A page number alone is read by offset (a bookmarked
"page 3"), up to ``max_offset`` rows.

It knows nothing of what it pages: the staff queue (``screening.review.queue``)
gives it the order and the rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core import signing
from django.db.models import Q, QuerySet

# A row's place in the order: its values of the order's fields.
Cursor = tuple


@dataclass(frozen=True)
class Position:
    """Where a page starts: its number, and the row just before it (``after``) or just after it (``before``)."""

    page: int = 1
    after: Cursor | None = None
    before: Cursor | None = None


@dataclass
class Rows:
    """One page; what Django's Page offers a template, without a full count."""

    object_list: list
    number: int
    num_pages: int | None = None
    next: Position | None = None
    previous: Position | None = None
    # Set by the view: the links, with the filters kept.
    next_query: str = ""
    previous_query: str = ""

    def has_next(self) -> bool:
        return self.next is not None

    def has_previous(self) -> bool:
        return self.previous is not None


@dataclass(frozen=True)
class Keyset:
    order: tuple[str, ...]
    salt: str  # a cursor signed for one list is refused by another
    datetime_fields: frozenset[str] = frozenset()
    page_size: int = 25
    max_offset: int = 10_000

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(name.lstrip("-") for name in self.order)

    # --- positions in links ---

    def position(self, params) -> Position:
        """The position a link asks for; anything this list did not write is page 1 (or the page number)."""
        try:
            page = min(max(int(params.get("page") or 1), 1), self.max_offset // self.page_size + 1)
        except (TypeError, ValueError):
            page = 1
        return Position(page=page, after=self._parse(params.get("after")), before=self._parse(params.get("before")))

    def params(self, position: Position) -> dict[str, str]:
        params = {"page": str(position.page)}
        for name in ("after", "before"):
            if getattr(position, name):
                params[name] = self._text(getattr(position, name))
        return params

    # --- a page ---

    def read(self, ordered: QuerySet, position: Position, *, dress: Callable[[list], None]) -> Rows:
        """The page at ``position``: beyond its cursor when it has one, else by its number.

        ``dress`` is given the rows shown, to add what the template shows.
        """
        if position.after:
            rows = self._take(ordered.filter(self._beyond(position.after, forward=True)), forward=True)
            if rows:
                return self._page(rows, max(position.page, 2), more=len(rows) > self.page_size, dress=dress)
        if position.before:
            rows = self._take(ordered.filter(self._beyond(position.before, forward=False)), forward=False)
            if len(rows) > self.page_size:  # else going back reaches the start: page 1
                return self._page(list(reversed(rows[:self.page_size])), max(position.page, 2), more=True,
                                  dress=dress)
        number = 1 if position.after or position.before else position.page
        rows = self._take(ordered, forward=True, skip=(number - 1) * self.page_size)
        if not rows and number > 1:
            number, rows = 1, self._take(ordered, forward=True)
        return self._page(rows, number, more=len(rows) > self.page_size, dress=dress)

    def _take(self, ordered: QuerySet, *, forward: bool, skip: int = 0) -> list:
        """A page's rows and one more (there is a next page), in the order or the reverse."""
        order = self.order if forward else tuple(n[1:] if n.startswith("-") else f"-{n}" for n in self.order)
        return list(ordered.order_by(*order)[skip:skip + self.page_size + 1])

    def _page(self, rows: list, number: int, *, more: bool, dress: Callable[[list], None]) -> Rows:
        """The rows shown (``rows`` may hold one more, from the next page), with Next and Previous."""
        shown = rows[:self.page_size]
        dress(shown)
        page = Rows(shown, number)
        if more:
            page.next = Position(page=number + 1, after=self._cursor_of(shown[-1]))
        if number > 1:  # page 1 is the start, wherever the rows stand now
            page.previous = (Position(page=1) if number == 2
                             else Position(page=number - 1, before=self._cursor_of(shown[0])))
        return page

    def _cursor_of(self, row) -> Cursor:
        return tuple(getattr(row, name) for name in self.fields)

    def _beyond(self, key: Cursor, *, forward: bool) -> Q:
        """The rows after ``key`` in the order (before it when not ``forward``), compared field by field.

        A field empty in the key only equals, it never decides: the order is
        written so that a field empty in one row is empty in every row it
        ties with (e.g. a column filled in one part of the list only).
        """
        beyond, same = Q(pk__in=[]), Q()
        for name, value in zip(self.order, key):
            field = name.lstrip("-")
            if value is None:
                same &= Q(**{f"{field}__isnull": True})
                continue
            later = "gt" if forward != name.startswith("-") else "lt"
            beyond |= same & Q(**{f"{field}__{later}": value})
            same &= Q(**{field: value})
        return beyond

    # --- cursors in links: signed, so a cursor is one this list wrote and needs no other check ---

    def _text(self, cursor: Cursor) -> str:
        values = [v.isoformat() if isinstance(v, datetime) else v for v in cursor]
        return signing.dumps(values, salt=self.salt, compress=True)

    def _parse(self, raw) -> Cursor | None:
        if not isinstance(raw, str) or len(raw) > 300:
            return None
        try:
            values = signing.loads(raw, salt=self.salt)
            return tuple(datetime.fromisoformat(v) if name in self.datetime_fields and v else v
                         for name, v in zip(self.fields, values, strict=True))
        except (signing.BadSignature, TypeError, ValueError):
            return None
