"""Two database roles on PostgreSQL: the owner runs migrations, the app runs as a role that cannot erase history.

``DATABASE_APP_ROLE`` names the role the web server and the worker connect
as (their ``DATABASE_URL``). After every ``migrate`` (run with the owner's
``DATABASE_URL``) the owner grants that role what the app needs and no more:

- reading and writing rows of the app's tables, and using their sequences;
- on the audit trail, adding and reading lines only: no UPDATE, DELETE or
  TRUNCATE;
- nothing else: the role owns no table, so it can run no DDL (ALTER TABLE,
  DISABLE TRIGGER, DROP, CREATE) on them.

The same grants cover tables that later migrations add (default privileges).
Nothing happens on SQLite, or when no app role is named. See docs/deploy.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connections

AUDIT_TABLE = "audit_auditevent"


def app_role_grant_statements(role: str) -> list[str]:
    quote = connections["default"].ops.quote_name
    app = quote(role)
    return [
        f"GRANT USAGE ON SCHEMA public TO {app}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {app}",
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {quote(AUDIT_TABLE)} FROM {app}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {app}",
    ]


def grant_app_role(using: str = "default") -> bool:
    """Grant the app role its privileges (as the owner, after migrating); False when there is nothing to do."""
    role = settings.DATABASE_APP_ROLE
    connection = connections[using]
    if not role or connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        if cursor.fetchone()[0] == role:
            return False  # the app role itself cannot grant; the owner's migrate does
        for statement in app_role_grant_statements(role):
            cursor.execute(statement)
    return True


def _after_migrate(sender, using="default", **kwargs) -> None:
    grant_app_role(using)
