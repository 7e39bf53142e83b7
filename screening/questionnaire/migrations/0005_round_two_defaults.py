"""Clinical rules, round two (issue 18): the new questions, rules and medicine list, and the health steps split.

A new installation got round two's questions and rules from 0002 already (it
installs the defaults as they are now); what it lacks is what 0004 added:
this sets those fields, the medicine list and publishes a version. An
installation of round one gets, in addition:

- the consent step moved to the end and the health questions over five steps of
  at most eight (only when the steps are still the five of round one: a clinic
  that reshaped them gets the new questions on the step of ``medications``);
- the new questions and rules, each rule with its first revision;
- a new revision of the round-one rules that round two changes (UNDER_18 defers,
  RADIATION for any date, BLEEDING_DISORDER also when not sure, KELOID for keloids
  only, messages with placeholders), only where the clinic never changed them;
  a rule the clinic edited is left as it is;
- ``keloid_history`` asked about keloids only (its old wording is now
  ``raised_scar_history``'s), where the clinic kept the old wording.

Intakes and their answers are not touched. The codes below are frozen; the
wording is read from the defaults, as 0002 does.
"""

from django.db import migrations

ROUND_ONE_STEPS = {3: "Your health (part 1)", 4: "Your health (part 2)", 5: "Consent"}
NEW_QUESTIONS = ("warts_in_area", "tattoo_in_area", "raised_scar_history", "pigmentation_history",
                 "koebner_condition", "previous_reaction", "isotretinoin_current", "deep_resurfacing_last_date",
                 "toxin_last_date", "filler_last_date")
CHANGED_RULES = ("BLEEDING_DISORDER", "KELOID", "UNDER_18", "RADIATION", "ISOTRETINOIN", "PEEL_OR_LASER",
                 "RETINOID", "SESSION_INTERVAL")
ROUND_ONE_KELOID_LABEL = "Do your scars tend to become raised or thick?"
RULE_FIELDS = ("code", "name", "severity", "treatments", "match", "conditions", "staff_message",
               "patient_message", "examples", "active")
QUESTION_FIELDS = ("code", "order", "type", "kind", "label", "help_text", "required", "choices",
                   "show_when_question", "show_when_value", "max_length", "must_be_true", "past_only", "allow_never",
                   "never_label", "allow_month", "allow_not_sure")
NEW_FIELDS = {"never_label": "", "allow_month": False, "allow_not_sure": False}
NOTE = "Clinical rules, round two (issue 18)."


def _is_round_one(Step, db) -> bool:
    titles = dict(Step.objects.using(db).values_list("number", "title"))
    return set(titles) == {1, 2, 3, 4, 5} and all(titles[n] == t for n, t in ROUND_ONE_STEPS.items())


def _steps(Step, Question, db, round_one: bool) -> dict:
    from screening.questionnaire.default_questions import STEPS

    if round_one:
        Step.objects.using(db).filter(number=5).update(number=8)
        for number in (3, 4):
            new = STEPS[number - 1]
            Step.objects.using(db).filter(number=number).update(title=new["title"], intro=new["intro"])
    for s in STEPS:
        Step.objects.using(db).get_or_create(number=s["number"], defaults={"title": s["title"], "intro": s["intro"]})
    return {s.number: s for s in Step.objects.using(db).all()}


def _questions(Question, db, steps: dict, round_one: bool) -> None:
    from screening.questionnaire.default_questions import QUESTIONS
    from screening.questionnaire.seed import question_fields

    fallback = Question.objects.using(db).filter(code="medications").values_list("step__number", flat=True).first()
    for order, q in enumerate(QUESTIONS):
        spec_fields = question_fields(Question, q, steps, order)
        question = Question.objects.using(db).filter(code=q["code"]).first()
        if question is None:
            if not round_one and fallback is not None and q["step"] not in steps:
                spec_fields["step"] = steps[fallback]
            if q["code"] in NEW_QUESTIONS:
                Question.objects.using(db).create(code=q["code"], **spec_fields)
            continue
        updates = {name: spec_fields[name] for name in ("allow_month", "allow_not_sure", "never_label")}
        if round_one:
            updates.update(step=spec_fields["step"], order=order)
        if q["code"] == "keloid_history" and question.label == ROUND_ONE_KELOID_LABEL:
            updates.update(label=q["label"], help_text=q["help_text"])
        if q["code"] in ("radiation_last_date", "isotretinoin_last_taken", "medications", "other_allergies"):
            updates.update(help_text=q["help_text"])
        for name, value in updates.items():
            setattr(question, name, value)
        question.save()


