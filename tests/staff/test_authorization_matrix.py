"""Every URL pattern of the project × seven visitors × GET and POST, against a table.

The table below is the project's access policy. The URLconf is walked
(django.urls.get_resolver(), recursively, the admin's patterns included),
so a new pattern without an entry fails
``test_every_url_pattern_has_an_expected_answer``. The admin's many
patterns share one prefix rule, with the few exceptions listed: the stock
admin is for superusers only (issue 17), so a clinic admin is sent from any
of its pages to the set-up pages, and the superuser's answers are listed.

Patient URLs point at patient A's intake: only A's session may open them;
B's session, staff accounts and strangers get 404, never a hint that the
intake exists. Each request runs in a savepoint that is rolled back, from
a fresh client, so one request (a logout, a cancellation) cannot change
the next one's answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from axes.models import AccessFailureLog
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from screening.audit.log import Actor
from screening.booking.models import Practitioner, ScheduleException
from screening.core.models import ClinicSettings, Location, Treatment
from screening.fhir.models import IntegrationToken
from screening.fhir.services import integration_token_create
from screening.intake.models import Intake
from screening.outbox.models import Message
from screening.questionnaire.models import MedicineTerm, Question, QuestionChange, Rule, RuleDraft
from screening.questionnaire.question_changes import question_change_start
from screening.questionnaire.services import draft_start
from screening.review.services import intake_ask
from tests.staff.conftest import latest_screening, make_staff, patient_client, staff_client

pytestmark = pytest.mark.django_db

ANON, PATIENT_A, PATIENT_B = "anonymous", "patient A", "patient B"
FRONT_DESK, CLINICIAN, CLINIC_ADMIN, SUPERUSER = "front desk", "clinician", "clinic admin", "superuser"
VISITORS = (ANON, PATIENT_A, PATIENT_B, FRONT_DESK, CLINICIAN, CLINIC_ADMIN, SUPERUSER)
PATIENTS_AND_STRANGERS = (ANON, PATIENT_A, PATIENT_B)
STAFF = (FRONT_DESK, CLINICIAN, CLINIC_ADMIN, SUPERUSER)

# An expected answer: a status code, a set of acceptable ones, or LOGIN
# (a redirect to the staff sign-in page with ?next=).
LOGIN = "login"


def everyone(get, post) -> dict:
    return dict.fromkeys(VISITORS, (get, post))


def patient_page(get, post) -> dict:
    """Patient A's own page: A gets ``get``/``post``; everyone else a 404."""
    return {**everyone(404, 404), PATIENT_A: (get, post)}


def staff_page(*, front_desk, clinician, clinic_admin) -> dict:
    """On the staff side a superuser (every permission) is answered as the clinic admin is."""
    return {
        **dict.fromkeys(PATIENTS_AND_STRANGERS, (LOGIN, LOGIN)),
        FRONT_DESK: front_desk, CLINICIAN: clinician, CLINIC_ADMIN: clinic_admin, SUPERUSER: clinic_admin,
    }


def public_page(*, anonymous, staff) -> dict:
    return {**dict.fromkeys(PATIENTS_AND_STRANGERS, anonymous), **dict.fromkeys(STAFF, staff)}


READ = (200, 405)  # a page: GET shows it, POST is not allowed
DECISION_BY_CLINICIAN = (405, 400)  # GET not allowed; an empty POST is a form error
DECISION_REFUSED = (405, 403)

