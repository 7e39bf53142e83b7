"""Keyset pagination: Next and Previous continue from the row last (or first) shown.

A list is one or more parts shown one after another, each with its own
order (``Part.order``, "-" for descending, on columns an index can walk):
the staff queue is the intakes to review, then every other intake. A page
link carries the edge row's part and values of its part's order (a signed
cursor): the next page is the rows beyond it, so a row inserted meanwhile
never shifts a page, and the database reads a page by walking an index
from the cursor, however deep. A page number alone is read by offset (a
bookmarked "page 3"), up to ``max_offset`` rows.

It knows nothing of what it pages: ``screening.review.queue`` gives it the
parts and dresses the rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core import signing
from django.db.models import Q, QuerySet

# A row's place in the list: its part's number, then its values of that part's order.
Cursor = tuple


@dataclass(frozen=True)
class Part:
    rows: QuerySet
    order: tuple[str, ...]
    # How many rows the part has, when the caller has counted them anyway: reading by a page
    # number past this part then needs no count of its own.
    size: int | None = None

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(name.lstrip("-") for name in self.order)

    def ordered(self, *, forward: bool = True) -> QuerySet:
        order = self.order if forward else tuple(n[1:] if n.startswith("-") else f"-{n}" for n in self.order)
        return self.rows.order_by(*order)


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
    salt: str  # a cursor signed for one list is refused by another
    datetime_fields: frozenset[str] = frozenset()
    page_size: int = 25
    max_offset: int = 10_000

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

    def read(self, parts: list[Part], position: Position, *, dress: Callable[[list], None]) -> Rows:
        """The page at ``position``: beyond its cursor when it has one, else by its number.

        ``dress`` is given the rows shown, to add what the template shows.
        """
        after, before = self._place(parts, position.after), self._place(parts, position.before)
        if after:
            rows = self._walk(parts, after, forward=True)
            if rows:
                return self._page(rows, max(position.page, 2), more=len(rows) > self.page_size, dress=dress)
        if before:
            rows = self._walk(parts, before, forward=False)
            if len(rows) > self.page_size:  # else going back reaches the start: page 1
                return self._page(list(reversed(rows[:self.page_size])), max(position.page, 2), more=True,
                                  dress=dress)
        number = 1 if after or before else position.page
        rows = self._by_offset(parts, (number - 1) * self.page_size)
        if not rows and number > 1:
            number, rows = 1, self._by_offset(parts, 0)
        return self._page(rows, number, more=len(rows) > self.page_size, dress=dress)

    def _walk(self, parts: list[Part], place: tuple[int, Cursor], *, forward: bool) -> list:
        """A page's rows and one more beyond ``place``, crossing into the next part (the previous one going back)."""
        number, key = place
        rows: list = []
        numbers = range(number, len(parts)) if forward else range(number, -1, -1)
        for n in numbers:
            rows_of_part = parts[n].ordered(forward=forward)
            if n == number:
                rows_of_part = rows_of_part.filter(_beyond(parts[n].order, key, forward=forward))
            rows += _marked(rows_of_part[: self.page_size + 1 - len(rows)], n, parts[n].fields)
            if len(rows) > self.page_size:
                break
        return rows

    def _by_offset(self, parts: list[Part], skip: int) -> list:
        """A page's rows and one more, ``skip`` rows from the start of the list."""
        rows: list = []
        for n, part in enumerate(parts):
            if skip:
                size = part.size if part.size is not None else part.rows.order_by()[:skip].count()
                if size <= skip:  # the page starts in a later part
                    skip -= size
                    continue
            rows += _marked(part.ordered()[skip: skip + self.page_size + 1 - len(rows)], n, part.fields)
            skip = 0
            if len(rows) > self.page_size:
                break
        return rows

    def _page(self, rows: list, number: int, *, more: bool, dress: Callable[[list], None]) -> Rows:
        """The rows shown (``rows`` may hold one more, from the next page), with Next and Previous."""
        shown = rows[:self.page_size]
        dress(shown)
        page = Rows(shown, number)
        if more:
            page.next = Position(page=number + 1, after=shown[-1].keyset_cursor)
        if number > 1:  # page 1 is the start, wherever the rows stand now
            page.previous = (Position(page=1) if number == 2
                             else Position(page=number - 1, before=shown[0].keyset_cursor))
        return page

    def _place(self, parts: list[Part], cursor: Cursor | None) -> tuple[int, Cursor] | None:
        """A cursor's part and its key, typed as that part's fields; None if it fits no part of this list."""
        if not cursor or not isinstance(cursor[0], int) or not 0 <= cursor[0] < len(parts):
            return None
        part = parts[cursor[0]]
        if len(cursor) != len(part.fields) + 1:
            return None
        try:
            return cursor[0], tuple(datetime.fromisoformat(v) if name in self.datetime_fields and v is not None else v
                                    for name, v in zip(part.fields, cursor[1:]))
        except (TypeError, ValueError):
            return None

    # --- cursors in links: signed, so a cursor is one this list wrote and needs no other check ---

    def _text(self, cursor: Cursor) -> str:
        values = [v.isoformat() if isinstance(v, datetime) else v for v in cursor]
        return signing.dumps(values, salt=self.salt, compress=True)

    def _parse(self, raw) -> Cursor | None:
        if not isinstance(raw, str) or len(raw) > 300:
            return None
        try:
            values = signing.loads(raw, salt=self.salt)
        except signing.BadSignature:
            return None
        return tuple(values) if isinstance(values, list) and values else None


def _marked(rows: QuerySet, number: int, fields: tuple[str, ...]) -> list:
    """The rows, each knowing its place in the list (its part, its values of the part's order)."""
    found = list(rows)
    for row in found:
        row.keyset_cursor = (number, *(getattr(row, name) for name in fields))
    return found


def _beyond(order: tuple[str, ...], key: Cursor, *, forward: bool) -> Q:
    """The rows after ``key`` in ``order`` (before it when not ``forward``), compared field by field.

    A field empty in the key only equals, it never decides: an order is
    written so that a field empty in one row is empty in every row it ties
    with (e.g. the appointment of an intake holding no time).
    """
    beyond, same = Q(pk__in=[]), Q()
    for name, value in zip(order, key):
        field = name.lstrip("-")
        if value is None:
            same &= Q(**{f"{field}__isnull": True})
            continue
        later = "gt" if forward != name.startswith("-") else "lt"
        beyond |= same & Q(**{f"{field}__{later}": value})
        same &= Q(**{field: value})
    return beyond
