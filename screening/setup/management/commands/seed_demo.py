"""The demo data `make run` loads: defaults, a calendar and demo staff."""

from __future__ import annotations

import base64

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from screening.core.models import ClinicSettings, ClinicWording, Treatment, TreatmentWording
from screening.questionnaire.models import (
    MedicineTerm,
    Question,
    QuestionWording,
    Rule,
    RuleWording,
    Step,
    StepWording,
)
from screening.questionnaire.seed import install_defaults
from screening.questionnaire.seed_wordings import install_clinic_wordings, install_wordings
from screening.review.two_factor import secret_for_typing

# Demo accounts, for DEBUG installs only. Never use these anywhere real.
DEMO_ACCOUNTS = [
    # username, password, group, is_superuser
    ("admin", "demo-admin-pass", "Clinic admin", True),
    ("clinician", "demo-clinician-pass", "Clinician", False),
    ("frontdesk", "demo-frontdesk-pass", "Front desk", False),
]
# Published authenticator keys (base32) for the demo accounts (every staff role
# signs in with a code); as public as the passwords above. Add one to any
# authenticator app, or run `manage.py demo_otp <username>` for the current code.
DEMO_TOTP_KEYS = {
    "admin": "ADMINDEMOKEYADMINDEMOKEYADMINKEY",
    "clinician": "CLINICIANDEMOKEYCLINICIANDEMOKEY",
    "frontdesk": "FRONTDESKDEMOKEYFRONTDESKDEMOKEY",
}
DEMO_DEVICE_NAME = "Demo authenticator"


class Command(BaseCommand):
    help = "Load the default questionnaire and rules, demo treatments, practitioners and staff accounts."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true",
                            help="Create the demo accounts even with DEBUG off (never in production).")

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError("seed_demo creates accounts with published passwords; it only runs with DEBUG on.")
        created = install_defaults(Step=Step, Question=Question, Rule=Rule, Treatment=Treatment,
                                   MedicineTerm=MedicineTerm)
        # The defaults' Spanish beside the English (the migration gave it to the rows it found).
        install_wordings(Step=Step, Question=Question, Rule=Rule, StepWording=StepWording,
                         QuestionWording=QuestionWording, RuleWording=RuleWording)
        self.stdout.write(
            "Defaults: " + ", ".join(f"{n} new {k}" for k, n in created.items())
        )
        try:
            from screening.setup.demo import seed_calendar
        except ImportError:
            self.stdout.write("No calendar module: practitioners not seeded.")
        else:
            seed_calendar(stdout=self.stdout)
        # The treatments' and the clinic's texts' Spanish (after the calendar: it writes the demo's profile).
        install_clinic_wordings(Treatment=Treatment, TreatmentWording=TreatmentWording,
                                ClinicSettings=ClinicSettings, ClinicWording=ClinicWording)
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
            if username in DEMO_TOTP_KEYS:
                device = demo_device_install(user, DEMO_TOTP_KEYS[username])
                self.stdout.write(f"  {'':<10} authenticator key: {secret_for_typing(device)}")
                self.stdout.write(f"  {'':<10} {device.config_url}")
        self.stdout.write(
            "Every staff account enters a 6-digit code after its password: add the key above to an\n"
            "authenticator app, or print the current code with `.venv/bin/python manage.py demo_otp clinician`."
        )
        self.stdout.write(self.style.SUCCESS("Demo data ready. Patients start at http://127.0.0.1:8000/intake/"))


def demo_device_install(user: User, base32_key: str) -> TOTPDevice:
    """The demo account's one authenticator, with the published key (reset on every run, like the password)."""
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name=DEMO_DEVICE_NAME, confirmed=True,
                                     key=base64.b32decode(base32_key).hex())
