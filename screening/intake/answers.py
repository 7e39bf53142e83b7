"""The patient's side of a clinician's question: read it, update the answers, send.

Reached through an emailed link (purpose "update") that the intake pages
exchange for session access; like every patient page, someone else's
intake is a 404 (screening.intake.access).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from screening.core.client_ip import request_actor
from screening.intake import access, correction, selectors, services
from screening.intake.forms import ReplyForm, StepForm
from screening.questionnaire.selectors import live_questionnaire


@never_cache
@require_http_methods(["GET", "POST"])
def answers_update(request: HttpRequest, public_id) -> HttpResponse:
    intake = access.patient_intake_or_404(request, public_id)
    question = selectors.open_question_for(intake=intake)
    if question is None:
        messages.info(request, _("There is nothing to update just now. Thank you!"))
        return redirect("intake:outcome", intake.public_id)
    questionnaire = live_questionnaire()
    steps = selectors.steps_patient_can_update(questionnaire)
    questions = [q for step in steps for q in step.questions.all()]
    form = StepForm(request.POST or None, questions=questions, answers=intake.answers, questionnaire=questionnaire)
    reply = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and reply.is_valid():
        try:
            services.intake_update_answers(
                intake_id=intake.pk, question_id=question.pk, answers=form.answers, hidden=form.hidden,
                reply=reply.cleaned_data["reply"], actor=request_actor(request),
            )
        except services.IntakeError as error:
            messages.info(request, str(error))
        else:
            messages.success(request, _("Thank you. Your updated answers have been sent to the clinic."))
        return redirect("intake:outcome", intake.public_id)
    groups = form.groups()
    return render(request, "intake/patient_answers.html", {
        "intake": intake,
        "question": question,
        "form": form,
        "reply": reply,
        "sections": [(step, [group for group in groups if group.question.step_id == step.pk]) for step in steps],
    })


@never_cache
@require_http_methods(["GET", "POST"])
def answers_correct(request: HttpRequest, public_id) -> HttpResponse:
    """"I answered something by mistake": the sent answers reopen on one page; sending records a new screening."""
    intake = access.patient_intake_or_404(request, public_id)
    refusal = correction.correction_refusal(intake)
    if refusal:
        messages.info(request, correction.REFUSALS[refusal])
        return redirect("intake:outcome", intake.public_id)
    questionnaire = live_questionnaire()
    steps = selectors.steps_patient_can_update(questionnaire)
    questions = [q for step in steps for q in step.questions.all()]
    form = StepForm(request.POST or None, questions=questions, answers=intake.answers, questionnaire=questionnaire)
    if request.method == "POST" and form.is_valid():
        try:
            correction.intake_correct_answers(
                intake_id=intake.pk, corrects=_screening_id(request.POST.get("corrects")), answers=form.answers,
                hidden=form.hidden, actor=request_actor(request),
            )
        except correction.CorrectionError as error:
            messages.info(request, str(error))
        else:
            messages.success(request, _("Thank you. Your corrected answers have been sent; here is your new result."))
        return redirect("intake:outcome", intake.public_id)
    groups = form.groups()
    return render(request, "intake/correct_answers.html", {
        "intake": intake,
        "form": form,
        "groups": groups,
        "corrects": request.POST.get("corrects") or correction.correctable_screening_id(intake),
        "sections": [(step, [group for group in groups if group.question.step_id == step.pk]) for step in steps],
    })


def _screening_id(value: str | None) -> int | None:
    """The posted id of the screening being corrected; None for anything that is not one."""
    return int(value) if value and value.isdigit() else None
