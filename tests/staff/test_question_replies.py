"""Asking the patient (issue 19): the question and the reply box first, the answers folded below; one booking
state on the result page; the queue marks "replied", the intake shows the reply beside the question."""

from __future__ import annotations

import pytest
from django.urls import reverse

from screening.audit.log import Actor
from screening.review.services import intake_ask
from tests.staff.conftest import latest_screening, patient_client, staff_client
from tests.staff.test_question_round_trip import _health_answers

pytestmark = pytest.mark.django_db

QUESTION = "Which medicine do you take for it, and how often?"
REPLY = "Only before dental work; last seen in March."


def _ask(personas):
    intake_ask(intake_id=personas.intake_a.pk, screening_id=latest_screening(personas.intake_a).pk,
               by=Actor.staff(personas.clinician), question=QUESTION)


def test_the_reply_box_comes_first_and_the_answers_are_folded_below(personas):
    _ask(personas)
    page = patient_client(personas.intake_a).get(
        reverse("intake:answers_update", args=[personas.intake_a.public_id])).content.decode()
    assert page.index(QUESTION) < page.index('name="reply"') < page.index('<details') < page.index(
        'name="bleeding_disorder"')
    assert '<details class="mb-3" id="earlier-answers">' in page  # folded until an answer needs attention


def test_the_queue_marks_replied_and_the_intake_shows_the_reply_beside_the_question(personas):
    _ask(personas)
    patient = patient_client(personas.intake_a)
    url = reverse("intake:answers_update", args=[personas.intake_a.public_id])
    assert patient.post(url, {**_health_answers(), "reply": REPLY}).status_code == 302
    client = staff_client(personas.clinician)
    queue = client.get(reverse("staff:queue"))
    [ada] = [i for i in queue.context["result"].page.object_list if i.pk == personas.intake_a.pk]
    assert ada.review_state == "review" and ada.replied_at is not None
    [bo] = [i for i in queue.context["result"].page.object_list if i.pk == personas.intake_b.pk]
    assert bo.replied_at is None
    assert queue.content.decode().count('queue-replied">replied</span>') == 1
    detail = client.get(reverse("staff:intake", args=[personas.intake_a.public_id])).content.decode()
    box = detail[detail.index('id="patient-reply"'):]
    box = box[: box.index("</div>\n      </div>")]
    assert QUESTION in box and REPLY in box


def test_the_result_page_says_one_thing_about_a_held_time(personas):
    page = patient_client(personas.intake_a).get(
        reverse("intake:outcome", args=[personas.intake_a.public_id])).content.decode()
    assert "You have a time held" in page
    assert "You can hold a time now" not in page
    other = patient_client(personas.intake_b).get(
        reverse("intake:outcome", args=[personas.intake_b.public_id])).content.decode()
    assert "You can hold a time now" in other and "You have a time held" not in other
