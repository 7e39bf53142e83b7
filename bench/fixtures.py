"""What the load generator needs, made in the bench database: intakes, sessions, slots, requests.

Each request is ready to send: a path, a Cookie header (a session that has
been granted the patient's intake, or a signed-in front-desk session, and a
CSRF cookie) and the form data. Pools are written in bulk, sessions too.
"""

from __future__ import annotations

import secrets
import string
from datetime import time, timedelta

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench.floor import TABLE_SQL, floor_payload
from screening.booking import selectors as booking_selectors
from screening.booking.models import Practitioner, WeeklyHours
from screening.core.clinic import clinic_zone
from screening.core.models import ClinicSettings, Treatment
from screening.intake import access
from screening.intake.models import Intake, Screening
from screening.questionnaire.defaults import baseline_answers
from screening.review.permissions import FRONT_DESK
from screening.rules import answers_to_json

BENCH_PRACTITIONERS = 5
STAFF_USER = "bench-frontdesk"

# The patient's form posts, as a phone sends them: step 5 of 8 (bleeding, medicines and pregnancy: eight
# questions, the longest yes/no step of the default questionnaire since issue 18 split the health steps),
# and step 8, the consent.
STEP_MEASURED = 5
STEP_MEASURED_DATA = {"bleeding_disorder": "no", "blood_thinners": "no", "blood_thinners_detail": "",
                      "pregnant_or_breastfeeding": "no", "immunosuppressed": "no", "diabetes": "none",
                      "anesthetic_allergy": "no", "metal_allergy": "no", "action": "next"}
CONSENT_STEP = 8
CONSENT_DATA = {"consent_risks": "on", "consent_signature": "Alex Example", "action": "next"}
# Answers of the steps before the consent, as saved by the app (a draft about to be sent).
BEFORE_CONSENT = ("consent_risks", "consent_signature")


def csrf_secret() -> str:
    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))


def ensure_floor_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(TABLE_SQL)


@transaction.atomic
def ensure_calendar() -> list[Practitioner]:
    """Five practitioners doing every treatment, Monday to Saturday 09:00-17:00: the slot picker's load."""
    ClinicSettings.objects.get_or_create(pk=1, defaults={"time_zone": settings.CLINIC_TIME_ZONE})
    treatments = list(Treatment.objects.filter(active=True))
    practitioners = []
    for n in range(1, BENCH_PRACTITIONERS + 1):
        practitioner, created = Practitioner.objects.get_or_create(name=f"Bench practitioner {n}")
        if created:
            practitioner.treatments.set(treatments)
            WeeklyHours.objects.bulk_create(
                WeeklyHours(practitioner=practitioner, weekday=day, start=time(9), end=time(17)) for day in range(6)
            )
        practitioners.append(practitioner)
    return practitioners


def _sessions(intakes: list[Intake]) -> list[str]:
    """A granted session per intake, written in one insert."""
    store = SessionStore()
    expire = timezone.now() + timedelta(hours=12)
    rows, keys = [], []
    for intake in intakes:
        key = secrets.token_hex(16)
        rows.append(Session(session_key=key, expire_date=expire,
                            session_data=store.encode({access.SESSION_KEY: [str(intake.public_id)]})))
        keys.append(key)
    Session.objects.bulk_create(rows)
    return keys


def _intakes(count: int, *, submitted: bool, completed_step: int, treatment: Treatment) -> list[Intake]:
    now = timezone.now()
    answers = answers_to_json(baseline_answers(timezone.localdate()))
    if not submitted:
        answers = {k: v for k, v in answers.items() if k not in BEFORE_CONSENT}
    tag = secrets.token_hex(3)
    made = Intake.objects.bulk_create([
        Intake(treatment=treatment, answers={**answers, "email": f"bench-{tag}-{n}@example.com"},
               completed_step=completed_step, email=f"bench-{tag}-{n}@example.com", first_name="Alex",
               last_name="Example",
               **({"status": Intake.Status.SUBMITTED, "outcome": "eligible", "submitted_at": now} if submitted else {}))
        for n in range(count)
    ])
    intakes = list(Intake.objects.filter(email__startswith=f"bench-{tag}-").order_by("pk")) if not made[0].pk else made
    if submitted:
        Screening.objects.bulk_create(
            Screening(intake=i, reason=Screening.Reason.SUBMIT, on_date=now.date(), outcome="eligible",
                      answers=i.answers) for i in intakes
        )
    return intakes


def _cookie(session_key: str | None, csrf: str) -> str:
    return (f"{settings.SESSION_COOKIE_NAME}={session_key}; " if session_key else "") + \
        f"{settings.CSRF_COOKIE_NAME}={csrf}"


def _free_hours(intake: Intake, count: int) -> list[str]:
    """``count`` slot values that never overlap: on the hour, a practitioner each, day after day."""
    tz = clinic_zone()
    days = booking_selectors.free_days_for(intake, tz=tz, now=timezone.now(),
                                           days=booking_selectors.BOOKING_HORIZON_DAYS)
    values = [slot.value for day in days for slot in day.slots if slot.start.astimezone(tz).minute == 0]
    return values[:count]


