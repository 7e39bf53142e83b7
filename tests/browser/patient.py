"""Steps of the patient journey in the browser, shared by the browser tests."""

from __future__ import annotations

import re

#: The health steps between the goals and the consent (issue 18 split them into steps of at most eight).
HEALTH_STEPS = 5


def _choose_treatment(visit, name: str = "Face and neck") -> None:
    visit.goto("/intake/")
    visit.assert_styled()
    visit.assert_accessible()
    visit.page.get_by_label(name, exact=False).check()
    visit.page.get_by_role("button", name="Start").click()


def _about_you(page, first: str = "Alex", last: str = "Example", born: str = "1990-04-03",
               email: str = "alex@example.com") -> None:
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    page.get_by_label("Date of birth").fill(born)
    page.get_by_label("Email").fill(email)


def _answer_all_no(page) -> None:
    """Tick "No" for every yes/no group on the page that has nothing chosen."""
    page.evaluate(
        """() => {
            const names = new Set([...document.querySelectorAll('input[type=radio][value=no]')]
                .filter(r => !r.closest('[hidden]')).map(r => r.name));
            for (const name of names) {
                if (!document.querySelector(`input[name="${name}"]:checked`)) {
                    document.querySelector(`input[name="${name}"][value=no]`).click();
                }
            }
        }"""
    )


def _never_for_all_dates(page) -> None:
    for box in page.locator("input[type=checkbox][name$='__never']").all():
        code = box.get_attribute("name")[:-7]
        month = page.locator(f"input[name='{code}__month']")
        given = page.locator(f"input[name='{code}']").input_value() or (month.count() and month.input_value())
        if not box.is_checked() and not given:
            box.check()


def _health_step(page, answers: dict[str, str], dates: dict[str, str]) -> None:
    """Answer one health step: the given answers and dates of its questions, "no" and "never" for the rest."""
    for name, value in answers.items():
        radio = page.locator(f"input[name='{name}'][value='{value}']")
        if radio.count():
            radio.check()
    for name, value in dates.items():
        field = page.locator(f"input[name='{name}']")
        if field.count():
            field.fill(value)
    _never_for_all_dates(page)
    _answer_all_no(page)
    diabetes = page.locator("input[name=diabetes][value=none]")
    if diabetes.count() and not page.locator("input[name=diabetes]:checked").count():
        diabetes.check()


def _health_steps(visit, first: int = 1, answers: dict | None = None, dates: dict | None = None, *,
                  last: int = HEALTH_STEPS) -> None:
    """Answer the health steps ``first`` to ``last`` (of 1 to HEALTH_STEPS), pressing Next on each."""
    for part in range(first, last + 1):
        _health_step(visit.page, answers or {}, dates or {})
        _next(visit, f"health {part}")


def _next(visit, label: str) -> None:
    visit.shot(label)
    visit.assert_accessible()
    visit.page.get_by_role("button", name=re.compile("^(Next|Send my answers)$")).click()


def _consent(page, name: str = "Alex Example") -> None:
    page.get_by_label("I have read", exact=False).check()
    page.get_by_label("full name", exact=False).fill(name)


def _fill(visit, *, part1: dict | None = None, dates: dict | None = None) -> None:
    page = visit.page
    _choose_treatment(visit)
    _about_you(page)
    _next(visit, "about you")
    page.get_by_label("Fine lines and wrinkles", exact=False).check()
    _next(visit, "goals")
    _health_steps(visit, 1, part1 or {}, dates or {})
    _consent(page)
    _next(visit, "consent")
