"""deploy/ holds what an operator needs, and it agrees with the code: read as text, no database."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from django.core.management import get_commands

from tests.test_docs import readme_variables

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
# Read by deploy/gunicorn.conf.py, not by settings (docs/deploy.md names them).
GUNICORN_VARIABLES = {"GUNICORN_BIND", "WEB_CONCURRENCY", "GUNICORN_ACCESS_LOG"}


def _example_environment() -> dict[str, str]:
    lines = (DEPLOY / "clinic.env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line.strip() and not line.startswith("#"))


def test_the_example_environment_names_only_known_variables_and_holds_no_secret():
    example = _example_environment()
    unknown = set(example) - readme_variables() - GUNICORN_VARIABLES
    assert not unknown, f"deploy/clinic.env.example names variables the README does not: {sorted(unknown)}"
    assert example["DJANGO_DEBUG"] == "false"
    for name in ("DJANGO_SECRET_KEY", "EMAIL_HOST_PASSWORD"):
        assert example[name].startswith("<") and example[name].endswith(">"), f"{name} must be a placeholder"
    assert "<password>" in example["DATABASE_URL"] and example["DATABASE_URL"].startswith("postgres://")


def test_the_proxy_sets_the_headers_the_app_trusts():
    nginx = (DEPLOY / "nginx.conf.example").read_text()
    example = _example_environment()
    # One proxy appends to X-Forwarded-For, and says https itself: the count and the flag the app reads.
    assert example["DJANGO_TRUSTED_PROXY_COUNT"] == "1" and example["DJANGO_BEHIND_PROXY"] == "true"
    assert nginx.count("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;") >= 2
    assert nginx.count("proxy_set_header X-Forwarded-Proto $scheme;") >= 2
    assert "$request_uri" not in nginx.split("log_format", 1)[1].split(";", 1)[0]  # no query strings in the log


def test_the_units_run_commands_that_exist():
    commands = get_commands()
    for unit in ("clinic-web.service", "clinic-worker.service"):
        text = (DEPLOY / unit).read_text()
        assert "EnvironmentFile=/etc/clinic/clinic.env" in text
        for line in re.findall(r"^Exec(?:Start|StartPre)=(.+)$", text, re.M):
            words = shlex.split(line)
            if "manage.py" in words:
                assert words[words.index("manage.py") + 1] in commands, line
            if "-c" in words:
                assert (ROOT / words[words.index("-c") + 1]).is_file(), line


def test_the_procfile_worker_plans_its_heartbeat():
    for procfile in ("Procfile", "Procfile.dev"):
        worker = next(line for line in (DEPLOY / procfile).read_text().splitlines() if line.startswith("worker:"))
        assert "manage.py plan_heartbeat &&" in worker and "db_worker" in worker


def test_the_backup_scripts_are_executable():
    for script in ("backup.sh", "restore.sh"):
        path = DEPLOY / script
        assert path.stat().st_mode & 0o111, f"{script} is not executable"
        assert path.read_text().startswith("#!/bin/sh\n")
