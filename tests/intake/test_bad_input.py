"""Bad input on every question type: a clear message, nothing lost, no 500."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.intake.helpers import CONSENT, draft_at, post_step, start, step_of

MEDICINES = step_of("isotretinoin_last_taken")

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_medicines(client):
    """A draft at the step that asks about medicines (isotretinoin, retinoids)."""
    return draft_at(client, MEDICINES)


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _value_kept(page: str, name: str, value: str) -> bool:
    import re

    for tag in re.findall(r"<input[^>]*>", page):
        if f'name="{name}"' in tag and f'value="{value}"' in tag:
            return True
    return False


def _radio_kept(page: str, name: str, value: str) -> bool:
    import re

    return any(
        f'name="{name}"' in tag and f'value="{value}"' in tag and "checked" in tag
        for tag in re.findall(r"<input[^>]*>", page)
    )


def test_an_impossible_date_is_refused_and_other_answers_are_kept(client):
    intake = start(client)
    page = _page(post_step(client, intake, 1, date_of_birth="1990-02-30", first_name="Sam"))
    assert "Please enter a real date" in page
    assert _value_kept(page, "first_name", "Sam")
    assert _value_kept(page, "email", "alex@example.com")
    intake.refresh_from_db()
    assert intake.completed_step == 0


def test_a_last_taken_date_in_the_future_is_refused(client, at_medicines):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    page = _page(post_step(client, at_medicines, MEDICINES, isotretinoin_last_taken__never=None,
                           isotretinoin_last_taken=tomorrow, isotretinoin_current="no"))
    assert "This date is in the future" in page
    assert _radio_kept(page, "isotretinoin_current", "no")
    assert _value_kept(page, "isotretinoin_last_taken", tomorrow)


def test_a_date_of_birth_in_the_future_is_refused(client):
    intake = start(client)
    future = (timezone.localdate() + timedelta(days=10)).isoformat()
    assert "This date is in the future" in _page(post_step(client, intake, 1, date_of_birth=future))


def test_a_date_question_needs_a_date_or_never(client, at_medicines):
    page = _page(post_step(client, at_medicines, MEDICINES, retinoid_last_used__never=None))
    assert "Please enter a date, or tick" in page


def test_a_date_and_never_together_are_refused(client, at_medicines):
    page = _page(post_step(client, at_medicines, MEDICINES, retinoid_last_used="2020-01-01"))
    assert "not both" in page


def test_an_empty_required_answer_is_named_and_the_rest_kept(client):
    intake = start(client)
    post_step(client, intake, 1)
    post_step(client, intake, 2)
    page = _page(post_step(client, intake, 3, active_acne=None, tattoo_in_area="yes"))
    assert "Please answer this question." in page
    assert 'href="#id_active_acne_0"' in page or "#id_active_acne" in page  # summary links the field
    assert _radio_kept(page, "tattoo_in_area", "yes")
    intake.refresh_from_db()
    assert "active_acne" not in intake.answers and intake.completed_step == 2


def test_over_long_text_is_refused(client):
    intake = start(client)
    page = _page(post_step(client, intake, 1, first_name="A" * 101))
    assert "Ensure this value has at most 100 characters" in page
    assert _value_kept(page, "last_name", "Example")


def test_html_in_text_is_shown_escaped(client):
    intake = start(client)
    post_step(client, intake, 1, first_name="<script>alert(1)</script>", last_name="<b>x</b>")
    page = client.get(reverse("intake:step", args=[intake.public_id, 1])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_tampered_choice_value_is_refused(client):
    intake = draft_at(client, step_of("diabetes"))
    page = _page(post_step(client, intake, step_of("diabetes"), diabetes="mild"))
    assert "Please choose one of the options shown." in page
    assert _radio_kept(page, "metal_allergy", "no")


def test_a_tampered_multi_choice_is_refused(client):
    intake = start(client)
    post_step(client, intake, 1)
    page = _page(post_step(client, intake, 2, concerns=["wrinkles", "tattoo_removal"]))
    assert "Please choose only from the options shown." in page


def test_a_tampered_yes_no_is_refused(client):
    intake = start(client)
    post_step(client, intake, 1)
    post_step(client, intake, 2)
    page = _page(post_step(client, intake, 3, active_acne="maybe"))
    assert "Select a valid choice" in page or "Please choose" in page


def test_a_tampered_step_number_sends_the_patient_to_where_they_left_off(client):
    intake = start(client)
    post_step(client, intake, 1)
    ahead = post_step(client, intake, 4)
    assert ahead.status_code == 302
    assert ahead["Location"] == reverse("intake:step", args=[intake.public_id, 2])
    intake.refresh_from_db()
    assert intake.completed_step == 1 and intake.answers["first_name"] == "Alex"
    nowhere = client.get(reverse("intake:step", args=[intake.public_id, 99]))
    assert nowhere.status_code == 302


def test_a_tampered_treatment_is_refused(client):
    response = client.post(reverse("intake:start"), {"treatment": "99999"})
    assert response.status_code == 200
    assert "Please choose one of the treatments listed." in response.content.decode()


def test_consent_needs_the_tick_and_the_name_as_given(client):
    intake = start(client)
    for number in range(1, CONSENT):
        post_step(client, intake, number)
    page = _page(post_step(client, intake, CONSENT, consent_risks=None, consent_signature="Someone Else"))
    assert "Please tick to confirm" in page
    assert "Please type your full name exactly as you gave it: Alex Example." in page
    assert _value_kept(page, "consent_signature", "Someone Else")
    ok = post_step(client, intake, CONSENT, consent_signature="  alex   EXAMPLE ")
    assert ok.status_code == 302


def test_the_blood_thinner_detail_is_dropped_when_the_answer_changes_to_no(client):
    step = step_of("blood_thinners")
    intake = draft_at(client, step)
    post_step(client, intake, step, blood_thinners="yes", blood_thinners_detail="apixaban")
    intake.refresh_from_db()
    assert intake.answers["blood_thinners_detail"] == "apixaban"
    post_step(client, intake, step, blood_thinners="no", blood_thinners_detail="apixaban")
    intake.refresh_from_db()
    assert "blood_thinners_detail" not in intake.answers


def test_garbage_in_every_field_never_gives_a_server_error(client):
    intake = start(client)
    junk = {"first_name": "\x00" * 3, "date_of_birth": "99999-99-99", "email": "@@", "phone": "x" * 5000}
    assert client.post(reverse("intake:step", args=[intake.public_id, 1]), junk).status_code == 200
    assert client.post(reverse("intake:step", args=[intake.public_id, 1]), {"action": ["back", "x"]}).status_code == 200
