"""A clinic admin erases a patient (from the staff patient page): nothing that names them or tells their health
is left anywhere.

The proof is generic: every text, char and JSON column of every table in the
database (django-tasks' task table included) is searched for the patient's
name, email, phone and a distinctive answer. A new table that keeps any of
them fails this test until ``screening.review.erasure.patient_erase`` learns it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from screening.audit.log import Actor
from screening.audit.models import AuditAction, AuditEvent
from screening.booking.models import Booking
from screening.intake.links import link_issue
from screening.intake.models import AccessLink, Intake
from screening.outbox.models import Message
from screening.patients.models import Patient
from screening.patients.services import patients_merge
from screening.review.erasure import patient_erase
from screening.review.patient_email import intake_correct_email
from screening.review.services import intake_ask, intake_clear
from tests.conftest import run_pending_on_commit
from tests.staff.conftest import REVIEW, hold_time, latest_screening, make_intake, staff_client

FIRST, LAST = "Zephyrine", "Quillfeather"
EMAIL = "Zeph.Quill@Example.org"
PHONE = "07700900417"
ANSWER = "Xylotrexamab 40mg"
NEEDLES = [FIRST, LAST, EMAIL.lower(), PHONE, ANSWER]
TEXT_FIELDS = {"CharField", "TextField", "JSONField", "EmailField", "SlugField", "URLField"}


def columns_holding(needle: str) -> list[str]:
    """``table.column`` of every text-like column, in every table, whose value contains ``needle`` (any case)."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                kind = connection.introspection.get_field_type(column.type_code, column)
                if kind not in TEXT_FIELDS:
                    continue
                name, tab = connection.ops.quote_name(column.name), connection.ops.quote_name(table)
                cursor.execute(f"SELECT count(*) FROM {tab} WHERE LOWER(CAST({name} AS TEXT)) LIKE %s",
                               [f"%{needle.lower()}%"])
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column.name}")
    return found


def searched_tables() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


