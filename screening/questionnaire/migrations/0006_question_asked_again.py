"""Questions asked again in the short health check before each visit (issue 14): the clinic's data.

The default questions that can change between the intake and the treatment
day are marked; the clinic admin changes the list in the questionnaire admin.
Frozen: screening.questionnaire.seed.ASKED_AGAIN is the same list (a test keeps them equal).
"""

from django.db import migrations, models

ASKED_AGAIN = (
    "pregnant_or_breastfeeding", "active_skin_infection", "cold_sore_history", "active_acne", "unstable_skin",
    "medications",
    "isotretinoin_current", "isotretinoin_last_taken", "peel_or_laser_last_date", "retinoid_last_used",
    "toxin_last_date", "filler_last_date",
)


def mark(apps, schema_editor):
    Question = apps.get_model("questionnaire", "Question")
    Question.objects.using(schema_editor.connection.alias).filter(code__in=ASKED_AGAIN).update(asked_again=True)


class Migration(migrations.Migration):

    dependencies = [
        ('questionnaire', '0005_round_two_defaults'),
    ]

    operations = [
        migrations.AddField(
            model_name='question',
            name='asked_again',
            field=models.BooleanField(default=False, help_text='Ask this again in the short health check before each appointment (it can change).', verbose_name='Asked again before each visit'),
        ),
        migrations.RunPython(mark, migrations.RunPython.noop),
    ]