EXPECTED: dict[str, dict] = {
    # The site root sends everyone to the patient start page.
    "": everyone(302, 302),
    # Patient pages (no account: a session granted by an emailed link).
    "intake:start": everyone(200, 200),
    "intake:step": patient_page(302, 302),  # A's intake is sent: on to its outcome
    "intake:outcome": patient_page(200, 200),
    "intake:link": everyone(404, 404),  # an unknown token
    "intake:link_continue": everyone(404, 404),  # no link waiting in the session
    "intake:link_request": everyone(200, 200),
    "intake:language": everyone(405, 302),  # a POST switches the language and goes back
    "intake:answers_update": patient_page(200, 200),  # A has a question open; an empty POST shows errors
    "intake:answers_correct": patient_page(302, 302),  # A holds a time: no correction, back to the result
    # Booking pages: A holds a time, so "book" leads to it; an empty POST cancels (the page's one button).
    "booking:book": patient_page(302, 302),
    "booking:booking": patient_page(200, 200),
    "booking:booking_cancel": patient_page(200, 302),
    "booking:booking_move": patient_page(200, 200),  # no time chosen: the picker again
    # Read only: a POST is 405 for everyone, before anything is looked up.
    "booking:your_data": {**everyone(404, 405), PATIENT_A: (200, 405)},
    "booking:your_data_download": {**everyone(404, 405), PATIENT_A: (200, 405)},
    "courses:recheck": patient_page(302, 302),  # A's time is held, not confirmed: nothing to check yet
    "courses:next_session": patient_page(302, 302),  # no session done yet: the whole form instead
    "courses:skin": patient_page(302, 302),  # no session done yet: nothing to report
    # Staff pages.
    "staff:queue": staff_page(front_desk=READ, clinician=READ, clinic_admin=READ),
    "staff:bookings": staff_page(front_desk=READ, clinician=READ, clinic_admin=READ),
    "staff:day": staff_page(front_desk=READ, clinician=READ, clinic_admin=READ),
    "staff:intake": staff_page(front_desk=READ, clinician=READ, clinic_admin=READ),
    "staff:intake_clear": staff_page(front_desk=DECISION_REFUSED, clinician=DECISION_BY_CLINICIAN,
                                     clinic_admin=DECISION_BY_CLINICIAN),
    "staff:intake_decline": staff_page(front_desk=DECISION_REFUSED, clinician=DECISION_BY_CLINICIAN,
                                       clinic_admin=DECISION_BY_CLINICIAN),
    "staff:intake_ask": staff_page(front_desk=DECISION_REFUSED, clinician=DECISION_BY_CLINICIAN,
                                   clinic_admin=DECISION_BY_CLINICIAN),
    # Re-screen: clinicians and clinic admins (review.rescreen_intake); an empty POST names no screening.
    "staff:intake_rescreen": staff_page(front_desk=DECISION_REFUSED, clinician=DECISION_BY_CLINICIAN,
                                        clinic_admin=DECISION_BY_CLINICIAN),
    # Revoking a patient's links: every staff role (intake.revoke_accesslink); done, back to the intake.
    "staff:intake_revoke_links": staff_page(front_desk=(405, 302), clinician=(405, 302), clinic_admin=(405, 302)),
    # Sending a message again: every staff role (outbox.resend_message); back to the bookings page.
    # Every role marks a session done or missed; an empty POST is sent back to the bookings page.
    "staff:session_mark": staff_page(front_desk=(405, 302), clinician=(405, 302), clinic_admin=(405, 302)),
    # A clinician marks a reported reaction seen; no report 1 in the fixtures: 404 once allowed.
    "staff:skin_report_seen": staff_page(front_desk=(405, 403), clinician=(405, 404), clinic_admin=(405, 404)),
    "staff:patient": staff_page(front_desk=READ, clinician=READ, clinic_admin=READ),
    # Merging records is for clinicians and clinic admins; an empty POST is sent back to the page.
    "staff:patient_merge": staff_page(front_desk=(405, 403), clinician=(405, 302), clinic_admin=(405, 302)),
    "staff:message_resend": staff_page(front_desk=(405, 302), clinician=(405, 302), clinic_admin=(405, 302)),
    # The front desk's work (booking.book_for_patient, every staff role; issue 19). An empty POST names no time:
    # refused (409) with the reason; A's booking still matches its screening: not cancelled, back to the list.
    "staff:book_for_patient": staff_page(front_desk=(200, 409), clinician=(200, 409), clinic_admin=(200, 409)),
    "staff:cancel_for_patient": staff_page(front_desk=(405, 302), clinician=(405, 302), clinic_admin=(405, 302)),
    # Correcting the email (intake.correct_email, every staff role); an empty POST: back to the intake, with why.
    "staff:correct_email": staff_page(front_desk=(405, 302), clinician=(405, 302), clinic_admin=(405, 302)),
    # Practitioners' calendar links: clinic admins (core.change_clinicsettings). A new link is shown on the page (200).
    "staff:calendars": staff_page(front_desk=(403, 405), clinician=(403, 405), clinic_admin=READ),
    "staff:calendar_new": staff_page(front_desk=(405, 403), clinician=(405, 403), clinic_admin=(405, 200)),
    "staff:calendar_revoke": staff_page(front_desk=(405, 403), clinician=(405, 403), clinic_admin=(405, 302)),
    # A practitioner's calendar feed, behind its secret link: an unknown token is a 404 to everyone.
    "booking:calendar_feed": everyone(404, 405),
    # An intake by phone (booking.book_for_patient, every staff role): an empty POST names no treatment (200, with
    # why); A's intake was filled in by A, not by phone: no staff step page for it (404).
    "staff:phone_intake_start": staff_page(front_desk=(200, 200), clinician=(200, 200), clinic_admin=(200, 200)),
    "staff:phone_intake_step": staff_page(front_desk=(404, 404), clinician=(404, 404), clinic_admin=(404, 404)),
    "staff:mismatched": staff_page(front_desk=READ, clinician=READ, clinic_admin=READ),
    "staff:mismatched_cancel": staff_page(front_desk=(405, 302), clinician=(405, 302), clinic_admin=(405, 302)),
    # The clinic's set-up (issue 17): clinic admins only (core.change_clinicsettings). An empty POST is a form
    # error (400) on the forms; an empty week is a week closed every day (saved, 302; rolled back here).
    **{f"setup:{name}": staff_page(front_desk=(403, 405), clinician=(403, 405), clinic_admin=READ)
       for name in ("home", "locations", "treatments", "practitioners")},
    **{f"setup:{name}": staff_page(front_desk=(403, 403), clinician=(403, 403), clinic_admin=(200, 400))
       for name in ("profile", "location_new", "location", "treatment_new", "treatment", "practitioner_new",
                    "practitioner")},
    **{f"setup:{name}": staff_page(front_desk=(405, 403), clinician=(405, 403), clinic_admin=(405, 302))
       for name in ("location_hours", "practitioner_hours", "closure_remove")},
    "setup:closure_add": staff_page(front_desk=(405, 403), clinician=(405, 403), clinic_admin=(405, 400)),
    # Medicine terms (issue 17: out of the stock admin): a list, and a form whose empty POST is an error (400).
    "setup:terms": staff_page(front_desk=(403, 405), clinician=(403, 405), clinic_admin=READ),
    # The audit trail (audit.view_auditevent, clinic admins): read-only.
    "setup:audit": staff_page(front_desk=(403, 405), clinician=(403, 405), clinic_admin=READ),
    **{f"setup:{name}": staff_page(front_desk=(403, 403), clinician=(403, 403), clinic_admin=(200, 400))
       for name in ("term_new", "term")},
    # Integration keys (fhir.*_integrationtoken, clinic admins): an empty POST names no system (400);
    # revoking the sample key (made in the fixture) leads back to the list.
    "keys:list": staff_page(front_desk=(403, 405), clinician=(403, 405), clinic_admin=READ),
    "keys:new": staff_page(front_desk=(405, 403), clinician=(405, 403), clinic_admin=(405, 400)),
    "keys:revoke": staff_page(front_desk=(405, 403), clinician=(405, 403), clinic_admin=(405, 302)),
    # Erasing a patient (can_erase_patients: clinic admins past their code): the confirmation page; an empty
    # POST is a form error, nothing erased (400).
    "staff:patient_erase": staff_page(front_desk=(403, 403), clinician=(403, 403), clinic_admin=(200, 400)),
    # The rule editor (issue 17): clinic admins only (questionnaire.change_ruledraft; publishing also
    # questionnaire.publish_ruledraft). An open draft of ISOTRETINOIN is in the fixtures: "change" leads to it,
    # an empty POST of its editor is a form error (400), of publish publishes it unchanged (then to the list).
    "rules:list": staff_page(front_desk=(403, 405), clinician=(403, 405), clinic_admin=READ),
    "rules:export": staff_page(front_desk=(403, 405), clinician=(403, 405), clinic_admin=READ),  # the JSON file
    "rules:start": staff_page(front_desk=(405, 403), clinician=(405, 403), clinic_admin=(405, 302)),
    "rules:draft": staff_page(front_desk=(403, 403), clinician=(403, 403), clinic_admin=(200, 400)),
    "rules:words": staff_page(front_desk=(405, 403), clinician=(405, 403), clinic_admin=(405, 200)),
    "rules:preview": staff_page(front_desk=(403, 405), clinician=(403, 405), clinic_admin=READ),
    "rules:publish": staff_page(front_desk=(405, 403), clinician=(405, 403), clinic_admin=(405, 302)),
    # Question changes (issue 17): clinic admins only (questionnaire.change_question). An open change to
    # isotretinoin_last_taken is in the fixtures: "change" leads to it; an empty POST of its form or of "new" is
    # a form error (400); publishing it unchanged publishes, discarding discards (then to the list).
    "questions:list": staff_page(front_desk=(403, 405), clinician=(403, 405), clinic_admin=READ),
    "questions:new": staff_page(front_desk=(405, 403), clinician=(405, 403), clinic_admin=(405, 400)),
    "questions:start": staff_page(front_desk=(405, 403), clinician=(405, 403), clinic_admin=(405, 302)),
    "questions:change": staff_page(front_desk=(403, 403), clinician=(403, 403), clinic_admin=(200, 400)),
    "questions:preview": staff_page(front_desk=(403, 405), clinician=(403, 405), clinic_admin=READ),
    "questions:publish": staff_page(front_desk=(405, 403), clinician=(405, 403), clinic_admin=(405, 302)),
    "questions:discard": staff_page(front_desk=(405, 403), clinician=(405, 403), clinic_admin=(405, 302)),
    # Staff sign-in pages: public.
    "staff:login": public_page(anonymous=(200, 200), staff=(302, 302)),  # signed in: on to the queue
    "staff:logout": {**dict.fromkeys(PATIENTS_AND_STRANGERS, (LOGIN, LOGIN)), **dict.fromkeys(STAFF, (405, 302))},
    "staff:password_reset": everyone(200, 200),
    "staff:password_reset_done": everyone(200, 405),
    "staff:password_reset_confirm": everyone(200, 200),  # a bad link: "this link no longer works"
    "staff:password_reset_complete": everyone(200, 405),
    # The second factor (signed in, before the code). The personas have passed it (clinician,
    # clinic admin: on to the page asked for) or have no device (front desk: sent to set one up,
    # which is optional for them; an empty POST shows the form's error).
    "staff:otp_verify": staff_page(front_desk=(302, 302), clinician=(302, 302), clinic_admin=(302, 302)),
    # Every staff role is past its code here (the personas have a device): enrolling again is refused.
    "staff:otp_enrol": staff_page(front_desk=(302, 302), clinician=(302, 302), clinic_admin=(302, 302)),
    # The FHIR API: an integration key or nothing. No session opens it, a staff one neither.
    "fhir:search": everyone(401, 401),
    "fhir:read": everyone(401, 401),
    "fhir:metadata": everyone(200, 405),  # what the server offers: no records, so no key
    # Health, for load balancers: anyone, GET only; no worker runs in the test, so the whole stack is failing.
    "health:health": everyone(503, 405),
    "health:web": everyone(200, 405),
}

