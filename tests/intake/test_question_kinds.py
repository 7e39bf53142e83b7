"""Questions carry a kind (email, names, date of birth, phone, signature): the intake reads kinds, not codes.

A clinic's questionnaire may name its questions as it likes: the email
address, the names and the signature keep working under other codes, and a
question that merely happens to be coded "email" is just text.
"""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from screening.questionnaire.admin_selectors import current_questionnaire_version
from screening.questionnaire.models import Question, QuestionKind
from screening.questionnaire.versions import questionnaire_publish

pytestmark = pytest.mark.django_db


def test_the_default_questions_have_their_kinds():
    kinds = dict(Question.objects.exclude(kind=QuestionKind.NONE).values_list("code", "kind"))

    assert kinds == {"first_name": "first_name", "last_name": "last_name", "date_of_birth": "date_of_birth",
                     "email": "email", "phone": "phone", "consent_signature": "signature"}


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
