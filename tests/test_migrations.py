"""Every schema change migrates a populated database without loss.

Each test builds rows at the migration before a change, with the models as
they were then (historical models, from the migration graph), migrates to
the latest migrations, and checks that every row is still there and that the
new columns hold what they should. Add one with each migration that changes
a table holding data.

Transactional (migrations change the schema); the schema is put back to the
latest migrations at the end, whatever happened, and the rows are flushed
as after any transactional test.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

TABLES = {
    "intake": ["Intake", "Screening", "PatientQuestion"],
    "booking": ["Booking"],
    "review": ["IntakeDecision"],
}


def _migrate(targets):
    """Migrate to ``targets``; the apps (historical models) as they stand there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def at_latest_afterwards():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _counts(apps) -> dict[str, int]:
    return {name: apps.get_model(app, name).objects.count() for app, names in TABLES.items() for name in names}


class _Clinic:
    """Rows written with the historical models of one migration state."""

    def __init__(self, apps):
        self.apps = apps
        self.now = timezone.now()
        self.treatment = apps.get_model("core", "Treatment").objects.order_by("pk").first()
        self.clinician = apps.get_model("auth", "User").objects.create(username="migration-clinician")
        self.practitioner = apps.get_model("booking", "Practitioner").objects.create(name="Migration practitioner")
        self.slots = 0

    def model(self, app: str, name: str):
        return self.apps.get_model(app, name)

    def intake(self, name: str, outcome: str = "eligible", *, draft: bool = False):
        intake = self.model("intake", "Intake").objects.create(
            treatment=self.treatment, first_name=name, email=f"{name.lower()}@example.com",
            status="draft" if draft else "submitted", outcome="" if draft else outcome,
            submitted_at=None if draft else self.now - timedelta(days=2),
        )
        if not draft:
            self.screening(intake, outcome, reason="submit")
        return intake

    def screening(self, intake, outcome: str, *, reason: str, later: int = 0):
        return self.model("intake", "Screening").objects.create(
            intake=intake, reason=reason, on_date=self.now.date(), outcome=outcome, answers={},
            created_at=self.now - timedelta(days=2) + timedelta(hours=later),
        )

    def latest(self, intake):
        return self.model("intake", "Screening").objects.filter(intake=intake).order_by("-created_at", "-id").first()

    def decide(self, intake, kind: str, *, later: int = 1, question=None):
        return self.model("review", "IntakeDecision").objects.create(
            intake=intake, screening=self.latest(intake), kind=kind, decided_by=self.clinician,
            decided_at=self.now - timedelta(days=2) + timedelta(hours=later), question=question,
            note="Checked." if kind == "clear" else "", decline_reason="see_doctor" if kind == "decline" else "",
        )

    def ask(self, intake, *, answered: bool = False):
        question = self.model("intake", "PatientQuestion").objects.create(
            intake=intake, text="Which medicine?", answered_at=self.now if answered else None)
        self.decide(intake, "ask", question=question)
        return question

    def book(self, intake, status: str):
        self.slots += 1
        start = self.now + timedelta(days=3, hours=2 * self.slots)
        return self.model("booking", "Booking").objects.create(
            intake=intake, practitioner=self.practitioner, treatment=self.treatment, start=start,
            end=start + timedelta(hours=1), status=status, patient_email=intake.email,
            hold_expires_at=self.now + timedelta(hours=48) if status == "held" else None,
        )


