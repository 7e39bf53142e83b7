from django.apps import AppConfig


class FhirConfig(AppConfig):
    """FHIR R4 for other systems: the resources, the read-only API, the bulk export, integration tokens.

    The top layer: it reads every app below it, and no app imports it.
    """

    name = "screening.fhir"
    label = "fhir"
    verbose_name = "FHIR integrations"
    default_auto_field = "django.db.models.BigAutoField"
