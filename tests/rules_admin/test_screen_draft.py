"""``manage.py screen`` with the published rules, a draft (``--draft``) or a rule file (``--rules-file``).

A real process on a migrated temporary SQLite database, as in tests/test_screen_command.py.
"""

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

ROOT = Path(__file__).resolve().parents[2]
DAY = date(2027, 1, 15)
_ENV: dict[str, str] = {}
_DRAFT_ID = ""

MAKE_DRAFT = """
from screening.questionnaire.models import Rule, RuleDraft
from screening.questionnaire.services import draft_start
draft = draft_start(rule=Rule.objects.get(code="KELOID"), by=None)
RuleDraft.objects.filter(pk=draft.pk).update(severity="review")
print(draft.pk)
"""


@pytest.fixture(scope="module", autouse=True)
def _installed_database(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A fresh install with one open draft: KELOID as a review rule instead of a block."""
    global _DRAFT_ID
    path = tmp_path_factory.mktemp("screen-draft-db") / "db.sqlite3"
    _ENV.update({**os.environ, "DATABASE_URL": f"sqlite:///{path}"})
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=_ENV, check=True, timeout=300)
    made = _manage("shell", "-c", MAKE_DRAFT)
    assert made.returncode == 0, made.stderr
    _DRAFT_ID = made.stdout.strip().splitlines()[-1]


def _manage(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=_ENV, input=stdin,
                          capture_output=True, text=True, timeout=120)


def _screen(*options: str, **answers: Any) -> subprocess.CompletedProcess[str]:
    document = answers_to_json(baseline_answers(DAY)) | answers
    return _manage("screen", "-", "--treatment", "face", "--date", DAY.isoformat(), *options,
                   stdin=json.dumps(document))


def _output(process: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert process.returncode == 0, process.stderr
    return json.loads(process.stdout)


def _refused(process: subprocess.CompletedProcess[str]) -> str:
    assert process.returncode == 2, (process.stdout, process.stderr)
    assert process.stdout == ""
    lines = process.stderr.strip().splitlines()
    assert len(lines) == 1, process.stderr
    return lines[0]


def test_without_an_option_it_screens_with_the_published_rules():
    output = _output(_screen(keloid_history=True))

    assert output["outcome"] == "not_suitable"
    assert [(f["rule"], f["severity"], f["revision"]) for f in output["flags"]] == [("KELOID", "block", 1)]


def test_draft_by_rule_code_tries_the_open_draft_in_place_of_the_published_rule():
    output = _output(_screen("--draft", "KELOID", keloid_history=True))

    assert output["outcome"] == "review"
    assert [(f["rule"], f["severity"], f["revision"]) for f in output["flags"]] == [("KELOID", "review", None)]


def test_draft_by_id_and_the_other_rules_stay_published():
    output = _output(_screen("--draft", _DRAFT_ID, keloid_history=True, active_acne=True))

    assert output["outcome"] == "not_suitable"
    assert sorted((f["rule"], f["severity"]) for f in output["flags"]) == [("ACTIVE_ACNE", "block"),
                                                                         ("KELOID", "review")]


def test_an_unknown_draft_exits_2_with_one_line():
    line = _refused(_screen("--draft", "NO_SUCH_RULE"))

    assert "--draft" in line and "NO_SUCH_RULE" in line


def test_a_rules_file_replaces_the_published_rules(tmp_path: Path):
    exported = _manage("export_rules")
    document = json.loads(exported.stdout)
    for rule in document["rules"]:
        if rule["code"] == "METAL_ALLERGY":
            rule["severity"] = "block"
        if rule["code"] == "KELOID":
            rule["active"] = False
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(document))

    output = _output(_screen("--rules-file", str(path), keloid_history=True, metal_allergy=True))

    assert output["outcome"] == "not_suitable"
    assert [(f["rule"], f["severity"]) for f in output["flags"]] == [("METAL_ALLERGY", "block")]
    # The database still has the published rules.
    assert _output(_screen(metal_allergy=True))["outcome"] == "review"


def test_a_bad_rules_file_exits_2_with_one_line(tmp_path: Path):
    path = tmp_path / "rules.json"
    path.write_text('{"format": "clinic-screening-rules", "rules": [')

    line = _refused(_screen("--rules-file", str(path)))

    assert "--rules-file" in line and "not valid JSON" in line