def test_the_review_state_is_filled_for_the_intakes_already_there(at_latest_afterwards):
    before = [("intake", "0001_initial"), ("booking", "0002_no_overlap"), ("review", "0002_staff_roles")]
    clinic = _Clinic(_migrate(before))
    expected = {}

    expected[clinic.intake("Draft", draft=True).pk] = ""
    expected[clinic.intake("Eligible").pk] = ""
    expected[clinic.intake("Blocked", "not_suitable").pk] = ""
    expected[clinic.intake("Review", "review").pk] = "review"

    held = clinic.intake("Held")  # eligible, but a time is held
    clinic.book(held, "held")
    expected[held.pk] = "review"

    asked = clinic.intake("Asked", "review")
    clinic.book(asked, "held")
    clinic.ask(asked)
    expected[asked.pk] = "waiting"

    answered = clinic.intake("Answered", "review")
    clinic.ask(answered, answered=True)
    clinic.screening(answered, "eligible", reason="answers_updated", later=3)
    answered.outcome = "eligible"
    answered.save()
    expected[answered.pk] = ""

    cleared = clinic.intake("Cleared", "review")
    clinic.decide(cleared, "clear")
    cleared.outcome = "eligible"
    cleared.save()
    clinic.book(cleared, "confirmed")
    clinic.screening(cleared, "eligible", reason="booking", later=4)  # its date re-check, undecided
    expected[cleared.pk] = "clear"

    declined = clinic.intake("Declined", "review")
    clinic.decide(declined, "decline")
    declined.outcome = "not_suitable"
    declined.save()
    expected[declined.pk] = "decline"

    held_again = clinic.intake("Rebooked", "review")  # cleared, then a new review flag held its time
    clinic.decide(held_again, "clear")
    held_again.outcome = "eligible"
    held_again.save()
    clinic.screening(held_again, "review", reason="booking", later=4)
    clinic.book(held_again, "held")
    expected[held_again.pk] = "review"

    counts = _counts(clinic.apps)
    apps = _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert _counts(apps) == counts
    states = dict(apps.get_model("intake", "Intake").objects.values_list("pk", "review_state"))
    assert states == expected


# --- questionnaire 0004 and 0005: clinical rules, round two (issue 18) ------------------------------

ROUND_TWO_QUESTIONS = ["warts_in_area", "tattoo_in_area", "raised_scar_history", "pigmentation_history",
                       "koebner_condition", "previous_reaction", "isotretinoin_current", "deep_resurfacing_last_date",
                       "toxin_last_date", "filler_last_date"]
ROUND_TWO_RULES = ["RAISED_SCARS", "WARTS", "TATTOO", "PREGNANCY_UNSURE", "ISOTRETINOIN_CURRENT",
                   "DEEP_RESURFACING", "TOXIN", "FILLER", "KOEBNER", "PIGMENTATION", "PREVIOUS_REACTION",
                   "MEDICINE_MENTIONED", "MEDICINES_LISTED"]
ISSUE_14_QUESTIONS, ISSUE_14_RULES = ["anything_changed"], ["CHANGED_SINCE_LAST_VISIT"]  # questionnaire 0008
ROUND_ONE_STEP_3 = ["bleeding_disorder", "blood_thinners", "blood_thinners_detail", "active_skin_infection",
                    "cold_sore_history", "active_acne", "keloid_history", "unstable_skin", "pregnant_or_breastfeeding"]


def _installed(apps):
    """The defaults as 0002 installs them (a transactional test starts from an empty database)."""
    from importlib import import_module

    from screening.questionnaire.seed import install_defaults

    install_defaults(**{name: apps.get_model(app, name) for app, name in [
        ("questionnaire", "Step"), ("questionnaire", "Question"), ("questionnaire", "Rule"), ("core", "Treatment")]})
    # 0002 installs with the Question of before kinds, and 0003 gives kinds by a frozen list: a kind added
    # since (0007's "since_last_visit") is not there yet; 0008 gives it.
    apps.get_model("questionnaire", "Question").objects.exclude(kind__in=[
        "none", "first_name", "last_name", "date_of_birth", "email", "phone", "signature"]).update(kind="none")
    editor = type("Editor", (), {"connection": connection})()
    import_module("screening.questionnaire.migrations.0002_defaults").seed_revisions_and_version(apps, editor)
    import_module("screening.questionnaire.migrations.0003_question_kind").set_kinds(apps, editor)
    return apps


def _before_round_two():
    """Every app at its latest migration, the questionnaire at 0003 (before round two)."""
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    # review 0003 (the medicine list's permissions) needs questionnaire 0004: take review before it,
    # and fhir before its 0002 (the clinic admin's key permissions, after review 0004).
    return _migrate([node for node in leaves if node[0] not in ("questionnaire", "review", "fhir")]
                    + [("review", "0002_staff_roles"), ("questionnaire", "0003_question_kind"), ("fhir", "0001_initial")])


