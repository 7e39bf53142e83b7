"""``manage.py screen``: run the rules engine on a JSON answers document.

    python manage.py screen answers.json --treatment face --date 2027-01-15
    echo '{"active_acne": true}' | python manage.py screen - --treatment scalp
    python manage.py screen answers.json --treatment face --draft ISOTRETINOIN
    python manage.py screen answers.json --treatment face --rules-file rules.json

``--draft`` tries the open draft of a rule (by code, or the draft's id) in
place of its published version; ``--rules-file`` screens with the rules of
an ``export_rules`` document instead of the published ones.

Prints one JSON object (outcome, eligible_from, missing, flags). Input that
cannot be read exits 2 with one line on stderr naming the question, and
nothing on stdout: as the intake form refuses them, a key given twice, a date
not as YYYY-MM-DD (YYYY-MM where a month will do), a year before 1900 and a
signature that is not the name given. Without ``--date``, the appointment
date is today in the clinic's time zone.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from screening.core.clinic import clinic_today
from screening.rules import AnswerError, DuplicateKeyError, loads_strict, parse_answers, screen

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def load_rule_data() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(questions, rules) as published in the database, in the engine's format."""
    from screening.questionnaire.selectors import rule_data

    return rule_data()


def load_draft_rules(reference: str, rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The published rules with one open draft applied (by rule code or draft id)."""
    from screening.questionnaire.admin_selectors import draft_definition
    from screening.questionnaire.definitions import with_definition
    from screening.questionnaire.models import RuleDraft
    from screening.questionnaire.selectors import with_terms

    drafts = RuleDraft.objects.filter(status=RuleDraft.Status.DRAFT)
    draft = drafts.filter(pk=int(reference)).first() if reference.isdigit() else drafts.filter(code=reference).first()
    if draft is None:
        raise _bad_input(f"--draft: no open draft {reference!r} (give a rule code or a draft id)")
    return with_terms(with_definition(rules, draft_definition(draft)))


def load_file_rules(path: str) -> list[dict[str, Any]]:
    """The active rules of an export document, in the engine's format."""
    from screening.questionnaire.definitions import engine_spec
    from screening.questionnaire.selectors import with_terms
    from screening.questionnaire.transfer import RuleFileError, parse_document

    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as error:
        raise _bad_input(f"--rules-file: cannot read {path}: {error}") from None
    try:
        definitions = parse_document(text)
    except RuleFileError as error:
        raise _bad_input(f"--rules-file: {'; '.join(error.problems)}") from None
    return with_terms([engine_spec(d, None) for d in definitions if d["active"]])


def load_treatment_codes() -> list[str]:
    """The treatment codes ``--treatment`` accepts: the clinic's active ones."""
    from screening.core.models import Treatment

    return list(Treatment.objects.filter(active=True).values_list("code", flat=True))


def _bad_input(message: str) -> CommandError:
    return CommandError(" ".join(message.split()), returncode=2)


class Command(BaseCommand):
    help = "Screen a JSON answers document (a file, or - for stdin) and print the outcome and flags as JSON."
    # Reads the published rules; skips system checks to answer quickly.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="JSON object of answers by question code, or - to read stdin")
        parser.add_argument("--treatment", help="treatment code, e.g. face, scalp, body")
        parser.add_argument("--date", dest="on_date", help="appointment date YYYY-MM-DD (default: today)")
        rules = parser.add_mutually_exclusive_group()
        rules.add_argument("--draft", help="try a rule's open draft (rule code or draft id) with the published rules")
        rules.add_argument("--rules-file", help="screen with the rules of an export_rules JSON file instead")

    def handle(self, *args: Any, **options: Any) -> None:
        questions, rules = load_rule_data()
        if options.get("draft"):
            rules = load_draft_rules(options["draft"], rules)
        elif options.get("rules_file"):
            rules = load_file_rules(options["rules_file"])

        treatments = load_treatment_codes()
        treatment = options.get("treatment")
        if treatment not in treatments:
            shown = "missing" if treatment is None else f"unknown treatment {treatment!r}"
            raise _bad_input(f"--treatment: {shown} (choose one of {', '.join(treatments)})")

        raw_date = options.get("on_date")
        if raw_date is None:
            on_date = clinic_today()
        else:
            try:
                # Only YYYY-MM-DD: fromisoformat alone would take week dates (2027-W02-5) and more.
                if not _ISO_DATE.fullmatch(raw_date):
                    raise ValueError
                on_date = date.fromisoformat(raw_date)
            except ValueError:
                raise _bad_input(f"--date: {raw_date!r} is not a date as YYYY-MM-DD") from None

        document = self._read(options["file"])
        try:
            data = loads_strict(document)
        except json.JSONDecodeError as error:
            raise _bad_input(f"invalid JSON: {error}") from None
        except DuplicateKeyError as error:
            raise _bad_input(f"invalid JSON: {error}: which answer is meant cannot be known") from None
        if not isinstance(data, dict):
            raise _bad_input("the answers document must be a JSON object of answers by question code")

        # Answers are given on or before the appointment, so "last time" dates
        # after it are as impossible as dates after today in the live form.
        try:
            answers = parse_answers(data, questions, today=on_date)
        except AnswerError as error:
            raise _bad_input(str(error)) from None

        result = screen(answers, rules=rules, questions=questions, treatment=treatment, on_date=on_date)
        self.stdout.write(json.dumps(result.to_dict(), indent=2))

    def _read(self, path: str) -> str:
        try:
            if path == "-":
                return sys.stdin.read()
            with open(path, encoding="utf-8") as handle:
                return handle.read()
        except (OSError, UnicodeDecodeError) as error:
            raise _bad_input(f"cannot read {path}: {error}") from None