@pytest.fixture
def patient(personas):
    """Two intakes of one patient (the email in two cases), with everything a patient leaves behind.

    Sent without a proven address, each started its own record; staff merged the second into the first
    (the merged record keeps its details, so the erasure must blank it too)."""
    answers = {**REVIEW, "medications": ANSWER, "phone": PHONE}
    first = make_intake(email=EMAIL, first_name=FIRST, last_name=LAST, answers=answers)
    second = make_intake(email=EMAIL.lower(), first_name=FIRST, last_name=LAST, answers=answers)
    patients_merge(keep_id=first.patient_id, merge_id=second.patient_id, by=Actor.staff(personas.clinician))
    second.refresh_from_db()
    start = (timezone.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    booking = hold_time(first, practitioner=personas.practitioner, start=start)
    Booking.objects.filter(pk=booking.pk).update(sms_phone=PHONE)
    clinician = Actor.staff(personas.clinician)
    intake_ask(intake_id=second.pk, screening_id=latest_screening(second).pk, by=clinician,
               question=f"{FIRST}, how much {ANSWER} do you take?")
    intake_clear(intake_id=first.pk, screening_id=latest_screening(first).pk, by=clinician,
                 note=f"Spoke to {FIRST} {LAST} about {ANSWER}")
    second.staff_questions.update(reply=f"Only {ANSWER} on Mondays, {FIRST}")
    link_issue(intake=first, purpose=AccessLink.Purpose.RESUME)
    run_pending_on_commit()  # the emails are sent and the task table has its rows
    return first, second


def test_before_erasure_the_search_finds_the_patient_everywhere_they_are(patient):
    """The control: the search sees each needle, so its silence after the erasure means something."""
    for needle in NEEDLES:
        assert columns_holding(needle), needle
    tables = {c.split(".")[0] for needle in NEEDLES for c in columns_holding(needle)}
    assert {"intake_intake", "intake_screening", "intake_flag", "intake_patientquestion", "booking_booking",
            "outbox_message", "review_intakedecision"} <= tables
    assert DBTaskResult._meta.db_table in searched_tables()


def erase_url(intake: Intake) -> str:
    return reverse("staff:patient_erase", args=[intake.patient_id])


def test_after_the_admin_erases_the_patient_no_column_of_any_table_holds_them(patient, personas):
    first, second = patient
    client = staff_client(personas.clinic_admin)
    url = erase_url(first)
    page = client.get(url)
    assert page.status_code == 200 and "2 intakes" in page.content.decode()
    response = client.post(url, {"confirm": EMAIL.upper()})
    assert response.status_code == 302 and response["Location"] == reverse("staff:patient", args=[first.patient_id])

    assert {needle: columns_holding(needle) for needle in NEEDLES} == dict.fromkeys(NEEDLES, [])
    assert DBTaskResult._meta.db_table in searched_tables()
    # The skeleton stays: both intakes, the booking as an anonymous slot, the decision, the audit trail.
    assert Intake.objects.filter(pk__in=[first.pk, second.pk]).count() == 2
    assert Booking.objects.get(intake=first).patient_email == ""
    assert first.decisions.get().kind == "clear"
    assert not AccessLink.objects.filter(intake__in=[first, second]).exists()
    assert not Message.objects.filter(intake_id__in=[first.pk, second.pk]).exists()
    erased = AuditEvent.objects.filter(action=AuditAction.PATIENT_ERASED)
    assert sorted(erased.values_list("intake_id", flat=True)) == [first.pk, second.pk]
    assert set(erased.values_list("actor_label", flat=True)) == {personas.clinic_admin.username}
    # The other patients are untouched.
    personas.intake_a.refresh_from_db()
    assert personas.intake_a.first_name == "Ada" and personas.intake_a.answers


def test_a_wrong_confirmation_erases_nothing(patient, personas):
    first, _ = patient
    client = staff_client(personas.clinic_admin)
    response = client.post(erase_url(first), {"confirm": "someone@else.org"})
    assert response.status_code == 400
    assert b"nothing was erased" in response.content
    assert b'value="someone@else.org"' in response.content  # what was typed is kept
    assert not AuditEvent.objects.filter(action=AuditAction.PATIENT_ERASED).exists()
    first.refresh_from_db()
    assert first.first_name == FIRST and first.answers["medications"] == ANSWER


def test_only_clinic_admins_past_their_second_factor_may_erase(patient, personas, client):
    first, _ = patient
    url = erase_url(first)
    for user in (personas.front_desk, personas.clinician):
        assert staff_client(user).post(url, {"confirm": EMAIL}).status_code == 403
    # A clinic admin signed in by password alone is sent to the code page, never reaches the erasure.
    client.force_login(personas.clinic_admin)
    response = client.post(url, {"confirm": EMAIL})
    assert response.status_code == 302 and response["Location"].startswith("/staff/two-factor/")
    first.refresh_from_db()
    assert first.first_name == FIRST


def test_with_two_factor_relaxed_for_a_demo_nobody_without_a_code_may_erase(patient, personas, client, settings):
    settings.STAFF_REQUIRE_2FA = False
    first, _ = patient
    client.force_login(personas.clinic_admin)
    response = client.post(erase_url(first), {"confirm": EMAIL})
    assert response.status_code == 403
    first.refresh_from_db()
    assert first.first_name == FIRST


def test_the_patient_page_offers_the_erasure_to_clinic_admins_only(patient, personas):
    first, _ = patient
    patient_page = reverse("staff:patient", args=[first.patient_id])
    assert erase_url(first).encode() in staff_client(personas.clinic_admin).get(patient_page).content
    assert erase_url(first).encode() not in staff_client(personas.clinician).get(patient_page).content


def test_an_erased_patient_page_says_there_is_nothing_left_to_erase(patient, personas):
    first, _ = patient
    client = staff_client(personas.clinic_admin)
    patient_page = reverse("staff:patient", args=[first.patient_id])
    assert erase_url(first) in client.get(patient_page).content.decode()
    patient_erase(email=EMAIL, by=Actor.staff(personas.clinic_admin))
    response = client.get(erase_url(first), follow=True)
    assert "holds no email address" in response.content.decode()
    page = client.get(patient_page).content.decode()  # the button is gone, and the page says why
    assert erase_url(first) not in page and "details were erased" in page


def test_erasing_twice_is_harmless(patient, personas):
    first, second = patient
    by = Actor.staff(personas.clinic_admin)
    assert patient_erase(email=EMAIL, by=by).intakes == 2
    assert patient_erase(email=EMAIL, by=by).intakes == 0
    assert patient_erase(email="", by=by).intakes == 0


def test_audit_lines_of_the_patient_never_held_a_name_or_an_answer(patient, personas):
    """The audit trail is append-only: what it holds must be clean from the start, erasure or not."""
    first, _ = patient
    staff_client(personas.clinician).get(reverse("staff:intake", args=[first.public_id]))
    lines = AuditEvent.objects.all()
    text = " ".join(f"{e.actor_label} {e.object_id} {e.detail}" for e in lines).lower()
    for needle in NEEDLES:
        assert needle.lower() not in text


def test_after_the_front_desk_corrected_the_address_the_record_is_still_erased_by_either(personas):
    """The proven address stays on the record; the intake now holds the corrected one: both confirm."""
    for typed in ("ada@example.com", "ada.new@example.com"):
        intake = make_intake(email="ada@example.com", first_name="Ada", answers=REVIEW)
        Patient.objects.filter(pk=intake.patient_id).update(email="ada@example.com")  # once proven
        intake_correct_email(intake_id=intake.pk, email="ada.new@example.com", by=Actor.staff(personas.front_desk))
        client = staff_client(personas.clinic_admin)
        url = erase_url(intake)
        assert "(1 intake)" in client.get(url).content.decode()
        done = client.post(url, {"confirm": typed}, follow=True)
        assert "The patient is erased: 1 intake(s)" in done.content.decode()
        intake.refresh_from_db()
        assert (intake.first_name, intake.email, intake.answers) == ("", "", {})
        assert Patient.objects.get(pk=intake.patient_id).email == ""
        assert AuditEvent.objects.filter(action=AuditAction.PATIENT_ERASED, intake_id=intake.pk).count() == 1


def test_another_record_sharing_the_address_is_named_on_the_page_and_not_erased(personas):
    """A parent and a child on one address are two records: erasing one leaves the other whole."""
    mum = make_intake(email="family@example.com", first_name="Mum", answers=REVIEW)
    kid = make_intake(email="family@example.com", first_name="Kid", answers=REVIEW)
    assert mum.patient_id != kid.patient_id
    client = staff_client(personas.clinic_admin)
    page = client.get(erase_url(mum)).content.decode()
    others = page.split('id="erase-others"', 1)[1].split("</div>", 1)[0]
    assert reverse("staff:patient", args=[kid.patient_id]) in others and "not</strong> erased" in others
    assert client.post(erase_url(mum), {"confirm": "family@example.com"}).status_code == 302
    mum.refresh_from_db()
    kid.refresh_from_db()
    assert mum.first_name == "" and mum.answers == {}
    assert kid.first_name == "Kid" and kid.answers and kid.email == "family@example.com"
    assert Patient.objects.get(pk=kid.patient_id).first_name == "Kid"


def test_an_unsent_form_from_the_patients_address_is_erased_with_the_record(personas):
    sent = make_intake(email="zoe@example.com", first_name="Zoe", answers=REVIEW)
    draft = Intake.objects.create(treatment=sent.treatment, email="Zoe@Example.com", first_name="Zoe",
                                  answers={"medications": ANSWER})
    client = staff_client(personas.clinic_admin)
    assert "(2 intakes)" in client.get(erase_url(sent)).content.decode()
    client.post(erase_url(sent), {"confirm": "zoe@example.com"})
    draft.refresh_from_db()
    assert (draft.first_name, draft.email, draft.answers) == ("", "", {})


def test_a_merged_records_page_erases_the_record_it_was_merged_into(patient, personas):
    first, second = patient
    merged = Patient.objects.get(merged_into_id=first.patient_id)
    response = staff_client(personas.clinic_admin).post(reverse("staff:patient_erase", args=[merged.pk]),
                                                        {"confirm": EMAIL})
    assert response.status_code == 302
    assert {needle: columns_holding(needle) for needle in NEEDLES} == dict.fromkeys(NEEDLES, [])
