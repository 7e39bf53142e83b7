"""The app's PostgreSQL role cannot erase history (issue 15).

The owner migrates and grants; the app runs as DATABASE_APP_ROLE. Each
tampering statement of the red-team pass is tried as that role, on the test
database, and must be refused. `.ci/run` makes the role and sets
DATABASE_APP_ROLE and DATABASE_APP_PASSWORD; elsewhere the test is skipped.
"""

from __future__ import annotations

import os

import psycopg2
import pytest
from django.conf import settings
from django.db import connection
from psycopg2 import errors

from screening.audit.log import audit_log
from screening.audit.models import AuditAction

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

TAMPERING = [
    "TRUNCATE audit_auditevent",
    "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
    "DELETE FROM audit_auditevent",
    "UPDATE audit_auditevent SET detail = 'changed'",
    "DROP TABLE audit_auditevent",
    "ALTER TABLE intake_intake ADD COLUMN sneaky text",
    "CREATE TABLE sneaky (id int)",
    "DROP TRIGGER auditevent_append_only ON audit_auditevent",
]


@pytest.fixture
def app_role():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's roles (set DATABASE_URL=postgres://...)")
    if not (settings.DATABASE_APP_ROLE and os.environ.get("DATABASE_APP_PASSWORD")):
        pytest.skip("set DATABASE_APP_ROLE and DATABASE_APP_PASSWORD to an app role (.ci/run does)")
    db = connection.settings_dict
    conn = psycopg2.connect(dbname=db["NAME"], user=settings.DATABASE_APP_ROLE,
                            password=os.environ["DATABASE_APP_PASSWORD"], host=db["HOST"] or "127.0.0.1",
                            port=db["PORT"] or 5432)
    yield conn
    conn.close()


@pytest.mark.parametrize("statement", TAMPERING)
def test_the_app_role_is_refused_each_tampering_statement(app_role, statement):
    audit_log(action=AuditAction.LOGIN, detail="a line that must stay")
    with app_role.cursor() as cursor, pytest.raises(errors.InsufficientPrivilege):
        try:
            cursor.execute(statement)
        finally:
            app_role.rollback()
    with connection.cursor() as owner:
        owner.execute("SELECT count(*) FROM audit_auditevent WHERE detail = 'a line that must stay'")
        assert owner.fetchone()[0] == 1


def test_the_app_role_can_do_the_apps_work(app_role):
    with app_role.cursor() as cursor:
        cursor.execute("INSERT INTO audit_auditevent (at, actor_label, action, object_type, object_id, detail) "
                       "VALUES (now(), 'system', 'login', '', '', 'written by the app role') RETURNING id")
        cursor.execute("SELECT detail FROM audit_auditevent WHERE detail = 'written by the app role'")
        assert cursor.fetchone() == ("written by the app role",)
        cursor.execute("SELECT count(*) FROM intake_intake")
        cursor.execute("UPDATE core_treatment SET name = name")  # ordinary tables: read and write
        cursor.execute("DELETE FROM django_session")
    app_role.rollback()