# /admin/*: strangers and patients are sent to sign in (its own login page
# excepted); front desk and clinicians get 403; a clinic admin is sent to the
# set-up pages (302, issue 17); the superuser gets the page (200) or a redirect
# (302), except where the admin refuses on purpose, listed here.
ADMIN_PUBLIC = {"admin:login"}
ADMIN_FOR_CLINIC_ADMIN_ANSWER = (302, 302)  # to /staff/setup/ (tests/staff/test_sign_in_and_roles.py checks where)
ADMIN_DEFAULT_FOR_SUPERUSER = ({200, 302}, {200, 302})
# Records the superuser may read in the admin but not write there: patients'
# records and snapshots, bookings (the booking pages own them), the audit trail.
# Rule revisions and questionnaire versions are the record of what screened whom. Steps, questions and the
# medicine list change through drafts and the set-up pages (issue 17): shown read-only here.
READ_ONLY_IN_ADMIN = ("intake.intake", "intake.screening", "intake.accesslink", "booking.booking",
                      "audit.auditevent", "review.intakedecision", "intake.patientquestion",
                      "questionnaire.rulerevision", "questionnaire.questionnaireversion",
                      "questionnaire.step", "questionnaire.question", "questionnaire.medicineterm")
ADMIN_FOR_SUPERUSER: dict[str, tuple] = {
    "admin:login": (302, 200),  # signed in already: on to the index; a POST is a new sign-in form
    "admin:logout": (405, 302),  # a POST signs out, then to the staff sign-in page
    "admin:password_change_done": (200, 405),
    "admin:jsi18n": (200, 405),
    "admin:autocomplete": (403, 405),  # only for a field that asks, with its parameters
    "admin:view_on_site": (404, 404),  # no model has a public page
    "admin/(?P<url>.*)$": (404, 404),  # the admin's catch-all, for an unknown page
    # A live rule changes only through a draft and its publication: never deleted here; a rule draft is
    # discarded, and stays for the record.
    "admin:questionnaire_rule_delete": (403, 403),
    "admin:questionnaire_ruledraft_delete": (403, 403),
    # There is one clinic settings row: it is changed, never added or deleted.
    "admin:core_clinicsettings_add": (403, 403),
    "admin:core_clinicsettings_delete": (403, 403),
    # The other apps' own refusals: sign-in records are written by django-axes alone; a device's secret is
    # never shown (OTP_ADMIN_HIDE_SENSITIVE_DATA); the task queue's results are the worker's.
    **dict.fromkeys([f"admin:axes_{model}_add" for model in ("accessattempt", "accesslog", "accessfailurelog")]
                    + ["admin:otp_totp_totpdevice_config", "admin:otp_totp_totpdevice_qrcode",
                       "admin:django_tasks_database_dbtaskresult_add",
                       "admin:django_tasks_database_dbtaskresult_delete"], (403, 403)),
    "admin:django_tasks_database_dbtaskresult_change": (200, 403),
    **{key: value for model in READ_ONLY_IN_ADMIN for key, value in {
        f"admin:{model.replace('.', '_')}_add": (403, 403),
        f"admin:{model.replace('.', '_')}_change": (200, 403),  # a read-only view
        f"admin:{model.replace('.', '_')}_delete": (403, 403),
    }.items()},
}


