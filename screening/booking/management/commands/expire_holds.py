"""The safety sweep behind the timers: holds whose time is up, and messages a stopped worker left half-sent.

Each hold has its own timer on the task queue (screening.booking.timers);
this catches any the worker missed (it was down, say). Optional: run it
from cron or a scheduler now and then, e.g. hourly.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from screening.booking.services import bookings_expire_holds
from screening.outbox.services import messages_mark_stuck


class Command(BaseCommand):
    help = "Expire held bookings past their expiry (telling the patients) and flag messages stuck while sending."

    def handle(self, *args, **options) -> None:
        count = bookings_expire_holds()
        self.stdout.write(f"{count} hold{'s' if count != 1 else ''} expired.")
        stuck = messages_mark_stuck()
        if stuck:
            plural = "s" if stuck != 1 else ""
            self.stdout.write(f"{stuck} message{plural} left half-sent, now shown to staff as not sent.")
