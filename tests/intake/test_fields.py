"""The questions' fields as the step pages draw them: templates, with Django's widgets' own attributes.

The field templates (templates/intake/fields/) write each input from what
Django's widget makes of it. These hold them to that, for every question of
every step, empty, filled from saved answers and posted with every kind of
error: no attribute of the widget is left out, every label names an input,
and every id that aria-describedby names is on the page (the help text, the
errors). The browser tests (tests/browser) check the same pages with axe.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from screening.intake.fields import INPUT_ATTRS, OPTION_ATTRS
from screening.intake.forms import StepForm
from screening.questionnaire.defaults import baseline_answers
from screening.questionnaire.selectors import live_questionnaire
from screening.rules import answers_to_json
from tests.intake.helpers import draft_at, post_step

pytestmark = pytest.mark.django_db

BAD = {
    1: {"first_name": "", "last_name": "<b>x</b>", "date_of_birth": "2999-01-01", "email": "nope",
        "phone": "1" * 40},
    2: {"concerns": ["bogus", "wrinkles"]},
    3: {"active_acne": "maybe", "warts_in_area": "yes", "tattoo_in_area": ""},
    4: {"keloid_history": "not_sure", "raised_scar_history": "yes"},
    5: {"bleeding_disorder": "maybe", "blood_thinners": "yes", "blood_thinners_detail": "", "diabetes": "zzz",
        "pregnant_or_breastfeeding": "not_sure"},
    6: {"isotretinoin_last_taken": "2020-01-01", "isotretinoin_last_taken__never": "on",
        "retinoid_last_used__month": "13/2020", "medications": "\"quoted\" & <tagged>"},
    7: {"radiation_last_date": "1800-01-01", "peel_or_laser_last_date": "not a date",
        "deep_resurfacing_last_date": "2020-01-01", "deep_resurfacing_last_date__month": "2020-01",
        "toxin_last_date__month": "2999-01", "last_microneedling_date": "2999-01-01"},
    8: {"consent_signature": "Someone Else"},
}
STEPS = sorted(BAD)


def _saved_answers() -> dict:
    answers = answers_to_json(baseline_answers(timezone.localdate()))
    return {**answers, "first_name": "Alex", "last_name": "O'Brien & Co", "blood_thinners": True,
            "blood_thinners_detail": "warfarin <5mg>", "isotretinoin_last_taken": None}


def _forms(number: int) -> dict[str, StepForm]:
    questionnaire = live_questionnaire()
    questions = list(questionnaire.step(number).questions.all())
    saved = _saved_answers()

    def form(data, answers):
        made = StepForm(data, questions=questions, answers=answers, questionnaire=questionnaire)
        made.is_valid() if made.is_bound else None
        return made

    return {
        "empty": form(None, {}),
        "saved": form(None, saved),
        "posted empty": form({"action": "next"}, {}),
        "posted with errors": form({**BAD[number], "action": "next"}, saved),
    }


@pytest.mark.parametrize("number", STEPS)
def test_every_attribute_djangos_widgets_give_an_input_is_one_the_templates_write(number):
    kinds = set()
    for state, form in _forms(number).items():
        for group in form.groups():
            for field in group.fields:
                widget = field.field.widget
                kinds.add(type(widget).__name__)
                if field.field.template_name.endswith("choices.html"):
                    for option in field.subwidgets:
                        assert set(option.data["attrs"]) <= set(OPTION_ATTRS), (state, field.name)
                else:
                    assert set(field.widget_context["attrs"]) <= set(INPUT_ATTRS), (state, field.name)
    assert kinds


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.described: list[str] = []
        self.label_for: list[str] = []
        self.inputs: dict[str, dict] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if "aria-describedby" in attrs:
            self.described += attrs["aria-describedby"].split()
        if tag == "label" and "for" in attrs:
            self.label_for.append(attrs["for"])
        if tag in ("input", "textarea") and attrs.get("type") != "hidden":
            self.inputs[attrs["id"]] = attrs


def _page(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


@pytest.mark.parametrize("number", STEPS)
def test_labels_help_texts_and_errors_are_tied_to_their_inputs(client, number):
    intake = draft_at(client, number)
    url = reverse("intake:step", args=[intake.public_id, number])
    for response in (client.get(url), client.post(url, {**BAD[number], "action": "next"})):
        page = _page(response.content.decode())
        assert page.inputs
        assert set(page.described) <= page.ids  # every help text and error named is there
        assert set(page.label_for) <= set(page.inputs)  # every label names an input
        assert set(page.inputs) <= set(page.label_for)  # and every input has one


def test_an_answer_with_errors_is_marked_for_sight_and_for_screen_readers(client):
    intake = draft_at(client, 1)
    html = post_step(client, intake, 1, email="nope").content.decode()

    email = _page(html).inputs["id_email"]
    assert "is-invalid" in email["class"].split() and email["aria-invalid"] == "true"
    assert email["aria-describedby"] == "id_email_helptext id_email_error"
    assert re.search(r'<div id="id_email_error" class="invalid-feedback d-block"><span id="error_1_id_email">'
                     r"<strong>Enter a valid email address.</strong>", html)
    assert 'href="#id_email"' in html  # the summary links to it


def test_radios_are_a_fieldset_named_by_its_legend_with_the_error_after_the_last_option(client):
    intake = draft_at(client, 3)
    html = post_step(client, intake, 3, cold_sore_history=None).content.decode()

    group = re.search(r'<div id="div_id_cold_sore_history".*?</fieldset>', html, re.S).group(0)
    assert re.search(r'<fieldset aria-describedby="id_cold_sore_history_helptext id_cold_sore_history_error">\s*'
                     r'<legend class="form-label requiredField fs-6">Have you ever had cold sores', group)
    assert group.count('type="radio"') == 2 and group.count('aria-invalid="true"') == 2
    assert group.index('value="no"') < group.index('id="id_cold_sore_history_error"')
    assert 'href="#id_cold_sore_history_0"' in html


def test_the_help_text_comes_between_the_question_and_its_answers(client):
    intake = draft_at(client, 6)
    html = client.get(reverse("intake:step", args=[intake.public_id, 6])).content.decode()

    radios = html.index('id="id_isotretinoin_current_helptext"')
    assert html.index("Are you taking isotretinoin now?") < radios < html.index('id="id_isotretinoin_current_0"')
    date = html.index('id="id_retinoid_last_used_helptext"')
    assert html.index("When did you last use a retinol") < date < html.index('name="retinoid_last_used"')


def test_not_sure_is_offered_for_pregnancy_and_bleeding_only(client):
    intake = draft_at(client, 5)
    html = client.get(reverse("intake:step", args=[intake.public_id, 5])).content.decode()

    assert set(re.findall(r'name="(\w+)" value="not_sure"', html)) == {"pregnant_or_breastfeeding", "bleeding_disorder"}
    assert post_step(client, intake, 5, pregnant_or_breastfeeding="not_sure").status_code == 302
    intake.refresh_from_db()
    assert intake.answers["pregnant_or_breastfeeding"] == "not_sure"
    page = client.get(reverse("intake:step", args=[intake.public_id, 5])).content.decode()
    assert re.search(r'name="pregnant_or_breastfeeding" value="not_sure" [^>]*checked', page)


def test_the_phone_brings_up_a_telephone_keypad_and_names_carry_autocomplete_hints(client):
    intake = draft_at(client, 1)
    html = client.get(reverse("intake:step", args=[intake.public_id, 1])).content.decode()

    assert re.search(r'<input type="tel" name="phone"[^>]*autocomplete="tel" inputmode="tel"', html)
    for name, hint in [("first_name", "given-name"), ("last_name", "family-name"), ("date_of_birth", "bday"),
                       ("email", "email")]:
        assert re.search(rf'name="{name}"[^>]*autocomplete="{hint}"', html), name


def test_a_last_time_date_is_followed_by_its_never_box(client):
    intake = draft_at(client, 6)
    html = client.get(reverse("intake:step", args=[intake.public_id, 6])).content.decode()

    date_input = html.index('name="isotretinoin_last_taken"')
    month = html.index('name="isotretinoin_last_taken__month"')
    never = html.index('name="isotretinoin_last_taken__never"')
    assert date_input < month < never < html.index('name="retinoid_last_used"')
    assert re.search(r'<input type="month" name="isotretinoin_last_taken__month"[^>]*placeholder="MM/YYYY"', html)
    assert re.search(r'<label for="id_isotretinoin_last_taken__never" class="form-check-label">Never, or not', html)


def test_the_radiation_never_box_says_never_only(client):
    intake = draft_at(client, 7)
    html = client.get(reverse("intake:step", args=[intake.public_id, 7])).content.decode()

    assert re.search(r'<label for="id_radiation_last_date__never" class="form-check-label">Never</label>', html)


@pytest.mark.parametrize(("typed", "stored"), [("2026-07", "2026-07"), ("7/2026", "2026-07"), ("07 2026", "2026-07")])
def test_a_month_and_year_will_do_for_a_last_time_question(client, typed, stored):
    intake = draft_at(client, 6)

    response = post_step(client, intake, 6, isotretinoin_last_taken__never=None, isotretinoin_last_taken__month=typed)

    assert response.status_code == 302
    intake.refresh_from_db()
    assert intake.answers["isotretinoin_last_taken"] == stored
    page = client.get(reverse("intake:step", args=[intake.public_id, 6])).content.decode()
    assert re.search(r'name="isotretinoin_last_taken__month" value="2026-07"', page)


@pytest.mark.parametrize(("fields", "error"), [
    ({"isotretinoin_last_taken__month": "2999-01"}, "in the future"),
    ({"isotretinoin_last_taken__month": "13/2020"}, "real month"),
    ({"isotretinoin_last_taken__month": "1850-01"}, "check the year"),
    ({"isotretinoin_last_taken__month": "2020-01", "isotretinoin_last_taken": "2020-01-05"}, "not both"),
    ({"isotretinoin_last_taken__month": "2020-01", "isotretinoin_last_taken__never": "on"}, "not both"),
])
def test_a_month_that_cannot_be_right_is_refused(client, fields, error):
    intake = draft_at(client, 6)

    response = post_step(client, intake, 6, **{"isotretinoin_last_taken__never": None, **fields})

    assert response.status_code == 200 and error in response.content.decode()
