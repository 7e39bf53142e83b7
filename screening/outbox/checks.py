"""A deploy check: production must send real email, with a timeout."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

NOT_REAL = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


@checks.register(checks.Tags.security, deploy=True)
def email_is_real(app_configs, **kwargs):
    problems = []
    if settings.EMAIL_BACKEND in NOT_REAL:
        problems.append(checks.Error(
            f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}: patients' emails would not leave the server "
            "(the console backend writes their links into the log).",
            hint="Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and EMAIL_HOST.",
            id="outbox.E001",
        ))
    if not settings.EMAIL_TIMEOUT or settings.EMAIL_TIMEOUT > 60:
        problems.append(checks.Error(
            "EMAIL_TIMEOUT must be set (a few seconds): a mail server that never answers would hold a worker.",
            id="outbox.E002",
        ))
    return problems
