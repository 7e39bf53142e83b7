"""Steps of the patient journey in the browser, shared by the browser tests."""

from __future__ import annotations

import re


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
        if not box.is_checked() and not page.locator(f"input[name='{box.get_attribute('name')[:-7]}']").input_value():
            box.check()


def _health_part_2(page, **dates: str) -> None:
    for name, value in dates.items():
        page.locator(f"input[name='{name}']").fill(value)
    _never_for_all_dates(page)
    _answer_all_no(page)
    page.locator("input[name=diabetes][value=none]").check()


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
    for name, value in (part1 or {}).items():
        page.locator(f"input[name='{name}'][value='{value}']").check()
    _answer_all_no(page)
    _next(visit, "health 1")
    _health_part_2(page, **(dates or {}))
    _next(visit, "health 2")
    _consent(page)
    _next(visit, "consent")
