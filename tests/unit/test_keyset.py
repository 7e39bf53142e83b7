"""Keyset positions in links: a cursor is one this list wrote, or it is ignored (a page number is used)."""

from __future__ import annotations

from datetime import UTC, datetime

from screening.core.keyset import Keyset, Position

QUEUE = Keyset(salt="tests.queue", datetime_fields=frozenset({"sent"}))
OTHER = Keyset(salt="tests.other", datetime_fields=frozenset({"sent"}))
CURSOR = (1, datetime(2026, 12, 6, 9, 30, tzinfo=UTC).isoformat(), 42)  # part 1, its sending time and id


def test_a_position_goes_into_a_link_and_comes_back_the_same():
    params = QUEUE.params(Position(page=3, after=CURSOR))
    assert set(params) == {"page", "after"} and "2026" not in params["after"]  # signed, compressed
    assert QUEUE.position(params) == Position(page=3, after=CURSOR)


def test_a_cursor_of_another_list_or_edited_by_hand_is_ignored():
    foreign = OTHER.params(Position(page=2, after=CURSOR))
    assert QUEUE.position(foreign) == Position(page=2)
    edited = QUEUE.params(Position(page=2, before=CURSOR))
    edited["before"] = edited["before"][:-2] + "xx"
    assert QUEUE.position(edited) == Position(page=2)
    assert QUEUE.position({"after": "x" * 400}) == Position()


def test_a_page_number_is_bounded_by_the_deepest_offset():
    assert QUEUE.position({"page": "0"}).page == 1
    assert QUEUE.position({"page": "not a number"}).page == 1
    assert QUEUE.position({"page": "999999"}).page == QUEUE.max_offset // QUEUE.page_size + 1
