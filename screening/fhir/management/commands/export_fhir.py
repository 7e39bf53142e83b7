"""``manage.py export_fhir --out DIR``: every record as FHIR Bulk Data, one ndjson file per resource type."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from screening.fhir.selectors import RESOURCE_TYPES, every_resource
from screening.fhir.services import fhir_export_log


class Command(BaseCommand):
    help = "Write every FHIR resource as newline-delimited JSON, one file per type (Patient.ndjson, ...)."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="The folder to write into (made if missing).")

    def handle(self, *args, out: str, **options):
        folder = Path(out)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"Cannot make {folder}: {error.strerror}.")
        counts: dict[str, int] = {}
        intake_ids: set[int] = set()
        for resource_type in sorted(RESOURCE_TYPES):
            path = folder / f"{resource_type}.ndjson"
            with path.open("w", encoding="utf-8") as file:
                counts[resource_type] = 0
                for resource, intake_id in every_resource(resource_type):
                    # One resource a line, no line breaks inside it: that is what ndjson is.
                    file.write(json.dumps(resource, ensure_ascii=False, separators=(",", ":")) + "\n")
                    counts[resource_type] += 1
                    if intake_id:
                        intake_ids.add(intake_id)
            self.stdout.write(f"{path}: {counts[resource_type]}")
        fhir_export_log(counts=counts, intake_count=len(intake_ids))
