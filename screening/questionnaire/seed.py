"""Install the default questionnaire, rules and treatments (INTAKE.md).

Takes the model classes as arguments so the data migration can pass its
historical models and ``seed_demo`` the real ones. Idempotent: existing
rows (matched by code) are left as the clinic has edited them.
"""

from __future__ import annotations

from screening.questionnaire import defaults

TREATMENT_DETAILS = {
    "face": ("Smooths fine lines, acne scars and uneven texture on the face and neck.", 60, 1),
    "scalp": ("Encourages hair growth where hair is thinning.", 45, 2),
    "body": ("Softens stretch marks and scars on the body.", 75, 3),
}


def install_defaults(*, Step, Question, Rule, Treatment, MedicineTerm=None) -> dict[str, int]:
    created = {"steps": 0, "questions": 0, "rules": 0, "treatments": 0, "terms": 0}
    for t in defaults.TREATMENTS:
        description, minutes, order = TREATMENT_DETAILS.get(t["code"], ("", 60, 9))
        _, new = Treatment.objects.get_or_create(
            code=t["code"],
            defaults={"name": t["name"], "description": description,
                      "duration_minutes": minutes, "order": order},
        )
        created["treatments"] += new
    steps = {}
    for s in defaults.STEPS:
        steps[s["number"]], new = Step.objects.get_or_create(
            number=s["number"], defaults={"title": s["title"], "intro": s.get("intro", "")}
        )
        created["steps"] += new
    for order, q in enumerate(defaults.QUESTIONS):
        _, new = Question.objects.get_or_create(code=q["code"], defaults=question_fields(Question, q, steps, order))
        created["questions"] += new
    for r in defaults.RULES:
        _, new = Rule.objects.get_or_create(code=r["code"], defaults=rule_fields(r))
        created["rules"] += new
    if MedicineTerm is not None:
        for term in defaults.DEFAULT_TERMS:
            _, new = MedicineTerm.objects.get_or_create(term=term["term"], defaults=term_fields(term))
            created["terms"] += new
    return created


#: The answers that can change between the intake and the treatment day: the short health check before each
#: visit asks them again (issue 14). Migration 0006_question_asked_again holds a frozen copy; a test keeps them equal.
ASKED_AGAIN = (
    "pregnant_or_breastfeeding", "active_skin_infection", "cold_sore_history", "active_acne", "unstable_skin",
    "medications",
    "isotretinoin_current", "isotretinoin_last_taken", "peel_or_laser_last_date", "retinoid_last_used",
    "toxin_last_date", "filler_last_date", "anything_changed",
)


def question_fields(Question, q: dict, steps: dict, order: int) -> dict:
    """A default question's fields, those the given (perhaps historical) ``Question`` has.

    Migration 0002 passes the Question of before kinds (0003 sets them) and
    before round two's fields (0005 sets them).
    """
    show_when = q.get("show_when") or {}
    labels = q.get("choice_labels") or {}
    fields = {
        "kind": q.get("kind", "none"),
        "step": steps[q["step"]],
        "order": order,
        "type": q["type"],
        "label": q["label"],
        "help_text": q.get("help_text", ""),
        "required": q.get("required", True),
        "choices": [{"code": c, "label": labels.get(c, c)} for c in q.get("choices", [])],
        "show_when_question": show_when.get("question", ""),
        "show_when_value": show_when.get("value"),
        "max_length": q.get("max_length"),
        "must_be_true": q.get("must_be_true", False),
        "past_only": q.get("past_only", False),
        "allow_never": q["type"] == "date" and q.get("nullable", True),
        "allow_month": bool(q.get("month_ok")),
        "allow_not_sure": bool(q.get("not_sure")),
        "never_label": q.get("never_label", ""),
        "asked_again": q["code"] in ASKED_AGAIN,
    }
    names = {field.name for field in Question._meta.get_fields()}
    return {name: value for name, value in fields.items() if name in names}


def rule_fields(r: dict) -> dict:
    return {
        "name": r["name"],
        "severity": r["severity"],
        "treatments": list(r.get("treatments", [])),
        "match": r.get("match", "all"),
        "conditions": list(r["conditions"]),
        "staff_message": r["staff_message"],
        "patient_message": r["patient_message"],
        "examples": list(r.get("examples", [])),
        "revision": r.get("revision", 1),
    }


def term_fields(term: dict) -> dict:
    return {"term_class": term["class"], "aliases": ", ".join(term.get("aliases", [])), "source": term["source"]}
