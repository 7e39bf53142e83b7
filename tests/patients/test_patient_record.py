"""One patient across intakes: matched on a proven email and date of birth, merged by clinicians, a timeline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from screening.audit.log import Actor
from screening.audit.models import AuditAction, AuditEvent
from screening.intake.links import link_issue, link_lookup, link_mark_used
from screening.intake.models import AccessLink, Intake
from screening.patients.models import Patient
from screening.patients.services import PatientError, patients_merge
from tests.staff.conftest import hold_time, make_intake, staff_client

pytestmark = pytest.mark.django_db


def _draft(email: str, *, birth: str = "1990-04-02", first_name: str = "Ann") -> Intake:
    """A draft whose answers are complete, ready to be sent."""
    sent = make_intake(email=email, first_name=first_name)  # the answers a finished intake has
    answers = {**sent.answers, "date_of_birth": birth}
    return Intake.objects.create(treatment=sent.treatment, answers=answers, completed_step=8, email=email,
                                 first_name=first_name, last_name="Example")


def _prove(intake: Intake) -> None:
    """The patient opens a link emailed to the intake's address (as intake:link_continue does)."""
    token = link_issue(intake=intake, purpose=AccessLink.Purpose.RESUME)
    link_mark_used(link=link_lookup(token))


def _send(intake: Intake) -> Intake:
    from screening.intake.services import intake_submit

    return intake_submit(intake=Intake.objects.get(pk=intake.pk))


def test_a_proven_email_and_the_same_birth_date_find_the_same_patient():
    first = _draft("ann@example.com")
    _prove(first)
    first = _send(first)
    second = _draft("ANN@example.com")
    _prove(second)
    second = _send(second)

    assert first.patient_id == second.patient_id
    patient = Patient.objects.get(pk=first.patient_id)
    assert (patient.email, str(patient.date_of_birth), patient.first_name) == ("ann@example.com", "1990-04-02", "Ann")


def test_an_unproven_email_or_another_birth_date_starts_a_new_record():
    proven = _draft("ann@example.com")
    _prove(proven)
    proven = _send(proven)
    typed = _send(_draft("ann@example.com"))  # nobody opened a link: anyone can type an address
    other_birthday = _draft("ann@example.com", birth="1991-04-02")
    _prove(other_birthday)
    other_birthday = _send(other_birthday)

    assert len({proven.patient_id, typed.patient_id, other_birthday.patient_id}) == 3
    assert Patient.objects.get(pk=typed.patient_id).email == ""


def test_a_link_sent_before_the_address_changed_proves_nothing_about_the_new_one():
    draft = _draft("ann@example.com")
    token = link_issue(intake=draft, purpose=AccessLink.Purpose.RESUME)
    Intake.objects.filter(pk=draft.pk).update(email="victim@example.com")
    link_mark_used(link=link_lookup(token))
    assert Intake.objects.get(pk=draft.pk).verified_email == ""


def test_merging_moves_the_intakes_keeps_the_merged_record_pointing_and_is_audited(personas):
    keep = make_intake(email="ann@example.com", first_name="Ann")
    other = make_intake(email="ann.lee@example.com", first_name="Ann")
    by = Actor.staff(personas.clinician)

    patients_merge(keep_id=keep.patient_id, merge_id=other.patient_id, by=by)

    assert Intake.objects.get(pk=other.pk).patient_id == keep.patient_id
    merged = Patient.objects.get(pk=other.patient_id)
    assert merged.merged_into_id == keep.patient_id and merged.merged_at is not None
    event = AuditEvent.objects.get(action=AuditAction.PATIENTS_MERGED)
    assert event.object_id == str(keep.patient_id) and event.actor_id == personas.clinician.pk
    with pytest.raises(PatientError):
        patients_merge(keep_id=keep.patient_id, merge_id=other.patient_id, by=by)
    with pytest.raises(PatientError):
        patients_merge(keep_id=keep.patient_id, merge_id=keep.patient_id, by=by)


def test_the_staff_patient_page_shows_the_timeline_and_is_recorded(personas):
    intake = make_intake(email="ann@example.com", first_name="Ann")
    hold_time(intake, practitioner=personas.practitioner, start=timezone.now().replace(microsecond=0) + timedelta(days=9))
    client = staff_client(personas.front_desk)

    page = client.get(reverse("staff:intake", args=[intake.public_id])).content.decode()
    assert reverse("staff:patient", args=[intake.patient_id]) in page
    response = client.get(reverse("staff:patient", args=[intake.patient_id]))

    text = response.content.decode()
    assert response.status_code == 200
    for kind in ("Intake", "Screening", "Session", "Message"):
        assert f"<td>{kind}</td>" in text
    assert "Submitted by the patient" in text
    assert AuditEvent.objects.filter(action=AuditAction.PATIENT_VIEWED, object_id=str(intake.patient_id)).exists()


def test_a_possible_duplicate_is_offered_to_clinicians_and_front_desk_may_not_merge(personas):
    keep = make_intake(email="ann@example.com", first_name="Ann")
    other = make_intake(email="ann2@example.com", first_name="Ann")
    Patient.objects.filter(pk__in=[keep.patient_id, other.patient_id]).update(date_of_birth="1990-04-02")
    url = reverse("staff:patient_merge", args=[keep.patient_id])

    front_desk = staff_client(personas.front_desk)
    assert "Merge record" not in front_desk.get(reverse("staff:patient", args=[keep.patient_id])).content.decode()
    assert front_desk.post(url, {"other": other.patient_id}).status_code == 403

    clinician = staff_client(personas.clinician)
    page = clinician.get(reverse("staff:patient", args=[keep.patient_id])).content.decode()
    assert f"Merge record {other.patient_id} into this one" in page
    response = clinician.post(url, {"other": other.patient_id}, follow=True)
    assert "merged into this one" in response.content.decode()
    assert Intake.objects.get(pk=other.pk).patient_id == keep.patient_id
    # A second tap: refused kindly, nothing moves twice.
    again = clinician.post(url, {"other": other.patient_id}, follow=True)
    assert "already been merged" in again.content.decode()
    assert Client().get(reverse("staff:patient", args=[keep.patient_id])).status_code == 302