def admin_rule(key: str) -> dict:
    strangers = (200, 200) if key in ADMIN_PUBLIC else (LOGIN, LOGIN)
    return {
        **dict.fromkeys(PATIENTS_AND_STRANGERS, strangers),
        FRONT_DESK: (403, 403),
        CLINICIAN: (403, 403),
        CLINIC_ADMIN: ADMIN_FOR_CLINIC_ADMIN_ANSWER,
        SUPERUSER: ADMIN_FOR_SUPERUSER.get(key, ADMIN_DEFAULT_FOR_SUPERUSER),
    }


def is_admin(route: Route) -> bool:
    return route.key.startswith("admin:") or route.route.startswith("admin/")


def expected_for(route: Route) -> dict | None:
    if route.key in EXPECTED:
        return EXPECTED[route.key]
    if is_admin(route):
        return admin_rule(route.key)
    return None


# --- walking the URLconf --------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    key: str  # "namespace:name", or the full route for an unnamed pattern
    route: str
    pattern: URLPattern
    name: str | None

    @property
    def arg_names(self) -> list[str]:
        p = self.pattern.pattern
        converters = getattr(p, "converters", None)
        return list(converters) if converters else list(p.regex.groupindex)


def all_routes() -> list[Route]:
    routes: list[Route] = []

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                ns = namespace
                if entry.namespace:
                    ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry, prefix + str(entry.pattern), ns)
            else:
                route = prefix + str(entry.pattern)
                name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
                routes.append(Route(key=name or route, route=route, pattern=entry, name=name))

    walk(get_resolver(), "", "")
    return routes


