"""Must show (issue 17): a clinic admin changes the isotretinoin window from 6 to 12 months at 1280 px, with
its examples, through draft, preview (an affected booking shown) and publish, in under 15 actions, typing
neither JSON nor an ISO date; the patient's words follow the new window. axe on every editor page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from screening.booking.models import BookingStatus
from screening.intake.models import Screening
from screening.outbox.models import Message, MessageKind
from screening.questionnaire.models import Rule
from screening.review.permissions import CLINIC_ADMIN, FRONT_DESK
from screening.setup.demo import seed_calendar
from tests.browser.staff import authenticator, sign_in
from tests.rule_editor.conftest import EIGHT_MONTHS, book, last_taken
from tests.staff.conftest import PASSWORD, make_intake, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("second_factor_on")]

ISO_DATE = re.compile(r"\b[0-9]{4}-[0-9]{2}-[0-9]{2}\b")


class Actions:
    """Counts what the admin does: each click, fill or choice is one action; every value typed is kept, to
    show that none is JSON or an ISO date."""

    def __init__(self, page):
        self.page = page
        self.count = 0
        self.typed: list[str] = []

    def click(self, locator) -> None:
        self.count += 1
        locator.click()

    def fill(self, locator, text: str) -> None:
        self.count += 1
        self.typed.append(text)
        locator.fill(text)

    def choose(self, locator, label: str) -> None:
        self.count += 1
        locator.select_option(label=label)


def test_a_clinic_admin_changes_the_isotretinoin_window_to_12_months_in_under_15_actions(desktop):
    seed_calendar()
    pat = make_intake(email="pat@example.com", first_name="Pat", last_name="Booked",
                      answers=last_taken(EIGHT_MONTHS))
    confirmed = book(pat, days=10)
    book(make_intake(email="sam@example.com", first_name="Sam", last_name="Held", answers=last_taken(EIGHT_MONTHS)),
         days=12, status=BookingStatus.HELD)
    make_staff("desk", FRONT_DESK)
    admin = make_staff("adele", CLINIC_ADMIN)
    sign_in(desktop, "adele", PASSWORD, authenticator(admin), start="/staff/rules/")
    page = desktop.page
    act = Actions(page)
    expect(page.get_by_role("heading", name="Screening rules")).to_be_visible()
    desktop.assert_accessible()

    act.click(page.locator("#rule-ISOTRETINOIN").get_by_role("button", name=re.compile("^Change")))
    expect(page.get_by_role("heading", name="Change: Isotretinoin taken recently")).to_be_visible()
    condition = page.locator("#condition-1")
    expect(condition.get_by_label("Question")).to_have_value("isotretinoin_last_taken")
    expect(condition.get_by_label("How long")).to_have_value("6")
    expect(condition.get_by_label("Unit")).to_have_value("months")
    desktop.assert_accessible()

    act.fill(condition.get_by_label("How long"), "12")
    # The words a patient reads follow the window as it is typed (the script; saving shows the same).
    expect(page.locator("#patient-words")).to_contain_text("in the last 1 year")
    eligible_from = "Eligible from (a deferral's first date; leave empty not to check it)"
    act.fill(page.locator("#example-1").get_by_label(eligible_from), "17/07/2027")
    act.choose(page.locator("#example-2").get_by_label("The outcome it must give"), "Eligible from a date")
    act.fill(page.locator("#example-3").get_by_label(eligible_from), "31/07/2027")
    desktop.shot("editor at 12 months")
    act.click(page.get_by_role("button", name="Save and preview"))

    expect(page.get_by_role("heading", name="Preview: Isotretinoin taken recently")).to_be_visible()
    expect(page.locator("#bookings-summary")).to_contain_text("1 confirmed and 1 held bookings")
    affected = page.locator("#affected-bookings")
    expect(affected).to_contain_text("Pat Booked")
    expect(affected).to_contain_text("Sam Held")
    expect(page.locator("#example-results")).not_to_contain_text("fails")
    expect(page.locator("#patient-words")).to_contain_text("in the last 1 year")
    expect(page.get_by_label(re.compile("Re-screen the affected bookings"))).to_be_checked()
    desktop.shot("preview with the bookings")
    desktop.assert_accessible()
    act.click(page.get_by_role("button", name="Publish"))

    expect(page.get_by_text("Published Isotretinoin taken recently (revision 2).")).to_be_visible()
    desktop.assert_accessible()
    assert act.count < 15, act.count
    assert act.count == 7  # change, window, three example fields, save and preview, publish
    assert not any(ISO_DATE.search(text) or "{" in text for text in act.typed), act.typed

    rule = Rule.objects.get(code="ISOTRETINOIN")
    assert rule.revision == 2 and rule.conditions[0]["value"] == 365
    latest = Screening.objects.filter(intake=pat).order_by("-created_at", "-id").first()
    assert latest.reason == Screening.Reason.RESCREEN and latest.outcome == "deferred"
    flag = latest.flags.get(rule_code="ISOTRETINOIN")
    first = timezone.localdate() - timedelta(days=EIGHT_MONTHS) + timedelta(days=365)
    assert "in the last 1 year" in flag.patient_message  # the message text follows the new window
    told = Message.objects.get(kind=MessageKind.RULE_CHANGED, booking_id=confirmed.pk)
    assert f"{first.day} {first:%B %Y}" in told.body
    assert Message.objects.filter(kind=MessageKind.RULE_CHANGED_BOOKINGS, recipient="desk@clinic.example").exists()


def test_a_clinic_admin_changes_a_question_through_a_draft_and_sees_it_as_on_a_phone(desktop):
    from screening.questionnaire.models import Question

    admin = make_staff("adele", CLINIC_ADMIN)
    sign_in(desktop, "adele", PASSWORD, authenticator(admin), start="/staff/questions/")
    page = desktop.page
    expect(page.get_by_role("heading", name="The questionnaire")).to_be_visible()
    desktop.assert_accessible()
    page.locator("#question-isotretinoin_last_taken").get_by_role("button", name=re.compile("^Change")).click()
    expect(page.get_by_role("heading", name="Change a question")).to_be_visible()
    desktop.assert_accessible()
    page.get_by_label("The question, as the patient reads it").fill("When did you last take isotretinoin tablets?")
    page.get_by_role("button", name="Save and preview").click()
    expect(page.locator("#phone-preview")).to_contain_text("When did you last take isotretinoin tablets?")
    expect(page.locator("#rules-reading")).to_contain_text("Isotretinoin taken recently")
    assert page.locator("#phone-preview").bounding_box()["width"] <= 390
    desktop.shot("question preview")
    desktop.assert_accessible()
    assert Question.objects.get(code="isotretinoin_last_taken").label == "When did you last take isotretinoin?"
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text(re.compile("Published: new intakes answer questionnaire version"))).to_be_visible()
    assert Question.objects.get(code="isotretinoin_last_taken").label == "When did you last take isotretinoin tablets?"
    desktop.assert_accessible()


def test_a_condition_is_added_in_one_save_its_answers_appearing_as_the_question_is_chosen(desktop):
    """Choosing a condition's question and operator draws its answers to tick at once (the editor's script;
    without it, the "Show the boxes" button): one save adds the condition."""
    from screening.questionnaire.models import Question, RuleDraft

    question = Question.objects.filter(type="choice", active=True).order_by("pk").first()
    admin = make_staff("adele", CLINIC_ADMIN)
    sign_in(desktop, "adele", PASSWORD, authenticator(admin), start="/staff/rules/")
    page = desktop.page
    act = Actions(page)
    act.click(page.locator("#rule-ISOTRETINOIN").get_by_role("button", name=re.compile("^Change")))
    added = page.locator("#condition-new")
    expect(added.get_by_role("button", name="Show the boxes for its value")).to_be_hidden()
    act.choose(added.get_by_label("Question"), question.label)
    act.choose(page.locator("#condition-new").get_by_label("Fires when the answer"), "is one of these answers")
    answer = page.locator("#condition-new").get_by_label(question.choices[0]["label"], exact=True)
    expect(answer).to_be_visible()  # drawn without a save
    expect(page.locator("#condition-new").get_by_label("Fires when the answer")).to_be_focused()
    expect(page.locator("#condition-new")).not_to_contain_text("Tick at least one answer.")
    desktop.assert_accessible()
    act.click(answer)
    act.click(page.get_by_role("button", name="Save the draft"))
    expect(page.get_by_text("Saved the draft.")).to_be_visible()
    assert act.count == 5  # change, question, operator, the answer, save
    draft = RuleDraft.objects.get(code="ISOTRETINOIN", status=RuleDraft.Status.DRAFT)
    added_condition = draft.conditions.order_by("id").last()
    assert (added_condition.question, added_condition.op, added_condition.value) == (
        question.code, "in", [question.choices[0]["code"]])
