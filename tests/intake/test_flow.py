"""The patient's journey through the intake, with Django's test client."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from screening.intake.models import AccessLink, Flag, Intake, Screening
from tests.intake.helpers import LAST_STEP, complete, last_link, post_step, start

pytestmark = pytest.mark.django_db


def _days_ago(days: int) -> str:
    return (timezone.localdate() - timedelta(days=days)).isoformat()


def test_a_clean_intake_is_eligible_and_offers_a_time(client):
    intake = complete(client)
    assert intake.status == Intake.Status.SUBMITTED
    assert intake.outcome == "eligible"
    assert intake.eligible_from is None
    page = client.get(reverse("intake:outcome", args=[intake.public_id]))
    assert page.status_code == 200
    assert "Good news: you can book" in page.content.decode()


def test_a_recent_isotretinoin_course_is_eligible_from_a_date(client):
    intake = complete(client, answers={4: {"isotretinoin_last_taken__never": None,
                                           "isotretinoin_last_taken": _days_ago(30)}})
    assert intake.outcome == "deferred"
    expected = timezone.localdate() - timedelta(days=30) + timedelta(days=183)
    assert intake.eligible_from == expected
    page = client.get(reverse("intake:outcome", args=[intake.public_id])).content.decode()
    assert "You can book from" in page
    assert expected.strftime("%Y") in page


def test_a_bleeding_disorder_needs_a_clinicians_review(client):
    intake = complete(client, answers={3: {"bleeding_disorder": "yes"}})
    assert intake.outcome == "review"
    page = client.get(reverse("intake:outcome", args=[intake.public_id])).content.decode()
    assert "A clinician will check your answers" in page


def test_active_acne_is_not_suitable_with_the_patient_wording_only(client):
    intake = complete(client, answers={3: {"active_acne": "yes"}})
    assert intake.outcome == "not_suitable"
    flag = Flag.objects.get(screening__intake=intake)
    page = client.get(reverse("intake:outcome", args=[intake.public_id])).content.decode()
    assert "We can&#x27;t offer this treatment" in page or "We can't offer this treatment" in page
    assert flag.patient_message[:40] in page.replace("&#x27;", "'")
    assert flag.staff_message[:40] not in page.replace("&#x27;", "'")


def test_submitting_stores_a_snapshot_with_the_rule_revision_and_evidence(client):
    intake = complete(client, answers={3: {"blood_thinners": "yes", "blood_thinners_detail": "warfarin"}})
    screening = Screening.objects.get(intake=intake)
    assert screening.reason == "submit"
    assert screening.outcome == "review"
    flag = screening.flags.get()
    assert flag.rule_code == "BLOOD_THINNERS"
    assert flag.rule_revision == 1
    assert flag.evidence == {"blood_thinners": True}
    assert screening.answers["blood_thinners_detail"] == "warfarin"


def test_editing_a_rule_later_does_not_change_a_past_outcome(client):
    from screening.questionnaire.models import Rule

    intake = complete(client, answers={3: {"keloid_history": "yes"}})
    Rule.objects.filter(code="KELOID").update(severity="info", revision=2)
    intake.refresh_from_db()
    assert intake.outcome == "not_suitable"
    assert Flag.objects.get(screening__intake=intake).severity == "block"


def test_a_submit_with_a_missing_answer_is_incomplete_never_eligible(client):
    from screening.intake.services import intake_submit

    intake = start(client)
    post_step(client, intake, 1)
    intake.refresh_from_db()
    intake = intake_submit(intake=intake)
    assert intake.outcome == "incomplete"
    page = client.get(reverse("intake:outcome", args=[intake.public_id])).content.decode()
    assert "A few answers are missing" in page


def test_a_double_submit_creates_one_intake_and_one_screening(client):
    intake = complete(client)
    again = post_step(client, intake, LAST_STEP)
    assert again.status_code == 302
    assert again["Location"] == reverse("intake:outcome", args=[intake.public_id])
    assert Intake.objects.count() == 1
    assert Screening.objects.filter(intake=intake).count() == 1


def test_the_back_button_after_submit_leads_to_the_outcome(client):
    intake = complete(client)
    response = client.get(reverse("intake:step", args=[intake.public_id, 3]))
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:outcome", args=[intake.public_id])


def test_each_completed_step_is_saved_as_a_draft(client):
    intake = start(client)
    post_step(client, intake, 1)
    post_step(client, intake, 2)
    post_step(client, intake, 3, warts_in_area="yes")
    intake.refresh_from_db()
    assert intake.status == "draft"
    assert intake.completed_step == 3
    assert intake.answers["warts_in_area"] is True
    assert intake.answers["first_name"] == "Alex"
    assert intake.email == "alex@example.com"


def test_back_keeps_the_answers_of_both_steps(client):
    intake = start(client)
    post_step(client, intake, 1)
    post_step(client, intake, 2, concerns=["acne_scars", "pigmentation"])
    response = post_step(client, intake, 3, action="back", active_acne="no", tattoo_in_area="yes")
    assert response["Location"] == reverse("intake:step", args=[intake.public_id, 2])
    page = client.get(response["Location"]).content.decode()
    assert 'value="acne_scars" checked' in page or 'checked value="acne_scars"' in page or _checked(page, "acne_scars")
    page3 = client.get(reverse("intake:step", args=[intake.public_id, 3])).content.decode()
    assert _checked(page3, "yes", name="tattoo_in_area")


def _checked(page: str, value: str, name: str | None = None) -> bool:
    import re

    for tag in re.findall(r"<input[^>]*>", page):
        if f'value="{value}"' in tag and "checked" in tag and (name is None or f'name="{name}"' in tag):
            return True
    return False


def test_the_resume_link_brings_a_fresh_device_back_to_where_they_stopped(client):
    intake = start(client)
    post_step(client, intake, 1)
    post_step(client, intake, 2)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alex@example.com"]
    url = last_link()

    phone = Client()
    landing = phone.get(url)
    assert landing.status_code == 302
    assert landing["Location"] == reverse("intake:link_continue")  # token leaves the address bar
    assert phone.get(landing["Location"]).status_code == 200
    resumed = phone.post(landing["Location"])
    assert resumed["Location"] == reverse("intake:step", args=[intake.public_id, 3])
    page = phone.get(reverse("intake:step", args=[intake.public_id, 1])).content.decode()
    assert 'value="Alex"' in page


def test_a_mail_scanner_opening_the_link_does_not_grant_access(client):
    intake = start(client)
    post_step(client, intake, 1)
    scanner = Client()
    scanner.get(last_link())
    assert scanner.get(reverse("intake:step", args=[intake.public_id, 1])).status_code == 404


def test_a_mail_scanner_opening_the_link_neither_uses_it_up_nor_breaks_it(client):
    intake = start(client)
    post_step(client, intake, 1)
    url = last_link()
    scanner = Client()
    assert scanner.get(url).status_code == 302
    assert scanner.get(reverse("intake:link_continue")).status_code == 200  # it follows redirects: a page, no grant
    assert scanner.get(reverse("intake:step", args=[intake.public_id, 1])).status_code == 404
    assert AccessLink.objects.get(intake=intake).last_used_at is None  # a GET spends nothing
    phone = Client()
    phone.get(url)
    assert phone.post(reverse("intake:link_continue"))["Location"] == reverse(
        "intake:step", args=[intake.public_id, 2])
    assert phone.get(reverse("intake:step", args=[intake.public_id, 1])).status_code == 200


def test_the_link_token_is_long_and_only_its_hash_is_stored(client):
    intake = start(client)
    post_step(client, intake, 1)
    token = last_link().rstrip("/").rsplit("/", 1)[-1]
    assert len(token) >= 43  # 32 random bytes, base64: 256 bits
    assert not AccessLink.objects.filter(token_hash=token).exists()
    assert AccessLink.objects.filter(token_hash=AccessLink.hash_token(token), intake=intake).exists()


def test_an_expired_link_explains_how_to_get_a_new_one(client):
    intake = start(client)
    post_step(client, intake, 1)
    AccessLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1),
                              created_at=timezone.now() - timedelta(days=8))
    response = Client().get(last_link())
    assert response.status_code == 410
    assert "This link no longer works" in response.content.decode()
    assert "new link" in response.content.decode()


def test_an_unknown_link_is_a_kind_404(client):
    response = client.get(reverse("intake:link", args=["not-a-real-token"]))
    assert response.status_code == 404
    assert "This link doesn" in response.content.decode()


def test_asking_for_a_new_link_emails_one_without_revealing_whether_the_address_exists(client):
    intake = start(client)
    post_step(client, intake, 1)
    mail.outbox.clear()
    known = Client().post(reverse("intake:link_request"), {"email": "ALEX@example.com"})
    unknown = Client().post(reverse("intake:link_request"), {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 200
    assert "Check your email" in known.content.decode() and "Check your email" in unknown.content.decode()
    assert len(mail.outbox) == 1
    assert "/intake/r/" in mail.outbox[0].body


def test_another_patients_intake_is_a_404_everywhere(client):
    mine = complete(client)
    other = Client()
    theirs = start(other)
    for url in [
        reverse("intake:step", args=[theirs.public_id, 1]),
        reverse("intake:outcome", args=[theirs.public_id]),
    ]:
        assert client.get(url).status_code == 404
    assert client.post(reverse("intake:step", args=[theirs.public_id, 1]), {"first_name": "x"}).status_code == 404
    assert other.get(reverse("intake:outcome", args=[mine.public_id])).status_code == 404


def test_pages_with_health_data_are_not_cached(client):
    intake = start(client)
    for url in [reverse("intake:step", args=[intake.public_id, 1]), reverse("intake:start")]:
        assert "no-store" in client.get(url)["Cache-Control"]


def test_emails_carry_no_health_detail(client):
    complete(client, answers={3: {"blood_thinners": "yes", "blood_thinners_detail": "warfarin 5mg"}})
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        body = message.subject + message.body
        for word in ["warfarin", "blood", "thinner", "review", "clinician", "eligible"]:
            assert word not in body.lower()


def test_no_health_data_goes_into_urls(client):
    intake = start(client)
    response = post_step(client, intake, 1)
    assert "Alex" not in response["Location"] and "1992" not in response["Location"]


def test_an_intake_keeps_the_questionnaire_version_it_answered(client):
    from screening.questionnaire.models import QuestionnaireVersion

    version = QuestionnaireVersion.objects.order_by("-number").first()
    assert version is not None
    intake = start(client)
    assert intake.questionnaire_version == version
