"""The review state as a column on the intake, filled for the intakes already there.

Until now "needs review" was computed on every read of the staff pages.
This adds ``Intake.review_state`` and fills it with the same rule, read from
the rows as they stand: a frozen copy (historical models only), so that this
migration does what it did today whatever the live code becomes:

- a question to the patient is open: "waiting";
- else the outcome is "review" or a time is held, and no clinician has
  cleared or declined the latest screening: "review";
- else the intake's last decision, when it was a clear or a decline;
- else nothing ("").

Intakes are read a batch at a time, in id order, so a large table is filled
without holding it all in memory. Going back drops the column.
"""

from django.db import migrations, models
from django.db.models import Exists, OuterRef, Subquery

BATCH = 2000
FINAL = ("clear", "decline")


def _state(outcome, held, open_question, decided, last_decision):
    if open_question:
        return "waiting"
    if (outcome == "review" or held) and not decided:
        return "review"
    if last_decision in FINAL:
        return last_decision
    return ""


def fill_review_state(apps, schema_editor):
    Intake = apps.get_model("intake", "Intake")
    Screening = apps.get_model("intake", "Screening")
    PatientQuestion = apps.get_model("intake", "PatientQuestion")
    Booking = apps.get_model("booking", "Booking")
    IntakeDecision = apps.get_model("review", "IntakeDecision")
    alias = schema_editor.connection.alias

    latest = Screening.objects.using(alias).filter(intake_id=OuterRef(OuterRef("pk"))).order_by("-created_at", "-id")
    facts = Intake.objects.using(alias).filter(status="submitted").annotate(
        held=Exists(Booking.objects.using(alias).filter(intake_id=OuterRef("pk"), status="held")),
        open_question=Exists(PatientQuestion.objects.using(alias).filter(
            intake_id=OuterRef("pk"), answered_at__isnull=True, closed_at__isnull=True)),
        decided=Exists(IntakeDecision.objects.using(alias).filter(
            screening_id=Subquery(latest.values("pk")[:1]), kind__in=FINAL)),
        last_decision=Subquery(IntakeDecision.objects.using(alias).filter(intake_id=OuterRef("pk"))
                               .order_by("-decided_at", "-id").values("kind")[:1]),
    ).order_by("pk")

    after = 0
    while True:
        rows = list(facts.filter(pk__gt=after).values_list(
            "pk", "outcome", "held", "open_question", "decided", "last_decision")[:BATCH])
        if not rows:
            break
        by_state = {}
        for pk, *row in rows:
            by_state.setdefault(_state(*row), []).append(pk)
        for state, pks in by_state.items():
            if state:
                Intake.objects.using(alias).filter(pk__in=pks).update(review_state=state)
        after = rows[-1][0]


class Migration(migrations.Migration):

    dependencies = [
        ("intake", "0001_initial"),
        # The facts live in these apps' tables too: their bookings and decisions.
        ("booking", "0002_no_overlap"),
        ("review", "0002_staff_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="intake",
            name="review_state",
            field=models.CharField(blank=True, choices=[("", "No review"), ("review", "Needs review"), ("waiting", "Waiting for the patient"), ("clear", "Cleared"), ("decline", "Declined")], default="", editable=False, max_length=10),
        ),
        migrations.RunPython(fill_review_state, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="intake",
            index=models.Index(condition=models.Q(("status", "submitted")), fields=["review_state", "submitted_at", "id"], name="intake_review_queue"),
        ),
        migrations.AddConstraint(
            model_name="intake",
            constraint=models.CheckConstraint(condition=models.Q(("review_state__in", ["", "review", "waiting", "clear", "decline"])), name="intake_review_state_valid"),
        ),
        migrations.AddConstraint(
            model_name="intake",
            constraint=models.CheckConstraint(condition=models.Q(("status", "submitted"), ("review_state", ""), _connector="OR"), name="intake_draft_not_in_review"),
        ),
    ]
