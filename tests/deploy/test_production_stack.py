"""The production stack as one whole: two gunicorns over one PostgreSQL and one worker, a patient between them.

Each gunicorn is a real process with deploy/gunicorn.conf.py and DEBUG off;
the worker is a real ``db_worker`` after ``plan_heartbeat``, as the Procfile
and deploy/clinic-worker.service run them. The patient's requests alternate
between the two servers (one cookie jar: cookies do not care about ports,
as they do not care which server behind a load balancer answers); a rule
published through one server screens the very next request on the other;
/health/ is green with the worker and turns red when it stops.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import ExitStack
from pathlib import Path

import pytest
from django.conf import global_settings
from django.db import connection

from screening.booking.models import Booking
from screening.core.models import Treatment
from screening.intake.models import Flag, Intake
from screening.questionnaire.transfer import export_document
from screening.review.permissions import CLINIC_ADMIN, roles_install
from screening.setup.demo import seed_calendar
from tests.intake.helpers import CLEAN, LAST_STEP
from tests.security.test_gunicorn_log import _free_port
from tests.staff.conftest import PASSWORD, make_staff

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


class Browser:
    """A browser: one cookie jar, whichever server it talks to; follows redirects, sends the CSRF token."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, url: str, data: dict | None = None) -> tuple[int, str, str]:
        body = None
        if data is not None:
            token = next((c.value for c in self.jar if c.name == "csrftoken"), "")
            body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}, doseq=True).encode()
        try:
            with self.opener.open(urllib.request.Request(url, data=body), timeout=30) as response:  # noqa: S310
                return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.geturl(), error.read().decode()