def sample_url(route: Route, intake: Intake) -> str:
    values = {
        "public_id": intake.public_id,
        "number": 1,
        "token": "not-a-real-token",
        "uidb64": "MQ",
        "app_label": "intake",
        "content_type_id": ContentType.objects.get_for_model(Intake).pk,
        "object_id": _sample_object_id(route),
        "id": _sample_object_id(route),  # the admin's password-change page for a user
        "pk": _sample_object_id(route),  # django-otp's device pages in the admin
        "patient_id": intake.patient_id or 1,
        "report_id": 1,
        "booking_id": intake.bookings.values_list("pk", flat=True).first() or 1,
        "message_id": Message.objects.order_by("pk").values_list("pk", flat=True).first() or 1,
        "resource_type": "Patient",  # the FHIR API: patient A
        "resource_id": intake.public_id,
        "rule_id": Rule.objects.get(code="ISOTRETINOIN").pk,
        "question_id": Question.objects.get(code="isotretinoin_last_taken").pk,
        "change_id": QuestionChange.objects.order_by("pk").values_list("pk", flat=True).first() or 1,
        "draft_id": RuleDraft.objects.order_by("pk").values_list("pk", flat=True).first() or 1,
        "practitioner_id": Practitioner.objects.order_by("pk").values_list("pk", flat=True).first() or 1,
        "location_id": Location.objects.order_by("pk").values_list("pk", flat=True).first() or 1,
        "treatment_id": Treatment.objects.order_by("pk").values_list("pk", flat=True).first() or 1,
        "exception_id": ScheduleException.objects.order_by("pk").values_list("pk", flat=True).first() or 1,
        "term_id": MedicineTerm.objects.order_by("pk").values_list("pk", flat=True).first() or 1,
        "token_id": IntegrationToken.objects.order_by("pk").values_list("pk", flat=True).first() or 1,
    }
    if route.name is not None:
        return reverse(route.name, kwargs={arg: values[arg] for arg in route.arg_names})
    if route.key == "admin/(?P<url>.*)$":
        return "/admin/no-such-page/"
    # An unnamed path() pattern (the site root, the admin's old-style object URLs).
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route.route)


