"""A returning patient books the next session with a short health update, screened with the full rule set."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from screening.audit.log import Actor
from screening.booking.errors import BookingError
from screening.booking.models import BookingStatus
from screening.booking.services import booking_create
from screening.core.models import ClinicSettings
from screening.courses.returning import months_after
from screening.courses.sessions import session_mark, sessions_done
from screening.intake.models import Intake, Screening
from screening.questionnaire.models import Question, Step
from tests.booking.conftest import at
from tests.conftest import run_pending_on_commit
from tests.patients.test_recheck import JANUARY, SESSION, _check_answers, _cleared_in_january
from tests.staff.conftest import patient_client

pytestmark = pytest.mark.django_db


def _first_session_done(personas, calendar) -> Intake:
    intake, booking = _cleared_in_january(personas, calendar)
    with time_machine.travel(SESSION + timedelta(hours=1), tick=False):
        session_mark(booking_id=booking.pk, status=BookingStatus.COMPLETED, by=Actor.staff(personas.front_desk))
        run_pending_on_commit(tasks=False)
    return intake


def test_months_after_keeps_the_day_or_takes_the_months_last():
    assert months_after(date(2027, 1, 12), 6) == date(2027, 7, 12)
    assert months_after(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert months_after(date(2027, 11, 30), 3) == date(2028, 2, 29)


def test_a_returning_patient_who_stopped_isotretinoin_is_deferred_to_the_right_day(personas, calendar):
    intake = _first_session_done(personas, calendar)
    with time_machine.travel(SESSION + timedelta(days=2), tick=False):
        client = patient_client(intake)
        page = client.get(reverse("booking:booking", args=[intake.public_id])).content.decode()
        assert reverse("courses:next_session", args=[intake.public_id]) in page
        answers = _check_answers(isotretinoin_last_taken="2027-03-01")  # a short course, stopped on 1 March
        answers.pop("isotretinoin_last_taken__never")
        response = client.post(reverse("courses:next_session", args=[intake.public_id]), answers)
        new = Intake.objects.exclude(pk=intake.pk).get(patient_id=intake.patient_id)
        assert response["Location"] == reverse("intake:outcome", args=[new.public_id])

        assert (new.follows_id, new.treatment_id, new.status) == (intake.pk, intake.treatment_id, "submitted")
        # The blood-thinner flag a clinician cleared on the first intake is theirs to see again on this one.
        assert new.outcome == "review"
        assert new.eligible_from == date(2027, 3, 1) + timedelta(days=183) == date(2027, 8, 31)
        sent = new.screenings.get()
        assert sent.reason == Screening.Reason.SUBMIT and sent.answers["isotretinoin_last_taken"] == "2027-03-01"
        assert sent.answers["bleeding_disorder"] is True  # the rest of the last answers carried over
        assert client.get(reverse("intake:outcome", args=[new.public_id])).status_code == 200

        with pytest.raises(BookingError) as refused:
            booking_create(intake=new, practitioner_id=calendar["anna"].pk, start=at(date(2027, 4, 7), 11))
        assert refused.value.code == "too_early" and refused.value.earliest == date(2027, 8, 31)
    assert sessions_done(patient_id=intake.patient_id) == 1


def test_the_whole_form_again_after_the_clinics_period_or_a_new_required_question(personas, calendar):
    intake = _first_session_done(personas, calendar)
    ClinicSettings.objects.filter(pk=1).update(full_intake_months=2)
    with time_machine.travel(JANUARY + timedelta(days=62), tick=False):  # 15 March: past 12 March
        response = patient_client(intake).get(reverse("courses:next_session", args=[intake.public_id]), follow=True)
        assert "It has been a while since you last filled in the whole form" in response.content.decode()
        assert response.redirect_chain[-1][0] == reverse("intake:start")
    ClinicSettings.objects.filter(pk=1).update(full_intake_months=6)
    Question.objects.create(code="new_required", step=Step.objects.get(number=5), type="yes_no",
                            label="A question the clinic added", required=True)
    with time_machine.travel(JANUARY + timedelta(days=62), tick=False):
        response = patient_client(intake).get(reverse("courses:next_session", args=[intake.public_id]), follow=True)
        assert "Our form has changed" in response.content.decode()
