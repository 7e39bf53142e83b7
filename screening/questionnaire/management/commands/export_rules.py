"""``manage.py export_rules``: the rule set as a JSON document (retired rules included).

    python manage.py export_rules > rules.json
    python manage.py export_rules rules.json
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from screening.questionnaire.transfer import export_text


class Command(BaseCommand):
    help = "Write the clinic's rules as JSON (to a file, or stdout) for import_rules elsewhere."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", default="-", help="where to write (default: - for stdout)")

    def handle(self, *args: Any, **options: Any) -> None:
        text = export_text()
        if options["file"] == "-":
            self.stdout.write(text, ending="")
            return
        try:
            with open(options["file"], "w", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as error:
            raise CommandError(f"cannot write {options['file']}: {error}") from None
