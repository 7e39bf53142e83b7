"""``manage.py screen`` as admins run it: a real process, its stdout, stderr and exit code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from screening.questionnaire.defaults import baseline_answers
from screening.rules import answers_to_json

ROOT = Path(__file__).resolve().parents[1]
DAY = date(2027, 1, 15)


def _document(**overrides: Any) -> dict[str, Any]:
    return answers_to_json(baseline_answers(DAY)) | overrides


@pytest.fixture(scope="module", autouse=True)
def _installed_database(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A fresh install's database: the command reads the published rules."""
    global _ENV
    path = tmp_path_factory.mktemp("screen-db") / "db.sqlite3"
    _ENV = {**os.environ, "DATABASE_URL": f"sqlite:///{path}"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=_ENV, check=True, timeout=300)


_ENV: dict[str, str] = {}


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "screen", *args],
        cwd=ROOT,
        env=_ENV,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _screen_stdin(document: Any, treatment: str = "face", on_date: str = "2027-01-15") -> subprocess.CompletedProcess[str]:
    text = document if isinstance(document, str) else json.dumps(document)
    return _run("-", "--treatment", treatment, "--date", on_date, stdin=text)


def _output(process: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert process.returncode == 0, process.stderr
    return json.loads(process.stdout)


def _refused(process: subprocess.CompletedProcess[str]) -> str:
    """The single stderr line of a refused document, after checking the exit code and empty stdout."""
    assert process.returncode == 2, (process.stdout, process.stderr)
    assert process.stdout == ""
    lines = process.stderr.strip().splitlines()
    assert len(lines) == 1, process.stderr
    return lines[0]


def test_it_screens_an_answers_file_and_prints_one_json_object(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(_document()))

    output = _output(_run(str(answers), "--treatment", "face", "--date", "2027-01-15"))

    assert output == {"outcome": "eligible", "eligible_from": None, "missing": [], "flags": []}


def test_it_reads_the_answers_from_stdin_with_a_dash() -> None:
    output = _output(_screen_stdin(_document(cold_sore_history=True), treatment="scalp"))

    assert output["outcome"] == "eligible"


def test_it_prints_a_block_with_its_rule_evidence_and_messages() -> None:
    output = _output(_screen_stdin(_document(active_acne=True)))

    assert output["outcome"] == "not_suitable"
    (flag,) = output["flags"]
    assert flag["rule"] == "ACTIVE_ACNE"
    assert flag["severity"] == "block"
    assert flag["evidence"] == {"active_acne": True}
    assert flag["eligible_from"] is None
    assert flag["staff_message"] and flag["patient_message"]


def test_it_prints_a_deferral_with_the_date_from_which_the_patient_is_eligible() -> None:
    output = _output(_screen_stdin(_document(isotretinoin_last_taken="2026-07-17")))

    assert output["outcome"] == "deferred"
    assert output["eligible_from"] == "2027-01-16"
    assert output["flags"][0]["evidence"] == {"isotretinoin_last_taken": "2026-07-17"}
    assert output["flags"][0]["eligible_from"] == "2027-01-16"


def test_it_reports_cold_sores_for_the_face_only() -> None:
    face = _output(_screen_stdin(_document(cold_sore_history=True), treatment="face"))
    body = _output(_screen_stdin(_document(cold_sore_history=True), treatment="body"))

    assert (face["outcome"], [f["rule"] for f in face["flags"]]) == ("review", ["COLD_SORES"])
    assert (body["outcome"], body["flags"]) == ("eligible", [])


def test_it_lists_the_missing_answers_of_an_incomplete_document() -> None:
    document = _document()
    del document["pregnant_or_breastfeeding"]
    del document["consent_signature"]

    output = _output(_screen_stdin(document))

    assert output["outcome"] == "incomplete"
    assert output["missing"] == ["pregnant_or_breastfeeding", "consent_signature"]


def test_the_date_decides_the_age_rule() -> None:
    # Issue 18: under 18 defers to the 18th birthday (it used to be not_suitable with no date).
    document = _document(date_of_birth="2009-01-16")

    before = _output(_screen_stdin(document, on_date="2027-01-15"))
    assert (before["outcome"], before["eligible_from"]) == ("deferred", "2027-01-16")
    assert _output(_screen_stdin(document, on_date="2027-01-16"))["outcome"] == "eligible"


def test_malformed_json_exits_2_with_one_line_and_nothing_on_stdout() -> None:
    line = _refused(_screen_stdin('{"active_acne": tru'))

    assert "invalid JSON" in line


def test_a_wrong_typed_answer_exits_2_naming_the_question() -> None:
    line = _refused(_screen_stdin(_document(active_acne="yes")))

    assert "active_acne" in line


def test_an_unknown_choice_exits_2_naming_the_question() -> None:
    line = _refused(_screen_stdin(_document(diabetes="sometimes")))

    assert "diabetes" in line
    assert "sometimes" in line


def test_an_impossible_date_exits_2_naming_the_question() -> None:
    line = _refused(_screen_stdin(_document(retinoid_last_used="2026-02-30")))

    assert "retinoid_last_used" in line


def test_a_last_time_date_after_the_appointment_date_exits_2() -> None:
    line = _refused(_screen_stdin(_document(last_microneedling_date="2027-02-01")))

    assert "last_microneedling_date" in line


def test_an_unknown_question_exits_2_naming_it() -> None:
    line = _refused(_screen_stdin(_document(shoe_size="42")))

    assert "shoe_size" in line


@pytest.mark.parametrize("document", ["[]", '"answers"', "null", "42"])
def test_a_document_that_is_not_an_object_exits_2(document: str) -> None:
    line = _refused(_screen_stdin(document))

    assert "JSON object" in line


def test_an_unknown_treatment_exits_2_naming_the_option() -> None:
    line = _refused(_screen_stdin(_document(), treatment="elbow"))

    assert "--treatment" in line
    assert "elbow" in line


def test_a_missing_treatment_exits_2_naming_the_option() -> None:
    line = _refused(_run("-", "--date", "2027-01-15", stdin=json.dumps(_document())))

    assert "--treatment" in line


@pytest.mark.parametrize("bad_date", ["2027-02-30", "15/01/2027", "20270115", "tomorrow", "2027-W02-5", "2027-015"])
def test_a_bad_date_option_exits_2_naming_the_option(bad_date: str) -> None:
    line = _refused(_screen_stdin(_document(), on_date=bad_date))

    assert "--date" in line


def test_a_file_that_does_not_exist_exits_2(tmp_path: Path) -> None:
    line = _refused(_run(str(tmp_path / "nope.json"), "--treatment", "face", "--date", "2027-01-15"))

    assert "nope.json" in line


def test_it_screens_with_the_rules_as_published_in_the_database() -> None:
    before = _output(_screen_stdin(_document(keloid_history=True)))
    assert before["outcome"] == "not_suitable"
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from screening.questionnaire.models import Rule; Rule.objects.filter(code='KELOID').update(severity='review', revision=2)"],
        cwd=ROOT, env=_ENV, check=True, timeout=60,
    )
    try:
        after = _output(_screen_stdin(_document(keloid_history=True)))
        assert after["outcome"] == "review"
        assert [(f["rule"], f["revision"]) for f in after["flags"]] == [("KELOID", 2)]
    finally:
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c",
             "from screening.questionnaire.models import Rule; Rule.objects.filter(code='KELOID').update(severity='block', revision=1)"],
            cwd=ROOT, env=_ENV, check=True, timeout=60,
        )


