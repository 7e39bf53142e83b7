"""Staff accounts (issue 7, item 2): lockout, password rules, session limits, two-factor sign-in.

Sign-ins go through the real sign-in page (``client.post``), so django-axes
sees each request and its address as in production. Two-factor sign-in is
on here, as in production (the suite's default turns it off for suites
about other features).
"""

from __future__ import annotations

import base64
import io
import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from screening.audit.models import AuditAction, AuditEvent
from screening.review import middleware
from screening.review.checks import second_factor_required
from screening.review.permissions import CLINIC_ADMIN, CLINICIAN, FRONT_DESK
from tests.staff.conftest import (
    PASSWORD,
    REVIEW,
    make_intake,
    make_staff,
    patient_client,
    staff_client,
    verify_second_factor,
)
from tests.staff.test_authorization_matrix import all_routes, sample_url

pytestmark = pytest.mark.django_db

HOME, ATTACKER = "198.51.100.7", "203.0.113.66"
LOGIN = "/staff/login/"
VERIFY = "/staff/two-factor/"
ENROL = "/staff/two-factor/set-up/"


@pytest.fixture(autouse=True)
def _second_factor_on(_second_factor_off_by_default, settings):
    settings.STAFF_REQUIRE_2FA = True


@pytest.fixture
def staff(db):
    return {
        "frank": make_staff("frank", FRONT_DESK),
        "clara": make_staff("clara", CLINICIAN),
        "adele": make_staff("adele", CLINIC_ADMIN),
        "root": make_staff("root", None, superuser=True),
    }


def sign_in(client: Client, username: str, password: str = PASSWORD, next_url: str = ""):
    return client.post(LOGIN + (f"?next={next_url}" if next_url else ""),
                       {"username": username, "password": password, "next": next_url})


def signed_in(client: Client) -> bool:
    """Whether the client is signed in (front desk: no second factor needed for /staff/)."""
    response = client.get("/staff/")
    return not (response.status_code == 302 and response["Location"].startswith(LOGIN))


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead)
    return f"{totp.token():06d}"