def _definition(rule) -> dict:
    return {name: getattr(rule, name) for name in RULE_FIELDS}


def _rules(Rule, RuleRevision, db) -> None:
    from screening.questionnaire.defaults import RULES
    from screening.questionnaire.seed import rule_fields

    for r in RULES:
        fields = rule_fields(r)
        rule = Rule.objects.using(db).filter(code=r["code"]).first()
        if rule is None:
            rule = Rule.objects.using(db).create(code=r["code"], **fields)
            RuleRevision.objects.using(db).create(rule=rule, number=rule.revision, definition=_definition(rule),
                                                  source="seed", note=NOTE)
            continue
        untouched = rule.revision == 1 and not RuleRevision.objects.using(db).filter(rule=rule).exclude(
            source="seed").exists()
        if r["code"] not in CHANGED_RULES or not untouched or not rule.active:
            continue
        fields.pop("revision")
        if all(getattr(rule, name) == value for name, value in fields.items()):
            continue  # installed as round two already
        for name, value in fields.items():
            setattr(rule, name, value)
        rule.revision = 2
        rule.save()
        RuleRevision.objects.using(db).create(rule=rule, number=2, definition=_definition(rule), source="seed",
                                              note=NOTE)


def _terms(MedicineTerm, db) -> list[dict]:
    from screening.questionnaire.seed import term_fields
    from screening.rules import DEFAULT_TERMS

    for term in DEFAULT_TERMS:
        MedicineTerm.objects.using(db).get_or_create(term=term["term"], defaults=term_fields(term))
    return [
        {"term": t.term, "class": t.term_class, "source": t.source,
         "aliases": [a.strip() for a in t.aliases.split(",") if a.strip()]}
        for t in MedicineTerm.objects.using(db).filter(active=True).order_by("term_class", "term")
    ]


def _without_round_two(definition: dict) -> dict:
    return {"steps": definition.get("steps"),
            "questions": [{k: v for k, v in q.items() if k not in NEW_FIELDS} for q in definition.get("questions", [])]}


def _publish(Step, Question, QuestionnaireVersion, db, terms: list[dict]) -> None:
    """Round two's fields said in every published version, and a new version when the questionnaire changed.

    As 0003 did for kinds: a version published before round two asked no
    "not sure", took no month and read no free text, and now says so (the new
    fields off, an empty medicine list). A version that already asks round
    two's questions (a new installation's version 1, from 0002) gets their
    values instead: it is the questionnaire as installed. Otherwise a new
    version is published, as ``questionnaire_publish`` writes them (without an
    audit line, as 0002 wrote version 1).
    """
    latest = QuestionnaireVersion.objects.using(db).order_by("-number").first()
    if latest is None:
        return  # nothing installed: 0002 found no questions either
    snapshot = {
        "steps": [{"number": s.number, "title": s.title, "intro": s.intro}
                  for s in Step.objects.using(db).order_by("number")],
        "questions": [{"step": q.step.number, **{name: getattr(q, name) for name in QUESTION_FIELDS}}
                      for q in Question.objects.using(db).filter(active=True).select_related("step")
                      .order_by("step__number", "order", "id")],
        "terms": terms,
    }
    if _without_round_two(latest.definition) == _without_round_two(snapshot):
        latest.definition = snapshot
        latest.save(update_fields=["definition"])
        return
    for version in QuestionnaireVersion.objects.using(db).all():
        for question in version.definition.get("questions", []):
            for name, value in NEW_FIELDS.items():
                question.setdefault(name, value)
        version.definition.setdefault("terms", [])
        version.save(update_fields=["definition"])
    QuestionnaireVersion.objects.using(db).create(number=latest.number + 1, definition=snapshot, note=NOTE)


def round_two(apps, schema_editor):
    db = schema_editor.connection.alias
    Step = apps.get_model("questionnaire", "Step")
    Question = apps.get_model("questionnaire", "Question")
    if not Question.objects.using(db).exists():
        return  # an empty database: nothing was installed, nothing to bring forward
    round_one = _is_round_one(Step, db)
    steps = _steps(Step, Question, db, round_one)
    _questions(Question, db, steps, round_one)
    _rules(apps.get_model("questionnaire", "Rule"), apps.get_model("questionnaire", "RuleRevision"), db)
    terms = _terms(apps.get_model("questionnaire", "MedicineTerm"), db)
    _publish(Step, Question, apps.get_model("questionnaire", "QuestionnaireVersion"), db, terms)


class Migration(migrations.Migration):
    dependencies = [("questionnaire", "0004_round_two_fields")]

    operations = [migrations.RunPython(round_two, migrations.RunPython.noop)]
