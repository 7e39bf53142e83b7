"""Export and import of the rule set: a round trip gives the same rules; a bad file changes nothing."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from screening.questionnaire.admin_selectors import rule_definition
from screening.questionnaire.models import Rule, RuleRevision
from screening.questionnaire.transfer import (
    MAX_FILE_BYTES,
    RuleFileError,
    export_document,
    export_text,
    rules_import,
)

pytestmark = pytest.mark.django_db


def _rule_set() -> dict[str, dict[str, Any]]:
    return {rule.code: rule_definition(rule) for rule in Rule.objects.all()}


def _state() -> tuple:
    """Everything an import could touch."""
    return (_rule_set(), dict(Rule.objects.values_list("code", "revision")), RuleRevision.objects.count())


def _document(**changes) -> dict[str, Any]:
    document = export_document()
    for code, fields in changes.items():
        rule = next(r for r in document["rules"] if r["code"] == code)
        rule.update(fields)
    return document


NEW_RULE = {
    "code": "TATTOO_INK", "name": "Nickel in tattoo ink", "severity": "info", "treatments": [], "match": "all",
    "conditions": [{"question": "metal_allergy", "op": "is_true"}],
    "staff_message": "Check for tattoos in the area.", "patient_message": "We'll ask about tattoos.",
    "examples": [{"answers": {"metal_allergy": True}, "treatment": "face", "on_date": "2027-01-15",
                  "expected": "review"}],
    "active": True,
}


def test_export_then_import_gives_the_same_rule_set():
    exported = export_text()
    before = _rule_set()
    # The clinic then changes things: a rule edited, one retired, one added...
    changed = _document(
        KELOID={"severity": "review", "examples": [{"answers": {"keloid_history": True}, "treatment": "face",
                                                    "on_date": "2027-01-15", "expected": "review"}]},
        PREGNANCY={"active": False},
    )
    changed["rules"].append(NEW_RULE)
    rules_import(json.dumps(changed))
    assert _rule_set() != before

    # ...and imports its export back.
    plan = rules_import(exported)

    after = _rule_set()
    assert {code: d for code, d in after.items() if d["active"]} == {code: d for code, d in before.items()}
    assert after["TATTOO_INK"]["active"] is False  # not in the file: retired, not deleted
    assert plan.changed and [code for code, _ in plan.changed] == ["KELOID", "PREGNANCY"]
    assert plan.retired == ["TATTOO_INK"]
    assert Rule.objects.get(code="KELOID").revision == 3  # each import change is a revision
    assert RuleRevision.objects.filter(rule__code="KELOID", source=RuleRevision.Source.IMPORT).count() == 2


def test_importing_an_unchanged_export_changes_nothing():
    before = _state()

    plan = rules_import(export_text())

    assert not plan.has_changes and len(plan.unchanged) == 34
    assert _state() == before


def test_a_dry_run_shows_what_would_change_and_changes_nothing():
    before = _state()
    document = _document(KELOID={"severity": "review", "examples": [
        {"answers": {"keloid_history": True}, "treatment": "face", "on_date": "2027-01-15", "expected": "review"}]})
    document["rules"] = [r for r in document["rules"] if r["code"] != "PREGNANCY"] + [NEW_RULE]

    plan = rules_import(json.dumps(document), dry_run=True)

    assert plan.lines() == ["create TATTOO_INK", "change KELOID: severity, examples", "retire PREGNANCY",
                            "32 unchanged"]
    assert _state() == before


def test_keep_missing_leaves_rules_that_are_not_in_the_file_alone():
    document = _document()
    document["rules"] = document["rules"][:3]

    plan = rules_import(json.dumps(document), keep_missing=True)

    assert not plan.has_changes
    assert Rule.objects.filter(active=True).count() == 34


BAD_FILES = {
    "not json": ('{"format": "clinic-screening-rules", "rules": [', "not valid JSON"),
    "not an export": (json.dumps({"rules": []}), "not a rule set export"),
    "future format": (json.dumps({"format": "clinic-screening-rules", "format_version": 9, "rules": []}),
                      "Unsupported format_version 9"),
    "rules not a list": (json.dumps({"format": "clinic-screening-rules", "format_version": 1, "rules": {}}),
                         '"rules" must be a list'),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_a_malformed_file_is_refused_with_a_message_and_no_change(name):
    text, message = BAD_FILES[name]
    before = _state()

    with pytest.raises(RuleFileError) as refused:
        rules_import(text)

    assert message in " ".join(refused.value.problems)
    assert _state() == before


INCONSISTENT = {
    "unknown question": ({"KELOID": {"conditions": [{"question": "shoe_size", "op": "is_true"}]}},
                         "KELOID: Condition 1: unknown question 'shoe_size'."),
    "operator that does not fit": ({"DIABETES_UNCONTROLLED": {"conditions": [{"question": "diabetes",
                                                                              "op": "is_true"}]}},
                                   "does not fit the choice question 'diabetes'"),
    "unknown treatment": ({"COLD_SORES": {"treatments": ["elbow"]}}, "COLD_SORES: Unknown treatment: elbow."),
    "failing example": ({"ACTIVE_ACNE": {"severity": "review"}},
                        "ACTIVE_ACNE: Example 1 fails: expected not_suitable, got review (ACTIVE_ACNE)."),
    "bad severity": ({"KELOID": {"severity": "maybe"}}, "(KELOID): severity must be one of"),
    "unknown key": ({"KELOID": {"colour": "red"}}, "(KELOID): unknown keys colour."),
    "wrong type": ({"KELOID": {"conditions": "keloid_history"}}, "(KELOID): conditions has the wrong type."),
    "bad code": ({"KELOID": {"code": "keloid scars"}}, "the code must be capital letters"),
}


@pytest.mark.parametrize("name", INCONSISTENT)
def test_an_inconsistent_file_is_refused_with_a_message_and_no_change(name):
    changes, message = INCONSISTENT[name]
    before = _state()

    with pytest.raises(RuleFileError) as refused:
        rules_import(json.dumps(_document(**changes)))

    assert message in " ".join(refused.value.problems), refused.value.problems
    assert _state() == before


def test_a_file_with_one_good_change_and_one_bad_rule_changes_nothing():
    before = _state()
    document = _document(KELOID={"severity": "review", "examples": [
        {"answers": {"keloid_history": True}, "treatment": "face", "on_date": "2027-01-15", "expected": "review"}]})
    document["rules"].append({**NEW_RULE, "code": "KELOID"})

    with pytest.raises(RuleFileError) as refused:
        rules_import(json.dumps(document))

    assert "the code appears twice in the file" in " ".join(refused.value.problems)
    assert _state() == before


# --- the management commands ----------------------------------------------------------------


def test_the_commands_export_and_import_with_a_dry_run(tmp_path):
    path = tmp_path / "rules.json"
    call_command("export_rules", str(path))
    document = json.loads(path.read_text())
    assert [r["code"] for r in document["rules"]] == sorted(_rule_set())
    next(r for r in document["rules"] if r["code"] == "PREGNANCY")["active"] = False
    path.write_text(json.dumps(document))

    out = io.StringIO()
    call_command("import_rules", str(path), "--dry-run", stdout=out)
    assert out.getvalue().splitlines() == ["Dry run, nothing changed:", "  change PREGNANCY: active", "  33 unchanged"]
    assert Rule.objects.get(code="PREGNANCY").active

    out = io.StringIO()
    call_command("import_rules", str(path), stdout=out)
    assert out.getvalue().startswith("Imported:")
    assert not Rule.objects.get(code="PREGNANCY").active


def test_the_import_command_refuses_a_bad_file_with_every_problem(tmp_path):
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(_document(KELOID={"severity": "maybe"}, COLD_SORES={"treatments": "face"})))
    before = _state()

    with pytest.raises(CommandError) as refused:
        call_command("import_rules", str(path))

    assert refused.value.returncode == 2
    assert "nothing changed" in str(refused.value)
    assert "KELOID" in str(refused.value) and "COLD_SORES" in str(refused.value)
    assert _state() == before


def test_export_to_stdout():
    out = io.StringIO()
    call_command("export_rules", stdout=out)

    assert json.loads(out.getvalue())["format"] == "clinic-screening-rules"


# --- the pages ------------------------------------------------------------------------------


def test_a_clinic_admin_exports_every_rule_from_the_staff_rule_list():
    from screening.questionnaire.transfer import parse_document
    from screening.review.permissions import CLINIC_ADMIN, CLINICIAN, roles_install
    from tests.staff.conftest import make_staff, staff_client

    roles_install()
    client = staff_client(make_staff("adele", CLINIC_ADMIN))
    assert reverse("rules:export") in client.get(reverse("rules:list")).content.decode()

    response = client.get(reverse("rules:export"))

    assert response.status_code == 200 and response["Content-Disposition"].startswith('attachment; filename="rules-')
    assert len(parse_document(response.content)) == Rule.objects.count()  # a file the import reads back
    assert staff_client(make_staff("clara", CLINICIAN)).get(reverse("rules:export")).status_code == 403


def test_the_admin_exports_all_rules_or_the_selected_ones(admin_client):
    everything = admin_client.get(reverse("admin:questionnaire_rule_export"))
    chosen = admin_client.post(reverse("admin:questionnaire_rule_changelist"), {
        "action": "export_selected", "_selected_action": list(Rule.objects.filter(code__in=["KELOID", "PREGNANCY"])
                                                                .values_list("pk", flat=True)),
    })

    assert everything["Content-Disposition"].startswith('attachment; filename="rules-')
    assert len(json.loads(everything.content)["rules"]) == 34
    assert [r["code"] for r in json.loads(chosen.content)["rules"]] == ["KELOID", "PREGNANCY"]


def test_the_admin_import_shows_a_dry_run_then_imports(admin_client, admin_user):
    document = json.dumps(_document(PREGNANCY={"active": False}))
    url = reverse("admin:questionnaire_rule_import")

    checked = admin_client.post(url, {"file": SimpleUploadedFile("rules.json", document.encode())})
    assert checked.status_code == 200
    assert checked.context["plan"].lines() == ["change PREGNANCY: active", "33 unchanged"]
    assert Rule.objects.get(code="PREGNANCY").active
    assert 'name="document"' in checked.content.decode()

    applied = admin_client.post(url, {"document": checked.context["document"], "apply": "1"})

    assert applied["Location"] == reverse("admin:questionnaire_rule_changelist")
    rule = Rule.objects.get(code="PREGNANCY")
    assert (rule.active, rule.revision) == (False, 2)
    assert rule.revisions.get(number=2).published_by == admin_user


def test_the_admin_import_refuses_a_bad_file_with_its_problems(admin_client):
    before = _state()

    response = admin_client.post(reverse("admin:questionnaire_rule_import"),
                                 {"file": SimpleUploadedFile("rules.json", b'{"rules": 3')})

    assert response.status_code == 200
    assert "not valid JSON" in " ".join(response.context["problems"])
    assert b"nothing was changed" in response.content
    assert _state() == before


def test_only_the_rules_that_change_must_pass_their_examples_others_broken_are_warned_about():
    document = _document(METAL_ALLERGY={
        "severity": "block", "conditions": [{"question": "bleeding_disorder", "op": "is_true"}],
        "examples": [{"answers": {"bleeding_disorder": True}, "treatment": "face", "on_date": "2027-01-15",
                      "expected": "not_suitable"}],
    })

    plan = rules_import(json.dumps(document))

    assert plan.applied
    assert plan.warnings == ["BLEEDING_DISORDER example 1: expected review, got not_suitable "
                             "(BLEEDING_DISORDER, METAL_ALLERGY)."]
    # Exporting that rule set and importing it back is then a no-op, not a refusal.
    assert not rules_import(export_text()).has_changes


# --- issue 18: what the intake form and the screen command refuse, an import refuses too -----------


def _refused_import(tmp_path, text: str) -> str:
    path = tmp_path / "rules.json"
    path.write_text(text)
    before = _state()
    with pytest.raises(CommandError) as refused:
        call_command("import_rules", str(path))
    assert refused.value.returncode == 2
    assert _state() == before
    return str(refused.value)


def test_the_import_command_refuses_a_key_given_twice(tmp_path):
    text = export_text().replace('"severity": "block"', '"severity": "block", "severity": "info"', 1)

    refused = _refused_import(tmp_path, text)

    assert "'severity' appears twice" in refused


def _with_example(**example) -> str:
    return json.dumps(_document(ACTIVE_ACNE={"examples": [
        {"answers": {"active_acne": True}, "treatment": "face", "on_date": "2027-01-15", "expected": "not_suitable",
         **example}]}))


@pytest.mark.parametrize(("example", "named"), [
    ({"on_date": "2027-W02-5"}, "on_date must be a date as YYYY-MM-DD"),
    ({"answers": {"active_acne": True, "isotretinoin_last_taken": "2026-W30-1"}}, "isotretinoin_last_taken"),
    ({"answers": {"active_acne": True, "date_of_birth": "1850-01-01"}}, "1900"),
    ({"answers": {"active_acne": True, "first_name": "Sam", "last_name": "Lee", "consent_signature": "Alex Lee"}},
     "consent_signature"),
])
def test_the_import_command_refuses_an_example_the_form_would_refuse(tmp_path, example, named):
    refused = _refused_import(tmp_path, _with_example(**example))

    assert "ACTIVE_ACNE" in refused and named in refused
    assert all(line.strip() for line in refused.splitlines())


def test_an_example_with_a_month_is_imported(tmp_path):
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(_document(ISOTRETINOIN={"examples": [
        {"answers": {"isotretinoin_last_taken": "2026-07"}, "treatment": "face", "on_date": "2027-01-15",
         "expected": "deferred", "eligible_from": "2027-01-30"}]})))

    call_command("import_rules", str(path), stdout=io.StringIO())

    assert Rule.objects.get(code="ISOTRETINOIN").examples[0]["answers"] == {"isotretinoin_last_taken": "2026-07"}


# --- hostile files (issue 15): a problem list or one line and exit 2, never a traceback ---------

def _hostile_files() -> dict[str, str]:
    deep = '{"format": "clinic-screening-rules", "format_version": 1, "rules": ' + "[" * 5000 + "]" * 5000 + "}"
    nested = _document()
    nested["rules"][0]["conditions"] = [{"question": "x", "op": "is_true", "value": [[[[[[[[[[[[[[[[[[[[
        [[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}]
    big = json.dumps(_document()).replace('"revision": 1', '"revision": ' + "9" * 4400, 1)
    huge = json.dumps(_document()) + " " * (MAX_FILE_BYTES + 10)
    return {"deep": deep, "nested": json.dumps(nested), "big": big, "huge": huge}


@pytest.mark.parametrize("name", ["deep", "nested", "big", "huge"])
def test_a_hostile_rule_file_is_refused_by_the_command_in_one_line(tmp_path, name):
    text = _hostile_files()[name]
    assert name != "big" or '"revision": 9999' in text  # the check has something to find
    path = tmp_path / "rules.json"
    path.write_text(text)
    before = _state()
    with pytest.raises(CommandError) as refused:
        call_command("import_rules", str(path), "--dry-run")
    assert refused.value.returncode == 2
    [_heading, problem] = str(refused.value).splitlines()
    assert any(word in problem for word in ("too deeply", "too long", "larger than")), problem
    assert _state() == before


@pytest.mark.parametrize("name", ["deep", "nested", "big", "huge"])
def test_a_hostile_rule_file_gets_the_problem_list_in_the_admin(admin_client, name):
    response = admin_client.post(reverse("admin:questionnaire_rule_import"),
                                 {"file": SimpleUploadedFile("rules.json", _hostile_files()[name].encode())})
    assert response.status_code == 200
    assert b"nothing was changed" in response.content
    assert response.context["problems"]
