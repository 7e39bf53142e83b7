"""The audit trail: a line for each sign-in, read, decision and booking change; never changed."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from screening.audit.log import Actor
from screening.audit.models import AppendOnlyError, AuditAction, AuditEvent
from screening.booking.services import booking_cancel
from screening.questionnaire.models import Outcome
from tests.staff.conftest import PASSWORD, latest_screening, staff_client

pytestmark = pytest.mark.django_db

HEALTH_WORDS = ("bleeding", "tranexamic", "medication", "acne", "review")


def _actions() -> list[str]:
    return list(AuditEvent.objects.order_by("at", "id").values_list("action", flat=True))


def test_a_sign_in_and_a_failed_sign_in_are_recorded_with_who_and_where(personas):
    client = Client(REMOTE_ADDR="203.0.113.9")
    client.post(reverse("staff:login"), {"username": "clara", "password": "wrong"})
    client.post(reverse("staff:login"), {"username": "clara", "password": PASSWORD})
    failed, ok = AuditEvent.objects.filter(action__in=["login_failed", "login"]).order_by("at", "id")
    assert (failed.action, failed.actor, failed.actor_label, failed.ip) == ("login_failed", None, "clara",
                                                                            "203.0.113.9")
    assert (ok.action, ok.actor, ok.ip) == ("login", personas.clinician, "203.0.113.9")
    assert "wrong" not in f"{failed.actor_label}{failed.detail}"
    client.post(reverse("staff:logout"))
    assert AuditEvent.objects.filter(action="logout", actor=personas.clinician).count() == 1


def test_a_failed_sign_in_to_the_django_admin_is_recorded_too(personas):
    Client().post(reverse("admin:login"), {"username": "adele", "password": "nope"})
    assert AuditEvent.objects.filter(action="login_failed", actor_label="adele").count() == 1


def test_decisions_and_the_booking_changes_they_cause_are_recorded(personas):
    client = staff_client(personas.clinician)
    client.get(reverse("staff:intake", args=[personas.intake_a.public_id]))
    client.post(reverse("staff:intake_clear", args=[personas.intake_a.public_id]),
                {"screening_id": latest_screening(personas.intake_a).pk, "note": "Fine."})
    events = AuditEvent.objects.filter(intake_id=personas.intake_a.pk).order_by("at", "id")
    assert [e.action for e in events][-3:] == [AuditAction.INTAKE_VIEWED, AuditAction.BOOKING_CHANGED,
                                               AuditAction.INTAKE_CLEARED]
    changed = events.get(action=AuditAction.BOOKING_CHANGED)
    assert (changed.object_type, changed.object_id, changed.detail) == (
        "booking", str(personas.booking_a.pk), "status: confirmed")
    assert changed.actor == personas.clinician  # taken from the request being served
    cleared = events.get(action=AuditAction.INTAKE_CLEARED)
    assert cleared.object_type == "intakedecision" and cleared.actor_label == "clara"


def test_audit_lines_hold_no_health_data(personas):
    client = staff_client(personas.clinician)
    client.post(reverse("staff:intake_decline", args=[personas.intake_a.public_id]),
                {"screening_id": latest_screening(personas.intake_a).pk, "reason": "see_doctor",
                 "note": "Bleeding disorder, on tranexamic acid"})
    for event in AuditEvent.objects.all():
        text = " ".join(str(getattr(event, f.attname)) for f in AuditEvent._meta.fields).lower()
        for word in HEALTH_WORDS:
            assert word not in text, (word, text)


def test_audit_events_cannot_be_changed_or_deleted_through_the_model(personas):
    staff_client(personas.clinician).get(reverse("staff:intake", args=[personas.intake_a.public_id]))
    event = AuditEvent.objects.get(action="intake_viewed")
    event.actor_label = "someone else"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(actor_label="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).actor_label == "clara"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger is PostgreSQL's")
def test_on_postgresql_the_database_refuses_to_change_or_delete_an_audit_row(personas):
    staff_client(personas.clinician).get(reverse("staff:intake", args=[personas.intake_a.public_id]))
    event = AuditEvent.objects.get(action="intake_viewed")
    for sql in ("UPDATE audit_auditevent SET actor_label = 'x' WHERE id = %s",
                "DELETE FROM audit_auditevent WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).actor_label == "clara"


def test_the_admin_lists_audit_events_but_refuses_to_add_change_or_delete_one(personas):
    from tests.staff.conftest import make_staff

    staff_client(personas.clinician).get(reverse("staff:intake", args=[personas.intake_a.public_id]))
    event = AuditEvent.objects.get(action="intake_viewed")
    admin = staff_client(make_staff("sam", None, superuser=True))  # the admin is for superusers (issue 17)
    listing = admin.get(reverse("admin:audit_auditevent_changelist"))
    assert listing.status_code == 200 and "clara" in listing.content.decode()
    change_url = reverse("admin:audit_auditevent_change", args=[event.pk])
    assert admin.get(change_url).status_code == 200  # read-only view
    assert admin.post(change_url, {"actor_label": "someone else", "action": "login"}).status_code == 403
    delete_url = reverse("admin:audit_auditevent_delete", args=[event.pk])
    assert admin.get(delete_url).status_code == 403
    assert admin.post(delete_url, {"post": "yes"}).status_code == 403
    assert admin.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert admin.post(reverse("admin:audit_auditevent_changelist"),
                      {"action": "delete_selected", "_selected_action": [event.pk]}).status_code == 200
    assert AuditEvent.objects.get(pk=event.pk).actor_label == "clara"


def test_even_a_superuser_cannot_change_or_delete_an_audit_event_in_the_admin(personas):
    from tests.staff.conftest import make_staff

    root = staff_client(make_staff("root", None, superuser=True))
    staff_client(personas.clinician).get(reverse("staff:intake", args=[personas.intake_a.public_id]))
    event = AuditEvent.objects.get(action="intake_viewed")
    assert root.post(reverse("admin:audit_auditevent_change", args=[event.pk]), {}).status_code == 403
    assert root.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_intake_page_shows_its_history(personas):
    client = staff_client(personas.front_desk)
    client.get(reverse("staff:intake", args=[personas.intake_a.public_id]))
    personas.intake_a.refresh_from_db()
    assert personas.intake_a.outcome == Outcome.REVIEW
    # The booking service writes its own line: the patient cancels the held time.
    booking_cancel(booking_id=personas.booking_a.pk, actor=Actor(label="patient"))
    html = client.get(reverse("staff:intake", args=[personas.intake_a.public_id])).content.decode()
    assert html.count("frank · Viewed an intake") == 2
    assert "patient · Booking changed" in html
