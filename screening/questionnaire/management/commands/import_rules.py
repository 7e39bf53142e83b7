"""``manage.py import_rules``: make the clinic's rule set the file's, all or nothing.

    python manage.py import_rules rules.json --dry-run
    python manage.py import_rules rules.json

Prints what changes (create, change, retire). A file that cannot be
imported exits 2 with every problem on stderr, and nothing changes.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from screening.questionnaire.transfer import MAX_FILE_BYTES, RuleFileError, rules_import


class Command(BaseCommand):
    help = "Import a rule set exported by export_rules: checked first, applied in one transaction."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a JSON file made by export_rules, or - for stdin")
        parser.add_argument("--dry-run", action="store_true", help="show what would change, change nothing")
        parser.add_argument(
            "--keep-missing", action="store_true",
            help="keep active rules that are not in the file (by default they are retired)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        try:
            if path == "-":
                text = sys.stdin.read(MAX_FILE_BYTES + 1)
            else:
                with open(path, encoding="utf-8") as handle:
                    text = handle.read(MAX_FILE_BYTES + 1)
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read {path}: {error}", returncode=2) from None
        try:
            plan = rules_import(
                text, dry_run=options["dry_run"], keep_missing=options["keep_missing"], note=f"import_rules {path}"
            )
        except RuleFileError as error:
            raise CommandError(
                "the rule file was refused, nothing changed:\n" + "\n".join(f"  {p}" for p in error.problems),
                returncode=2,
            ) from None
        if options["dry_run"]:
            heading = "Dry run, nothing changed"
        else:
            heading = "Imported" if plan.applied else "Nothing to import"
        self.stdout.write(f"{heading}:")
        for line in plan.lines():
            self.stdout.write(f"  {line}")
