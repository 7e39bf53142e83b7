"""The step fields, written out by ``screening.forms.render_question``, are crispy-forms' markup.

The patient's step page stopped rendering its fields through crispy-forms'
bootstrap5 templates (half a millisecond a field). This holds the new
renderer to the same document, element by element and attribute by
attribute (whitespace aside), for every question of every step: empty,
filled from saved answers, and posted with every kind of error. The labels,
legends, help texts, error messages and the ids that aria-describedby points
to are the accessibility tests' subject (tests/browser, tests/intake).
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from django.utils import timezone

from screening.intake.forms import StepForm, fields_for_question, render_question
from screening.questionnaire.defaults import baseline_answers
from screening.questionnaire.selectors import steps_with_questions
from screening.rules import answers_to_json

pytestmark = pytest.mark.django_db

CRISPY = Template("{% load crispy_forms_tags %}{% for f in fields %}{{ f|as_crispy_field }}{% endfor %}")

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


class _Canonical(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.items.append(("<", tag, tuple(sorted(attrs))))

    def handle_endtag(self, tag):
        self.items.append((">", tag))

    def handle_data(self, data):
        if text := " ".join(data.split()):
            self.items.append(("text", text))


def canonical(html: str) -> list[tuple]:
    parser = _Canonical()
    parser.feed(html)
    parser.close()
    return parser.items


def _saved_answers() -> dict:
    answers = answers_to_json(baseline_answers(timezone.localdate()))
    return {**answers, "first_name": "Alex", "last_name": "O'Brien & Co", "blood_thinners": True,
            "blood_thinners_detail": "warfarin <5mg>", "isotretinoin_last_taken": None}


def _forms(step_number: int, questions) -> dict[str, StepForm]:
    saved = _saved_answers()
    return {
        "empty": StepForm(None, questions=questions, answers={}),
        "saved": StepForm(None, questions=questions, answers=saved),
        "posted empty": StepForm({"action": "next"}, questions=questions, answers={}),
        "posted with errors": StepForm({**BAD[step_number], "action": "next"}, questions=questions, answers=saved),
    }


@pytest.mark.parametrize("step_number", [1, 2, 3, 4, 5])
def test_each_question_is_rendered_as_crispy_forms_rendered_it(step_number):
    step = next(s for s in steps_with_questions() if s.number == step_number)
    questions = list(step.questions.all())
    compared = 0
    for state, form in _forms(step_number, questions).items():
        form.is_valid() if form.is_bound else None
        for q in questions:
            ours = canonical(render_question(form, q))
            theirs = canonical(CRISPY.render(Context({"fields": fields_for_question(form, q)})))
            assert ours == theirs, f"step {step_number}, {q.code}, {state}"
            compared += 1
    assert compared == 4 * len(questions)


def test_the_comparison_covers_errors_help_texts_and_every_kind_of_field():
    kinds = set()
    errors = help_texts = 0
    for step in steps_with_questions():
        questions = list(step.questions.all())
        form = _forms(step.number, questions)["posted with errors"]
        form.is_valid()
        for q in questions:
            for bf in fields_for_question(form, q):
                kinds.add(type(bf.field.widget).__name__)
                errors += bool(bf.errors)
                help_texts += bool(bf.help_text)
    assert kinds >= {"TextInput", "EmailInput", "DateInput", "Textarea", "CheckboxInput", "RadioSelect",
                     "CheckboxSelectMultiple"}
    assert errors >= 10 and help_texts >= 10
