"""A real gunicorn with the repository's configuration: its access log never holds a link token or a search."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> int:
    request = urllib.request.Request(url, headers={"Referer": url})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (127.0.0.1 only)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_access_log_has_no_link_token_and_no_search_terms(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", DJANGO_DEBUG="false",
               DJANGO_SECRET_KEY=secrets.token_urlsafe(50), DJANGO_ALLOWED_HOSTS="127.0.0.1",
               DJANGO_SSL_REDIRECT="false", DJANGO_SECURE_COOKIES="false",
               EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend")
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True,
                   timeout=300)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT,
                   env={**env, "STATIC_ROOT": str(tmp_path / "static")}, check=False, timeout=300)
    port = _free_port()
    log = tmp_path / "access.log"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    with open(log, "w") as out:
        server = subprocess.Popen([str(gunicorn), "clinic.wsgi", "-c", "deploy/gunicorn.conf.py", "--workers", "1",
                                   "--bind", f"127.0.0.1:{port}"], cwd=ROOT, env=env, stdout=out,
                                  stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    _get(base + "/intake/")
                    break
                except OSError:
                    time.sleep(0.2)
            token = secrets.token_urlsafe(32)
            assert _get(f"{base}/intake/r/{token}/") in (200, 404, 410)
            assert _get(f"{base}/staff/?q=siobhan.obrien%40example.com&state=review") == 200  # on to sign in
            time.sleep(0.5)
        finally:
            server.terminate()
            server.wait(timeout=20)
    written = log.read_text()
    assert "/intake/r/[redacted]/" in written and "q=[redacted]&state=review" in written  # the requests were logged
    assert token not in written
    assert "/staff/login/?next=/staff/%3Fq%3D[redacted]%26state%3Dreview" in written  # the search, encoded
    assert "siobhan" not in written and "example.com" not in written
