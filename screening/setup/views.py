"""The admin pages that are not model forms: a draft's preview, the rule file import, and its export (also on the
staff rule pages)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from screening.core.client_ip import request_actor
from screening.core.clinic import clinic_today
from screening.intake.models import Intake
from screening.questionnaire.admin_selectors import rule_definition, treatment_codes
from screening.questionnaire.definitions import changed_fields, describe_condition
from screening.questionnaire.examples import run_examples
from screening.questionnaire.models import RuleDraft
from screening.questionnaire.preview import Comparison, compare_rule_sets
from screening.questionnaire.services import check_draft
from screening.questionnaire.transfer import RuleFileError, export_text, rules_import
from screening.setup.forms import ImportForm
from screening.setup.rule_changes import stored_comparison
from screening.setup.selectors import PREVIEW_DEFAULT_LIMIT, PREVIEW_MAX_LIMIT, preview_items


def export_response(rules=None) -> HttpResponse:
    """The rule set (or ``rules``) as the JSON file ``import_rules`` and the admin's import read."""
    response = HttpResponse(export_text(rules), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rules-{clinic_today():%Y-%m-%d}.json"'
    return response


#: Changed intakes listed on a page; the counts always cover them all.
SHOWN_CHANGES = 200


def _limit(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("limit", PREVIEW_DEFAULT_LIMIT)), PREVIEW_MAX_LIMIT))
    except ValueError:
        return PREVIEW_DEFAULT_LIMIT


def _changes_context(comparison: Comparison) -> list[dict]:
    shown = comparison.changes[:SHOWN_CHANGES]
    intakes = Intake.objects.in_bulk([change.key for change in shown])
    return [{"change": change, "intake": intakes.get(change.key)} for change in shown]


def _base_context(model_admin: admin.ModelAdmin, request: HttpRequest, title: str) -> dict:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
    }


def _other_examples_failing(checked, questions) -> list:
    """Examples of the other active rules that the change would break (shown, not blocking)."""
    from screening.questionnaire.models import Rule

    failing = []
    codes = treatment_codes()
    for rule in Rule.objects.filter(active=True).exclude(code=checked.definition["code"]).order_by("code"):
        results = run_examples(rule.code, rule.examples or [], rules=checked.proposed, questions=questions,
                               treatment_codes=codes)
        failing.extend(result for result in results if not result.passed)
    return failing


def preview_view(model_admin: admin.ModelAdmin, request: HttpRequest, draft: RuleDraft) -> HttpResponse:
    """The draft beside the published rules, on the last N submitted intakes."""
    limit = _limit(request)
    checked = check_draft(draft)
    # The staff rule editor's comparison: the changed rule against each intake's stored screening.
    comparison = stored_comparison(checked, limit)
    published = rule_definition(draft.rule) if draft.rule_id else None
    context = {
        **_base_context(model_admin, request, f"Preview: {draft}"),
        "draft": draft,
        "definition": checked.definition,
        "conditions": [describe_condition(c) for c in checked.definition["conditions"]],
        "published": published,
        "changed": changed_fields(published, checked.definition) if published else None,
        "check": checked.check,
        "other_failing": _other_examples_failing(checked, checked.questions),
        "comparison": comparison,
        "changes": _changes_context(comparison),
        "shown_changes": SHOWN_CHANGES,
        "limit": limit,
        "can_publish": draft.is_open and request.user.has_perm("questionnaire.publish_ruledraft"),
        "can_edit": model_admin.has_change_permission(request, draft),
    }
    return TemplateResponse(request, "setup/draft_preview.html", context)


def import_view(model_admin: admin.ModelAdmin, request: HttpRequest) -> HttpResponse:
    """Upload a rule file, see what it would change (a dry run), then import it."""
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {**_base_context(model_admin, request, "Import rules"), "form": form}
    if request.method != "POST" or not form.is_valid():
        return TemplateResponse(request, "setup/rule_import.html", context)
    document = form.cleaned_data["document"]
    keep_missing = form.cleaned_data["keep_missing"]
    if isinstance(document, bytes):
        try:
            document = document.decode("utf-8")
        except UnicodeDecodeError:
            context["problems"] = ["The file is not UTF-8 text."]
            return TemplateResponse(request, "setup/rule_import.html", context)
    apply = "apply" in request.POST
    try:
        plan = rules_import(document, by=request_actor(request), dry_run=not apply, keep_missing=keep_missing)
    except RuleFileError as error:
        context["problems"] = error.problems
        return TemplateResponse(request, "setup/rule_import.html", context)
    if apply:
        if plan.applied:
            messages.success(request, "Imported the rule file: " + "; ".join(plan.lines()) + ".")
        else:
            messages.info(request, "The rule file matches the rules already: nothing changed.")
        return redirect("admin:questionnaire_rule_changelist")
    from screening.questionnaire.selectors import question_specs

    comparison = compare_rule_sets(
        preview_items(PREVIEW_DEFAULT_LIMIT), questions=question_specs(), current=plan.current, proposed=plan.proposed
    )
    context.update(
        plan=plan, comparison=comparison, changes=_changes_context(comparison), shown_changes=SHOWN_CHANGES,
        document=document, keep_missing=keep_missing,
        limit=PREVIEW_DEFAULT_LIMIT,
    )
    return TemplateResponse(request, "setup/rule_import.html", context)
