"""The what-if at the rule level reaches upcoming bookings; publishing re-screens them and tells each patient
and the front desk through the outbox (issue 17)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from screening.audit.models import AuditAction, AuditEvent
from screening.booking.models import BookingStatus
from screening.core.models import ClinicSettings
from screening.intake.models import Screening
from screening.outbox.models import Message, MessageKind
from screening.questionnaire.models import DraftExample, Outcome
from screening.questionnaire.services import RulesAdminError, check_draft, draft_start
from screening.setup.rule_changes import bookings_effect, rule_draft_publish
from tests.rule_editor.conftest import EIGHT_MONTHS, book, last_taken
from tests.staff.conftest import make_intake

pytestmark = pytest.mark.django_db


def twelve_months(draft) -> None:
    """The isotretinoin window at 12 months, its examples following it."""
    draft.conditions.update(value=365)
    examples = list(draft.examples.order_by("id"))
    DraftExample.objects.filter(pk=examples[0].pk).update(eligible_from="2027-07-17")
    DraftExample.objects.filter(pk=examples[1].pk).update(expected=Outcome.DEFERRED)
    DraftExample.objects.filter(pk=examples[2].pk).update(eligible_from="2027-07-31")


def test_the_bookings_inside_the_new_window_are_counted_and_listed(isotretinoin, reached, admin):
    draft = draft_start(rule=isotretinoin, by=admin)
    twelve_months(draft)
    effect = bookings_effect(check_draft(draft))
    assert (effect.confirmed, effect.held, effect.screened) == (1, 1, 3)
    rows = {row.booking.pk: row for row in effect.affected}
    assert set(rows) == {reached["confirmed"].pk, reached["held"].pk}  # not the clean patient's
    row = rows[reached["confirmed"].pk]
    taken = timezone.localdate() - timedelta(days=EIGHT_MONTHS)
    assert (row.before, row.after, row.first_date) == ("eligible", "deferred", taken + timedelta(days=365))


def test_a_booking_after_the_new_window_ends_is_not_affected(isotretinoin, admin, reached):
    late = make_intake(email="lea@example.com", first_name="Lea", answers=last_taken(EIGHT_MONTHS))
    book(late, days=200)  # 8 months + 200 days: past 12 months
    draft = draft_start(rule=isotretinoin, by=admin)
    twelve_months(draft)
    effect = bookings_effect(check_draft(draft))
    assert late.pk not in {row.booking.intake_id for row in effect.affected}
    assert effect.screened == 4


def test_an_unchanged_draft_affects_no_booking(isotretinoin, admin, reached):
    effect = bookings_effect(check_draft(draft_start(rule=isotretinoin, by=admin)))
    assert effect.affected == [] and effect.screened == 3


def test_publishing_with_rescreen_screens_again_and_tells_the_patients_and_the_front_desk(
        isotretinoin, admin, desk, reached):
    ClinicSettings.objects.update_or_create(pk=1, defaults={"name": "Harbour Skin", "phone": "020 7946 0999"})
    draft = draft_start(rule=isotretinoin, by=admin)
    twelve_months(draft)
    report = rule_draft_publish(draft=draft, by=admin, rescreen=True)
    assert report.revision.number == 2 and report.rescreened == 2 and report.patients_told == 2
    assert report.front_desk_told == 1
    confirmed = reached["confirmed"]
    latest = Screening.objects.filter(intake=confirmed.intake).order_by("-created_at", "-id").first()
    assert (latest.reason, latest.outcome) == (Screening.Reason.RESCREEN, Outcome.DEFERRED)
    told = Message.objects.get(kind=MessageKind.RULE_CHANGED, booking_id=confirmed.pk)
    first = timezone.localdate() - timedelta(days=EIGHT_MONTHS) + timedelta(days=365)
    assert told.recipient == "pat@example.com"
    assert f"The first date we can treat you is {first:%A} {first.day} {first:%B %Y}." in told.body
    assert "isotretinoin" not in told.body.lower()  # no health details in an email
    # The clinic as its profile names it, and how to reach it (not the deployment's CLINIC_NAME).
    assert "your appointment at Harbour Skin on" in told.body and "020 7946 0999" in told.body
    desk_message = Message.objects.get(kind=MessageKind.RULE_CHANGED_BOOKINGS)
    assert desk_message.recipient == desk.email and "Pat Example (Confirmed)" in desk_message.body
    assert "Sam Example (Held" in desk_message.body and "A rule change at Harbour Skin" in desk_message.body
    assert not Message.objects.filter(recipient="cleo@example.com", kind=MessageKind.RULE_CHANGED).exists()
    assert AuditEvent.objects.filter(action=AuditAction.BOOKINGS_TOLD_OF_RULE).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.RULE_PUBLISHED).count() == 1
    confirmed.refresh_from_db()
    assert confirmed.status == BookingStatus.CONFIRMED  # the front desk decides: it shows as mismatched


def test_publishing_without_rescreen_tells_nobody(isotretinoin, admin, desk, reached):
    draft = draft_start(rule=isotretinoin, by=admin)
    twelve_months(draft)
    report = rule_draft_publish(draft=draft, by=admin, rescreen=False)
    assert report.revision.number == 2 and report.rescreened == 0
    assert not Message.objects.filter(kind__in=[MessageKind.RULE_CHANGED, MessageKind.RULE_CHANGED_BOOKINGS]).exists()


def test_a_refused_publication_re_screens_and_tells_nobody(isotretinoin, admin, desk, reached):
    draft = draft_start(rule=isotretinoin, by=admin)
    draft.conditions.update(value=365)  # the old examples now fail
    with pytest.raises(RulesAdminError, match="Example 1 fails"):
        rule_draft_publish(draft=draft, by=admin, rescreen=True)
    assert not Message.objects.filter(kind=MessageKind.RULE_CHANGED).exists()
    assert not Screening.objects.filter(reason=Screening.Reason.RESCREEN).exists()
    isotretinoin.refresh_from_db()
    assert isotretinoin.revision == 1


def test_the_preview_page_lists_the_bookings_and_publishing_offers_to_rescreen(
        admin_client, isotretinoin, admin, desk, reached):
    draft = draft_start(rule=isotretinoin, by=admin)
    twelve_months(draft)
    page = admin_client.get(f"/staff/rules/drafts/{draft.pk}/preview/")
    body = page.content.decode()
    assert "1 confirmed and 1 held bookings" in body and "Pat Example" in body and "Sam Example" in body
    assert 'name="rescreen"' in body and "checked" in body
    response = admin_client.post(f"/staff/rules/drafts/{draft.pk}/publish/", {"rescreen": "on"}, follow=True)
    assert "Re-screened 2 intakes; told 2 patients and the front desk." in response.content.decode()
    assert Message.objects.filter(kind=MessageKind.RULE_CHANGED).count() == 2


def test_publishing_a_failing_draft_from_the_page_says_why(admin_client, isotretinoin, admin, reached):
    draft = draft_start(rule=isotretinoin, by=admin)
    draft.conditions.update(value=365)
    response = admin_client.post(f"/staff/rules/drafts/{draft.pk}/publish/", {"rescreen": "on"}, follow=True)
    assert "Not published: Example 1 fails" in response.content.decode()


def test_the_previews_changed_intakes_link_to_the_staff_intake_page_a_clinic_admin_can_open(
        admin_client, isotretinoin, reached):
    """Not to the Django admin, which is for superusers only (review 0007)."""
    import re

    from screening.questionnaire.models import RuleDraft

    assert admin_client.post(f"/staff/rules/{isotretinoin.pk}/change/").status_code == 302
    draft = RuleDraft.objects.get(code="ISOTRETINOIN", status=RuleDraft.Status.DRAFT)
    draft.conditions.update(value=365)  # 12 months: the patients eight months off change outcome
    page = admin_client.get(f"/staff/rules/drafts/{draft.pk}/preview/").content.decode()
    changes = page.split('id="changes"', 1)[1]
    links = re.findall(r'href="(/staff/intakes/[^"]+/)"', changes)
    assert links and "/admin/" not in changes
    assert admin_client.get(links[0]).status_code == 200
