"""Staff pages for clinic admins: the rules in plain language, a draft's editor, its preview, publishing.

Mounted at /staff/rules/ (namespace ``rules``). Thin views: permission, form, service, redirect. Every
change is a draft (``RuleDraft``), previewed (recent intakes and upcoming bookings), then published.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from screening.core.client_ip import request_actor
from screening.questionnaire.definitions import describe_condition
from screening.questionnaire.models import Question, Rule, RuleDraft
from screening.questionnaire.services import RulesAdminError, check_draft, draft_revise, draft_start
from screening.questionnaire.windows import window_text
from screening.review.permissions import requires
from screening.setup.editor import DraftEditor, message_preview
from screening.setup.editor_forms import PublishForm
from screening.setup.rule_changes import bookings_effect, rule_draft_publish, stored_comparison
from screening.setup.selectors import intake_as_example
from screening.setup.views import SHOWN_CHANGES, _changes_context, _limit, export_response

EDIT = "questionnaire.change_ruledraft"
PUBLISH = "questionnaire.publish_ruledraft"


@never_cache
@require_safe
@requires(EDIT)
def rule_list(request: HttpRequest) -> HttpResponse:
    rules = list(Rule.objects.order_by("-active", "name"))
    open_drafts = dict(RuleDraft.objects.filter(status=RuleDraft.Status.DRAFT).values_list("code", "pk"))
    wording = dict(Question.objects.values_list("code", "label"))
    rows = [{"rule": rule, "draft_id": open_drafts.get(rule.code),
             "conditions": (" and " if rule.match == Rule.Match.ALL else " or ").join(
                 plain_condition(c, wording) for c in rule.conditions or [])} for rule in rules]
    return render(request, "setup/staff/rule_list.html", {"rows": rows})


@never_cache
@require_safe
@requires(EDIT)
def rules_export(request: HttpRequest) -> HttpResponse:
    """Every rule as a JSON file (a backup, or the rule set for another clinic: ``manage.py import_rules``)."""
    return export_response()


def plain_condition(condition: dict, wording: dict[str, str]) -> str:
    """A condition in the manager's words: the question as patients read it, a window in days, weeks or months."""
    code = condition.get("question", "")
    asked = f"\u201c{wording[code]}\u201d" if code in wording else code
    value = condition.get("value")
    if condition.get("op") == "within_days" and isinstance(value, int):
        return f"{asked}: within {window_text(value)} before the appointment"
    return f"{asked}: {describe_condition({**condition, 'question': ''}).strip()}"


@require_POST
@requires(EDIT)
def rule_start(request: HttpRequest, rule_id: int) -> HttpResponse:
    rule = get_object_or_404(Rule, pk=rule_id)
    draft = draft_start(rule=rule, by=request_actor(request))
    return redirect("rules:draft", draft.pk)


@never_cache
@require_http_methods(["GET", "POST"])
@requires(EDIT)
def draft_edit(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = get_object_or_404(RuleDraft, pk=draft_id)
    if not draft.is_open:
        return redirect("rules:preview", draft.pk)
    if request.method == "POST" and "from_intake" in request.POST:
        return _with_intake_example(request, draft)
    if request.method == "POST" and "redraw" in request.POST:
        # The question or operator of a condition was just chosen: its value fields, nothing saved yet.
        editor = DraftEditor(draft, request.POST, redraw_conditions=True)
        return render(request, "setup/staff/draft_edit.html",
                      {"draft": draft, "editor": editor, "words": editor.message_words()})
    editor = DraftEditor(draft, request.POST if request.method == "POST" else None)
    if request.method == "POST" and editor.is_valid():
        definition = editor.definition
        try:
            draft_revise(draft=draft, words=definition, conditions=definition["conditions"],
                         examples=definition["examples"], by=request_actor(request))
        except RulesAdminError as error:
            editor.errors.extend(error.problems)
        else:
            if "preview" in request.POST:
                return redirect("rules:preview", draft.pk)
            messages.success(request, "Saved the draft. Nothing screens anyone until it is published.")
            return redirect("rules:draft", draft.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "setup/staff/draft_edit.html",
                  {"draft": draft, "editor": editor, "words": editor.message_words()}, status=status)


def _with_intake_example(request: HttpRequest, draft: RuleDraft) -> HttpResponse:
    """The editor as posted, its new example filled in from a past intake (nothing saved yet)."""
    editor = DraftEditor(draft, request.POST)
    codes = [q.code for q in editor._asked()]
    try:
        example = intake_as_example(int(request.POST.get("intake", "")), codes)
    except ValueError:
        example = None
    if example is None:
        editor.errors.append("Choose one of the recent intakes to start an example from.")
        status = 400
    else:
        editor = DraftEditor(draft, request.POST, from_intake=example)
        status = 200
    return render(request, "setup/staff/draft_edit.html",
                  {"draft": draft, "editor": editor, "words": editor.message_words()}, status=status)


@never_cache
@require_POST
@requires(EDIT)
def draft_words(request: HttpRequest, draft_id: int) -> HttpResponse:
    """The patient's and staff's words as typed, filled in (the editor's script refreshes them live)."""
    draft = get_object_or_404(RuleDraft, pk=draft_id)
    editor = DraftEditor(draft, request.POST)
    return render(request, "setup/staff/_words.html", {"words": editor.message_words()})


@never_cache
@require_safe
@requires(EDIT)
def draft_preview(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = get_object_or_404(RuleDraft, pk=draft_id)
    limit = _limit(request)
    checked = check_draft(draft)
    comparison = stored_comparison(checked, limit)
    effect = bookings_effect(checked)
    return render(request, "setup/staff/draft_preview.html", {
        "draft": draft, "definition": checked.definition, "check": checked.check,
        "conditions": [describe_condition(c) for c in checked.definition["conditions"]],
        "words": message_preview(checked.definition, translations=draft.translations),
        "comparison": comparison,
        "changes": _changes_context(comparison), "shown_changes": SHOWN_CHANGES, "limit": limit,
        "effect": effect, "form": PublishForm(initial={"rescreen": bool(effect.affected)}),
        "can_publish": draft.is_open and request.user.has_perm(PUBLISH) and checked.check.ok,
    })


@require_POST
@requires(PUBLISH)
def draft_publish_view(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = get_object_or_404(RuleDraft, pk=draft_id)
    form = PublishForm(request.POST)
    form.is_valid()  # one optional tick box: always valid
    try:
        report = rule_draft_publish(draft=draft, by=request_actor(request),
                                    rescreen=form.cleaned_data.get("rescreen", False))
    except RulesAdminError as error:
        messages.error(request, "Not published: " + " ".join(error.problems))
        return redirect("rules:preview", draft.pk)
    told = ""
    if report.patients_told or report.rescreened:
        told = (f" Re-screened {report.rescreened} intake{'s' if report.rescreened != 1 else ''}; told "
                f"{report.patients_told} patient{'s' if report.patients_told != 1 else ''} and the front desk.")
    messages.success(request, f"Published {report.revision.rule.name} (revision {report.revision.number}).{told}")
    return redirect("rules:list")
