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
    3: {"bleeding_disorder": "maybe", "blood_thinners": "yes", "blood_thinners_detail": "",
        "active_acne": "no"},
    4: {"isotretinoin_last_taken": "2020-01-01", "isotretinoin_last_taken__never": "on",
        "radiation_last_date": "1800-01-01", "diabetes": "zzz", "peel_or_laser_last_date": "not a date",
        "last_microneedling_date": "2999-01-01", "medications": "\"quoted\" & <tagged>"},
    5: {"consent_signature": "Someone Else"},
}


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


@pytest.mark.parametrize("number", [1, 2, 3, 4, 5])
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


@pytest.mark.parametrize("number", [1, 2, 3, 4, 5])
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
    html = post_step(client, intake, 3, bleeding_disorder=None).content.decode()

    group = re.search(r'<div id="div_id_bleeding_disorder".*?</fieldset>', html, re.S).group(0)
    assert re.search(r'<fieldset aria-describedby="id_bleeding_disorder_helptext id_bleeding_disorder_error">\s*'
                     r'<legend class="form-label requiredField fs-6">Do you have a bleeding', group)
    assert group.count('type="radio"') == 2 and group.count('aria-invalid="true"') == 2
    assert group.index('value="no"') < group.index('id="id_bleeding_disorder_error"')
    assert 'href="#id_bleeding_disorder_0"' in html


def test_a_last_time_date_is_followed_by_its_never_box(client):
    intake = draft_at(client, 4)
    html = client.get(reverse("intake:step", args=[intake.public_id, 4])).content.decode()

    date_input = html.index('name="isotretinoin_last_taken"')
    never = html.index('name="isotretinoin_last_taken__never"')
    assert date_input < never < html.index('name="skin_cancer_in_area"')
    assert re.search(r'<label for="id_isotretinoin_last_taken__never" class="form-check-label">Never', html)
