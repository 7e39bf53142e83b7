"""The latest questionnaire version carries the words its patients read in each other language (issue 16):
from now on every version's snapshot holds them (``versions.snapshot_translations``), and the version that is
live now gets the Spanish that is live with it, so saving nothing still publishes nothing. Older versions stay
as they were published."""

from django.db import migrations


def fill(apps, schema_editor):
    from screening.questionnaire.versions import snapshot_translations

    Version = apps.get_model("questionnaire", "QuestionnaireVersion")
    latest = Version.objects.order_by("-number").first()
    if latest is None or "translations" in (latest.definition or {}):
        return
    codes = {q["code"] for q in latest.definition.get("questions", [])}
    latest.definition = {**latest.definition, "translations": snapshot_translations(
        codes, StepWording=apps.get_model("questionnaire", "StepWording"),
        QuestionWording=apps.get_model("questionnaire", "QuestionWording"))}
    latest.save(update_fields=["definition"])


def empty(apps, schema_editor):
    Version = apps.get_model("questionnaire", "QuestionnaireVersion")
    for version in Version.objects.all():
        if "translations" in (version.definition or {}):
            version.definition = {k: v for k, v in version.definition.items() if k != "translations"}
            version.save(update_fields=["definition"])


class Migration(migrations.Migration):
    dependencies = [("questionnaire", "0013_draft_translations")]
    operations = [migrations.RunPython(fill, empty)]
