"""A patient reads and downloads everything held about them, through their own session; each read is audited."""

from __future__ import annotations

import json
import re

from django.urls import reverse

from screening.audit.log import Actor
from screening.audit.models import AuditAction, AuditEvent
from screening.review.services import intake_ask
from tests.staff.conftest import REVIEW, latest_screening, make_intake, patient_client, staff_client

ANSWER = "Tranexamic acid 500mg"


def test_the_page_shows_answers_screening_booking_questions_and_messages(personas):
    intake = personas.intake_a
    intake_ask(intake_id=intake.pk, screening_id=latest_screening(intake).pk, by=Actor.staff(personas.clinician),
               question="Since when do you take it?")
    intake.staff_questions.update(reply="Since March")
    response = patient_client(intake).get(reverse("booking:your_data", args=[intake.public_id]))
    assert response.status_code == 200
    page = response.content.decode()
    for text in ("Ada Lovelace", "ada@example.com", ANSWER, "Needs review", "Anna Baker",
                 "Since when do you take it?", "Since March", "Messages we wrote to you"):
        assert text in page, text
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_download_is_json_of_the_same_and_carries_no_live_link(personas):
    intake = personas.intake_a
    response = patient_client(intake).get(reverse("booking:your_data_download", args=[intake.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    [item] = data["intakes"]
    assert item["reference"] == str(intake.public_id) and item["email"] == "ada@example.com"
    assert {"question", "code", "answer", "value"} <= set(item["answers"][0])
    assert any(a["value"] == ANSWER for a in item["answers"])
    assert item["screenings"][0]["messages"]  # the flags' words for the patient
    assert item["bookings"][0]["practitioner"] == "Anna Baker"
    assert item["messages_sent_to_you"]
    # A message's link (sent or waiting) is for the mailbox, not for a file the patient may pass on.
    assert re.search(r"/intake/r/[A-Za-z0-9_-]{16,}", response.content.decode()) is None


def test_each_view_and_download_is_audited_without_health_detail(personas):
    intake = personas.intake_a
    client = patient_client(intake)
    client.get(reverse("booking:your_data", args=[intake.public_id]))
    client.get(reverse("booking:your_data_download", args=[intake.public_id]))
    lines = AuditEvent.objects.filter(intake_id=intake.pk, action__in=[AuditAction.DATA_VIEWED,
                                                                        AuditAction.DATA_DOWNLOADED])
    assert sorted(lines.values_list("action", flat=True)) == ["data_downloaded", "data_viewed"]
    for line in lines:
        assert line.actor_label == "patient" and line.detail == ""


def test_it_covers_this_sessions_intakes_of_the_same_email_and_no_others(personas):
    mine = make_intake(email="ADA@example.com", first_name="Ada", last_name="Lovelace", answers=REVIEW)
    other_same_email = make_intake(email="ada@example.com", first_name="Ada", last_name="Lovelace")
    client = patient_client(personas.intake_a, mine, personas.intake_b)
    data = json.loads(client.get(reverse("booking:your_data_download", args=[personas.intake_a.public_id])).content)
    references = {i["reference"] for i in data["intakes"]}
    # Not B's intake (another email on a shared tablet), nor one of the email this session was never granted.
    assert references == {str(personas.intake_a.public_id), str(mine.public_id)}
    assert str(other_same_email.public_id) not in references


def test_another_patient_and_staff_get_a_404(personas):
    url = reverse("booking:your_data_download", args=[personas.intake_a.public_id])
    assert patient_client(personas.intake_b).get(url).status_code == 404
    assert staff_client(personas.clinician).get(url).status_code == 404


def test_the_outcome_and_booking_pages_link_to_it(personas):
    intake = personas.intake_a
    client = patient_client(intake)
    url = reverse("booking:your_data", args=[intake.public_id]).encode()
    assert url in client.get(reverse("intake:outcome", args=[intake.public_id])).content
    assert url in client.get(reverse("booking:booking", args=[intake.public_id])).content