def _as_round_one(apps) -> None:
    """Make the fresh install's questionnaire what a round-one clinic has: five steps, 30 questions, 20 rules."""
    Step, Question = apps.get_model("questionnaire", "Step"), apps.get_model("questionnaire", "Question")
    Rule, RuleRevision = apps.get_model("questionnaire", "Rule"), apps.get_model("questionnaire", "RuleRevision")
    Question.objects.filter(code__in=[*ROUND_TWO_QUESTIONS, *ISSUE_14_QUESTIONS]).delete()
    Rule.objects.filter(code__in=[*ROUND_TWO_RULES, *ISSUE_14_RULES]).delete()
    steps = {s.number: s for s in Step.objects.all()}
    for code in ROUND_ONE_STEP_3:
        Question.objects.filter(code=code).update(step=steps[3])
    Question.objects.filter(step__number__in=[4, 5, 6, 7]).update(step=steps[4])
    Step.objects.filter(number__in=[5, 6, 7]).delete()
    Step.objects.filter(number=8).update(number=5, title="Consent")
    Step.objects.filter(number=3).update(title="Your health (part 1)")
    Step.objects.filter(number=4).update(title="Your health (part 2)")
    Question.objects.filter(code="keloid_history").update(label="Do your scars tend to become raised or thick?")
    round_one = {
        "UNDER_18": {"severity": "block", "staff_message": "Under 18.", "patient_message": "Adults only."},
        "RADIATION": {"conditions": [{"question": "radiation_last_date", "op": "within_days", "value": 365}]},
        "BLEEDING_DISORDER": {"match": "all", "conditions": [{"question": "bleeding_disorder", "op": "is_true"}]},
        "KELOID": {"name": "Keloid or hypertrophic scarring", "patient_message": "Your skin forms raised scars."},
        "ISOTRETINOIN": {"patient_message": "Isotretinoin in the last six months: book from the date shown."},
    }
    for code, fields in round_one.items():
        Rule.objects.filter(code=code).update(**fields)
    # A rule the clinic changed: its second revision, published from a draft, stays as it is.
    retinoid = Rule.objects.get(code="RETINOID")
    retinoid.conditions = [{"question": "retinoid_last_used", "op": "within_days", "value": 7}]
    retinoid.staff_message = "Retinoid within a week."
    retinoid.revision = 2
    retinoid.save()
    RuleRevision.objects.create(rule=retinoid, number=2, definition={"code": "RETINOID"}, source="draft")
    version = apps.get_model("questionnaire", "QuestionnaireVersion").objects.get(number=1)
    version.definition = {"steps": [{"number": s.number, "title": s.title, "intro": s.intro}
                                    for s in Step.objects.order_by("number")],
                          "questions": [{"step": q.step.number, "code": q.code, "label": q.label}
                                        for q in Question.objects.order_by("step__number", "order")]}
    version.save()


