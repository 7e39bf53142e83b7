"""Staff pages for an intake filled in with the patient on the phone (issue 19's front desk work).

The same steps, forms and services as the patient's own pages (screening.intake),
with the signature replaced by a tick that the patient consented aloud
(``StepForm(verbal_consent=True)``). Staff reach only the drafts marked as
theirs to fill (``assisted_at``), by their sign-in and permission: the staff
session is never granted the intake as a patient's is (screening.intake.access),
so nothing here opens a patient page, and no patient session opens these.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from screening.core.client_ip import request_actor
from screening.core.clinic import today_in
from screening.intake.assisted import intake_assisted_step, intake_start_assisted
from screening.intake.forms import StepForm, TreatmentForm
from screening.intake.models import Intake
from screening.intake.selectors import intakes_with_questionnaire_key
from screening.intake.services import IntakeError
from screening.questionnaire.models import QuestionKind
from screening.questionnaire.selectors import key_of, live_questionnaire
from screening.review.permissions import BOOK_FOR_PATIENT, requires

SENT = "Sent. The patient gets an email with a link to see and correct their answers, and to book."


@never_cache
@require_http_methods(["GET", "POST"])
@requires(BOOK_FOR_PATIENT)
def phone_intake_start(request: HttpRequest) -> HttpResponse:
    form = TreatmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            intake = intake_start_assisted(treatment=form.cleaned_data["treatment"], by=request_actor(request))
        except IntakeError as refusal:
            form.add_error("treatment", str(refusal))
        else:
            first = live_questionnaire().steps[0]
            return redirect("staff:phone_intake_step", intake.public_id, first.number)
    return render(request, "review/phone_intake_start.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
@requires(BOOK_FOR_PATIENT)
def phone_intake_step(request: HttpRequest, public_id, number: int) -> HttpResponse:
    intake = intakes_with_questionnaire_key().filter(public_id=public_id, assisted_at__isnull=False).first()
    if intake is None:
        raise Http404("No such intake by phone.")
    if intake.is_submitted:
        return redirect("staff:intake", intake.public_id)
    questionnaire = live_questionnaire(key_of(intake))
    steps = questionnaire.steps
    resume = next((s for s in steps if s.number > intake.completed_step), steps[-1])
    current = questionnaire.step(number)
    if current is None or current.number > resume.number:
        return redirect("staff:phone_intake_step", intake.public_id, resume.number)
    questions = list(current.questions.all())
    form = StepForm(request.POST or None, questions=questions, answers=intake.answers, questionnaire=questionnaire,
                    today=today_in(intake.clinic_zone_name), verbal_consent=True)
    if request.method == "POST":
        saved = _save(request, intake, form, current, steps, questionnaire, questions)
        if saved is not None:
            return saved
    position = steps.index(current)
    return render(request, "review/phone_intake_step.html", {
        "intake": intake, "step": current, "steps": steps, "position": position + 1, "form": form,
        "groups": form.groups(), "is_last": current == steps[-1],
        "has_consent": any(q.must_be_true or q.kind == QuestionKind.SIGNATURE for q in questions),
    })


def _save(request: HttpRequest, intake: Intake, form: StepForm, current, steps, questionnaire,
          questions) -> HttpResponse | None:
    """Save the posted step and say where to go next; None when the form has errors to show (nothing lost)."""
    position = steps.index(current)
    back = request.POST.get("action") == "back" and position > 0
    valid = form.is_valid()
    if not valid and not back:
        return None
    send = valid and not back and position + 1 == len(steps)
    consent = valid and any(q.kind == QuestionKind.SIGNATURE and q.code in form.answers for q in questions)
    try:
        finished = intake_assisted_step(
            intake=intake, step_number=current.number, answers=form.answers if valid else form.valid_partial_answers(),
            hidden=form.hidden if valid else [], questionnaire=questionnaire, today=form.today, send=send,
            consent_confirmed=consent, complete=valid and (not back or current.number <= intake.completed_step),
            by=request_actor(request))
    except IntakeError:
        messages.info(request, "These answers have already been sent.")
        return redirect("staff:intake", intake.public_id)
    if back:
        return redirect("staff:phone_intake_step", intake.public_id, steps[position - 1].number)
    if not send:
        return redirect("staff:phone_intake_step", intake.public_id, steps[position + 1].number)
    if finished.back_to is not None:
        messages.error(request, "A few questions still need an answer before the form can be sent.")
        return redirect("staff:phone_intake_step", intake.public_id, finished.back_to)
    messages.success(request, SENT)
    return redirect("staff:intake", intake.public_id)