def _sample_object_id(route: Route) -> str:
    """A real object of the admin page's model, so change and delete pages have something to show."""
    callback = route.pattern.callback
    # A ModelAdmin's own pages carry it as ``model_admin``; extra pages wrapped by admin_view (the user's
    # password page) are its bound methods.
    model_admin = getattr(callback, "model_admin", None) or getattr(getattr(callback, "__wrapped__", None),
                                                                    "__self__", None)
    if not isinstance(model_admin, admin.ModelAdmin):
        return str(Intake.objects.order_by("pk").values_list("pk", flat=True).first())
    pk = model_admin.model._default_manager.order_by("pk").values_list("pk", flat=True).first()
    return str(pk if pk is not None else 1)


# --- the visitors -----------------------------------------------------------------


@pytest.fixture
def visitors(personas) -> dict[str, str | None]:
    """Each visitor's session cookie (None for a stranger)."""
    # A has a question open, so their answer-update page has something to show.
    intake_ask(intake_id=personas.intake_a.pk, screening_id=latest_screening(personas.intake_a).pk,
               by=Actor.staff(personas.clinician), question="Which medicine do you take, and how often?")
    # Records for the admin's sign-in pages (django-axes) to show: a failed attempt, and a
    # failure-log line (that log is off in settings, but its admin page exists).
    Client().post(reverse("staff:login"), {"username": "clara", "password": "wrong"})
    # Set-up records for its pages to show: a location, a practitioner's day off.
    Location.objects.get_or_create(name="Matrix location")
    ClinicSettings.objects.get_or_create(pk=1)  # so its admin pages refuse rather than report it missing
    ScheduleException.objects.create(practitioner=personas.practitioner, date=personas.booking_a.start.date(),
                                     kind=ScheduleException.Kind.CLOSED)
    AccessFailureLog.objects.create(username="clara", ip_address="127.0.0.1", user_agent="test",
                                    http_accept="*/*", path_info="/staff/login/")
    draft_start(rule=Rule.objects.get(code="ISOTRETINOIN"), by=personas.clinic_admin)
    question_change_start(question=Question.objects.get(code="isotretinoin_last_taken"), by=personas.clinic_admin)
    integration_token_create(name="Matrix EHR", by=personas.clinic_admin)
    clients = {
        PATIENT_A: patient_client(personas.intake_a),
        PATIENT_B: patient_client(personas.intake_b),
        FRONT_DESK: staff_client(personas.front_desk),
        CLINICIAN: staff_client(personas.clinician),
        CLINIC_ADMIN: staff_client(personas.clinic_admin),
        SUPERUSER: staff_client(make_staff("sam", None, superuser=True)),
    }
    cookies = {visitor: c.cookies[settings.SESSION_COOKIE_NAME].value for visitor, c in clients.items()}
    return {ANON: None, **cookies}


