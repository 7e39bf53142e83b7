"""Set-up writes: one transaction each, audited (action ``setup_changed``), the database's constraints as backstop.

Each takes what a form has already cleaned; ``full_clean`` runs again before saving, so a
caller that skips the form still cannot store a negative price or hours that end before
they start.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, time
from typing import TypeVar

from django.db import models, transaction

from screening.audit.log import Actor, audit_log
from screening.audit.models import AuditAction
from screening.booking.models import Practitioner, ScheduleException, WeeklyHours
from screening.core.models import ClinicSettings, ClinicWording, Location, LocationHours, Treatment, TreatmentWording
from screening.questionnaire.models import MedicineTerm, QuestionnaireVersion
from screening.questionnaire.versions import questionnaire_publish
from screening.setup.area.translations import translations_save

M = TypeVar("M", bound=models.Model)
#: {language: {field: text}}: the patient's other languages beside the English (``translations.Translated``).
Translations = Mapping[str, Mapping[str, str]]
#: One day's hours in the week form: (opens, closes), or None for closed.
Week = Mapping[int, tuple[time, time] | None]


def _save(instance: M, *, data: Mapping, actor: Actor, what: str, translated=None) -> M:
    """Set the plain fields and the many-to-many ones, validate, save, audit; ``translated(instance)``
    saves its words in other languages and returns the languages changed."""
    creating = instance.pk is None or instance._state.adding
    m2m = {}
    changed = set(data) if creating else set()  # the audit line names what changed, not all that was posted
    for name, value in data.items():
        field = instance._meta.get_field(name)
        if field.many_to_many:
            m2m[name] = value
            if not creating and {o.pk for o in getattr(instance, name).all()} != {o.pk for o in value}:
                changed.add(name)
        else:
            if not creating and getattr(instance, name) != value:
                changed.add(name)
            setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    for name, value in m2m.items():
        getattr(instance, name).set(value)
    languages = translated(instance) if translated else []
    words = f"; words in {', '.join(languages)}" if languages else ""
    fields = ", ".join(sorted(changed)) or "nothing"
    audit_log(action=AuditAction.SETUP_CHANGED, actor=actor, target=instance,
              detail=f"{what} {'added' if creating else 'changed'}: {fields}{words}")
    return instance


@transaction.atomic
def clinic_profile_update(*, data: Mapping, actor: Actor, translations: Translations | None = None) -> ClinicSettings:
    """The clinic's profile and booking settings (the one row, made if it was never saved), and its free texts
    in the patient's other languages."""
    profile = ClinicSettings.objects.select_for_update().filter(pk=1).first() or ClinicSettings(pk=1)
    old_zone = profile.time_zone
    saved = _save(profile, data=data, actor=actor, what="clinic profile",
                  translated=lambda _profile: translations_save(ClinicWording, {}, translations or {}))
    if saved.time_zone != old_zone:
        _sole_location_follows(old_zone, saved.time_zone, actor=actor)
    return saved


def _sole_location_follows(old_zone: str, new_zone: str, *, actor: Actor) -> None:
    """A clinic with one location moves its zone with it (its hours and times are read there); with several,
    each keeps its own, changed on its page."""
    places = list(Location.objects.select_for_update().filter(active=True)[:2])
    if len(places) == 1 and places[0].time_zone == old_zone:
        _save(places[0], data={"time_zone": new_zone}, actor=actor, what="location (with the clinic's zone)")


@transaction.atomic
def location_save(*, location: Location | None, data: Mapping, actor: Actor) -> Location:
    return _save(location or Location(), data=data, actor=actor, what="location")


@transaction.atomic
def treatment_save(*, treatment: Treatment | None, data: Mapping, actor: Actor,
                   translations: Translations | None = None) -> Treatment:
    """A treatment (new or changed), with its name and description in the patient's other languages."""
    return _save(treatment or Treatment(), data=data, actor=actor, what="treatment",
                 translated=lambda saved: translations_save(TreatmentWording, {"treatment": saved}, translations or {}))


