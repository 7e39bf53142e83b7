"""Questions carry a kind (email, names, date of birth, phone, signature): the intake reads kinds, not codes.

A clinic's questionnaire may name its questions as it likes: the email
address, the names and the signature keep working under other codes, and a
question that merely happens to be coded "email" is just text.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from screening.intake.models import Intake
from screening.questionnaire.admin_selectors import current_questionnaire_version
from screening.questionnaire.models import Question, QuestionKind
from screening.questionnaire.selectors import forget_questionnaire
from screening.questionnaire.versions import questionnaire_publish
from tests.intake.helpers import CONSENT, draft_at, post_step, start, step_data

pytestmark = pytest.mark.django_db

RENAMED = {"email": "email_address", "first_name": "given_name", "last_name": "family_name",
           "consent_signature": "signed_name"}


@pytest.fixture
def renamed(db):
    """The questionnaire with its contact and signature questions under other codes."""
    for old, new in RENAMED.items():
        Question.objects.filter(code=old).update(code=new)
    forget_questionnaire()
    yield
    forget_questionnaire()


def _renamed(number: int, **overrides) -> dict:
    return {RENAMED.get(code, code): value for code, value in step_data(number, **overrides).items()}


def test_the_default_questions_have_their_kinds():
    kinds = dict(Question.objects.exclude(kind=QuestionKind.NONE).values_list("code", "kind"))

    assert kinds == {"first_name": "first_name", "last_name": "last_name", "date_of_birth": "date_of_birth",
                     "email": "email", "phone": "phone", "consent_signature": "signature",
                     "anything_changed": "since_last_visit"}


def test_renamed_contact_questions_still_fill_the_intakes_details_and_send_its_link(client, renamed):
    intake = start(client)
    mail.outbox.clear()

    url = reverse("intake:step", args=[intake.public_id, 1])
    assert client.post(url, {**_renamed(1), "action": "next"}).status_code == 302

    intake.refresh_from_db()
    assert (intake.email, intake.first_name, intake.last_name) == ("alex@example.com", "Alex", "Example")
    assert intake.answers["email_address"] == "alex@example.com"
    assert [m.to for m in mail.outbox] == [["alex@example.com"]]  # the resume link


def test_a_renamed_email_question_is_still_checked_as_an_email_address(client, renamed):
    intake = start(client)
    url = reverse("intake:step", args=[intake.public_id, 1])

    page = client.post(url, {**_renamed(1, email="not an address"), "action": "next"}).content.decode()

    assert "Enter a valid email address." in page
    assert 'type="email" name="email_address"' in page and 'autocomplete="email"' in page


def test_a_renamed_signature_must_still_match_the_renamed_names(client, renamed):
    intake = start(client)
    for number in range(1, CONSENT):
        url = reverse("intake:step", args=[intake.public_id, number])
        assert client.post(url, {**_renamed(number), "action": "next"}).status_code == 302
    url = reverse("intake:step", args=[intake.public_id, CONSENT])

    wrong = client.post(url, {**_renamed(CONSENT, consent_signature="Someone Else"), "action": "next"})
    right = client.post(url, {**_renamed(CONSENT, consent_signature=" alex  EXAMPLE"), "action": "next"})

    assert "Please type your full name exactly as you gave it: Alex Example." in wrong.content.decode()
    assert right.status_code == 302
    intake.refresh_from_db()
    assert intake.outcome == "eligible"


def test_a_question_coded_email_that_is_not_of_the_email_kind_is_plain_text(client):
    Question.objects.filter(code="email").update(kind=QuestionKind.NONE)
    forget_questionnaire()
    intake = start(client)

    assert post_step(client, intake, 1, email="call me instead").status_code == 302
    intake.refresh_from_db()
    assert intake.answers["email"] == "call me instead" and intake.email == ""


def test_a_phone_number_is_checked_as_one(client):
    intake = draft_at(client, 1)

    bad = post_step(client, intake, 1, phone="ring me")
    good = post_step(client, intake, 1, phone="+44 (0)20 7946 0958")

    assert "Please enter a phone number" in bad.content.decode()
    assert 'type="tel" name="phone"' in bad.content.decode()
    assert good.status_code == 302


def test_names_and_birth_date_ask_the_browser_for_the_right_autofill(client):
    intake = draft_at(client, 1)
    page = client.get(reverse("intake:step", args=[intake.public_id, 1])).content.decode()

    for name, token in [("first_name", "given-name"), ("last_name", "family-name"), ("date_of_birth", "bday"),
                        ("phone", "tel")]:
        tag = page[page.index(f'name="{name}"'):]
        assert f'autocomplete="{token}"' in tag[: tag.index(">")]


def test_two_active_questions_cannot_be_of_one_kind():
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.filter(code="phone").update(kind=QuestionKind.EMAIL)
    Question.objects.filter(code="phone").update(kind=QuestionKind.EMAIL, active=False)  # a retired one may


def test_the_published_version_says_each_questions_kind():
    version = current_questionnaire_version()
    kinds = {q["code"]: q["kind"] for q in version.definition["questions"]}
    assert kinds["consent_signature"] == "signature" and kinds["bleeding_disorder"] == "none"

    Question.objects.filter(code="phone").update(kind=QuestionKind.NONE)
    new, created = questionnaire_publish(note="phone is plain text")
    assert created and {q["code"]: q["kind"] for q in new.definition["questions"]}["phone"] == "none"


def test_a_clinicians_question_never_reopens_the_steps_with_who_the_patient_is(client, renamed):
    from screening.intake.selectors import steps_patient_can_update
    from screening.questionnaire.selectors import live_questionnaire

    numbers = [step.number for step in steps_patient_can_update(live_questionnaire())]

    assert numbers == [2, 3, 4, 5, 6, 7]  # not "about you" (names, email...), not the consent (signature)
    assert not Intake.objects.exists()
