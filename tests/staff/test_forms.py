"""The staff forms, drawn by Django's form rendering with the project's Bootstrap 5 templates.

Each field keeps what staff and their screen readers rely on: a label tied to
its input (a legend over radios), Bootstrap's classes, the help text and the
errors named by aria-describedby, ``aria-invalid`` and ``is-invalid`` on an
input with errors, and the filters' chosen values.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from screening.review.forms import AskForm, ClearForm, DeclineForm, QueueFilterForm, RescreenForm
from tests.staff.conftest import latest_screening, staff_client

pytestmark = pytest.mark.django_db


def _tag(html: str, pattern: str) -> str:
    found = re.search(pattern, html)
    assert found, f"{pattern!r} not in {html}"
    return found.group(0)


def test_a_text_field_has_its_label_its_input_and_its_help():
    html = str(ClearForm(initial={"screening_id": 7}))
    assert '<input type="hidden" name="screening_id" value="7" id="id_clear_screening_id">' in html
    assert ('<label for="id_clear_note" class="form-label requiredField">Note for the clinical record'
            '<span class="asteriskField">*</span></label>') in html
    textarea = _tag(html, r"<textarea [^>]*>")
    assert 'class="form-control"' in textarea and " required" in textarea
    assert 'aria-describedby="id_clear_note_helptext"' in textarea and "aria-invalid" not in textarea
    assert '<div id="id_clear_note_helptext" class="form-text">Why this is safe' in html


def test_a_field_with_an_error_says_so_to_the_eye_and_to_a_screen_reader():
    html = str(AskForm({"screening_id": "3", "question": ""}))
    textarea = _tag(html, r"<textarea [^>]*>")
    assert 'class="form-control is-invalid"' in textarea and 'aria-invalid="true"' in textarea
    assert 'aria-describedby="id_ask_question_helptext id_ask_question_error"' in textarea
    error = _tag(html, r'<div id="id_ask_question_error" class="invalid-feedback d-block">.*?</div>')
    assert "Please write the question for the patient." in error
    hidden = _tag(html, r'<input type="hidden"[^>]*>')
    assert "is-invalid" not in hidden


def test_radios_are_a_fieldset_whose_legend_is_the_question():
    html = str(DeclineForm({"screening_id": "3"}))
    fieldset = _tag(html, r"<fieldset[^>]*>")
    assert 'aria-describedby="id_decline_reason_helptext id_decline_reason_error"' in fieldset
    assert '<legend class="form-label requiredField fs-6">What the patient is told' in html
    radios = re.findall(r'<input type="radio"[^>]*>', html)
    assert len(radios) == 3
    for n, radio in enumerate(radios):
        assert f'id="id_decline_reason_{n}"' in radio and 'class="form-check-input is-invalid"' in radio
        assert 'aria-invalid="true"' in radio and " required" in radio
        assert f'<label for="id_decline_reason_{n}" class="form-check-label">' in html
    assert "Please choose what the patient is told." in html


def test_the_rescreen_form_is_its_hidden_field_alone():
    assert str(RescreenForm(initial={"screening_id": 4})).strip() == (
        '<input type="hidden" name="screening_id" value="4" id="id_rescreen_screening_id">')


def test_the_queue_filters_keep_their_values_and_show_a_bad_date(personas):
    form = QueueFilterForm({"q": "ada", "state": "review", "rule": "BLEEDING_DISORDER", "submitted_from": "nope"})
    rule = form["rule"].as_field_group()
    assert '<label for="id_rule" class="form-label">Rule</label>' in rule
    assert '<select name="rule" class="form-select" id="id_rule">' in rule
    assert re.search(r'<option value="BLEEDING_DISORDER" selected>Bleeding', rule)  # in words (issue 19)
    assert '<option value="">Any</option>' in rule
    assert '<option value="review" selected>Needs review</option>' in form["state"].as_field_group()
    assert 'value="ada"' in _tag(form["q"].as_field_group(), r"<input [^>]*>")
    date = form["submitted_from"].as_field_group()
    date_input = _tag(date, r"<input [^>]*>")
    assert 'type="date"' in date_input and 'class="form-control is-invalid"' in date_input
    assert 'aria-describedby="id_submitted_from_error"' in date_input
    assert '<div id="id_submitted_from_error" class="invalid-feedback d-block">' in date


def test_the_pages_draw_the_forms(personas):
    queue = staff_client(personas.clinician).get(reverse("staff:queue")).content.decode()
    for name in ("q", "state", "outcome", "rule", "submitted_from", "submitted_to"):
        assert f'<label class="form-label small mb-0" for="id_{name}">' in queue  # the compact band (issue 19)
    page = staff_client(personas.clinician).get(reverse("staff:intake", args=[personas.intake_a.public_id]))
    html = page.content.decode()
    screening = latest_screening(personas.intake_a).pk
    for prefix in ("clear", "decline", "ask"):
        assert f'name="screening_id" value="{screening}" id="id_{prefix}_screening_id"' in html
    assert '<label for="id_clear_note" class="form-label requiredField">' in html
    assert '<label for="id_ask_question" class="form-label requiredField">' in html
