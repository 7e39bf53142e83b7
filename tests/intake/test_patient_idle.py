"""A patient's session ends after PATIENT_IDLE_MINUTES without a request; the answers stay; the link brings them back."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from screening.intake.links import link_issue
from screening.intake.models import AccessLink, Intake
from tests.intake.helpers import draft_at, post_step

pytestmark = pytest.mark.django_db


def test_a_session_idle_past_the_limit_ends_and_the_answers_are_kept(client, settings):
    settings.PATIENT_IDLE_MINUTES = 30
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        intake = draft_at(client, 3)
    step = reverse("intake:step", args=[intake.public_id, 3])
    with time_machine.travel(now + timedelta(minutes=29), tick=False):
        assert client.get(step).status_code == 200  # still within the limit (and the clock starts again)
    with time_machine.travel(now + timedelta(minutes=29 + 31), tick=False):
        ended = client.get(step, follow=True)
    assert ended.redirect_chain[-1][0] == reverse("intake:link_request")
    assert "session ended after 30 minutes without activity" in ended.content.decode()
    assert client.get(step).status_code == 404  # the session no longer reaches the intake
    saved = Intake.objects.get(pk=intake.pk)
    assert saved.completed_step == 2 and saved.answers  # nothing lost

    token = link_issue(intake=saved, purpose=AccessLink.Purpose.RESUME)
    with time_machine.travel(now + timedelta(minutes=61), tick=False):
        opened = client.get(reverse("intake:link", args=[token]), follow=True)
        continued = client.post(opened.redirect_chain[-1][0] if opened.redirect_chain else
                                reverse("intake:link_continue"), follow=True)
        assert continued.request["PATH_INFO"] == step  # back where they left off
        assert post_step(client, saved, 3).status_code == 302


def test_an_active_patient_is_never_cut_off(client, settings):
    settings.PATIENT_IDLE_MINUTES = 30
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        intake = draft_at(client, 2)
    step = reverse("intake:step", args=[intake.public_id, 2])
    for minutes in range(20, 200, 20):  # a request every 20 minutes for three hours
        with time_machine.travel(now + timedelta(minutes=minutes), tick=False):
            assert client.get(step).status_code == 200, minutes