def test_round_two_brings_a_round_one_questionnaire_forward_and_keeps_every_intake(at_latest_afterwards):
    from screening.questionnaire.defaults import QUESTIONS, RULES, STEPS
    from screening.rules import DEFAULT_TERMS

    apps = _installed(_before_round_two())
    _as_round_one(apps)
    clinic = _Clinic(apps)
    for name, outcome in [("Ann", "eligible"), ("Bo", "review"), ("Cy", "not_suitable")]:
        intake = clinic.intake(name, outcome)
        intake.answers = {"keloid_history": True, "radiation_last_date": "2020-01-01"}
        intake.save()
    clinic.intake("Dee", draft=True)
    counts = _counts(apps)
    answers = dict(apps.get_model("intake", "Intake").objects.values_list("pk", "answers"))
    assert apps.get_model("questionnaire", "Question").objects.count() == 30

    apps = _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert _counts(apps) == counts
    assert dict(apps.get_model("intake", "Intake").objects.values_list("pk", "answers")) == answers
    Step, Question = apps.get_model("questionnaire", "Step"), apps.get_model("questionnaire", "Question")
    assert list(Step.objects.order_by("number").values_list("number", "title")) == [
        (s["number"], s["title"]) for s in STEPS]
    layout = [(q.step.number, q.code) for q in Question.objects.select_related("step").order_by(
        "step__number", "order", "id")]
    assert layout == [(q["step"], q["code"]) for q in QUESTIONS]
    questions = {q.code: q for q in Question.objects.all()}
    assert questions["keloid_history"].label == "Have you ever had a keloid scar?"
    assert questions["radiation_last_date"].never_label == "Never"
    assert {c for c, q in questions.items() if q.allow_not_sure} == {"bleeding_disorder", "pregnant_or_breastfeeding"}
    assert questions["isotretinoin_last_taken"].allow_month and not questions["date_of_birth"].allow_month

    Rule, RuleRevision = apps.get_model("questionnaire", "Rule"), apps.get_model("questionnaire", "RuleRevision")
    defaults = {r["code"]: r for r in RULES}
    rules = {r.code: r for r in Rule.objects.all()}
    assert set(rules) == set(defaults)
    for code in ROUND_TWO_RULES:
        assert rules[code].revision == 1 and RuleRevision.objects.filter(rule=rules[code], number=1).exists()
    for code in ("UNDER_18", "RADIATION", "BLEEDING_DISORDER", "KELOID", "ISOTRETINOIN"):
        rule = rules[code]
        assert (rule.revision, rule.severity, rule.conditions, rule.patient_message) == (
            2, defaults[code]["severity"], defaults[code]["conditions"], defaults[code]["patient_message"])
        assert RuleRevision.objects.get(rule=rule, number=2).definition["conditions"] == rule.conditions
    assert (rules["RETINOID"].revision, rules["RETINOID"].conditions[0]["value"]) == (2, 7)  # the clinic's edit
    assert rules["RETINOID"].staff_message == "Retinoid within a week."

    assert apps.get_model("questionnaire", "MedicineTerm").objects.count() == len(DEFAULT_TERMS)
    versions = {v.number: v.definition for v in apps.get_model("questionnaire", "QuestionnaireVersion").objects.all()}
    assert sorted(versions) == [1, 2, 3]  # round two's (0005), then issue 14's question (0008)
    assert versions[1]["terms"] == [] and len(versions[1]["questions"]) == 30  # as it was, said the new way
    assert all(q["allow_month"] is False for q in versions[1]["questions"])
    assert [q["code"] for q in versions[2]["questions"]] == [
        q["code"] for q in QUESTIONS if q["code"] not in ISSUE_14_QUESTIONS]
    assert [q["code"] for q in versions[3]["questions"]] == [q["code"] for q in QUESTIONS]
    assert len(versions[2]["terms"]) == len(versions[3]["terms"]) == len(DEFAULT_TERMS)


def test_round_two_on_a_fresh_install_keeps_version_1_and_a_second_run_changes_nothing(at_latest_afterwards):
    _installed(_before_round_two())
    apps = _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    Version = apps.get_model("questionnaire", "QuestionnaireVersion")
    assert list(Version.objects.values_list("number", flat=True)) == [1]
    before = (Version.objects.get().definition, list(apps.get_model("questionnaire", "Rule").objects.values_list(
        "code", "revision")))

    _before_round_two()
    apps = _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    Version = apps.get_model("questionnaire", "QuestionnaireVersion")
    assert (Version.objects.get().definition, list(apps.get_model("questionnaire", "Rule").objects.values_list(
        "code", "revision"))) == before


# --- questionnaire 0007 and 0008: "anything else changed since your last visit?" (issue 14) ---------------

def test_anything_changed_comes_to_an_installation_without_it_after_the_last_microneedling_question(
        at_latest_afterwards):
    from screening.questionnaire.defaults import QUESTIONS

    _installed(_before_round_two())
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    apps = _migrate([node for node in leaves if node[0] != "questionnaire"]
                    + [("questionnaire", "0007_question_kind_since_last_visit")])
    Question, Rule = apps.get_model("questionnaire", "Question"), apps.get_model("questionnaire", "Rule")
    Version = apps.get_model("questionnaire", "QuestionnaireVersion")
    Question.objects.filter(code__in=ISSUE_14_QUESTIONS).delete()
    Rule.objects.filter(code__in=ISSUE_14_RULES).delete()
    numbers = list(Version.objects.order_by("number").values_list("number", flat=True))
    last = Version.objects.get(number=numbers[-1])
    last.definition["questions"] = [q for q in last.definition["questions"] if q["code"] not in ISSUE_14_QUESTIONS]
    last.save()
    clinic = _Clinic(apps)
    clinic.intake("Eve", "eligible")
    counts = _counts(apps)

    apps = _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert _counts(apps) == counts
    Question, Rule = apps.get_model("questionnaire", "Question"), apps.get_model("questionnaire", "Rule")
    layout = [q.code for q in Question.objects.select_related("step").order_by("step__number", "order", "id")]
    assert layout == [q["code"] for q in QUESTIONS]
    question = Question.objects.get(code="anything_changed")
    assert (question.kind, question.asked_again, question.required, question.step.number) == (
        "since_last_visit", True, False, 7)
    rule = Rule.objects.get(code="CHANGED_SINCE_LAST_VISIT")
    assert (rule.severity, rule.revision, rule.active) == ("review", 1, True)
    revision = apps.get_model("questionnaire", "RuleRevision").objects.get(rule=rule)
    assert (revision.number, revision.definition["conditions"]) == (1, rule.conditions)
    Version = apps.get_model("questionnaire", "QuestionnaireVersion")
    newest = Version.objects.order_by("-number").first()
    assert newest.number == numbers[-1] + 1
    (asked,) = [q for q in newest.definition["questions"] if q["code"] == "anything_changed"]
    assert asked["kind"] == "since_last_visit" and asked["step"] == 7