# --- issue 18: what the intake form refuses, the command refuses too -------------------------------


def test_a_key_given_twice_exits_2_naming_it() -> None:
    line = _refused(_screen_stdin('{"active_acne": true, "active_acne": false}'))

    assert "active_acne" in line and "twice" in line


@pytest.mark.parametrize("bad", ["2026-W30-1", "2026-07-17T00:00", "17/07/2026", "2026-7-17", "20260717"])
def test_an_answer_date_not_as_yyyy_mm_dd_exits_2_naming_the_question(bad: str) -> None:
    line = _refused(_screen_stdin(_document(isotretinoin_last_taken=bad)))

    assert "isotretinoin_last_taken" in line and "YYYY-MM-DD" in line


def test_a_birth_year_before_1900_exits_2() -> None:
    line = _refused(_screen_stdin(_document(date_of_birth="1850-03-01")))

    assert "date_of_birth" in line and "1900" in line


def test_a_month_for_the_date_of_birth_exits_2() -> None:
    line = _refused(_screen_stdin(_document(date_of_birth="1990-03")))

    assert "date_of_birth" in line


def test_a_signature_that_is_not_the_name_exits_2() -> None:
    line = _refused(_screen_stdin(_document(consent_signature="Someone Else")))

    assert "consent_signature" in line and "Alex Example" in line


def test_a_signature_matches_whatever_the_case_and_spacing() -> None:
    assert _output(_screen_stdin(_document(consent_signature="  alex   EXAMPLE ")))["outcome"] == "eligible"


def test_a_month_and_year_is_screened_as_the_last_day_of_that_month() -> None:
    output = _output(_screen_stdin(_document(isotretinoin_last_taken="2026-07")))

    assert (output["outcome"], output["eligible_from"]) == ("deferred", "2027-01-30")
    assert output["flags"][0]["evidence"] == {"isotretinoin_last_taken": "2026-07"}
    assert "July 2026" in output["flags"][0]["staff_message"]


def test_a_month_after_the_appointment_date_exits_2() -> None:
    line = _refused(_screen_stdin(_document(isotretinoin_last_taken="2027-02")))

    assert "isotretinoin_last_taken" in line and "future" in line


def test_not_sure_is_an_answer_where_it_is_offered_only() -> None:
    unsure = _output(_screen_stdin(_document(pregnant_or_breastfeeding="not_sure")))
    assert (unsure["outcome"], [f["rule"] for f in unsure["flags"]]) == ("review", ["PREGNANCY_UNSURE"])

    line = _refused(_screen_stdin(_document(active_acne="not_sure")))
    assert "active_acne" in line


def test_a_listed_medicine_in_free_text_is_named_in_the_evidence() -> None:
    output = _output(_screen_stdin(_document(medications="warfrin 5 mg; Roaccutane 20 mg")))

    (flag,) = output["flags"]
    assert (output["outcome"], flag["rule"], flag["severity"]) == ("review", "MEDICINE_MENTIONED", "review")
    assert flag["evidence"]["medications"] == "warfrin 5 mg; Roaccutane 20 mg"
    assert "warfarin" in flag["evidence"]["medications_matched"]
    assert "anticoagulant" in flag["evidence"]["medications_matched"]
    assert "oral retinoid" in flag["evidence"]["medications_matched"]