def patient_scenarios(*, pool: int = 48, submits: int = 3000, bookings: int = 1500) -> dict:
    """Intake step GET/POST, final submit, slot picker, booking: their requests."""
    ensure_floor_table()
    ensure_calendar()
    face = Treatment.objects.get(code="face")
    csrf = csrf_secret()
    drafts = _intakes(pool, submitted=False, completed_step=STEP_MEASURED - 1, treatment=face)
    draft_keys = _sessions(drafts)
    to_send = _intakes(submits, submitted=False, completed_step=CONSENT_STEP - 1, treatment=face)
    send_keys = _sessions(to_send)
    pickers = _intakes(pool, submitted=True, completed_step=CONSENT_STEP, treatment=face)
    picker_keys = _sessions(pickers)
    bookers = _intakes(bookings, submitted=True, completed_step=CONSENT_STEP, treatment=face)
    booker_keys = _sessions(bookers)
    slots = _free_hours(bookers[0], bookings)
    step = "/intake/{}/step/{}/"
    return {
        "intake_step_get": _scenario("GET", 200, [
            {"path": step.format(i.public_id, STEP_MEASURED), "cookie": _cookie(k, csrf)}
            for i, k in zip(drafts, draft_keys)]),
        "intake_step_post": _scenario("POST", 302, [
            {"path": step.format(i.public_id, STEP_MEASURED), "cookie": _cookie(k, csrf),
             "data": {**STEP_MEASURED_DATA, "csrfmiddlewaretoken": csrf}} for i, k in zip(drafts, draft_keys)]),
        "final_submit": _scenario("POST", 302, [
            {"path": step.format(i.public_id, CONSENT_STEP), "cookie": _cookie(k, csrf),
             "data": {**CONSENT_DATA, "csrfmiddlewaretoken": csrf}} for i, k in zip(to_send, send_keys)],
            consume=True),
        "slot_picker": _scenario("GET", 200, [
            {"path": f"/intake/{i.public_id}/book/", "cookie": _cookie(k, csrf)}
            for i, k in zip(pickers, picker_keys)]),
        "booking": _scenario("POST", 302, [
            {"path": f"/intake/{i.public_id}/book/", "cookie": _cookie(k, csrf),
             "data": {"slot": slot, "csrfmiddlewaretoken": csrf}}
            for i, k, slot in zip(bookers, booker_keys, slots)], consume=True),
        **floor_scenarios(csrf),
    }


def floor_scenarios(csrf: str | None = None) -> dict:
    csrf = csrf or csrf_secret()
    return {
        "floor_get": _scenario("GET", 200, [{"path": "/bench-floor/", "cookie": _cookie(None, csrf)}]),
        "floor_post": _scenario("POST", 302, [
            {"path": "/bench-floor/", "cookie": _cookie(None, csrf),
             "data": {**floor_payload(n), "csrfmiddlewaretoken": csrf}} for n in range(50)]),
    }


def staff_scenarios(*, details: int = 50) -> dict:
    """The queue and intake pages, as a signed-in front desk reads them."""
    ensure_floor_table()
    user, created = User.objects.get_or_create(username=STAFF_USER, defaults={"is_staff": True})
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=FRONT_DESK))
    client = Client()
    client.force_login(user, backend="screening.review.permission_backend.StaffPermissionBackend")
    # Past the second factor, as after an accepted code (django_otp.login): every staff page asks for it.
    device = (TOTPDevice.objects.filter(user=user, confirmed=True).first()
              or TOTPDevice.objects.create(user=user, name="bench phone", confirmed=True))
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    csrf = csrf_secret()
    # Intakes staff open: the newest, those needing review among them.
    recent = list(Intake.objects.filter(status=Intake.Status.SUBMITTED)
                  .order_by("-submitted_at", "-id").values_list("public_id", flat=True)[:details])
    cookie = _cookie(session_key, csrf)
    scenarios = {
        "staff_queue": _scenario("GET", 200, [{"path": "/staff/", "cookie": cookie}]),
        "staff_detail": _scenario("GET", 200, [{"path": f"/staff/intakes/{p}/", "cookie": cookie} for p in recent]),
        **floor_scenarios(csrf),
    }
    scenarios["queries"] = staff_page_queries(scenarios)
    return scenarios


def staff_page_queries(scenarios: dict) -> dict[str, int]:
    """How many queries the queue and an intake page run here (the test holds them to ten at most)."""
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name in ("staff_queue", "staff_detail"):
        request = scenarios[name]["requests"][0]
        client = Client(HTTP_HOST="127.0.0.1")
        for pair in request["cookie"].split("; "):
            key, _, value = pair.partition("=")
            client.cookies[key] = value
        client.get(request["path"])  # the first request of a process pays for one-off lookups
        with CaptureQueriesContext(db) as captured:
            status = client.get(request["path"]).status_code
        counts[name] = len(captured) if status == 200 else -status
    return counts


def _scenario(method: str, expect: int, requests: list[dict], *, consume: bool = False) -> dict:
    return {"method": method, "expect": expect, "requests": requests, "consume": consume}
