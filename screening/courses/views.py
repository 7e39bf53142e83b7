"""The patient's pages of a course: the short health check before a visit.

Thin views: access (patient_intake_or_404), form, service, redirect.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from screening.booking import selectors
from screening.booking.emails import moment_named
from screening.booking.errors import long_date
from screening.booking.models import BookingStatus
from screening.core.client_ip import request_actor
from screening.core.clinic import booking_zone, clinic_today
from screening.courses import follow_up, returning
from screening.courses import recheck as checks
from screening.courses.forms import SkinForm
from screening.intake import access
from screening.intake.access import patient_intake_or_404
from screening.intake.forms import StepForm
from screening.questionnaire.selectors import live_questionnaire

DONE_MESSAGES = {
    checks.KEPT: _("Thank you. Nothing has changed that stands in the way: see you on {when}."),
    checks.HELD: _("Thank you. A clinician will look at your answers before your appointment, so we have put it "
                  "on hold for now. We will email you as soon as they have."),
    checks.MOVE: _("Thank you. From your answers, your treatment can go ahead from {earliest}. Please choose a new "
                  "time from then: your current time is kept until you do."),
    checks.CANCELLED: _("Thank you for telling us. From your answers the treatment is not safe for you at the "
                       "moment, so we have cancelled this appointment. We have emailed you what to do next."),
}
TARGETS = {checks.KEPT: "booking:booking", checks.HELD: "booking:booking", checks.MOVE: "booking:booking_move",
           checks.CANCELLED: "booking:booking"}


@never_cache
@require_http_methods(["GET", "POST"])
def recheck(request: HttpRequest, public_id) -> HttpResponse:
    intake = patient_intake_or_404(request, public_id)
    booking = selectors.active_booking_for(intake)
    if booking is None or booking.status != BookingStatus.CONFIRMED:
        messages.info(request, _("There is no appointment waiting for a health check just now. Thank you!"))
        return redirect("booking:booking", intake.public_id)
    questionnaire = live_questionnaire()
    form = StepForm(request.POST or None, questions=checks.recheck_questions(questionnaire),
                    answers=checks.recheck_initial(questionnaire, intake.answers), questionnaire=questionnaire,
                    today=clinic_today())
    if request.method == "POST" and form.is_valid():
        try:
            done = checks.recheck_submit(booking_id=booking.pk, answers=form.answers, hidden=form.hidden,
                                         actor=request_actor(request))
        except checks.RecheckError as error:
            messages.info(request, str(error))
            return redirect("booking:booking", intake.public_id)
        messages.success(request, str(DONE_MESSAGES[done.decision]).format(
            when=moment_named(booking.start, booking_zone(booking)),
            earliest=long_date(done.earliest) if done.earliest else ""))
        return redirect(TARGETS[done.decision], intake.public_id)
    return render(request, "courses/recheck.html", {
        "intake": intake, "booking": booking, "when": moment_named(booking.start, booking_zone(booking)),
        "form": form, "groups": form.groups(),
    })


@never_cache
@require_http_methods(["GET", "POST"])
def next_session(request: HttpRequest, public_id) -> HttpResponse:
    """After a session done: the short health update, then on to pick the next time."""
    intake = patient_intake_or_404(request, public_id)
    questionnaire = live_questionnaire()
    refusal = returning.short_update_refusal(intake, questionnaire)
    if refusal:
        messages.info(request, str(returning.REFUSALS[refusal]))
        return redirect("intake:start")
    form = StepForm(request.POST or None, questions=checks.recheck_questions(questionnaire),
                    answers=checks.recheck_initial(questionnaire, intake.answers), questionnaire=questionnaire,
                    today=clinic_today())
    if request.method == "POST" and form.is_valid():
        try:
            new = returning.intake_follow_on(intake_id=intake.pk, answers=form.answers, hidden=form.hidden,
                                             questionnaire=questionnaire, actor=request_actor(request))
        except returning.UpdateError as error:
            messages.info(request, str(error))
            return redirect("intake:start")
        access.grant(request, new)
        return redirect("intake:outcome", new.public_id)
    return render(request, "courses/next_session.html", {"intake": intake, "form": form, "groups": form.groups()})


@never_cache
@require_http_methods(["GET", "POST"])
def skin(request: HttpRequest, public_id) -> HttpResponse:
    """A few days after a session: how is your skin?"""
    intake = patient_intake_or_404(request, public_id)
    booking = follow_up.follow_up_booking(intake)
    if booking is None:
        messages.info(request, _("Thank you: there is nothing to tell us just now."))
        return redirect("booking:booking", intake.public_id)
    form = SkinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = follow_up.skin_report(booking_id=booking.pk, reactions=form.cleaned_data["reactions"],
                                           other=form.cleaned_data["other"], actor=request_actor(request))
        except follow_up.FollowUpError as error:
            messages.info(request, str(error))
        else:
            messages.success(request, _("Thank you. A clinician will look at what you told us and contact you if "
                                       "needed. If it gets worse, please call us.") if report.has_reaction else
                             _("Thank you: we are glad your skin is doing well."))
        return redirect("booking:booking", intake.public_id)
    return render(request, "courses/skin.html", {"intake": intake, "booking": booking, "form": form,
                                                  "when": moment_named(booking.start, booking_zone(booking))})
