"""Issue 12: no product module over 400 lines, data files aside (the default questionnaire, rules and
their wordings, ``default_*.py``) and migrations. A module that grows past it splits by what it is about."""

from __future__ import annotations

from pathlib import Path

LIMIT = 400
ROOT = Path(__file__).resolve().parent.parent


def _product_modules() -> list[Path]:
    modules = []
    for package in ("screening", "clinic"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts or path.name.startswith("default_"):
                continue
            modules.append(path)
    return modules


def test_the_product_has_modules_to_measure():
    assert len(_product_modules()) > 100


def test_no_product_module_is_over_400_lines():
    long = {str(path.relative_to(ROOT)): count for path in _product_modules()
            if (count := len(path.read_text().splitlines())) > LIMIT}
    assert long == {}, f"modules over {LIMIT} lines: {long}"
