"""Run the data-retention sweep now and make sure the next one is planned (a safety sweep; run after deploys)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from screening.review.retention import intakes_purge, sweep_plan


class Command(BaseCommand):
    help = ("Delete drafts and erase unbooked intakes older than the clinic's retention period, "
            "and plan the daily sweep task if none is waiting.")

    def handle(self, *args, **options) -> None:
        result = intakes_purge()
        planned = sweep_plan()
        self.stdout.write(f"{result.drafts_deleted} draft(s) deleted, {result.intakes_erased} intake(s) erased; "
                          + ("next sweep planned." if planned else "next sweep already planned."))
