"""Real-browser tests: Playwright drives Debian's Chromium against the live server.

Outside CI, a machine without Chromium skips these with a clear message;
under CI=true a missing Chromium fails the run instead.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make between browser steps are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}: install Debian's 'chromium' package to run browser tests."
        if _in_ci():
            pytest.fail(message + " (CI=true: a missing browser is a failure, not a skip)")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield browser
        browser.close()


class Visit:
    """One browser context with outside requests blocked and recorded."""

    def __init__(self, browser, base_url: str, viewport: dict, name: str):
        self.base_url = base_url.rstrip("/")
        self.blocked: list[str] = []
        # Reduced motion: no Bootstrap transitions, so axe never measures a
        # colour half-way through a fade.
        self.context = browser.new_context(viewport=viewport, base_url=self.base_url, locale="en-GB",
                                           reduced_motion="reduce")
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.js_errors: list[str] = []
        self.page.on("pageerror", lambda error: self.js_errors.append(str(error)))
        self.page.set_default_timeout(10_000)
        self.name = name
        self.shots = 0

    def _route(self, route):
        url = route.request.url
        if url.startswith(self.base_url) or url.startswith("data:") or url == "about:blank":
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def goto(self, path: str):
        return self.page.goto(self.base_url + path)

    def shot(self, label: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.shots += 1
        path = ARTIFACTS / f"{self.name}-{self.shots:02d}-{re.sub(r'[^a-z0-9]+', '-', label.lower())}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def assert_accessible(self) -> None:
        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(self.page)
        serious = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in results.response["violations"]
            if v.get("impact") in {"serious", "critical"}
        ]
        assert serious == [], f"axe on {self.page.url}: {serious}"

    def assert_styled(self) -> None:
        """Vendored CSS loaded: Bootstrap's .btn-primary is blue, not default grey."""
        color = self.page.evaluate(
            "() => { const b = document.querySelector('.btn-primary');"
            " return b ? getComputedStyle(b).backgroundColor : null; }"
        )
        assert color in {"rgb(13, 110, 253)", None}, color
        assert self.page.evaluate("() => document.styleSheets.length") >= 2

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def phone(browser, live_server, request):
    visit = Visit(browser, live_server.url, PHONE, f"phone-{request.node.name}")
    yield visit
    visit.close()
    assert visit.blocked == [], f"pages asked for outside resources: {visit.blocked}"
    assert visit.js_errors == [], f"script errors: {visit.js_errors}"


@pytest.fixture
def desktop(browser, live_server, request):
    visit = Visit(browser, live_server.url, DESKTOP, f"desktop-{request.node.name}")
    yield visit
    visit.close()
    assert visit.blocked == [], f"pages asked for outside resources: {visit.blocked}"
    assert visit.js_errors == [], f"script errors: {visit.js_errors}"


@pytest.fixture
def second_factor_on(_second_factor_off_by_default, settings):
    """As in production: clinicians and clinic admins need their code after the password (a suite that signs
    staff in through the pages asks for it with ``pytest.mark.usefixtures("second_factor_on")``)."""
    settings.STAFF_REQUIRE_2FA = True
