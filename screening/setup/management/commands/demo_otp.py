"""Print the current two-factor code of a demo account, for local demos without a phone."""

from __future__ import annotations

import base64

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from screening.setup.management.commands.seed_demo import DEMO_DEVICE_NAME, DEMO_TOTP_KEYS


class Command(BaseCommand):
    help = "Print the current 6-digit code of a demo account's authenticator (DEBUG installs only)."

    def add_arguments(self, parser):
        parser.add_argument("username", choices=sorted(DEMO_TOTP_KEYS))

    def handle(self, *args, username: str, **options):
        # Only for a demo account's published key, and only on a development install:
        # this must never become a way to mint codes for real staff.
        if not settings.DEBUG:
            raise CommandError("demo_otp only runs with DEBUG on.")
        device = TOTPDevice.objects.filter(
            user__username=username, name=DEMO_DEVICE_NAME, confirmed=True,
            key=base64.b32decode(DEMO_TOTP_KEYS[username]).hex(),
        ).first()
        if device is None:
            raise CommandError(f"{username} has no demo authenticator: run `manage.py seed_demo` first.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
