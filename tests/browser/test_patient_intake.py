"""A patient on a phone (and once at desktop width): the intake, its errors, resuming, and each outcome."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from screening.intake.models import Intake
from tests.browser.patient import (
    _about_you,
    _answer_all_no,
    _choose_treatment,
    _consent,
    _fill,
    _health_step,
    _health_steps,
    _next,
)
from tests.conftest import run_ready_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_patient_goes_back_and_forth_fixes_a_mistake_resumes_and_is_eligible(phone, live_server):
    page = phone.page
    _choose_treatment(phone)
    phone.shot("start")

    # A mistake: a birth date in the future, and no email.
    _about_you(page, born=(timezone.localdate() + timedelta(days=3)).isoformat(), email="")
    page.get_by_role("button", name="Next").click()
    summary = page.get_by_role("alert").filter(has_text="need your attention")
    expect(summary).to_be_visible()
    assert page.get_by_label("First name").input_value() == "Alex"  # nothing typed is lost
    phone.shot("about you with errors")
    phone.assert_accessible()
    page.get_by_role("link", name="Email").click()  # the summary links to the field
    assert page.evaluate("document.activeElement.name") == "email"
    _about_you(page)
    _next(phone, "about you fixed")

    page.get_by_label("Acne scars", exact=False).check()
    _next(phone, "goals")

    # Back keeps the answers of both pages.
    page.locator("input[name='active_acne'][value='no']").check()
    page.get_by_role("button", name="Back").click()
    expect(page.get_by_label("Acne scars", exact=False)).to_be_checked()
    page.get_by_role("button", name="Next").click()
    expect(page.locator("input[name='active_acne'][value='no']")).to_be_checked()
    _answer_all_no(page)
    _next(phone, "health 1")
    _health_step(page, {}, {})
    _next(phone, "health 2")

    # The follow-up question appears only after "yes".
    detail = page.get_by_label("Which medicine", exact=False)
    expect(detail).to_be_hidden()
    page.locator("input[name='blood_thinners'][value='yes']").check()
    expect(detail).to_be_visible()
    page.locator("input[name='blood_thinners'][value='no']").check()
    expect(detail).to_be_hidden()
    _health_step(page, {}, {})
    _next(phone, "health 3")

    # Leave, and come back on another device through the emailed link (the worker sends it).
    run_ready_tasks()
    message = next(m for m in mail.outbox if "continue" in m.subject.lower())
    path = re.search(r"(/intake/r/[^\s]+/)", message.body).group(1)
    phone.context.clear_cookies()
    phone.goto(path)
    assert "/intake/r/" not in page.url  # the token left the address bar
    phone.assert_accessible()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Medicines and allergies")).to_be_visible()

    # A month and year will do for "when did you last...".
    page.locator("input[name='isotretinoin_current'][value='no']").check()
    page.locator("input[name='isotretinoin_last_taken__month']").fill("2019-05")
    _health_steps(phone, 4)
    assert Intake.objects.get().answers["isotretinoin_last_taken"] == "2019-05"
    phone.shot("consent")
    _consent(page, name="Someone Else")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("exactly as you gave it").first).to_be_visible()
    _consent(page)
    _next(phone, "consent fixed")

    expect(page.get_by_role("heading", name="Good news: you can book")).to_be_visible()
    phone.shot("outcome eligible")
    phone.assert_accessible()
    assert Intake.objects.get().outcome == "eligible"


@pytest.mark.parametrize(
    ("part1", "dates", "heading", "outcome"),
    [
        ({}, {"isotretinoin_last_taken": "__recent__"}, "You can book from", "deferred"),
        ({"bleeding_disorder": "yes"}, {}, "A clinician will check your answers", "review"),
        ({"active_skin_infection": "yes"}, {}, "We can't offer this treatment", "not_suitable"),
    ],
    ids=["deferred", "review", "not-suitable"],
)
def test_each_outcome_is_shown_in_plain_words(phone, live_server, part1, dates, heading, outcome):
    dates = {k: (timezone.localdate() - timedelta(days=20)).isoformat() if v == "__recent__" else v
             for k, v in dates.items()}
    _fill(phone, part1=part1, dates=dates)
    expect(phone.page.get_by_role("heading", name=heading)).to_be_visible()
    phone.shot(f"outcome {outcome}")
    phone.assert_accessible()
    assert Intake.objects.get().outcome == outcome


def test_the_whole_intake_can_be_completed_with_the_keyboard_alone(phone, live_server):
    page = phone.page
    phone.goto("/intake/")
    answers = {
        "treatment": "radio:first",
        "first_name": "Kim", "last_name": "Keys", "date_of_birth": "date:1988-06-01",
        "email": "kim@example.com", "concerns": "check",
        "diabetes": "radio:first", "consent_risks": "check", "consent_signature": "Kim Keys",
    }
    for _ in range(9):  # start page + eight steps
        _keyboard_page(page, answers)
    expect(page.get_by_role("heading", name="Good news: you can book")).to_be_visible()


def _keyboard_page(page, answers: dict) -> None:
    """Tab through the page, answering by keys, until the main button is pressed."""
    heading = page.locator("h1").inner_text()
    seen_groups: set[str] = set()
    for _ in range(200):
        page.keyboard.press("Tab")
        el = page.evaluate(
            "() => { const e = document.activeElement; return {tag: e.tagName, type: e.type || '',"
            " name: e.name || '', value: e.value || '', text: (e.innerText || '').trim()}; }"
        )
        name, kind = el["name"], el["type"]
        if el["tag"] == "BUTTON" and el["text"] in {"Start", "Next", "Send my answers"}:
            page.keyboard.press("Enter")
            page.wait_for_function(f"() => document.querySelector('h1').innerText !== {heading!r}")
            return
        if name.endswith("__never"):
            page.keyboard.press("Space")
        elif kind == "radio" and name not in seen_groups:
            seen_groups.add(name)
            # Arrow keys move and select within a group; Space selects the first.
            if answers.get(name) == "radio:first" or el["value"] == "no":
                page.keyboard.press("Space")
            else:
                page.keyboard.press("ArrowDown")
        elif kind == "checkbox" and answers.get(name) == "check" and name not in seen_groups:
            seen_groups.add(name)
            page.keyboard.press("Space")
        elif kind == "date" and str(answers.get(name, "")).startswith("date:"):
            year, month, day = answers[name][5:].split("-")
            page.keyboard.type(f"{day}{month}{year}")  # en-GB order: dd/mm/yyyy
        elif kind in {"text", "email"} and name in answers and not el["value"]:
            page.keyboard.type(answers[name])
    raise AssertionError(f"never reached the main button on {heading!r}")


def test_the_intake_at_desktop_width_screenshots_and_checks_each_step(desktop, live_server):
    """The same steps on a wide screen: each one screenshotted and checked with axe, up to the outcome."""
    _fill(desktop, part1={"blood_thinners": "yes"})
    expect(desktop.page.get_by_role("heading", name="A clinician will check your answers")).to_be_visible()
    desktop.shot("outcome review")
    desktop.assert_accessible()
    assert Intake.objects.get().outcome == "review"
    # about you, goals, health 1 to 5, consent, outcome: one desktop screenshot each
    assert desktop.shots == 9


def test_the_page_follows_show_when_as_the_server_does_for_check_boxes_and_nested_follow_ups(phone, live_server):
    """Two follow-ups on the goals step: one shown by a ticked choice, one by the first's "yes"."""
    from screening.questionnaire.models import Question, Step
    from screening.questionnaire.selectors import forget_questionnaire

    step = Step.objects.get(number=2)
    Question.objects.create(code="scars_treated", step=step, order=90, type="yes_no", required=True,
                            label="Have your scars been treated before?",
                            show_when_question="concerns", show_when_value="acne_scars")
    Question.objects.create(code="scars_treatment", step=step, order=91, type="text", required=False,
                            label="How were they treated?", max_length=200,
                            show_when_question="scars_treated", show_when_value=True)
    forget_questionnaire()
    page = phone.page
    _choose_treatment(phone)
    _about_you(page)
    page.get_by_role("button", name="Next").click()

    treated = page.get_by_role("group", name="Have your scars been treated before?")
    how = page.get_by_label("How were they treated?")
    expect(treated).to_be_hidden()
    expect(how).to_be_hidden()
    page.get_by_label("Fine lines and wrinkles", exact=False).check()
    expect(treated).to_be_hidden()  # another choice: not this one
    page.get_by_label("Acne scars", exact=False).check()
    expect(treated).to_be_visible()
    expect(how).to_be_hidden()
    page.locator("input[name='scars_treated'][value='yes']").check()
    expect(how).to_be_visible()
    phone.assert_accessible()
    page.get_by_label("Acne scars", exact=False).uncheck()  # the "yes" stays ticked, but is not asked
    expect(treated).to_be_hidden()
    expect(how).to_be_hidden()
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Your skin today")).to_be_visible()
    answers = Intake.objects.get().answers
    assert answers["concerns"] == ["wrinkles"] and "scars_treated" not in answers
