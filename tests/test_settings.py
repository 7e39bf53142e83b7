"""Settings come from the environment; set-but-malformed values stop start-up."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _manage(*args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CLINIC_"))}
    base["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env},
        capture_output=True, text=True, timeout=120,
    )


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path,
        DJANGO_DEBUG="false", DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="clinic.example.org", EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_deploy_check_refuses_the_console_email_backend(tmp_path):
    """With DEBUG off, the console backend would write every patient's link into the server log."""
    result = _manage(
        "check", "--deploy", tmp_path=tmp_path,
        DJANGO_DEBUG="false", DJANGO_SECRET_KEY=secrets.token_urlsafe(50), DJANGO_ALLOWED_HOSTS="clinic.example.org",
    )
    assert result.returncode != 0
    assert "outbox.E001" in result.stderr and "EMAIL_BACKEND" in result.stderr


def test_the_embedded_default_needs_nothing_set(tmp_path):
    result = _manage("check", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DJANGO_DEBUG", "maybe", "DJANGO_DEBUG='maybe' is not a boolean"),
        ("INTAKE_LINK_DAYS", "a week", "INTAKE_LINK_DAYS='a week' is not a whole number"),
        ("DJANGO_TRUSTED_PROXY_COUNT", "-1", "DJANGO_TRUSTED_PROXY_COUNT='-1' must be at least 0"),
        ("CLINIC_TIME_ZONE", "Mars/Olympus", "CLINIC_TIME_ZONE='Mars/Olympus' is not a known time zone"),
        ("DATABASE_URL", "mongodb://127.0.0.1/x", "DATABASE_URL is not a usable database URL"),
    ],
)
def test_a_malformed_setting_stops_start_up_with_a_message_naming_it(tmp_path, name, value, message):
    result = _manage("check", tmp_path=tmp_path, **{name: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_debug_off_without_a_secret_key_refuses_to_start(tmp_path):
    result = _manage("check", tmp_path=tmp_path, DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
