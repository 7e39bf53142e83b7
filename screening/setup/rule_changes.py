"""A rule change and the bookings it reaches: which upcoming bookings fall inside the new rule, and
publishing that re-screens them and tells each patient and the front desk (through the outbox).

The what-if for bookings is the preview's comparison (``questionnaire.preview.compare_rule_sets``) run on
the upcoming held and confirmed bookings, each on its own appointment date: a booking is affected when
the change makes its outcome on that date stronger (eligible -> eligible from a later date, say).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from screening.audit.log import as_actor, audit_log
from screening.audit.models import AuditAction
from screening.booking.emails import moment_text, when_named, when_text
from screening.booking.errors import long_date
from screening.booking.models import Booking, BookingStatus
from screening.booking.selectors import booking_contact
from screening.core.clinic import booking_zone, clinic_contact, clinic_zone, contact_context
from screening.intake.links import link_issue, link_url
from screening.intake.models import AccessLink
from screening.outbox.models import MessageKind
from screening.outbox.services import message_queue
from screening.questionnaire.models import RuleDraft, RuleRevision
from screening.questionnaire.preview import Comparison, compare_rule_sets
from screening.questionnaire.services import DraftCheck, check_draft, draft_publish
from screening.questionnaire.what_if import compare_on_stored_flags, differing_codes, questions_read
from screening.review.permissions import FRONT_DESK
from screening.review.rescreen import intakes_rescreen
from screening.rules import OUTCOME_RANK
from screening.setup.selectors import booking_items, stored_preview_items


@dataclass(frozen=True)
class AffectedBooking:
    """An upcoming booking whose outcome on its own date the change makes stronger."""

    booking: Booking
    before: str
    after: str
    first_date: date | None  # the new first date it could go ahead, for a deferral


@dataclass
class BookingsEffect:
    affected: list[AffectedBooking] = field(default_factory=list)
    screened: int = 0

    def count(self, status: str) -> int:
        return sum(1 for row in self.affected if row.booking.status == status)

    @property
    def confirmed(self) -> int:
        return self.count(BookingStatus.CONFIRMED)

    @property
    def held(self) -> int:
        return self.count(BookingStatus.HELD)


@dataclass
class PublishReport:
    revision: RuleRevision
    effect: BookingsEffect
    rescreened: int = 0
    patients_told: int = 0
    front_desk_told: int = 0


def stored_comparison(checked: DraftCheck, limit: int) -> Comparison:
    """The draft against the last ``limit`` intakes' stored screenings: only the changed rule is screened
    (``questionnaire.what_if``), so 100,000 intakes stay interactive."""
    changed = [r for r in checked.proposed if r["code"] in differing_codes(checked.current, checked.proposed)]
    items = stored_preview_items(questions_read(changed, checked.questions), limit)
    return compare_on_stored_flags(items, questions=checked.questions, current=checked.current,
                                   proposed=checked.proposed)


def bookings_effect(checked: DraftCheck, *, now=None) -> BookingsEffect:
    """Upcoming held and confirmed bookings that the draft puts inside its rule, soonest first."""
    items = booking_items(now=now)
    comparison = compare_rule_sets(items, questions=checked.questions, current=checked.current,
                                   proposed=checked.proposed)
    stronger = {c.key: c for c in comparison.changes if OUTCOME_RANK[c.after] < OUTCOME_RANK[c.before]}
    bookings = Booking.objects.select_related("intake", "treatment", "practitioner__location").in_bulk(list(stronger))
    affected = [
        AffectedBooking(bookings[key], change.before, change.after, change.after_from)
        for key, change in stronger.items() if key in bookings
    ]
    affected.sort(key=lambda row: (row.booking.start, row.booking.pk))
    return BookingsEffect(affected, comparison.total)


@transaction.atomic
def rule_draft_publish(*, draft: RuleDraft, by, rescreen: bool, now=None) -> PublishReport:
    """Publish the draft (``draft_publish``: checked, a new revision, audited); with ``rescreen``, re-screen
    the intakes of the bookings it puts inside its rule and tell each patient and the front desk."""
    effect = bookings_effect(check_draft(draft), now=now)
    revision = draft_publish(draft=draft, by=by)
    report = PublishReport(revision, effect)
    if not rescreen or not effect.affected:
        return report
    rescreened = intakes_rescreen(intake_ids=[row.booking.intake_id for row in effect.affected], by=by)
    report.rescreened = len(rescreened.rescreened)
    now = now or timezone.now()
    for row in effect.affected:
        report.patients_told += _tell_patient(row, now=now)
    report.front_desk_told = _tell_front_desk(effect.affected, rule_name=revision.rule.name)
    audit_log(action=AuditAction.BOOKINGS_TOLD_OF_RULE, actor=as_actor(by), target=revision.rule,
              detail=f"{revision.rule.code} revision {revision.number}: {len(effect.affected)} bookings, "
                     f"{report.patients_told} patients and {report.front_desk_told} front desk told")
    return report


def _tell_patient(row: AffectedBooking, *, now) -> int:
    booking = row.booking
    recipient = booking.patient_email or booking.intake.email
    if not recipient:
        return 0
    tz = booking_zone(booking)
    days_left = max((booking.start - now).days + 2, 1)
    token = link_issue(intake=booking.intake, purpose=AccessLink.Purpose.MANAGE, days=days_left)
    context: dict[str, Any] = {
        # The clinic's name as its profile says it, the address of the booking's location (issue 17).
        **contact_context(booking_contact(booking)), "first_name": booking.intake.first_name,
        "when": when_text(booking.start, booking.end, tz), "time_zone": str(tz),
        "first_date": long_date(row.first_date) if row.first_date else "", "manage_url": link_url(token),
    }
    message_queue(
        kind=MessageKind.RULE_CHANGED, recipient=recipient,
        subject=_("About your appointment on %(when)s") % {"when": moment_text(booking.start, tz)},
        body=render_to_string("setup/emails/rule_changed.txt", context),
        intake_id=booking.intake_id, booking_id=booking.pk,
    )
    return 1


def _tell_front_desk(affected: list[AffectedBooking], *, rule_name: str) -> int:
    clinic = clinic_zone()
    rows = [
        {"when": when_named(row.booking.start, row.booking.end, booking_zone(row.booking, default=clinic),
                            clinic=clinic), "status": row.booking.get_status_display(),
         "name": f"{row.booking.intake.first_name} {row.booking.intake.last_name}".strip(),
         "first_date": long_date(row.first_date) if row.first_date else "",
         "url": settings.SITE_URL + reverse("staff:intake", args=[row.booking.intake.public_id])}
        for row in affected
    ]
    body = render_to_string("setup/emails/rule_changed_front_desk.txt", {
        "clinic_name": clinic_contact().name, "rule_name": rule_name, "rows": rows,
        "mismatched_url": settings.SITE_URL + reverse("staff:mismatched"),
    })
    desk = get_user_model().objects.filter(is_active=True, groups__name=FRONT_DESK).exclude(email="")
    addresses = sorted(set(desk.values_list("email", flat=True)))
    for address in addresses:
        message_queue(kind=MessageKind.RULE_CHANGED_BOOKINGS, recipient=address, body=body,
                      subject=f"A rule change affects {len(rows)} upcoming booking{'s' if len(rows) != 1 else ''}")
    return len(addresses)
