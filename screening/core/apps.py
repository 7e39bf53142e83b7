from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The clinic: settings, treatments, time zone, rate limits, client address."""

    name = "screening.core"
    label = "core"
    verbose_name = "Clinic"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from screening.core.db_roles import _after_migrate

        # Once per migrate (this app's signal only): grant the app's database role its privileges.
        post_migrate.connect(_after_migrate, sender=self, dispatch_uid="core-grant-app-role")
