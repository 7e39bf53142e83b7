"""Clinicians clear, decline or ask; front desk cannot; nothing happens twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from screening.audit.log import Actor
from screening.audit.models import AuditAction, AuditEvent
from screening.booking.models import BookingStatus
from screening.intake.models import Intake, PatientQuestion, Screening
from screening.questionnaire.models import Outcome
from screening.review.models import IntakeDecision
from screening.review.services import DecisionError, intake_clear, intake_decline
from tests.staff.conftest import (
    NOT_SUITABLE,
    hold_time,
    latest_screening,
    make_intake,
    staff_client,
)

pytestmark = pytest.mark.django_db

MEDICAL_WORDS = ("bleeding", "disorder", "tranexamic", "acne", "BLEEDING_DISORDER", "review", "rule", "flag",
                 "Face and neck")


def _post(client, intake: Intake, action: str, **data):
    data.setdefault("screening_id", latest_screening(intake).pk)
    return client.post(reverse(f"staff:intake_{action}", args=[intake.public_id]), data)


def _decision_mails(subject: str) -> list:
    return [m for m in mail.outbox if m.subject == subject]


def test_front_desk_sees_the_intake_but_cannot_decide(personas):
    client = staff_client(personas.front_desk)
    page = client.get(reverse("staff:intake", args=[personas.intake_a.public_id]))
    assert page.status_code == 200
    assert "Only clinicians can clear" in page.content.decode()
    for action, data in [("clear", {"note": "fine"}), ("decline", {"reason": "see_doctor"}),
                         ("ask", {"question": "Which medicine?"})]:
        assert _post(client, personas.intake_a, action, **data).status_code == 403
    assert not IntakeDecision.objects.exists()
    assert personas.booking_a.__class__.objects.get(pk=personas.booking_a.pk).status == BookingStatus.HELD


def test_the_decision_service_refuses_front_desk_too(personas):
    with pytest.raises(DecisionError) as refused:
        intake_clear(intake_id=personas.intake_a.pk, screening_id=latest_screening(personas.intake_a).pk,
                     by=Actor.staff(personas.front_desk), note="fine")
    assert refused.value.code == "forbidden"


def test_a_clinicians_clear_confirms_the_held_booking_and_emails_the_patient(personas):
    mail.outbox.clear()
    response = _post(staff_client(personas.clinician), personas.intake_a, "clear",
                     note="Discussed with GP; clotting normal.")
    assert response.status_code == 302 and response["Location"] == reverse("staff:queue")
    personas.booking_a.refresh_from_db()
    assert personas.booking_a.status == BookingStatus.CONFIRMED
    personas.intake_a.refresh_from_db()
    assert personas.intake_a.outcome == Outcome.ELIGIBLE
    decision = IntakeDecision.objects.get()
    assert (decision.kind, decision.decided_by, decision.screening) == (
        "clear", personas.clinician, latest_screening(personas.intake_a))
    [cleared] = _decision_mails("Your answers have been reviewed")
    assert cleared.to == ["ada@example.com"]
    assert "is now confirmed" in cleared.body
    assert "Discussed with GP" not in cleared.body  # the note is for staff only
    # The booking module's own confirmation (with the calendar file) goes too.
    assert any(m.subject.startswith("Your appointment is confirmed") for m in mail.outbox)


def test_clearing_without_a_held_time_sends_a_link_to_choose_one(personas):
    mail.outbox.clear()
    _post(staff_client(personas.clinician), personas.intake_b, "clear", note="Fine to go ahead.")
    [cleared] = _decision_mails("Your answers have been reviewed")
    assert "/intake/r/" in cleared.body and "choose a time" in cleared.body
    personas.intake_b.refresh_from_db()
    assert personas.intake_b.outcome == Outcome.ELIGIBLE


def test_a_hold_that_ran_out_is_not_confirmed_but_the_intake_is_cleared(personas, on_commit):
    later = personas.booking_a.hold_expires_at + timedelta(minutes=1)
    intake_clear(intake_id=personas.intake_a.pk, screening_id=latest_screening(personas.intake_a).pk,
                 by=Actor.staff(personas.clinician), note="Fine.", now=later)
    on_commit()
    personas.booking_a.refresh_from_db()
    assert personas.booking_a.status == BookingStatus.EXPIRED
    [cleared] = _decision_mails("Your answers have been reviewed")
    assert "has been released" in cleared.body


def test_a_decline_releases_the_hold_and_tells_the_patient_kindly_without_medical_detail(personas):
    mail.outbox.clear()
    response = _post(staff_client(personas.clinician), personas.intake_a, "decline",
                     reason="see_doctor", note="Haemophilia A: needs haematology sign-off.")
    assert response.status_code == 302
    personas.booking_a.refresh_from_db()
    assert personas.booking_a.status == BookingStatus.RELEASED
    personas.intake_a.refresh_from_db()
    assert personas.intake_a.outcome == Outcome.NOT_SUITABLE
    [declined] = _decision_mails("About your appointment request")
    assert len(mail.outbox) == 1  # the booking module is not asked to send a second email
    body = declined.body
    assert "Hello Ada" in body and "speak with your doctor" in body
    assert "released the time" in body
    for word in MEDICAL_WORDS + ("Haemophilia", "haematology"):
        assert word.lower() not in (declined.subject + body).lower(), word


def test_the_decline_email_says_how_to_reach_the_clinic_and_comes_from_it(personas):
    from screening.core.models import ClinicSettings

    ClinicSettings.objects.update_or_create(pk=1, defaults={"name": "Example Skin Clinic", "phone": "020 7946 0123",
                                                            "email": "hello@clinic.example"})
    mail.outbox.clear()
    _post(staff_client(personas.clinician), personas.intake_a, "decline", reason="see_doctor", note="x")
    [declined] = _decision_mails("About your appointment request")
    assert "reply to this email or call us on 020 7946 0123" in declined.body
    assert "Example Skin Clinic" in declined.from_email and declined.reply_to == ["hello@clinic.example"]


def test_a_declined_patient_can_no_longer_hold_a_time(personas):
    from screening.booking.selectors import intake_refusal

    _post(staff_client(personas.clinician), personas.intake_b, "decline", reason="not_safe_now")
    personas.intake_b.refresh_from_db()
    assert intake_refusal(personas.intake_b, now=timezone.now()) == "not_suitable"


def test_a_clear_needs_a_note_and_a_decline_a_reason(personas):
    client = staff_client(personas.clinician)
    page = _post(client, personas.intake_a, "clear", note="  ")
    assert page.status_code == 400
    assert "Please write a note" in page.content.decode()
    page = _post(client, personas.intake_a, "decline")
    assert page.status_code == 400
    assert "Please choose what the patient is told" in page.content.decode()
    assert not IntakeDecision.objects.exists()


def test_a_double_submit_of_a_clear_does_nothing_twice(personas):
    client = staff_client(personas.clinician)
    mail.outbox.clear()
    first = _post(client, personas.intake_a, "clear", note="Fine.")
    screening_id = latest_screening(personas.intake_a).pk
    second = _post(client, personas.intake_a, "clear", note="Fine.", screening_id=screening_id)
    assert first.status_code == second.status_code == 302
    assert IntakeDecision.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.INTAKE_CLEARED).count() == 1
    assert len(_decision_mails("Your answers have been reviewed")) == 1
    page = client.get(second["Location"]).content.decode()
    assert "Already done" in page


def test_a_second_clinician_is_told_who_decided_first(personas):
    screening_id = latest_screening(personas.intake_a).pk
    _post(staff_client(personas.clinician), personas.intake_a, "clear", note="Fine.")
    other = staff_client(personas.clinician2)
    response = _post(other, personas.intake_a, "decline", reason="see_doctor", screening_id=screening_id)
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:intake", args=[personas.intake_a.public_id])
    page = other.get(response["Location"]).content.decode()
    assert "clara cleared this intake at" in page
    assert IntakeDecision.objects.get().kind == "clear"
    personas.booking_a.refresh_from_db()
    assert personas.booking_a.status == BookingStatus.CONFIRMED


def test_a_decision_on_answers_that_changed_meanwhile_is_refused(personas):
    read = latest_screening(personas.intake_a)
    Screening.objects.create(intake=personas.intake_a, reason=Screening.Reason.RESCREEN,
                             on_date=timezone.localdate(), outcome=Outcome.REVIEW, answers={})
    with pytest.raises(DecisionError) as refused:
        intake_clear(intake_id=personas.intake_a.pk, screening_id=read.pk,
                     by=Actor.staff(personas.clinician), note="Fine.")
    assert refused.value.code == "changed"
    assert "Please read the intake again" in refused.value.message


def test_a_not_suitable_intake_can_be_declined_but_not_cleared(personas):
    intake = make_intake(email="nora@example.com", first_name="Nora", answers=NOT_SUITABLE)
    hold_time(intake, practitioner=personas.practitioner,
              start=personas.booking_a.start + timedelta(hours=3))
    client = staff_client(personas.clinician)
    response = _post(client, intake, "clear", note="Fine.")
    assert "can only be declined" in client.get(response["Location"]).content.decode()
    assert _post(client, intake, "decline", reason="not_safe_now").status_code == 302
    assert IntakeDecision.objects.get().kind == "decline"


def test_an_intake_that_needs_no_decision_is_left_alone(personas):
    intake = make_intake(email="eli@example.com", first_name="Eli")
    assert intake.outcome == Outcome.ELIGIBLE
    with pytest.raises(DecisionError) as refused:
        intake_decline(intake_id=intake.pk, screening_id=latest_screening(intake).pk,
                       by=Actor.staff(personas.clinician), reason="see_doctor")
    assert refused.value.code == "nothing_to_decide"


def test_a_final_decision_closes_an_open_question(personas):
    client = staff_client(personas.clinician)
    _post(client, personas.intake_a, "ask", question="Which medicine do you take?")
    assert PatientQuestion.objects.get().is_open
    _post(client, personas.intake_a, "clear", note="Patient phoned: fine.")
    question = PatientQuestion.objects.get()
    assert question.closed_at is not None and question.answered_at is None
    assert IntakeDecision.objects.filter(kind="clear").count() == 1


def test_asking_twice_before_an_answer_is_refused(personas):
    client = staff_client(personas.clinician)
    _post(client, personas.intake_a, "ask", question="Which medicine do you take?")
    response = _post(client, personas.intake_a, "ask", question="And how often?")
    assert "has not answered yet" in client.get(response["Location"]).content.decode()
    assert PatientQuestion.objects.count() == 1


def test_clearing_a_review_that_also_defers_keeps_the_eligible_from_date(personas):
    taken = timezone.localdate() - timedelta(days=30)
    intake = make_intake(email="iris@example.com", first_name="Iris",
                         answers={"bleeding_disorder": True, "isotretinoin_last_taken": taken.isoformat()})
    assert intake.outcome == Outcome.REVIEW and intake.eligible_from == taken + timedelta(days=183)
    _post(staff_client(personas.clinician), intake, "clear", note="Fine once the course has cleared.")
    intake.refresh_from_db()
    assert intake.outcome == Outcome.DEFERRED
    assert intake.eligible_from == taken + timedelta(days=183)


def test_a_hold_cancelled_by_the_patient_a_moment_before_a_decision_does_not_stop_it(personas, monkeypatch,
                                                                                       on_commit):
    from screening.booking.models import Booking
    from screening.review import services

    for decide in (
        lambda: intake_clear(intake_id=personas.intake_a.pk, screening_id=latest_screening(personas.intake_a).pk,
                             by=Actor.staff(personas.clinician), note="Fine."),
        lambda: intake_decline(intake_id=personas.intake_b.pk, screening_id=latest_screening(personas.intake_b).pk,
                               by=Actor.staff(personas.clinician), reason="see_doctor"),
    ):
        read_as_held = personas.booking_a  # read while still held...
        Booking.objects.filter(pk=read_as_held.pk).update(status=BookingStatus.CANCELLED)  # ...then cancelled
        monkeypatch.setattr(services, "_held_booking", lambda intake, b=read_as_held: b)
        decide()
    on_commit()
    assert IntakeDecision.objects.count() == 2
    assert Booking.objects.get(pk=personas.booking_a.pk).status == BookingStatus.CANCELLED
    declined = [m for m in mail.outbox if m.subject == "About your appointment request"]
    assert declined and "released the time" not in declined[0].body
