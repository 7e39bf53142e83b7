"""The staff queue and the bookings page record which intakes they showed (ids only, never the search)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from screening.audit.models import DETAIL_LENGTH, AuditAction, AuditEvent
from tests.staff.conftest import bulk_intakes, staff_client


def listed(where: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.RECORDS_LISTED, detail__startswith=where))


def ids_in(lines: list[AuditEvent]) -> set[int]:
    return {int(pk) for line in lines for pk in line.detail.split("intakes ", 1)[1].split(",") if pk}


def test_the_queue_records_the_intakes_it_shows_and_not_the_search(personas):
    client = staff_client(personas.front_desk)
    assert client.get("/staff/").status_code == 200
    [line] = listed("staff queue")
    assert ids_in([line]) == {personas.intake_a.pk, personas.intake_b.pk}
    assert line.actor == personas.front_desk
    client.get("/staff/", {"q": "Lovelace"})
    searched = listed("staff queue")[0]  # newest first
    assert ids_in([searched]) == {personas.intake_a.pk}
    assert "Lovelace" not in searched.detail and "ada" not in searched.detail.lower()


def test_a_long_page_is_recorded_in_full_over_several_lines(personas):
    bulk_intakes(60, practitioner=personas.practitioner, prefix="many")
    response = staff_client(personas.clinician).get("/staff/")
    shown = {i.pk for i in response.context["result"].page.object_list}
    lines = listed("staff queue")
    assert ids_in(lines) == shown and all(len(line.detail) <= DETAIL_LENGTH for line in lines)


def test_the_bookings_page_records_the_intakes_of_the_bookings_shown(personas):
    assert staff_client(personas.front_desk).get("/staff/bookings/").status_code == 200
    assert ids_in(listed("bookings page")) == {personas.intake_a.pk}


@pytest.mark.django_db(transaction=True)
def test_the_lines_are_written_after_the_read_in_one_insert(personas):
    """All the lines of one page or none, with no transaction of the page's: a single INSERT, after the rows
    are read (a read that fails records nothing), before the page is sent."""
    bulk_intakes(60, practitioner=personas.practitioner, prefix="many")
    client = staff_client(personas.clinician)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/staff/")
    sql = [q["sql"] for q in queries.captured_queries]
    inserts = [i for i, q in enumerate(sql) if q.startswith("INSERT") and "audit_auditevent" in q]
    read = max(i for i, q in enumerate(sql) if q.startswith("SELECT") and "intake_intake" in q)
    assert len(inserts) == 1 and read < inserts[0]
    assert ids_in(listed("staff queue")) == {i.pk for i in response.context["result"].page.object_list}


def test_ids_that_need_several_lines_are_written_in_one_insert(personas):
    from screening.audit.log import Actor, audit_list_read

    ids = list(range(1_000_000, 1_000_200))
    with CaptureQueriesContext(connection) as queries:
        lines = audit_list_read(actor=Actor.staff(personas.clinician), where="staff queue", intake_ids=ids)
    assert len(lines) >= 2 and [q["sql"].split()[0] for q in queries.captured_queries] == ["INSERT"]
    assert ids_in(listed("staff queue")) == set(ids)


def test_a_page_of_25_seven_digit_ids_is_one_line_in_one_statement(personas):
    from screening.audit.log import Actor, audit_list_read

    ids = list(range(1_000_000, 1_000_025))
    with CaptureQueriesContext(connection) as queries:
        [line] = audit_list_read(actor=Actor.staff(personas.clinician), where="staff queue", intake_ids=ids)
    assert len(queries) == 1 and ids_in([line]) == set(ids)
