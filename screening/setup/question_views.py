"""Staff pages for clinic admins: the questionnaire by its wording, and changes to it through drafts.

Mounted at /staff/questions/ (namespace ``questions``). A change is a ``QuestionChange``: edited, previewed
(the step as a patient sees it on a phone, and the rules it affects), then published, which makes it live
and publishes a new questionnaire version. Nobody is asked a draft.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from screening.core.client_ip import request_actor
from screening.intake.forms import StepForm
from screening.questionnaire.definitions import describe_condition
from screening.questionnaire.models import Question, QuestionChange, Step
from screening.questionnaire.question_changes import (
    as_question,
    change_rule_problems,
    question_change_discard,
    question_change_new,
    question_change_publish,
    question_change_save,
    question_change_start,
    rules_reading,
)
from screening.questionnaire.selectors import live_questionnaire
from screening.questionnaire.services import RulesAdminError
from screening.review.permissions import requires
from screening.setup.question_forms import NewQuestionForm, QuestionChangeForm

EDIT = "questionnaire.change_question"


@never_cache
@require_safe
@requires(EDIT)
def question_list(request: HttpRequest) -> HttpResponse:
    steps = list(Step.objects.order_by("number").prefetch_related("questions"))
    open_changes = {c.code: c for c in QuestionChange.objects.filter(status=QuestionChange.Status.DRAFT)}
    for step in steps:
        step.rows = [(q, open_changes.pop(q.code, None)) for q in step.questions.all()]
    new = [c for c in open_changes.values() if c.question_id is None]
    return render(request, "setup/staff/question_list.html",
                  {"steps": steps, "new_changes": new, "form": NewQuestionForm()})


@require_POST
@requires(EDIT)
def question_start(request: HttpRequest, question_id: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=question_id)
    change = question_change_start(question=question, by=request_actor(request))
    return redirect("questions:change", change.pk)


@never_cache
@require_POST
@requires(EDIT)
def question_new(request: HttpRequest) -> HttpResponse:
    form = NewQuestionForm(request.POST)
    if not form.is_valid():
        return render(request, "setup/staff/question_new.html", {"form": form}, status=400)
    change = question_change_new(step=form.cleaned_data["step"], label=form.cleaned_data["label"],
                                 type=form.cleaned_data["type"], by=request_actor(request))
    return redirect("questions:change", change.pk)


@never_cache
@require_http_methods(["GET", "POST"])
@requires(EDIT)
def change_edit(request: HttpRequest, change_id: int) -> HttpResponse:
    change = get_object_or_404(QuestionChange, pk=change_id)
    if not change.is_open:
        return redirect("questions:preview", change.pk)
    form = QuestionChangeForm(request.POST or None, change=change)
    if request.method == "POST" and form.is_valid():
        try:
            question_change_save(change=change, fields=form.fields_to_save, by=request_actor(request))
        except RulesAdminError as error:
            form.add_error(None, " ".join(error.problems))
        else:
            return redirect("questions:preview", change.pk)
    return render(request, "setup/staff/question_change.html", {"change": change, "form": form},
                  status=400 if request.method == "POST" else 200)


@never_cache
@require_safe
@requires(EDIT)
def change_preview(request: HttpRequest, change_id: int) -> HttpResponse:
    change = get_object_or_404(QuestionChange, pk=change_id)
    rules = [(rule, [describe_condition(c) for c in rule.conditions if c.get("question") == change.code])
             for rule in rules_reading(change.code)]
    return render(request, "setup/staff/question_preview.html", {
        "change": change, "question": as_question(change), "live": change.question, "rules": rules,
        "problems": change_rule_problems(change) if change.is_open else [], "groups": _step_groups(change),
    })


def _step_groups(change: QuestionChange) -> list:
    """The change's step as a patient would see it, drawn by the intake's own form and templates."""
    questions = [q for q in Question.objects.filter(step=change.step, active=True).select_related("step")
                 if q.code != change.code]
    if change.active:
        questions.append(as_question(change))
    questions.sort(key=lambda q: (q.order, q.pk or 0))
    return StepForm(questions=questions, answers={}, questionnaire=live_questionnaire()).groups()


@require_POST
@requires(EDIT)
def change_publish(request: HttpRequest, change_id: int) -> HttpResponse:
    change = get_object_or_404(QuestionChange, pk=change_id)
    try:
        version = question_change_publish(change=change, by=request_actor(request))
    except RulesAdminError as error:
        messages.error(request, "Not published: " + " ".join(error.problems))
        return redirect("questions:preview", change.pk)
    messages.success(request, f"Published: new intakes answer questionnaire version {version.number}.")
    return redirect("questions:list")


@require_POST
@requires(EDIT)
def change_discard(request: HttpRequest, change_id: int) -> HttpResponse:
    change = get_object_or_404(QuestionChange, pk=change_id)
    try:
        question_change_discard(change=change, by=request_actor(request))
    except RulesAdminError as error:
        messages.error(request, " ".join(error.problems))
    else:
        messages.success(request, "Discarded the change: nothing was published.")
    return redirect("questions:list")
