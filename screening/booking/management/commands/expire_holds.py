"""Release provisional holds whose time is up (run from cron, e.g. every 10 minutes)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from screening.booking.services import bookings_expire_holds


class Command(BaseCommand):
    help = "Mark held bookings past their expiry as expired, freeing their times, and tell the patients."

    def handle(self, *args, **options) -> None:
        count = bookings_expire_holds()
        self.stdout.write(f"{count} hold{'s' if count != 1 else ''} expired.")