def wait_out_the_throttle(device: TOTPDevice) -> None:
    """As if the few seconds django-otp asks for after a wrong code had passed."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(minutes=5))


def session_key(client: Client) -> str | None:
    cookie = client.cookies.get(django_settings.SESSION_COOKIE_NAME)
    return cookie.value if cookie and cookie.value else None


# --- lockout (django-axes) ------------------------------------------------------------


def fail_five_times(client: Client, username: str):
    return [sign_in(client, username, "not the password") for _ in range(5)]


def test_five_wrong_passwords_pause_that_account_from_that_address_with_a_friendly_page(staff):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    *earlier, fifth = fail_five_times(attacker, "clara")
    assert [r.status_code for r in earlier] == [200] * 4  # the form again, with its error
    assert fifth.status_code == 429
    page = sign_in(attacker, "clara")  # even the right password, from there, for now
    assert page.status_code == 429 and not signed_in(attacker)
    text = page.content.decode()
    assert "Sign-in paused" in text and "try again in 15 minutes" in text and "clara" in text
    assert "Account locked: too many login attempts" not in text  # axes' bare default
    assert "<title>Sign-in paused" in text  # our layout, not a bare message


def test_the_owner_signs_in_from_another_address_while_that_one_is_locked_out(staff):
    fail_five_times(Client(REMOTE_ADDR=ATTACKER), "frank")
    owner = Client(REMOTE_ADDR=HOME)
    assert sign_in(owner, "frank").status_code == 302
    assert signed_in(owner)


def test_others_sign_in_from_the_locked_out_address(staff):
    shared = Client(REMOTE_ADDR=ATTACKER)  # a clinic's computers share one public address
    fail_five_times(shared, "clara")
    assert sign_in(shared, "frank").status_code == 302 and signed_in(shared)


def test_a_forged_forwarded_for_header_does_not_escape_the_lockout(staff):
    fail_five_times(Client(REMOTE_ADDR=ATTACKER), "frank")
    disguised = Client(REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=HOME)
    assert sign_in(disguised, "frank").status_code == 429


def test_fewer_failures_than_the_limit_do_not_lock_and_a_success_starts_the_count_again(staff):
    client = Client(REMOTE_ADDR=HOME)
    for _ in range(2):
        for _ in range(4):
            assert sign_in(client, "frank", "typo").status_code == 200
        assert sign_in(client, "frank").status_code == 302
        client.post(reverse("staff:logout"))


def test_after_the_cool_off_the_account_can_sign_in_from_that_address_again(staff):
    client = Client(REMOTE_ADDR=HOME)
    fail_five_times(client, "frank")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert sign_in(client, "frank").status_code == 429  # still paused (and the wait starts again)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert sign_in(client, "frank").status_code == 302 and signed_in(client)


def test_the_django_admin_sign_in_is_locked_out_too(staff):
    client = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": "adele", "password": "guess"})
    assert client.post(reverse("admin:login"), {"username": "adele", "password": PASSWORD}).status_code == 429


# --- password rules ---------------------------------------------------------------------


def test_the_password_validators_refuse_weak_passwords():
    names = [v["NAME"].rsplit(".", 1)[1] for v in django_settings.AUTH_PASSWORD_VALIDATORS]
    assert names == ["UserAttributeSimilarityValidator", "MinimumLengthValidator", "CommonPasswordValidator",
                     "NumericPasswordValidator"]
    user = User(username="clara.jones", email="clara.jones@clinic.example")
    for weak in ("password", "12345678901", "short1", "clara.jones1"):
        with pytest.raises(ValidationError):
            validate_password(weak, user)
    validate_password("amber kettle violin 42", user)


def test_the_admin_refuses_a_weak_password_for_a_staff_account(staff):
    root = staff_client(staff["root"])
    url = reverse("admin:auth_user_password_change", args=[staff["frank"].pk])
    form = {"usable_password": "true"}
    weak = root.post(url, {**form, "password1": "password", "password2": "password"})
    assert weak.status_code == 200 and "This password is too common." in weak.content.decode()
    staff["frank"].refresh_from_db()
    assert staff["frank"].check_password(PASSWORD)
    strong = root.post(url, {**form, "password1": "amber kettle violin 42", "password2": "amber kettle violin 42"})
    assert strong.status_code == 302
    staff["frank"].refresh_from_db()
    assert staff["frank"].check_password("amber kettle violin 42")


# --- sessions ---------------------------------------------------------------------------


def test_signing_in_gives_the_browser_a_new_session_key(staff):
    before = SessionStore()
    before["seen_the_intake_page"] = True  # a visitor's session from before signing in
    before.create()
    client = Client()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = before.session_key
    assert sign_in(client, "frank").status_code == 302
    assert session_key(client) not in (None, before.session_key)
    assert not Session.objects.filter(session_key=before.session_key).exists()
    assert client.session["seen_the_intake_page"] is True  # same session data, new key


def test_passing_the_second_factor_gives_a_new_session_key_too(staff):
    device = TOTPDevice.objects.create(user=staff["clara"], name="phone", confirmed=True)
    client = Client()
    sign_in(client, "clara")
    after_password = session_key(client)
    assert client.post(VERIFY, {"code": code_for(device)}).status_code == 302
    assert session_key(client) != after_password
    assert not Session.objects.filter(session_key=after_password).exists()


def test_signing_out_ends_the_session_for_good(staff):
    client = Client()
    sign_in(client, "frank")
    old = session_key(client)
    assert client.post(reverse("staff:logout"))["Location"] == LOGIN
    assert not Session.objects.filter(session_key=old).exists()
    replay = Client()
    replay.cookies[django_settings.SESSION_COOKIE_NAME] = old
    assert not signed_in(replay)


def test_a_deactivated_account_is_signed_out_on_its_next_request(staff):
    clients = {name: staff_client(staff[name]) for name in ("frank", "clara")}
    assert all(c.get("/staff/").status_code == 200 for c in clients.values())
    User.objects.filter(username__in=clients).update(is_active=False)
    for client in clients.values():
        response = client.get("/staff/")
        assert response.status_code == 302 and response["Location"] == f"{LOGIN}?next=/staff/"


@pytest.fixture
def clock(monkeypatch):
    """The staff session clock, moved by hand."""
    now = [1_800_000_000.0]

    def advance(minutes: float) -> None:
        now[0] += minutes * 60

    monkeypatch.setattr(middleware, "clock", lambda: now[0])
    return advance


def test_a_staff_session_ends_after_30_minutes_without_a_request(staff, clock):
    client = Client()
    sign_in(client, "frank")
    verify_second_factor(client, staff["frank"])
    for _ in range(3):  # activity keeps it going
        clock(29)
        assert client.get("/staff/").status_code == 200
    old = session_key(client)
    clock(31)
    response = client.get("/staff/", follow=True)
    assert response.redirect_chain[0][0] == f"{LOGIN}?next=/staff/"
    assert "signed out after 30 minutes without activity" in response.content.decode()
    assert not Session.objects.filter(session_key=old).exists()


def test_a_staff_session_ends_12_hours_after_signing_in_however_active(staff, clock):
    client = staff_client(staff["clara"])
    for _ in range(24):  # 11 h 36 min of steady work
        clock(29)
        assert client.get("/staff/").status_code == 200
    clock(29)  # 12 h 5 min
    response = client.get("/staff/", follow=True)
    assert response.redirect_chain[0][0] == f"{LOGIN}?next=/staff/"
    assert "signed out 12 hours after signing in" in response.content.decode()


def test_a_patients_session_has_no_idle_or_twelve_hour_staff_limit(staff, clock):
    intake = make_intake(email="ada@example.com", first_name="Ada", answers=REVIEW)
    patient = patient_client(intake)
    outcome = reverse("intake:outcome", args=[intake.public_id])
    assert patient.get(outcome).status_code == 200
    clock(13 * 60)  # a long pause on a phone: nothing about it is staff access
    assert patient.get(outcome).status_code == 200
    assert middleware.SESSION_SEEN not in patient.session


# --- two-factor sign-in -----------------------------------------------------------------


def test_a_clinician_without_a_device_must_enrol_before_any_staff_page(staff):
    client = Client()
    intake = make_intake(email="a@example.com", first_name="A")
    assert sign_in(client, "clara", next_url="/staff/bookings/")["Location"] == "/staff/bookings/"
    for method, url in [("get", "/staff/"), ("get", "/staff/bookings/"),
                        ("post", f"/staff/intakes/{intake.public_id}/clear/")]:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith(f"{ENROL}?next="), url
    page = client.get(f"{ENROL}?next=/staff/bookings/")
    text = page.content.decode()
    assert page.status_code == 200 and "Your role gives access to patients' health records" in text
    qr = re.search(r'<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', text)
    assert qr and base64.b64decode(qr.group(1)).lstrip().startswith(b"<?xml")
    [pending] = TOTPDevice.objects.filter(user=staff["clara"])
    secret = base64.b32encode(pending.bin_key).decode().rstrip("=")
    assert " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)) in text  # to type by hand
    assert client.post(ENROL, {"code": "000000", "next": "/staff/bookings/"}).status_code == 200
    assert not TOTPDevice.objects.get(pk=pending.pk).confirmed and client.get("/staff/").status_code == 302
    wait_out_the_throttle(pending)
    done = client.post(ENROL, {"code": code_for(pending), "next": "/staff/bookings/"})
    assert done["Location"] == "/staff/bookings/"
    assert TOTPDevice.objects.get(pk=pending.pk).confirmed
    assert client.get("/staff/bookings/").status_code == 200


def test_a_superuser_enters_a_code_before_the_django_admin(staff):
    device = TOTPDevice.objects.create(user=staff["root"], name="phone", confirmed=True)
    client = Client(REMOTE_ADDR=HOME)
    sign_in(client, "root")
    assert client.get("/admin/")["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    wrong = client.post(VERIFY, {"code": code_for(device, steps_ahead=5), "next": "/admin/"})
    assert wrong.status_code == 200 and "That code didn&#x27;t work" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302
    wait_out_the_throttle(device)
    assert client.post(VERIFY, {"code": code_for(device), "next": "/admin/"})["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    trail = AuditEvent.objects.filter(actor=staff["root"]).order_by("at", "id")
    assert [(e.action, e.detail) for e in trail] == [
        (AuditAction.LOGIN, ""), (AuditAction.LOGIN_FAILED, "wrong second-factor code"),
        (AuditAction.LOGIN, "second factor verified")]


def test_a_code_works_once(staff):
    device = TOTPDevice.objects.create(user=staff["clara"], name="phone", confirmed=True)
    code = code_for(device)
    first, second = Client(), Client()
    for client in (first, second):
        sign_in(client, "clara")
    assert first.post(VERIFY, {"code": code}).status_code == 302
    assert second.post(VERIFY, {"code": code}).status_code == 200  # seen already: refused


def test_right_after_a_wrong_code_even_the_right_one_must_wait(staff):
    device = TOTPDevice.objects.create(user=staff["clara"], name="phone", confirmed=True)
    client = Client()
    sign_in(client, "clara")
    client.post(VERIFY, {"code": code_for(device, steps_ahead=5)})
    hurried = client.post(VERIFY, {"code": code_for(device)})
    assert hurried.status_code == 200 and "Please wait a few seconds" in hurried.content.decode()
    wait_out_the_throttle(device)
    assert client.post(VERIFY, {"code": code_for(device)}).status_code == 302


def test_every_staff_and_admin_page_waits_for_the_code(staff):
    """The whole URLconf, so a new page cannot forget: only sign-in, sign-out and the code pages are open."""
    TOTPDevice.objects.create(user=staff["adele"], name="phone", confirmed=True)
    intake = make_intake(email="ada@example.com", first_name="Ada", answers=REVIEW)
    client = Client()
    sign_in(client, "adele")
    open_before_code = {"staff:logout", "staff:otp_verify", "staff:otp_enrol"}
    problems, checked = [], 0
    for route in all_routes():
        callback = route.pattern.callback
        if not route.route.startswith(("staff/", "admin/")) or route.key in open_before_code:
            continue
        if not getattr(callback, "login_required", True):
            continue  # public pages (sign-in, password reset): nothing behind them
        url = sample_url(route, intake)
        for method in ("get", "post"):
            with transaction.atomic():
                response = getattr(client, method)(url)
                transaction.set_rollback(True)
            checked += 1
            if not (response.status_code == 302 and response["Location"].startswith(f"{VERIFY}?next=")):
                problems.append(f"{method.upper()} {url}: {response.status_code}")
    assert checked > 100 and not problems, "\n".join(problems)


def test_signing_out_works_before_the_code(staff):
    TOTPDevice.objects.create(user=staff["clara"], name="phone", confirmed=True)
    client = Client()
    sign_in(client, "clara")
    assert client.post(reverse("staff:logout"))["Location"] == LOGIN
    assert client.get(VERIFY)["Location"].startswith(f"{LOGIN}?next=")


def test_a_password_alone_cannot_add_a_second_device(staff):
    TOTPDevice.objects.create(user=staff["clara"], name="phone", confirmed=True)
    client = Client()
    sign_in(client, "clara")  # say, someone who learned the password
    for method in ("get", "post"):
        response = getattr(client, method)(ENROL, {"code": "123456"})
        assert response["Location"].startswith(f"{VERIFY}?next=")
    assert TOTPDevice.objects.filter(user=staff["clara"]).count() == 1


def test_the_code_is_asked_again_at_the_next_sign_in(staff):
    client = staff_client(staff["clara"])
    assert client.get("/staff/").status_code == 200
    client.post(reverse("staff:logout"))
    sign_in(client, "clara")
    assert client.get("/staff/")["Location"].startswith(f"{VERIFY}?next=")


def test_front_desk_without_a_device_is_sent_to_enrol_and_cannot_skip(staff):
    client = Client()
    sign_in(client, "frank")
    assert client.get("/staff/")["Location"].startswith(f"{ENROL}?next=")
    assert "skip for now" not in client.get(ENROL).content.decode()
    TOTPDevice.objects.create(user=staff["frank"], name="phone", confirmed=True)
    client.post(reverse("staff:logout"))
    sign_in(client, "frank")
    assert client.get("/staff/")["Location"].startswith(f"{VERIFY}?next=")


def test_the_code_pages_refuse_a_next_address_elsewhere(staff):
    device = TOTPDevice.objects.create(user=staff["clara"], name="phone", confirmed=True)
    client = Client()
    sign_in(client, "clara")
    response = client.post(VERIFY, {"code": code_for(device), "next": "https://evil.example/"})
    assert response["Location"] == reverse("staff:queue")


def test_the_enrolment_page_keeps_to_the_content_security_policy(staff):
    client = Client()
    sign_in(client, "clara")
    page = client.get(ENROL)
    policy = page["Content-Security-Policy"]
    assert "img-src 'self' data:" in policy and "script-src 'self'" in policy
    assert not re.search(r"<script(?![^>]*\bsrc=)", page.content.decode())  # no inline script
    assert "no-store" in page["Cache-Control"]  # the page shows the secret


def test_with_the_flag_off_no_code_is_asked_and_the_deploy_check_says_so(staff, settings):
    settings.STAFF_REQUIRE_2FA = False
    client = Client()
    sign_in(client, "clara")
    assert client.get("/staff/").status_code == 200
    [warning] = second_factor_required(None)
    assert warning.id == "staff.W001"
    settings.STAFF_REQUIRE_2FA = True
    assert second_factor_required(None) == []


# --- the demo accounts ------------------------------------------------------------------


def test_seed_demo_gives_every_demo_account_a_published_authenticator_key(settings):
    out = io.StringIO()
    call_command("seed_demo", force=True, stdout=out)
    call_command("seed_demo", force=True, stdout=io.StringIO())  # again: still one device each
    printed = out.getvalue()
    assert "authenticator key: CLIN ICIA NDEM OKEY CLIN ICIA NDEM OKEY" in printed
    assert "otpauth://totp/Clinic%20Screening%3Aadmin?secret=ADMINDEMOKEYADMINDEMOKEYADMINKEY" in printed
    assert "authenticator key: FRON TDES KDEM OKEY FRON TDES KDEM OKEY" in printed
    assert TOTPDevice.objects.filter(user__username="frontdesk", confirmed=True).count() == 1
    [device] = TOTPDevice.objects.filter(user__username="clinician", confirmed=True)

    settings.DEBUG = True
    code = io.StringIO()
    call_command("demo_otp", "clinician", stdout=code)
    assert code.getvalue().strip() == code_for(device)
    client = Client()
    sign_in(client, "clinician", "demo-clinician-pass")
    assert client.post(VERIFY, {"code": code.getvalue().strip()}).status_code == 302
    assert client.get("/staff/").status_code == 200

    settings.DEBUG = False
    with pytest.raises(Exception, match="only runs with DEBUG on"):
        call_command("demo_otp", "clinician", stdout=io.StringIO())