def test_anything_changed_on_a_fresh_install_says_its_kind_in_version_1(at_latest_afterwards):
    _installed(_before_round_two())
    apps = _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    (version,) = apps.get_model("questionnaire", "QuestionnaireVersion").objects.all()
    (asked,) = [q for q in version.definition["questions"] if q["code"] == "anything_changed"]
    assert asked["kind"] == "since_last_visit"
    question = apps.get_model("questionnaire", "Question").objects.get(code="anything_changed")
    assert (question.kind, question.asked_again) == ("since_last_visit", True)


# --- patients 0002: a patient record for each intake already sent (issue 14) --------------------------


def test_every_sent_intake_gets_its_own_patient_record_and_drafts_wait(at_latest_afterwards):
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    before = [n for n in leaves if n[0] != "patients"] + [("patients", "0001_patient")]
    clinic = _Clinic(_migrate(before))
    birth_code = clinic.model("questionnaire", "Question").objects.filter(kind="date_of_birth").values_list(
        "code", flat=True).first()
    assert birth_code
    ann = clinic.intake("Ann")
    ann.answers = {birth_code: "1990-04-02"}
    ann.last_name = "Lee"
    ann.save()
    again = clinic.intake("Ann")  # the same address: unproven, so not joined
    draft = clinic.intake("Draft", draft=True)
    counts = _counts(clinic.apps)

    apps = _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert _counts(apps) == counts
    Intake = apps.get_model("intake", "Intake")
    rows = {i.pk: i for i in Intake.objects.select_related("patient")}
    assert rows[draft.pk].patient is None
    assert rows[ann.pk].patient_id != rows[again.pk].patient_id
    patient = rows[ann.pk].patient
    assert (patient.first_name, patient.last_name, str(patient.date_of_birth), patient.email) == (
        "Ann", "Lee", "1990-04-02", "")
    assert rows[again.pk].patient.date_of_birth is None
    assert apps.get_model("patients", "Patient").objects.count() == 2
    # patients 0003: each record, old or new, has its own random public id (the FHIR Patient's id).
    public_ids = set(apps.get_model("patients", "Patient").objects.values_list("public_id", flat=True))
    assert len(public_ids) == 2 and None not in public_ids


# --- booking 0009: one location for an existing clinic (issue 17) ------------------------------------


def test_an_existing_clinic_gets_one_location_with_its_address_every_treatment_and_practitioner(
        at_latest_afterwards):
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    # The questionnaire's Spanish of the treatments (0012) needs core 0009: back before it too.
    before = [n for n in leaves if n[0] not in ("booking", "core", "questionnaire")] + [
        ("booking", "0007_round_two_permissions"), ("core", "0006_clinic_course_settings"),
        ("questionnaire", "0011_question_changes")]
    clinic = _Clinic(_migrate(before))
    clinic.model("core", "ClinicSettings").objects.update_or_create(
        pk=1, defaults={"address": "12 Example Street\nLondon", "time_zone": "Europe/Paris"})
    held = clinic.intake("Held")
    clinic.book(held, "held")
    counts = _counts(clinic.apps)

    apps = _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert _counts(apps) == counts
    [location] = apps.get_model("core", "Location").objects.all()
    assert (location.address, location.time_zone) == ("12 Example Street\nLondon", "Europe/Paris")
    Treatment = apps.get_model("core", "Treatment")
    assert set(location.treatments.values_list("pk", flat=True)) == set(Treatment.objects.values_list("pk", flat=True))
    assert list(apps.get_model("booking", "Practitioner").objects.values_list("location_id", flat=True)) == [
        location.pk]
    face = Treatment.objects.order_by("pk").first()
    assert (face.buffer_minutes, face.min_notice_hours, face.max_days_ahead, face.price) == (0, 0, 90, None)