def answer(cookie: str | None, method: str, url: str):
    """One request from a fresh client, its writes rolled back afterwards."""
    client = Client()
    if cookie:
        client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    with transaction.atomic():
        response = getattr(client, method)(url)
        transaction.set_rollback(True)
    return response


def matches(response, expected) -> bool:
    to_sign_in = response.status_code == 302 and response["Location"].startswith(reverse("staff:login") + "?next=")
    if expected == LOGIN:
        return to_sign_in
    allowed = expected if isinstance(expected, (set, frozenset)) else {expected}
    # A redirect to sign in is only ever right where the table says LOGIN.
    return response.status_code in allowed and not to_sign_in


def run_matrix(routes: list[Route], visitors: dict, intake: Intake) -> list[str]:
    problems = []
    for route in routes:
        expected = expected_for(route)
        url = sample_url(route, intake)
        for visitor in VISITORS:
            for method, want in zip(("get", "post"), expected[visitor], strict=True):
                try:
                    response = answer(visitors[visitor], method, url)
                except Exception as exc:  # noqa: BLE001 - a 500 is one more mismatch to report
                    problems.append(f"{route.key} {method.upper()} {url} as {visitor}: raised {exc!r}")
                    continue
                if not matches(response, want):
                    where = f" -> {response['Location']}" if response.status_code in (301, 302) else ""
                    problems.append(f"{route.key} {method.upper()} {url} as {visitor}: "
                                    f"{response.status_code}{where}, expected {want}")
    return problems


# --- the tests ----------------------------------------------------------------------


def test_every_url_pattern_has_an_expected_answer():
    missing = [r.key for r in all_routes() if expected_for(r) is None]
    assert not missing, f"URL patterns without an entry in the authorization table: {missing}"


def test_the_table_names_no_pattern_that_is_gone():
    keys = {r.key for r in all_routes()}
    stale = [key for key in EXPECTED if key not in keys]
    stale += [key for key in ADMIN_FOR_SUPERUSER if key not in keys]
    assert not stale, f"Entries for URL patterns that no longer exist: {stale}"


def test_the_walk_reaches_patient_staff_and_admin_patterns():
    keys = {r.key for r in all_routes()}
    assert {"intake:outcome", "intake:answers_update", "staff:intake_clear", "admin:index",
            "admin:audit_auditevent_changelist"} <= keys


def test_patient_and_staff_pages_answer_each_visitor_as_the_table_says(visitors, personas):
    routes = [r for r in all_routes() if not is_admin(r)]
    problems = run_matrix(routes, visitors, personas.intake_a)
    assert not problems, "\n".join(problems)


def test_admin_pages_answer_each_visitor_as_the_table_says(visitors, personas):
    routes = [r for r in all_routes() if is_admin(r)]
    problems = run_matrix(routes, visitors, personas.intake_a)
    assert not problems, "\n".join(problems)
