"""The documentation matches the code: variables, make targets, paths and links.

Read as text and parsed, no database: README.md, SECURITY.md and docs/*.md
against clinic/settings.py, the Makefile and the files in the repository.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", ROOT / "SECURITY.md", *sorted((ROOT / "docs").glob("*.md"))]

_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
_FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
_INLINE = re.compile(r"`([^`\n]+)`")


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _code(text: str) -> list[str]:
    """The code in a Markdown text: fenced blocks, then inline spans outside them."""
    blocks = _FENCE.findall(text)
    return [*blocks, *_INLINE.findall(_FENCE.sub("", text))]


# --- environment variables ----------------------------------------------------------------


def settings_variables() -> set[str]:
    """Every environment variable clinic/settings.py reads, through clinic.env's readers or os."""
    tree = ast.parse((ROOT / "clinic" / "settings.py").read_text())
    readers = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "clinic.env"
        for alias in node.names
        if alias.name.startswith("env_")
    }
    assert readers, "clinic/settings.py no longer imports its readers from clinic.env"
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            names.add(_constant(node.slice, node))
        if not isinstance(node, ast.Call):
            continue
        func = ast.unparse(node.func)
        if func in readers or func in {"os.environ.get", "os.getenv", "os.environ.setdefault"}:
            names.add(_constant(node.args[0] if node.args else None, node))
    return names


def _constant(arg: ast.expr | None, node: ast.AST) -> str:
    assert isinstance(arg, ast.Constant) and isinstance(arg.value, str), (
        f"clinic/settings.py line {node.lineno}: a variable read under a computed name; "
        "name it literally so the README's table can be checked"
    )
    return arg.value


def readme_variables() -> set[str]:
    """The variables named in the first column of the README's Configuration table."""
    text = (ROOT / "README.md").read_text()
    section = text.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    names = set()
    for row in rows[2:]:  # after the header and its separator
        first_cell = row.split("|")[1]
        names.update(name for name in _INLINE.findall(first_cell) if _NAME.match(name))
    return names


def test_the_settings_readers_are_found():
    names = settings_variables()
    assert {"DJANGO_DEBUG", "DATABASE_URL", "DJANGO_TRUSTED_PROXY_COUNT"} <= names


def test_every_variable_settings_read_is_in_the_readme_table():
    missing = settings_variables() - readme_variables()
    assert not missing, f"read by clinic/settings.py, missing from README.md's Configuration table: {sorted(missing)}"


def test_the_readme_table_lists_no_variable_that_settings_do_not_read():
    extra = readme_variables() - settings_variables()
    assert not extra, f"in README.md's Configuration table, never read by clinic/settings.py: {sorted(extra)}"


# --- make targets -------------------------------------------------------------------------


def makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text()
    return {m.group(1) for m in re.finditer(r"^([A-Za-z0-9_-]+)\s*:(?!=)", text, re.MULTILINE)}


def makefile_phony() -> set[str]:
    text = (ROOT / "Makefile").read_text()
    return {name for line in re.findall(r"^\.PHONY\s*:(.*)$", text, re.MULTILINE) for name in line.split()}


def make_targets_named(text: str) -> set[str]:
    """Targets of every `make ...` command in the text's code (options and VAR=value skipped)."""
    named = set()
    for code in _code(text):
        for match in re.finditer(r"(?:^|[\s;&|(])make((?:[ \t]+[^\s;&|)#]+)*)", code, re.MULTILINE):
            words = [w for w in match.group(1).split() if not w.startswith("-") and "=" not in w]
            if words:
                named.add(words[0].strip("`\"'"))
    return named


def test_the_make_finder_reads_commands_not_prose():
    text = "Run `make bench BENCH_ARGS=\"--help\"` or\n```\nSTAFF_REQUIRE_2FA=false make run\n```\nto make sure."
    assert make_targets_named(text) == {"bench", "run"}


@pytest.mark.parametrize("doc", DOCS, ids=_rel)
def test_every_make_target_the_docs_name_exists(doc):
    missing = make_targets_named(doc.read_text()) - makefile_targets()
    assert not missing, f"{_rel(doc)} names make targets the Makefile does not have: {sorted(missing)}"


def test_every_phony_target_has_a_rule():
    missing = makefile_phony() - makefile_targets()
    assert not missing, f"the Makefile's .PHONY lists targets with no rule: {sorted(missing)}"


# --- paths and links ----------------------------------------------------------------------

_PATH = re.compile(r"^(?:screening|clinic|bench|tests|docs|templates|static|\.ci)/[\w./-]*$")
_URL = re.compile(r"\bhttps?://([^/\s`)>\"':]+)")
_LOCAL_HOSTS = re.compile(r"^(127\.0\.0\.1|localhost|([\w-]+\.)*example\.(org|com|net))$")


@pytest.mark.parametrize("doc", DOCS, ids=_rel)
def test_every_repository_path_the_docs_name_exists(doc):
    missing = []
    for span in _INLINE.findall(_FENCE.sub("", doc.read_text())):
        path = span.split("::", 1)[0].rstrip(".,")
        if _PATH.match(path) and "<" not in path and not (ROOT / path).exists():
            missing.append(span)
    assert not missing, f"{_rel(doc)} names paths that do not exist: {missing}"


@pytest.mark.parametrize("doc", DOCS, ids=_rel)
def test_the_docs_link_nothing_outside_the_repository(doc):
    text = doc.read_text()
    outside = [host for host in _URL.findall(text) if not _LOCAL_HOSTS.match(host)]
    assert not outside, f"{_rel(doc)} links outside the repository (copy what readers need instead): {outside}"
    for target in re.findall(r"\]\(([^)\s]+)\)|\bsrc=\"([^\"]+)\"", text):
        target = next(t for t in target if t).split("#", 1)[0]
        if not target or re.match(r"^[a-z]+:", target):
            continue
        resolved = (doc.parent / target).resolve()
        assert resolved.is_relative_to(ROOT), f"{_rel(doc)} links outside the repository: {target}"
        assert resolved.exists(), f"{_rel(doc)} links to a missing file: {target}"
    for up in re.findall(r"(?<![\w.])(\.\./[\w./-]+)", text):
        assert (doc.parent / up).resolve().is_relative_to(ROOT), f"{_rel(doc)} points outside the repository: {up}"


# --- the clinical rules ---------------------------------------------------------------------


def test_clinical_rules_explains_every_default_rule_with_its_severity_wording_and_source():
    from screening.questionnaire.defaults import RULES

    text = (ROOT / "docs" / "clinical-rules.md").read_text()
    sections = dict(re.findall(r"^### `([A-Z0-9_]+)`.*?\n(.*?)(?=^### |^## |\Z)", text, re.MULTILINE | re.DOTALL))
    assert list(sections) == [rule["code"] for rule in RULES]
    for rule in RULES:
        section = sections[rule["code"]]
        assert f"- **Severity**: `{rule['severity']}`" in section, rule["code"]
        assert rule["patient_message"] in section and rule["staff_message"] in section, rule["code"]
        assert re.search(r"^- \*\*Source\*\*: \S", section, re.MULTILINE), rule["code"]
