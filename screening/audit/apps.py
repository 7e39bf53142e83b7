from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The audit trail and audit_log(); depends on no other app."""

    name = "screening.audit"
    label = "audit"
    verbose_name = "Audit trail"
    default_auto_field = "django.db.models.BigAutoField"
