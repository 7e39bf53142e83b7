"""One intake as a clinician reads it: answers by step, flags with evidence, booking, history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from screening.audit.models import AuditAction, AuditEvent
from screening.intake.models import Screening
from screening.intake.screenings import record_screening
from screening.questionnaire.models import Rule
from tests.staff.conftest import bulk_intakes, make_intake, staff_client

pytestmark = pytest.mark.django_db


def _page(client, intake) -> str:
    response = client.get(reverse("staff:intake", args=[intake.public_id]))
    assert response.status_code == 200
    return response


def test_every_answer_is_shown_by_step_with_the_flagged_ones_marked(personas):
    response = _page(staff_client(personas.clinician), personas.intake_a)
    detail = response.context["detail"]
    titles = [group.step.title for group in detail.steps]
    assert titles[0] == "About you" and len(titles) >= 4
    rows = {row.question.code: row for group in detail.steps for row in group.rows}
    assert rows["bleeding_disorder"].value == "Yes"
    assert rows["bleeding_disorder"].flagged_by == ["BLEEDING_DISORDER"]
    assert rows["blood_thinners"].flagged_by == []
    assert rows["isotretinoin_last_taken"].value == "Never / not applicable"
    assert rows["diabetes"].value != "none"  # the choice's label, not its code
    assert rows["medications"].value == "Tranexamic acid 500mg"
    assert rows["medications"].flagged_by == ["MEDICINES_LISTED"]  # issue 18: free text is read
    assert "blood_thinners_detail" not in rows  # a follow-up that was not shown
    html = response.content.decode()
    assert html.count('class="answer-flagged"') == 2  # bleeding_disorder, medications
    assert "Cache-Control" in response and "no-store" in response["Cache-Control"]


def test_each_flag_shows_its_rule_severity_staff_message_evidence_and_revision(personas):
    rule = Rule.objects.get(code="BLEEDING_DISORDER")
    html = _page(staff_client(personas.front_desk), personas.intake_a).content.decode()
    assert rule.name in html and rule.staff_message[:40] in html
    assert "Review (a clinician decides)" in html
    assert "Rule revision</dt><dd class=\"col-sm-9\">1<" in html.replace("\n", "")
    assert "<strong>Yes</strong>" in html


def test_a_date_rule_shows_its_window_and_the_eligible_from_date(personas):
    taken = timezone.localdate() - timedelta(days=30)
    intake = make_intake(email="iso@example.com", first_name="Iris",
                         answers={"bleeding_disorder": True, "isotretinoin_last_taken": taken.isoformat()})
    detail = _page(staff_client(personas.clinician), intake).context["detail"]
    [iso] = [f for f in detail.flags if f.flag.rule_code == "ISOTRETINOIN"]
    assert iso.window == "within 183 days before the appointment"
    assert iso.flag.eligible_from == taken + timedelta(days=183)
    assert iso.evidence == [(iso.evidence[0][0], f"{taken:%d %b %Y}")]


def test_a_rule_changed_since_says_its_old_window_is_not_known_here(personas):
    taken = timezone.localdate() - timedelta(days=30)
    intake = make_intake(email="iso@example.com", first_name="Iris",
                         answers={"isotretinoin_last_taken": taken.isoformat()})
    Rule.objects.filter(code="ISOTRETINOIN").update(revision=2)
    detail = _page(staff_client(personas.clinician), intake).context["detail"]
    [iso] = detail.flags
    assert iso.flag.rule_revision == 1
    assert "revision 2" in iso.window


def test_the_page_shows_the_booking_and_its_state_and_the_decisions(personas):
    client = staff_client(personas.clinician)
    html = _page(client, personas.intake_a).content.decode()
    assert "Anna Baker" in html and "Held (provisional, awaiting review)" in html
    client.post(reverse("staff:intake_ask", args=[personas.intake_a.public_id]),
                {"screening_id": personas.intake_a.screenings.get().pk, "question": "Which medicine?"})
    html = _page(client, personas.intake_a).content.decode()
    assert "Asked the patient</strong> by clara" in html
    assert "Waiting for the patient to answer" in html


def test_opening_an_intake_is_recorded_in_the_audit_trail(personas):
    client = staff_client(personas.front_desk)
    _page(client, personas.intake_a)
    event = AuditEvent.objects.get(action=AuditAction.INTAKE_VIEWED)
    assert (event.actor, event.actor_label, event.intake_id) == (personas.front_desk, "frank", personas.intake_a.pk)
    assert event.object_type == "intake" and event.object_id == str(personas.intake_a.pk)
    assert event.ip == "127.0.0.1"
    assert AuditAction.INTAKE_VIEWED.label in _page(client, personas.intake_a).content.decode()


def test_someone_elses_or_an_unsent_intake_is_a_404(personas):
    from screening.core.models import Treatment
    from screening.intake.models import Intake

    draft = Intake.objects.create(treatment=Treatment.objects.get(code="face"))
    client = staff_client(personas.clinician)
    assert client.get(reverse("staff:intake", args=[draft.public_id])).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.INTAKE_VIEWED).exists()


def test_the_detail_page_runs_as_many_queries_with_many_screenings_and_intakes(personas, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from screening.booking.models import Practitioner
    from screening.rules import ScreeningResult

    client = staff_client(personas.clinician)
    url = reverse("staff:intake", args=[personas.intake_a.public_id])
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    few = len(captured)
    other = Practitioner.objects.create(name="Ben Carter")
    bulk_intakes(200, practitioner=other)
    result = ScreeningResult(outcome="review", eligible_from=None)
    for _ in range(10):
        record_screening(personas.intake_a, result, reason=Screening.Reason.RESCREEN,
                         on_date=timezone.localdate(), answers=personas.intake_a.answers)
    with django_assert_num_queries(few):
        client.get(url)


def test_a_not_sure_answer_reads_not_sure(personas):
    # Issue 18: pregnancy and bleeding disorders may be answered "not sure".
    from screening.intake.models import Intake

    Intake.objects.filter(pk=personas.intake_a.pk).update(
        answers={**personas.intake_a.answers, "pregnant_or_breastfeeding": "not_sure"})
    personas.intake_a.screenings.update(answers={**personas.intake_a.answers, "pregnant_or_breastfeeding": "not_sure"})

    detail = _page(staff_client(personas.clinician), personas.intake_a).context["detail"]

    rows = {row.question.code: row for group in detail.steps for row in group.rows}
    assert rows["pregnant_or_breastfeeding"].value == "Not sure"
