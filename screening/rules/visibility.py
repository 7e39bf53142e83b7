"""Show-when: whether a question is asked, given the answers so far. One function for every reader.

A question with ``show_when = {"question": parent, "value": v}`` is asked
only when the parent is itself asked and its answer is ``v`` (for a
several-choices parent: its answer includes ``v``). The engine ignores the
answers to questions that are not asked, the intake form neither asks nor
keeps them, and the page starts them hidden; all three call ``is_shown``.

It reads JSON answers and typed answers alike: show-when depends only on
yes/no and choice answers, which are the same in both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["hidden_codes", "is_shown"]

QuestionSpecs = Mapping[str, Mapping[str, Any]]


def is_shown(code: str, answers: Mapping[str, Any], questions: QuestionSpecs) -> bool:
    """Whether the question ``code`` is asked, given ``answers``; ``questions`` are the specs by code.

    A malformed, dangling or circular show-when shows the question: asking
    too much is safe, silently skipping a required question is not.
    """
    question = questions.get(code)
    for _ in range(len(questions) + 1):
        condition = question.get("show_when") if question is not None else None
        if not condition:
            return True
        if not isinstance(condition, Mapping):
            return True
        parent = questions.get(condition.get("question"))  # type: ignore[arg-type]
        if parent is None:
            return True
        parent_code = parent["code"]
        if parent_code not in answers:
            return False
        answer, wanted = answers[parent_code], condition.get("value")
        if isinstance(answer, (list, tuple)):
            matches = wanted in answer
        else:
            # Strictly: True is not 1, and "true" is not True.
            matches = answer == wanted and type(answer) is type(wanted)
        if not matches:
            return False
        question = parent  # asked only if its parent is asked too
    return True  # a circle of show-whens


def hidden_codes(answers: Mapping[str, Any], questions: QuestionSpecs, codes: Iterable[str] | None = None) -> set[str]:
    """The codes (of ``codes``, or of every question) that are not asked, given ``answers``."""
    return {
        code for code in (questions if codes is None else codes)
        if questions.get(code, {}).get("show_when") and not is_shown(code, answers, questions)
    }
