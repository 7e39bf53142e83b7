from django.apps import AppConfig


class CoursesConfig(AppConfig):
    """A course of sessions: a session done or missed, and what follows from it."""

    name = "screening.courses"
    label = "courses"
    verbose_name = "Courses of treatment"
    default_auto_field = "django.db.models.BigAutoField"
