"""Staff pages: the queue, the day's bookings, an intake, and the three decisions.

Thin views: permission, form, service, redirect. Sign-in is enforced for
every /staff/ page by middleware.StaffAccessMiddleware; these decorators
add the role. Every page that shows health data is never_cache.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from screening.audit.log import Actor, audit_list_read, audit_log
from screening.audit.models import AuditAction
from screening.core.client_ip import request_actor
from screening.core.clinic import clinic_zone
from screening.courses.follow_up import skin_reports_to_see
from screening.intake.links import links_revoke
from screening.intake.models import Intake
from screening.outbox.selectors import messages_for_intake, messages_undelivered
from screening.outbox.services import MessageError, message_resend
from screening.questionnaire.models import Outcome
from screening.review import booking_list, selectors, services
from screening.review.day_views import id_param
from screening.review.forms import AskForm, ClearForm, DeclineForm, QueueFilterForm, RescreenForm
from screening.review.models import DecisionKind
from screening.review.permissions import (
    DECIDE,
    RESCREEN,
    RESEND_MESSAGES,
    REVOKE_LINKS,
    VIEW_BOOKINGS,
    VIEW_INTAKES,
    can_book_for_patient,
    can_decide,
    can_mark_sessions,
    can_rescreen,
    can_resend_messages,
    can_revoke_links,
    requires,
)
from screening.review.queue import PAGES, QueuePosition
from screening.review.services import DecisionError


def _render(request: HttpRequest, template: str, context: dict, *, status: int = 200,
            zone: ZoneInfo | None = None) -> HttpResponse:
    """Render with times shown in the clinic's time zone (they are stored in UTC).

    The queue and the intake page read the zone along with their rows (``zone``), saving a query.
    """
    with timezone.override(zone or clinic_zone()):
        return render(request, template, context, status=status)


@never_cache
@require_safe
@requires(VIEW_INTAKES)
def queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET or None, user=request.user)
    result = selectors.queue_page(filters=form.filters(), position=PAGES.position(request.GET))
    # Audited once the rows are read (a read that fails shows nothing and records nothing): one INSERT.
    audit_list_read(actor=request_actor(request), where="staff queue",
                    intake_ids=[intake.pk for intake in result.page.object_list])
    params = request.GET.copy()
    for name in ("page", "after", "before"):
        params.pop(name, None)
    page = result.page
    page.next_query = _page_query(params, page.next)
    page.previous_query = _page_query(params, page.previous)
    return _render(request, "review/queue.html", {"form": form, "result": result, "params": params.urlencode()},
                   zone=result.zone)


def _without_page(params: QueryDict) -> str:
    """The query string with the filters kept, the page left out (the page links add theirs)."""
    kept = params.copy()
    kept.pop("page", None)
    return kept.urlencode()


def _page_query(filters: QueryDict, position: QueuePosition | None) -> str:
    """The query string of another page of the queue, the filters kept."""
    if position is None:
        return ""
    params = filters.copy()
    for name, value in PAGES.params(position).items():
        if name != "page":
            params[name] = value
    params["page"] = str(position.page)
    return "?" + params.urlencode()


@never_cache
@require_safe
@requires(VIEW_BOOKINGS)
def bookings(request: HttpRequest) -> HttpResponse:
    locations, location = booking_list.location_filter(id_param(request, "location"))
    page = booking_list.bookings_upcoming(now=timezone.now(), location_id=location.pk if location else None,
                                          page=request.GET.get("page"))
    undelivered = messages_undelivered()
    audit_list_read(actor=request_actor(request), where="bookings page",  # once read, in one INSERT
                    intake_ids=[b.intake_id for b in page] + [m.intake_id for m in undelivered if m.intake_id])
    return _render(request, "review/bookings.html", {
        "bookings": page.object_list, "page": page, "days": booking_list.UPCOMING_DAYS,
        "params": _without_page(request.GET),
        # A filter by location when the clinic has several (issue 17).
        "locations": locations, "location": location,
        "undelivered": undelivered, "can_resend": can_resend_messages(request.user),
        "can_mark": can_mark_sessions(request.user),
        # Reactions reported after a session, until a clinician marks them seen (screening.courses.follow_up).
        "skin_reports": skin_reports_to_see(),
    })


@never_cache
@require_safe
@requires(VIEW_INTAKES)
def intake_detail(request: HttpRequest, public_id) -> HttpResponse:
    return _render_detail(request, public_id)


def _render_detail(request: HttpRequest, public_id, *, bound: dict | None = None, status: int = 200) -> HttpResponse:
    """The intake page; showing it is a read of health data, so it is recorded."""
    intake = selectors.intake_for_staff(public_id=public_id)
    viewed = audit_log(action=AuditAction.INTAKE_VIEWED, actor=request_actor(request), target=intake,
                       intake_id=intake.pk)
    detail = selectors.intake_detail(intake=intake, viewed=viewed)
    initial = {"screening_id": detail.screening.pk} if detail.screening else {}
    forms = {"clear_form": ClearForm(initial=initial), "decline_form": DeclineForm(initial=initial),
             "ask_form": AskForm(initial=initial), "rescreen_form": RescreenForm(initial=initial),
             **(bound or {})}
    return _render(request, "review/intake_detail.html",
                   {"detail": detail, "can_decide": can_decide(request.user),
                    "can_rescreen": can_rescreen(request.user), "can_revoke_links": can_revoke_links(request.user),
                    "outbox_messages": messages_for_intake(intake.pk)[:20],
                    "can_resend": can_resend_messages(request.user),
                    "can_book_for_patient": can_book_for_patient(request.user), **forms}, status=status,
                   zone=selectors.intake_zone(intake))


# --- decisions -------------------------------------------------------------------


def _decide(request: HttpRequest, public_id, *, kind: str, form_class, form_key: str,
            apply: Callable[[Intake, dict, Actor], object], done: str) -> HttpResponse:
    intake = get_object_or_404(Intake, public_id=public_id, status=Intake.Status.SUBMITTED)
    form = form_class(request.POST)
    if not form.is_valid():
        return _render_detail(request, public_id, bound={form_key: form}, status=400)
    try:
        apply(intake, form.cleaned_data, request_actor(request))
    except DecisionError as error:
        mine = error.decision is not None and error.decision.decided_by_id == request.user.pk
        if mine and error.decision.kind == kind:
            # A double submit: the first one did it all; nothing happens twice. The intake page shows it.
            messages.info(request, f"Already done: {error.message}")
            return redirect("staff:intake", public_id)
        messages.warning(request, error.message)
        return redirect("staff:intake", public_id)
    messages.success(request, done.format(name=f"{intake.first_name} {intake.last_name}".strip() or "the patient"))
    return redirect("staff:queue")


@require_POST
@requires(DECIDE)
def intake_clear(request: HttpRequest, public_id) -> HttpResponse:
    return _decide(
        request, public_id, kind=DecisionKind.CLEAR, form_class=ClearForm, form_key="clear_form",
        apply=lambda intake, data, by: services.intake_clear(
            intake_id=intake.pk, screening_id=data["screening_id"], by=by, note=data["note"],
            patient_instructions=data.get("patient_instructions", "")),
        done="Cleared {name}. Any held time is confirmed; an email to the patient is on its way (see Messages).",
    )


@require_POST
@requires(DECIDE)
def intake_decline(request: HttpRequest, public_id) -> HttpResponse:
    return _decide(
        request, public_id, kind=DecisionKind.DECLINE, form_class=DeclineForm, form_key="decline_form",
        apply=lambda intake, data, by: services.intake_decline(
            intake_id=intake.pk, screening_id=data["screening_id"], by=by, reason=data["reason"],
            note=data["note"]),
        done="Declined {name}. Any held time is released and the patient has been told.",
    )


@require_POST
@requires(DECIDE)
def intake_ask(request: HttpRequest, public_id) -> HttpResponse:
    return _decide(
        request, public_id, kind=DecisionKind.ASK, form_class=AskForm, form_key="ask_form",
        apply=lambda intake, data, by: services.intake_ask(
            intake_id=intake.pk, screening_id=data["screening_id"], by=by, question=data["question"]),
        done="Question sent to {name}. The intake comes back to the queue when they answer.",
    )


# --- re-screen, revoke links -------------------------------------------------------


@require_POST
@requires(RESCREEN)
def intake_rescreen(request: HttpRequest, public_id) -> HttpResponse:
    """Re-screen against the current rules; the new screening is shown beside the old ones."""
    intake = get_object_or_404(Intake, public_id=public_id, status=Intake.Status.SUBMITTED)
    form = RescreenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Nothing was re-screened: the page was out of date. Please try again.")
        return _render_detail(request, public_id, status=400)
    try:
        result = services.intake_rescreen(intake_id=intake.pk, screening_id=form.cleaned_data["screening_id"],
                                          by=request_actor(request))
    except DecisionError as error:
        messages.warning(request, error.message)
        return redirect("staff:intake", public_id)
    if result.already:
        messages.info(request, "Already re-screened: this intake was screened again since you opened it. "
                               "The latest screening is shown; nothing more was done.")
    elif result.skipped:
        messages.warning(request, f"Not re-screened: {result.skipped}. Its screening stays as the clinician read it.")
    elif result.before != result.after:
        messages.success(request, f"Re-screened against the current rules. The outcome changed from "
                                  f"“{_outcome_label(result.before)}” to “{_outcome_label(result.after)}”; "
                                  f"the new screening is recorded beside the old one.")
    else:
        messages.success(request, f"Re-screened against the current rules. The outcome is unchanged "
                                  f"(“{_outcome_label(result.after)}”); the new screening is recorded beside "
                                  f"the old one.")
    return redirect("staff:intake", public_id)


def _outcome_label(value: str) -> str:
    return Outcome(value).label if value in Outcome.values else value or "none"


@require_POST
@requires(REVOKE_LINKS)
def intake_revoke_links(request: HttpRequest, public_id) -> HttpResponse:
    """Revoke every live link of the patient's and end the sessions they opened (say, a compromised mailbox)."""
    intake = get_object_or_404(Intake, public_id=public_id)
    count = links_revoke(intake=intake, by=request_actor(request))
    if count:
        done = f"Revoked {count} link{'s' if count != 1 else ''}"
    else:
        done = "There were no live links to revoke"
    messages.success(request, f"{done}, and ended any browser session they had opened. "
                              "A new link, asked for on the patient pages, goes to the email address on the intake.")
    if intake.is_submitted:
        return redirect("staff:intake", public_id)
    return redirect("staff:queue")


@require_POST
@requires(RESEND_MESSAGES)
def message_resend_view(request: HttpRequest, message_id: int) -> HttpResponse:
    """Send again a message the mail server refused or never answered; back to where staff pressed it."""
    try:
        message = message_resend(message_id=message_id, actor=request_actor(request))
    except MessageError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"“{message.get_kind_display()}” to {message.recipient} is being sent again.")
    back = request.POST.get("back", "")
    intake = Intake.objects.filter(public_id=back, status=Intake.Status.SUBMITTED).first() if _is_uuid(back) else None
    if intake is not None:
        return redirect("staff:intake", intake.public_id)
    return redirect("staff:bookings")


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
