"""Backups: deploy/backup.sh dumps a database holding intakes and bookings,
deploy/restore.sh restores it into a new database, and the same data is read
back (the procedure in SECURITY.md)."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.db import connection
from django.test import Client

from screening.booking.models import Booking
from screening.intake.models import Intake
from screening.setup.demo import seed_calendar
from tests.intake.helpers import complete

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def _pg_env(settings_dict: dict) -> dict:
    env = {**os.environ, "PGHOST": settings_dict["HOST"] or "127.0.0.1", "PGPORT": str(settings_dict["PORT"] or 5432),
           "PGUSER": settings_dict["USER"], "PGPASSWORD": settings_dict["PASSWORD"]}
    return env


def _rows(dsn_kwargs: dict) -> dict:
    with psycopg2.connect(**dsn_kwargs) as conn, conn.cursor() as cur:
        cur.execute("SELECT public_id::text, outcome, answers::text FROM intake_intake ORDER BY id")
        intakes = cur.fetchall()
        cur.execute("SELECT intake_id, start, \"end\", status FROM booking_booking ORDER BY id")
        bookings = cur.fetchall()
        cur.execute("SELECT rule_code, rule_revision, evidence::text FROM intake_flag ORDER BY id")
        flags = cur.fetchall()
        cur.execute("SELECT conname FROM pg_constraint WHERE conname = 'booking_no_overlap'")
        constraint = cur.fetchall()
    return {"intakes": intakes, "bookings": bookings, "flags": flags, "constraint": constraint}


def test_a_dump_restores_into_a_new_database_with_the_same_data(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the backup procedure is pg_dump/pg_restore")
    for tool in ("pg_dump", "pg_restore", "createdb"):
        if not shutil.which(tool):
            pytest.fail(f"{tool} is missing: install the postgresql-client package")
    seed_calendar()
    client = Client()
    eligible = complete(client, answers={3: {"blood_thinners": "yes", "blood_thinners_detail": "apixaban"}})
    picker = client.get(f"/intake/{eligible.public_id}/book/")
    slot = picker.context["days"][0].slots[0].value
    assert client.post(f"/intake/{eligible.public_id}/book/", {"slot": slot}).status_code == 302
    assert Booking.objects.count() == 1 and Intake.objects.count() == 1

    db = connection.settings_dict
    env = _pg_env(db)
    dump = tmp_path / "clinic.dump"
    # The operator's commands, as deploy/ ships them (SECURITY.md section 4 explains them).
    subprocess.run([str(DEPLOY / "backup.sh"), str(dump)], env={**env, "PGDATABASE": db["NAME"]}, check=True,
                   timeout=120)
    restored = f"restore_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(dbname=db["NAME"], host=env["PGHOST"], port=env["PGPORT"],
                             user=db["USER"], password=db["PASSWORD"])
    admin.autocommit = True
    try:
        subprocess.run([str(DEPLOY / "restore.sh"), str(dump), restored], env=env, check=True, timeout=120)
        common = {"host": env["PGHOST"], "port": env["PGPORT"], "user": db["USER"], "password": db["PASSWORD"]}
        original = _rows({"dbname": db["NAME"], **common})
        copy = _rows({"dbname": restored, **common})
        assert copy == original
        assert len(copy["intakes"]) == 1 and len(copy["bookings"]) == 1
        assert "apixaban" in copy["intakes"][0][2]
        assert copy["constraint"] == [("booking_no_overlap",)]
    finally:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{restored}"')
        admin.close()
