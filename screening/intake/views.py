"""Patient views of the intake: thin wrappers over forms and services."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from screening.core import ratelimit
from screening.core.clinic import clinic_name, today_in
from screening.core.language import request_language
from screening.core.ratelimit import limited
from screening.intake import access, correction
from screening.intake import links as link_services
from screening.intake import services as intake_services
from screening.intake.forms import LinkRequestForm, StepForm, TreatmentForm
from screening.intake.models import AccessLink, Intake
from screening.intake.patient_messages import flag_messages
from screening.intake.selectors import intakes_with_questionnaire_key
from screening.questionnaire.models import Outcome, Step
from screening.questionnaire.selectors import key_of, live_questionnaire

PENDING_LINK_KEY = "pending_link"


@never_cache
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and not ratelimit.intake_start_allowed(request):
        return ratelimit.too_many(request, "intake_start")
    form = TreatmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        intake = intake_services.intake_start(treatment=form.cleaned_data["treatment"],
                                              language=request_language(request))
        access.grant(request, intake)
        return redirect("intake:step", intake.public_id, _first_step_number())
    response = render(request, "intake/start.html", {"form": form})
    ratelimit.remember_device(request, response)  # the page gives the device its id; its starts count by it
    return response


def _first_step_number() -> int:
    first = Step.objects.order_by("number").values_list("number", flat=True).first()
    return first or 1


def _resume_step(intake: Intake, steps: list[Step]) -> Step:
    for step in steps:
        if step.number > intake.completed_step:
            return step
    return steps[-1]


@never_cache
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, public_id, number: int) -> HttpResponse:
    intake = access.patient_intake_or_404(request, public_id, queryset=intakes_with_questionnaire_key())
    if intake.is_submitted:
        messages.info(request, _("Your answers have already been sent to the clinic."))
        return redirect("intake:outcome", intake.public_id)
    questionnaire = live_questionnaire(key_of(intake))
    steps = questionnaire.steps
    resume = _resume_step(intake, steps)
    current = questionnaire.step(number)
    if current is None or current.number > resume.number:
        messages.warning(request, _("Please answer the questions in order. Here is where you left off."))
        return redirect("intake:step", intake.public_id, resume.number)

    questions = list(current.questions.all())
    today = today_in(intake.clinic_zone_name)
    form = StepForm(request.POST or None, questions=questions, answers=intake.answers, questionnaire=questionnaire,
                    today=today)
    if request.method == "POST":
        try:
            saved = _save_step(request, intake, form, current, steps, questionnaire, today)
        except intake_services.IntakeError:
            # A second tap (or another tab) got here after the first sent the answers: answer it with
            # the page the first one led to.
            messages.info(request, _("Your answers have already been sent to the clinic."))
            return redirect("intake:outcome", intake.public_id)
        if saved is not None:
            return saved
    return _step_page(request, intake, form, current, steps, questions)


def _save_step(request: HttpRequest, intake: Intake, form, current, steps, questionnaire,
               today) -> HttpResponse | None:
    """Save the posted step and say where to go next; None when the form has errors to show."""
    position = steps.index(current)
    going_back = request.POST.get("action") == "back" and position > 0
    valid = form.is_valid()
    if going_back:
        answers = form.answers if valid else form.valid_partial_answers()
        intake_services.intake_save_step(
            intake=intake, step_number=current.number, answers=answers,
            hidden=form.hidden if valid else [], complete=valid and current.number <= intake.completed_step,
            questionnaire=questionnaire,
        )
        return redirect("intake:step", intake.public_id, steps[position - 1].number)
    if valid and position + 1 < len(steps):
        intake_services.intake_save_step(
            intake=intake, step_number=current.number, answers=form.answers, hidden=form.hidden,
            questionnaire=questionnaire,
        )
        return redirect("intake:step", intake.public_id, steps[position + 1].number)
    if valid:
        finished = intake_services.intake_finish(
            intake=intake, step_number=current.number, answers=form.answers, hidden=form.hidden,
            questionnaire=questionnaire, today=today,
        )
        if finished.back_to is not None:
            messages.error(request, _("A few questions still need an answer before you can send the form."))
            return redirect("intake:step", intake.public_id, finished.back_to)
        return redirect("intake:outcome", intake.public_id)
    return None


def _step_page(request: HttpRequest, intake: Intake, form, current, steps, questions) -> HttpResponse:
    return render(request, "intake/step.html", {
        # The header's name, read along with the intake (the context processor's would cost a query).
        "CLINIC_NAME": clinic_name(intake.clinic_name),
        "intake": intake,
        "step": current,
        "steps": steps,
        "position": steps.index(current) + 1,
        "progress": round(100 * steps.index(current) / len(steps)),
        "form": form,
        "groups": form.groups(),
        "is_last": current == steps[-1],
        "has_consent": any(q.must_be_true for q in questions),
    })


@never_cache
def outcome(request: HttpRequest, public_id) -> HttpResponse:
    intake = access.patient_intake_or_404(request, public_id)
    if not intake.is_submitted:
        return redirect("intake:step", intake.public_id, _resume_step(intake, live_questionnaire().steps).number)
    screening = intake.screenings.order_by("-created_at", "-id").first()
    flags = list(screening.flags.all()) if screening else []
    patient_messages = flag_messages(screening, flags, language=translation.get_language() or "en")
    booking = intake.bookings.filter(status__in=["held", "confirmed"]).first()
    refusal = correction.correction_refusal(intake)
    return render(request, "intake/outcome.html", {
        "can_correct": refusal is None,
        "correction_note": correction.REFUSALS[refusal] if refusal in ("booked", "question") else "",
        "intake": intake,
        "outcome": intake.outcome,
        "Outcome": Outcome,
        "patient_messages": patient_messages,
        "booking": booking,
        "can_book": intake.outcome in (Outcome.ELIGIBLE, Outcome.DEFERRED, Outcome.REVIEW),
    })


@never_cache
@limited("link_open", methods=("GET",))
def link(request: HttpRequest, token: str) -> HttpResponse:
    """A link from an email: remember it, then move to a clean URL.

    Nothing is used up on GET, so a mail scanner that opens the link does
    not spend it; the patient confirms with one tap on the next page.
    """
    found = link_services.link_lookup(token)
    if found is None or not found.is_usable():
        return render(request, "intake/link_invalid.html",
                      {"form": LinkRequestForm(), "expired": found is not None}, status=410 if found else 404)
    request.session[PENDING_LINK_KEY] = found.pk
    return redirect("intake:link_continue")


@never_cache
@require_http_methods(["GET", "POST"])
def link_continue(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING_LINK_KEY)
    found = AccessLink.objects.select_related("intake").filter(pk=pending).first() if pending else None
    if found is None or not found.is_usable():
        return render(request, "intake/link_invalid.html",
                      {"form": LinkRequestForm(), "expired": found is not None}, status=410 if found else 404)
    if request.method == "GET":
        return render(request, "intake/link_continue.html", {"intake": found.intake})
    # A new session key at the moment access is granted (no session fixation).
    request.session.cycle_key()
    request.session.pop(PENDING_LINK_KEY, None)
    access.grant(request, found.intake)
    link_services.link_mark_used(link=found, now=timezone.now())
    return redirect(_link_target(found))


def _link_target(found: AccessLink) -> str:
    intake = found.intake
    if found.purpose == AccessLink.Purpose.UPDATE and intake.is_submitted:
        return reverse("intake:answers_update", args=[intake.public_id])
    if found.purpose == AccessLink.Purpose.FOLLOW_UP and intake.is_submitted:
        return reverse("courses:skin", args=[intake.public_id])
    if found.purpose == AccessLink.Purpose.RECHECK and intake.is_submitted:
        return reverse("courses:recheck", args=[intake.public_id])
    if found.purpose == AccessLink.Purpose.MANAGE:
        try:
            return reverse("booking:booking", args=[intake.public_id])
        except Exception:  # booking views not installed
            pass
    if intake.is_submitted:
        return reverse("intake:outcome", args=[intake.public_id])
    return reverse("intake:step", args=[intake.public_id, _resume_step(intake, live_questionnaire().steps).number])


@never_cache
@require_http_methods(["GET", "POST"])
def link_request(request: HttpRequest) -> HttpResponse:
    form = LinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if not ratelimit.allowed(request, "link_request", ratelimit.client_address(request)):
            return ratelimit.too_many(request, "link_request")
        # One email per address every few minutes, whoever asks: a stranger asking again and again
        # neither floods the patient's inbox nor stops the patient getting a link (one already went).
        if ratelimit.allowed(request, "link_request_email", email):
            intake_services.links_resend(email=email)
        # The same answer whether or not we found anything: no address probing.
        return render(request, "intake/link_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "intake/link_request.html", {"form": form})

