"""The staff queue and the bookings page record which intakes they showed (ids only, never the search)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from screening.audit.models import AuditAction, AuditEvent
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
    assert ids_in(lines) == shown and all(len(line.detail) <= 200 for line in lines)


def test_the_bookings_page_records_the_intakes_of_the_bookings_shown(personas):
    assert staff_client(personas.front_desk).get("/staff/bookings/").status_code == 200
    assert ids_in(listed("bookings page")) == {personas.intake_a.pk}


@pytest.mark.django_db(transaction=True)
def test_the_line_is_written_in_the_reads_transaction(personas):
    client = staff_client(personas.front_desk)
    with CaptureQueriesContext(connection) as queries:
        client.get("/staff/bookings/")
    sql = [q["sql"] for q in queries.captured_queries]
    begin = next(i for i, q in enumerate(sql) if "SAVEPOINT" in q or q.startswith("BEGIN"))
    insert = next(i for i, q in enumerate(sql) if q.startswith("INSERT") and "audit_auditevent" in q)
    read = next(i for i, q in enumerate(sql) if "booking_booking" in q and q.startswith("SELECT"))
    assert begin < read < insert
    assert not any("RELEASE" in q or q == "COMMIT" for q in sql[begin:insert])