def _wait_for(check, *, seconds: float, what: str) -> None:
    """Poll a real process's state (there is no clock to move across processes)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.25)
    raise AssertionError(f"gave up waiting for {what}")


def _health(base: str) -> int:
    try:
        with urllib.request.urlopen(f"{base}/health/", timeout=10) as response:  # noqa: S310 (127.0.0.1)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def _environment() -> dict[str, str]:
    db = connection.settings_dict
    url = (f"postgres://{urllib.parse.quote(db['USER'])}:{urllib.parse.quote(db['PASSWORD'] or '')}"
           f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DATABASE_URL=url, DJANGO_DEBUG="false", DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1", DJANGO_SSL_REDIRECT="false", DJANGO_SECURE_COOKIES="false",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend", STAFF_REQUIRE_2FA="false",
        WORKER_HEARTBEAT_SECONDS="1", HEALTH_WORKER_MAX_AGE_SECONDS="3", GUNICORN_ACCESS_LOG="off",
        PATH=f"{BIN}:{os.environ.get('PATH', '')}",
    )
    return env


def _start(stack: ExitStack, command: list[str], env: dict, log: Path) -> subprocess.Popen:
    out = stack.enter_context(open(log, "w"))
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)

    def stop() -> None:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)

    stack.callback(stop)
    return process


def _gunicorn(stack: ExitStack, env: dict, tmp_path: Path, name: str) -> str:
    port = _free_port()
    _start(stack, [str(BIN / "gunicorn"), "clinic.wsgi", "-c", "deploy/gunicorn.conf.py", "--workers", "1",
                   "--bind", f"127.0.0.1:{port}"], env, tmp_path / f"{name}.log")
    base = f"http://127.0.0.1:{port}"
    _wait_for(lambda: _health(base) in (200, 503), seconds=60, what=f"gunicorn {name} to answer")
    return base


def _new_rule_document() -> str:
    """Every rule as it is, plus one that sends a patient named Smoke to review."""
    document = export_document()
    template = next(rule for rule in document["rules"] if rule["code"] == "BLEEDING_DISORDER")
    document["rules"].append({
        **template, "code": "SMOKE_REVIEW", "name": "Smoke test", "severity": "review", "treatments": [],
        "match": "all", "conditions": [{"question": "first_name", "op": "equals", "value": "Smoke"}],
        "staff_message": "Published through one server, screened on the other.",
        "patient_message": "A clinician will look at your answers.", "revision": 1,
        "examples": [{"answers": {"first_name": name}, "treatment": "face", "on_date": "2027-01-15", "expected": outcome}
                     for name, outcome in (("Smoke", "review"), ("Ada", "eligible"))],
    })
    return json.dumps(document)


def _publish_through(base: str, document: str) -> None:
    admin = Browser()
    admin.request(f"{base}/staff/login/")
    status, url, _ = admin.request(f"{base}/staff/login/", {"username": "adele", "password": PASSWORD})
    assert status == 200 and "/login/" not in url, "the superuser could not sign in"
    status, url, page = admin.request(f"{base}/admin/questionnaire/rule/import/",
                                      {"document": document, "apply": "1"})
    assert status == 200 and url.endswith("/admin/questionnaire/rule/"), re.findall(r'<ul[^>]*errorlist[^>]*>.*?</ul>',
                                                                                     page, re.S)


class Balancer:
    """The load balancer: each request to the other server than the last."""

    def __init__(self, servers: list[str]) -> None:
        self.servers, self.turn = servers, 0

    def __call__(self) -> str:
        self.turn += 1
        return self.servers[self.turn % 2]


def _intake(patient: Browser, server: Balancer, treatment: int, *, before_submit) -> str:
    """A whole intake across both servers; ``before_submit(server the submit goes to)`` runs before the last step."""
    patient.request(f"{server()}/intake/")
    _status, url, _page = patient.request(f"{server()}/intake/", {"treatment": treatment})
    public_id = re.search(r"/intake/([0-9a-f-]{36})/step/1/", url).group(1)
    answers = {**CLEAN, 1: {**CLEAN[1], "first_name": "Smoke"},
               LAST_STEP: {**CLEAN[LAST_STEP], "consent_signature": "Smoke Example"}}
    for number in range(1, LAST_STEP + 1):
        step = f"/intake/{public_id}/step/{number}/"
        assert patient.request(f"{server()}{step}")[0] == 200
        target = server()
        if number == LAST_STEP:
            before_submit(target)
        status, url, page = patient.request(f"{target}{step}", {**answers[number], "action": "next"})
        assert status == 200, page[:500]
        assert url.endswith(f"/step/{number + 1}/" if number < LAST_STEP else f"/intake/{public_id}/outcome/"), url
    return public_id


def test_two_servers_one_database_one_worker(tmp_path, settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the production stack (set DATABASE_URL=postgres://...)")
    seed_calendar()
    roles_install()
    # The servers check passwords with the production hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    make_staff("adele", CLINIC_ADMIN, superuser=True)  # the rule file import is in the admin, for superusers
    treatment = Treatment.objects.get(code="face").pk
    env = _environment()
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                   check=True, timeout=300)
    with ExitStack() as stack:
        servers = [_gunicorn(stack, env, tmp_path, "a"), _gunicorn(stack, env, tmp_path, "b")]
        subprocess.run([sys.executable, "manage.py", "plan_heartbeat"], cwd=ROOT, env=env, check=True, timeout=60)
        worker = _start(stack, [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.5"],
                        env, tmp_path / "worker.log")
        _wait_for(lambda: _health(servers[0]) == 200, seconds=60, what="/health/ to turn green")
        assert _health(servers[1]) == 200

        def publish_on_the_other(submit_to: str) -> None:
            # Both servers have read the rules by now; one publishes, the other screens the submit.
            _publish_through(next(base for base in servers if base != submit_to), _new_rule_document())

        patient, server = Browser(), Balancer(servers)
        public_id = _intake(patient, server, treatment, before_submit=publish_on_the_other)
        intake = Intake.objects.get(public_id=public_id)
        assert intake.outcome == "review"
        assert Flag.objects.filter(screening__intake=intake, rule_code="SMOKE_REVIEW").exists()

        status, _url, picker = patient.request(f"{server()}/intake/{public_id}/book/")
        assert status == 200
        slot = re.search(r'name="slot" id="slot-1-1" value="([^"]+)"', picker).group(1)
        status, url, page = patient.request(f"{server()}/intake/{public_id}/book/", {"slot": slot})
        assert status == 200, page[:500]
        assert Booking.objects.get(intake=intake).status == "held"
        assert patient.request(f"{server()}{urllib.parse.urlparse(url).path}")[0] == 200  # the other shows it too
        # The worker, in its own process, sent what the patient was told (the receipt, the hold).
        _wait_for(lambda: not intake_messages_waiting(intake), seconds=30, what="the worker to send the emails")

        worker.terminate()
        worker.wait(timeout=20)
        _wait_for(lambda: _health(servers[1]) == 503, seconds=30, what="/health/ to turn red")
        assert _health(servers[0]) == 503


def intake_messages_waiting(intake: Intake) -> bool:
    from screening.outbox.models import Message

    messages = Message.objects.filter(intake_id=intake.pk)
    return not messages.exists() or messages.exclude(status="sent").exists()