# --- core 0009 + questionnaire 0012: the treatments' and the clinic's texts' Spanish (issue 16) -------------


def test_an_existing_clinic_gets_spanish_only_where_its_english_is_still_the_default(at_latest_afterwards):
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    before = [n for n in leaves if n[0] not in ("questionnaire", "core")] + [
        ("questionnaire", "0011_question_changes"), ("core", "0008_locations_treatment_booking_rules")]
    apps = _migrate(before)
    apps.get_model("core", "Treatment").objects.filter(code="scalp").update(name="Hair")  # renamed by the clinic
    apps.get_model("core", "ClinicSettings").objects.update_or_create(
        pk=1, defaults={"pre_care_text": "Our own words.", "name": "Example Skin Clinic"})

    apps = _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    TreatmentWording = apps.get_model("core", "TreatmentWording")
    assert dict(TreatmentWording.objects.values_list("treatment__code", "name")) == {
        "face": "Cara y cuello", "body": "Cuerpo (estrías, cicatrices)"}
    [texts] = apps.get_model("core", "ClinicWording").objects.all()
    assert texts.language == "es" and texts.pre_care_text == "" and texts.aftercare_text.startswith("Durante 48 horas")
    assert texts.cancellation_text == ""  # the clinic wrote none


def test_the_live_version_gets_the_spanish_live_with_it_and_publishing_nothing_stays_nothing(
        at_latest_afterwards):
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    apps = _migrate([n for n in leaves if n[0] != "questionnaire"] + [("questionnaire", "0013_draft_translations")])
    from screening.questionnaire.versions import questionnaire_snapshot

    # The version live before 0014, as it was published then: the snapshot without translations (0014 is data
    # only, so today's models read the tables as they stand here).
    Version = apps.get_model("questionnaire", "QuestionnaireVersion")
    number = (Version.objects.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    Version.objects.create(number=number, definition={
        k: v for k, v in questionnaire_snapshot().items() if k != "translations"})
    count = Version.objects.count()

    apps = _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    latest = apps.get_model("questionnaire", "QuestionnaireVersion").objects.order_by("-number").first()
    assert latest.definition["translations"]["es"]["questions"]["date_of_birth"]["label"] == "Fecha de nacimiento"
    assert latest.definition["translations"]["es"]["steps"]["1"]["title"] == "Sobre usted"
    from screening.questionnaire.versions import questionnaire_publish

    _version, created = questionnaire_publish(note="nothing changed")
    assert not created and apps.get_model("questionnaire", "QuestionnaireVersion").objects.count() == count


# --- audit 0013: a line's detail holds a page of ids (issue 12) ---------------------------------------------


def test_the_audit_trail_keeps_its_lines_when_a_detail_grows_to_hold_a_page(at_latest_afterwards):
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    apps = _migrate([n for n in leaves if n[0] != "audit"] + [("audit", "0012_actions_level")])
    Event = apps.get_model("audit", "AuditEvent")
    Event.objects.create(action="records_listed", actor_label="frank", detail="staff queue: 1 shown; intakes 7")
    Event.objects.create(action="intake_viewed", actor_label="clara", object_type="intake", object_id="7",
                         intake_id=7, detail="x" * 200)
    before = list(Event.objects.order_by("pk").values_list("action", "actor_label", "intake_id", "detail"))

    apps = _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    Event = apps.get_model("audit", "AuditEvent")
    assert list(Event.objects.order_by("pk").values_list("action", "actor_label", "intake_id", "detail")) == before
    Event.objects.create(action="records_listed", actor_label="frank", detail="y" * 400)
    assert Event.objects.filter(detail="y" * 400).exists()
