"""The medicines and allergens a new clinic's screening looks for in free text, with a source for each.

Plain data (``vocabulary.py`` reads it). Aliases are brand names and the
misspellings patients commonly write that are too far from the name for the
loose match (or too short for it). A clinic extends its own copy in the
admin (``MedicineTerm``); this list is only where it starts.
"""

from __future__ import annotations

from typing import Any

__all__ = ["DEFAULT_TERMS", "TERM_CLASSES"]

#: class code -> (what staff read, the source the class rests on)
TERM_CLASSES: dict[str, tuple[str, str]] = {
    "anticoagulant": (
        "anticoagulant",
        "British National Formulary, oral and injectable anticoagulants; clinic seed page: disclose blood "
        "thinners before microneedling",
    ),
    "antiplatelet": (
        "antiplatelet",
        "British National Formulary, antiplatelet drugs; clinic seed page: blood thinners, daily aspirin",
    ),
    "oral_retinoid": (
        "isotretinoin or oral retinoid",
        "Isotretinoin and acitretin package inserts (impaired wound healing); Spring et al. 2017, JAMA "
        "Dermatology (isotretinoin and procedures)",
    ),
    "immunosuppressant": (
        "immunosuppressant",
        "British National Formulary, immunosuppressants and corticosteroids; clinic pre-care pages "
        "(weakened immune system)",
    ),
    "numbing_agent": (
        "numbing agent",
        "Clinic seed page: reaction to topical medications; topical anaesthetic product information",
    ),
    "metal": (
        "metal allergen",
        "Chu et al. 2021, Dermatologic Surgery (nickel in microneedles); contact allergy series for "
        "gold, chromium and cobalt",
    ),
}


def _terms(term_class: str, entries: list[tuple[str, list[str]]]) -> list[dict[str, Any]]:
    source = TERM_CLASSES[term_class][1]
    return [{"term": term, "class": term_class, "aliases": aliases, "source": source} for term, aliases in entries]


DEFAULT_TERMS: list[dict[str, Any]] = [
    *_terms("anticoagulant", [
        ("warfarin", ["coumadin", "marevan", "warfrin", "wafarin"]),
        ("apixaban", ["eliquis", "apixiban"]),
        ("rivaroxaban", ["xarelto", "rivaroxiban"]),
        ("dabigatran", ["pradaxa"]),
        ("edoxaban", ["lixiana", "savaysa"]),
        ("heparin", ["heparins", "enoxaparin", "clexane", "lovenox", "dalteparin", "fragmin", "tinzaparin"]),
        ("acenocoumarol", ["sinthrome"]),
        ("phenindione", []),
    ]),
    *_terms("antiplatelet", [
        ("aspirin", ["acetylsalicylic acid", "asprin", "disprin"]),
        ("clopidogrel", ["plavix", "clopidigrel"]),
        ("ticagrelor", ["brilique", "brilinta"]),
        ("prasugrel", ["efient", "effient"]),
        ("dipyridamole", ["persantin"]),
    ]),
    *_terms("oral_retinoid", [
        ("isotretinoin", ["accutane", "roaccutane", "absorica", "claravis", "amnesteem", "myorisan", "zenatane",
                          "isotret", "acutane", "roacutane"]),
        ("acitretin", ["neotigason", "soriatane"]),
        ("alitretinoin", ["toctino"]),
    ]),
    *_terms("immunosuppressant", [
        ("methotrexate", ["metoject", "methotrexat"]),
        ("ciclosporin", ["cyclosporine", "cyclosporin", "neoral", "sandimmun"]),
        ("azathioprine", ["imuran"]),
        ("mycophenolate", ["cellcept", "myfortic"]),
        ("tacrolimus", ["prograf", "advagraf"]),
        ("prednisolone", ["prednisone", "pred"]),
        ("oral steroids", ["steroid tablets", "dexamethasone", "hydrocortisone tablets", "methylprednisolone"]),
        ("adalimumab", ["humira"]),
        ("etanercept", ["enbrel"]),
        ("infliximab", ["remicade"]),
        ("ustekinumab", ["stelara"]),
        ("rituximab", ["mabthera"]),
        ("biologic", ["biologics"]),
    ]),
    *_terms("numbing_agent", [
        ("lidocaine", ["lignocaine", "xylocaine", "lidocane", "emla"]),
        ("prilocaine", ["citanest"]),
        ("benzocaine", []),
        ("tetracaine", ["amethocaine", "ametop"]),
        ("numbing", ["numbing cream", "anaesthetic", "anesthetic", "local anaesthetic"]),
    ]),
    *_terms("metal", [
        ("nickel", ["nickle"]),
        ("gold", []),
        ("chromium", ["chrome"]),
        ("cobalt", []),
    ]),
]
