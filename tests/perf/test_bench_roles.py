"""`make bench` runs like production: the owner migrates (granting the app role), gunicorn and the worker run as the app role."""

from __future__ import annotations

from bench.run import AppRole, Harness

OWNER = "postgres://clinic_bench:owner-pw@127.0.0.1:5433/clinic_bench"


def test_the_server_and_worker_connect_as_the_app_role_and_migrate_names_it():
    harness = Harness(AppRole("clinic_bench_app", "p@ss/word"))
    assert harness.env(OWNER)["DATABASE_APP_ROLE"] == "clinic_bench_app"  # every migrate grants it
    assert harness.env(OWNER)["DATABASE_URL"] == OWNER  # manage.py (migrate, seeding) runs as the owner
    server = harness.serve(OWNER)
    assert server.env["DATABASE_URL"] == "postgres://clinic_bench_app:p%40ss%2Fword@127.0.0.1:5433/clinic_bench"


def test_without_an_app_role_one_role_does_everything():
    harness = Harness()
    assert harness.serve(OWNER).env["DATABASE_URL"] == OWNER
