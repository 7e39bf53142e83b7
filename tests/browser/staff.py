"""Staff in the browser: the two-step sign-in with a real TOTP code, and the README's screenshots.

The code is what an authenticator app would show: computed from the
device's key and the current time, exactly as django-otp checks it.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from django.contrib.auth.models import User
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DOCS_SCREENSHOT_MAX_BYTES = 150_000


def authenticator(user: User) -> TOTPDevice:
    """An enrolled authenticator app for ``user`` (as after the set-up page)."""
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def code_for(device: TOTPDevice) -> str:
    """The 6-digit code the phone shows now."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def wrong_code_for(device: TOTPDevice) -> str:
    """A well-formed code that none of the codes django-otp accepts now (it allows one step either side) is."""
    device.refresh_from_db()
    accepted = {
        f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + d).token():06d}"
        for d in (-1, 0, 1)
    }
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in accepted)


def wait_out_the_throttle(device: TOTPDevice) -> None:
    """As if the second django-otp asks for after a wrong code had passed (no sleeping in tests)."""
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=timezone.now() - timedelta(minutes=5))


def enter_password(visit, username: str, password: str) -> None:
    """On the staff sign-in page (checked for accessibility), sign in with a password."""
    page = visit.page
    expect(page.get_by_role("heading", name="Staff sign in")).to_be_visible()
    assert page.url.startswith(visit.base_url + "/staff/login/"), page.url
    visit.assert_accessible()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def enter_code(visit, code: str) -> None:
    page = visit.page
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    assert page.url.startswith(visit.base_url + "/staff/two-factor/"), page.url
    visit.assert_accessible()
    page.get_by_label("6-digit code").fill(code)
    page.get_by_role("button", name="Continue").click()


def sign_in(visit, username: str, password: str, device: TOTPDevice, *, start: str) -> None:
    """Open ``start`` signed out, and get back to it through the password and the code."""
    visit.goto(start)
    enter_password(visit, username, password)
    enter_code(visit, code_for(device))
    visit.page.wait_for_url(visit.base_url + start)


def checked(visit, label: str) -> None:
    """A screenshot of the page (under the run's artifacts) and axe over it: 0 serious or critical."""
    visit.shot(label)
    visit.assert_accessible()


def docs_screenshots_wanted() -> bool:
    return os.environ.get("DOCS_SCREENSHOTS", "").lower() in {"1", "true", "yes"}


def docs_screenshot(visit, name: str) -> Path | None:
    """With DOCS_SCREENSHOTS=1, save what the browser shows now as docs/screenshots/<name>.png.

    The visible viewport only (390 px wide on the phone, 1280 on the
    desktop), cut just below the page's content when that ends higher up,
    so the images stay small enough for the README.
    """
    if not docs_screenshots_wanted():
        return None
    DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = DOCS_SCREENSHOTS / f"{name}.png"
    page = visit.page
    viewport = page.viewport_size
    content_bottom = page.evaluate("() => Math.ceil(document.querySelector('main').getBoundingClientRect().bottom)")
    height = max(200, min(viewport["height"], content_bottom))
    page.screenshot(path=str(path), clip={"x": 0, "y": 0, "width": viewport["width"], "height": height},
                    animations="disabled", caret="hide")
    size = path.stat().st_size
    assert size < DOCS_SCREENSHOT_MAX_BYTES, f"{path.name} is {size} bytes: too big for the README"
    return path
