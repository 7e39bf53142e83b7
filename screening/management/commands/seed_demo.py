"""The demo data `make run` loads: defaults, a calendar and demo staff."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from screening.models import Question, Rule, Step, Treatment
from screening.seed import install_defaults

# Demo accounts, for DEBUG installs only. Never use these anywhere real.
DEMO_ACCOUNTS = [
    # username, password, group, is_superuser
    ("admin", "demo-admin-pass", "Clinic admin", True),
    ("clinician", "demo-clinician-pass", "Clinician", False),
    ("frontdesk", "demo-frontdesk-pass", "Front desk", False),
]


class Command(BaseCommand):
    help = "Load the default questionnaire and rules, demo treatments, practitioners and staff accounts."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true",
                            help="Create the demo accounts even with DEBUG off (never in production).")

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError("seed_demo creates accounts with published passwords; it only runs with DEBUG on.")
        created = install_defaults(Step=Step, Question=Question, Rule=Rule, Treatment=Treatment)
        self.stdout.write(
            "Defaults: " + ", ".join(f"{n} new {k}" for k, n in created.items())
        )
        try:
            from screening.booking.demo import seed_calendar
        except ImportError:
            self.stdout.write("No calendar module: practitioners not seeded.")
        else:
            seed_calendar(stdout=self.stdout)
        self.stdout.write("Demo staff accounts (DEBUG installs only):")
        for username, password, group_name, superuser in DEMO_ACCOUNTS:
            group, _ = Group.objects.get_or_create(name=group_name)
            user, _ = User.objects.get_or_create(username=username, defaults={"email": f"{username}@example.com"})
            user.is_staff = True
            user.is_superuser = superuser
            user.set_password(password)
            user.save()
            user.groups.add(group)
            self.stdout.write(f"  {username:<10} password: {password:<22} ({group_name})")
        self.stdout.write(self.style.SUCCESS("Demo data ready. Patients start at http://127.0.0.1:8000/intake/"))