@transaction.atomic
def practitioner_save(*, practitioner: Practitioner | None, data: Mapping, actor: Actor) -> Practitioner:
    return _save(practitioner or Practitioner(), data=data, actor=actor, what="practitioner")


@transaction.atomic
def medicine_term_save(*, term: MedicineTerm | None, data: Mapping,
                       actor: Actor) -> tuple[MedicineTerm, QuestionnaireVersion | None]:
    """A medicine or allergen added or changed; the list is part of the questionnaire, so a new version is
    published with it (returned, or None if nothing the screening reads changed) and read from the next
    screening on."""
    saved = _save(term or MedicineTerm(), data=data, actor=actor, what="medicine term")
    version, created = questionnaire_publish(by=actor, note=f"medicine list: {saved.term}")
    return saved, version if created else None


def _week_rows(week: Week) -> list[tuple[int, time, time]]:
    return [(day, hours[0], hours[1]) for day, hours in sorted(week.items()) if hours is not None]


def _week_text(rows: Sequence[tuple[int, time, time]]) -> str:
    return "; ".join(f"{day}:{start:%H:%M}-{end:%H:%M}" for day, start, end in rows) or "closed every day"


def _week_replace(owner, model, owner_field: str, week: Week, *, actor: Actor, what: str) -> list:
    """``owner``'s hours (locked by the caller) replaced by ``week``'s, checked row by row; audited."""
    owner.hours.all().delete()
    rows = [model(**{owner_field: owner}, weekday=d, start=s, end=e) for d, s, e in _week_rows(week)]
    for row in rows:
        row.full_clean()
    model.objects.bulk_create(rows)
    audit_log(action=AuditAction.SETUP_CHANGED, actor=actor, target=owner,
              detail=f"{what} set: {_week_text(_week_rows(week))}")
    return rows


@transaction.atomic
def practitioner_hours_set(*, practitioner_id: int, week: Week, actor: Actor) -> list[WeeklyHours]:
    """Replace the practitioner's weekly hours with ``week`` (one interval a day, or closed)."""
    practitioner = Practitioner.objects.select_for_update().get(pk=practitioner_id)
    return _week_replace(practitioner, WeeklyHours, "practitioner", week, actor=actor, what="weekly hours")


@transaction.atomic
def location_hours_set(*, location_id: int, week: Week, actor: Actor) -> list[LocationHours]:
    """Replace the location's opening hours with ``week`` (none at all: its practitioners' hours decide)."""
    location = Location.objects.select_for_update().get(pk=location_id)
    return _week_replace(location, LocationHours, "location", week, actor=actor, what="opening hours")


@transaction.atomic
def schedule_exception_add(
    *, practitioner_id: int, day: date, kind: str, start: time | None, end: time | None, note: str, actor: Actor,
) -> ScheduleException:
    """A day off, or extra hours on one date, for one practitioner."""
    practitioner = Practitioner.objects.select_for_update().get(pk=practitioner_id)
    closed = kind == ScheduleException.Kind.CLOSED
    exception = ScheduleException(practitioner=practitioner, date=day, kind=kind, note=note,
                                  start=None if closed else start, end=None if closed else end)
    exception.full_clean()
    exception.save()
    audit_log(action=AuditAction.SETUP_CHANGED, actor=actor, target=exception,
              detail=f"{exception.get_kind_display()} on {day:%Y-%m-%d} for practitioner {practitioner.pk}")
    return exception


@transaction.atomic
def schedule_exception_remove(*, exception_id: int, practitioner_id: int, actor: Actor) -> bool:
    """Take a closure or extra hours away again; False if it was already gone."""
    exception = ScheduleException.objects.select_for_update().filter(
        pk=exception_id, practitioner_id=practitioner_id).first()
    if exception is None:
        return False
    audit_log(action=AuditAction.SETUP_CHANGED, actor=actor, target=exception,
              detail=f"{exception.get_kind_display()} on {exception.date:%Y-%m-%d} removed "
                     f"for practitioner {practitioner_id}")
    exception.delete()
    return True
