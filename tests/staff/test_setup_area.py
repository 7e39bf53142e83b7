"""Issue 17: the clinic's set-up pages (/staff/setup/): every write audited, bad input kind, nothing lost."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.urls import reverse

from screening.audit.models import AuditAction, AuditEvent
from screening.booking.models import Practitioner, ScheduleException, WeeklyHours
from screening.core.clinic import clinic_today
from screening.core.models import ClinicSettings, Location, LocationHours, Treatment
from tests.staff.conftest import staff_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(personas):
    return staff_client(personas.clinic_admin)


def _setup_lines() -> int:
    return AuditEvent.objects.filter(action="setup_changed").count()


def _week(**days) -> dict:
    """POST data for the week form: ``mon=("09:00", "17:00")`` etc."""
    names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    data = {}
    for day, name in enumerate(names):
        if name in days:
            data.update({f"open_{day}": "on", f"start_{day}": days[name][0], f"end_{day}": days[name][1]})
    return data


@pytest.mark.parametrize("name", ["home", "profile", "locations", "location_new", "treatments", "treatment_new",
                                  "practitioners", "practitioner_new", "terms", "term_new"])
def test_every_set_up_list_and_new_page_opens_for_a_clinic_admin(admin, name):
    assert admin.get(reverse(f"setup:{name}")).status_code == 200


def test_the_home_page_links_what_clinic_admins_used_the_stock_admin_for(admin):
    page = admin.get(reverse("setup:home")).content.decode()
    for url in (reverse("setup:terms"), reverse("keys:list"), reverse("rules:list"), reverse("questions:list")):
        assert f'href="{url}"' in page, url
    assert "Erase this patient" in page  # where it is: the patient's own page
    assert 'href="/admin/"' not in page  # the stock admin is the superusers'


def test_three_days_of_hours_and_a_closure_take_a_handful_of_actions(admin, personas):
    person = personas.practitioner
    url = reverse("setup:practitioner_hours", args=[person.pk])
    # Tick Monday, Wednesday, Friday, type Monday's hours, copy (unsaved), save.
    data = {"open_0": "on", "start_0": "09:00", "end_0": "13:00", "open_2": "on", "open_4": "on"}
    copied = admin.post(url, {**data, "copy_from": "0"})
    assert copied.status_code == 200 and not person.hours.exists()
    week = copied.context["week"]
    assert week.data["start_4"] == "09:00" and week.data["end_2"] == "13:00" and not week.data.get("open_1")
    before = _setup_lines()
    assert admin.post(url, week.data).status_code == 302
    assert sorted(person.hours.values_list("weekday", "start", "end")) == [
        (0, time(9), time(13)), (2, time(9), time(13)), (4, time(9), time(13))]
    day = clinic_today() + timedelta(days=3)
    response = admin.post(reverse("setup:closure_add", args=[person.pk]),
                          {"date": day.isoformat(), "kind": "closed", "note": "Training"})
    assert response.status_code == 302
    assert ScheduleException.objects.get(practitioner=person).date == day
    assert _setup_lines() == before + 2


def test_copy_from_a_blank_week_fills_every_day(admin, personas):
    url = reverse("setup:practitioner_hours", args=[personas.practitioner.pk])
    week = admin.post(url, {"start_3": "10:00", "end_3": "16:00", "copy_from": "3"}).context["week"]
    assert all(week.data[f"open_{d}"] == "on" and week.data[f"start_{d}"] == "10:00" for d in range(7))


@pytest.mark.parametrize("data, message", [
    ({"open_1": "on", "start_1": "17:00", "end_1": "09:00"}, "Tuesday closes before it opens"),
    ({"open_1": "on", "start_1": "09:00"}, "Tuesday is ticked open"),
    ({"open_1": "on", "start_1": "nine", "end_1": "17:00"}, "Enter a valid time"),
])
def test_a_bad_week_is_refused_kindly_and_keeps_what_was_typed(admin, personas, data, message):
    WeeklyHours.objects.create(practitioner=personas.practitioner, weekday=0, start=time(9), end=time(17))
    response = admin.post(reverse("setup:practitioner_hours", args=[personas.practitioner.pk]),
                          {**_week(mon=("08:00", "12:00")), **data})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and 'value="08:00"' in page
    assert list(personas.practitioner.hours.values_list("start", flat=True)) == [time(9)]  # nothing saved


def test_a_nonsense_copy_button_value_shows_the_form_again(admin, personas):
    response = admin.post(reverse("setup:practitioner_hours", args=[personas.practitioner.pk]),
                          {**_week(mon=("09:00", "12:00")), "copy_from": "x"})
    assert response.status_code == 200 and 'value="09:00"' in response.content.decode()


@pytest.mark.parametrize("data, message", [
    ({"date": "", "kind": "closed"}, "This field is required"),
    ({"date": "31/02/2030", "kind": "closed"}, "Enter a valid date"),
    ({"date": "2030-01-07", "kind": "extra", "start": "12:00", "end": "10:00"}, "The end must be after the start"),
    ({"date": "2030-01-07", "kind": "extra"}, "Extra hours need a start and an end time"),
    ({"date": "2030-01-07", "kind": "holiday"}, "Select a valid choice"),
])
def test_a_bad_closure_is_refused_kindly(admin, personas, data, message):
    response = admin.post(reverse("setup:closure_add", args=[personas.practitioner.pk]), {**data, "note": "Kept"})
    assert response.status_code == 400
    assert message in response.content.decode() and 'value="Kept"' in response.content.decode()
    assert not ScheduleException.objects.exists()


def test_a_closure_is_removed_and_the_removal_audited(admin, personas):
    closure = ScheduleException.objects.create(practitioner=personas.practitioner, date=clinic_today(), kind="closed")
    before = _setup_lines()
    url = reverse("setup:closure_remove", args=[personas.practitioner.pk, closure.pk])
    assert admin.post(url).status_code == 302
    assert not ScheduleException.objects.exists() and _setup_lines() == before + 1
    assert admin.post(url).status_code == 302  # a second tap: gone already, no error


@pytest.mark.parametrize("changes, message", [
    ({"price": "-5"}, "greater than or equal to 0"),
    ({"max_days_ahead": "0"}, "greater than or equal to 1"),
    ({"buffer_minutes": "600"}, "less than or equal to 240"),
    ({"duration_minutes": "2"}, "treatment_duration_sensible"),
    ({"code": "face"}, "already exists"),
    ({"price": "lots"}, "Enter a number"),
])
def test_a_bad_treatment_is_refused_kindly_and_keeps_what_was_typed(admin, changes, message):
    data = {"name": "Neck", "code": "neck", "description": "Kept text", "duration_minutes": "45", "price": "80",
            "buffer_minutes": "15", "min_notice_hours": "24", "max_days_ahead": "60", "active": "on", "order": "5"}
    response = admin.post(reverse("setup:treatment_new"), {**data, **changes})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "Kept text" in page
    assert not Treatment.objects.filter(code="neck").exists()


def test_a_treatment_is_added_with_its_booking_rules_and_audited(admin):
    before = _setup_lines()
    data = {"name": "Neck", "code": "neck", "duration_minutes": "45", "price": "80.00", "buffer_minutes": "15",
            "min_notice_hours": "24", "max_days_ahead": "60", "active": "on", "order": "5"}
    assert admin.post(reverse("setup:treatment_new"), data).status_code == 302
    neck = Treatment.objects.get(code="neck")
    assert (neck.buffer_minutes, neck.min_notice_hours, neck.max_days_ahead, str(neck.price)) == (15, 24, 60, "80.00")
    assert _setup_lines() == before + 1


def test_the_profile_saves_and_a_bad_time_zone_or_hold_is_refused(admin):
    data = {"name": "High Street Skin", "email": "hello@clinic.example", "reply_to": "",
            "cancellation_text": "Please tell us 24 hours before.",
            "time_zone": "Europe/London", "address": "1 High Street", "phone": "020 7946 0000",
            "pre_care_text": "Clean skin", "aftercare_text": "Sunscreen", "reminder_hours": "48, 3",
            "recheck_hours": "48", "recheck_cutoff_hours": "12", "follow_up_days": "3", "full_intake_months": "6",
            "hold_min_notice_hours": "24", "hold_ends_before_hours": "12", "hold_alert_hours": "3",
            "retention_days": "90"}
    assert admin.post(reverse("setup:profile"), data).status_code == 302
    saved = ClinicSettings.objects.get(pk=1)
    assert (saved.address, saved.name, saved.email) == ("1 High Street", "High Street Skin", "hello@clinic.example")
    bad_email = admin.post(reverse("setup:profile"), {**data, "email": "not an email", "name": "Kept name"})
    assert bad_email.status_code == 400 and "Kept name" in bad_email.content.decode()
    bad = admin.post(reverse("setup:profile"), {**data, "time_zone": "Mars/Olympus", "address": "Kept address"})
    assert bad.status_code == 400 and "not a known time zone" in bad.content.decode()
    assert "Kept address" in bad.content.decode()
    hold = admin.post(reverse("setup:profile"), {**data, "hold_min_notice_hours": "6"})
    assert hold.status_code == 400 and "must be longer" in hold.content.decode()
    assert ClinicSettings.objects.get(pk=1).hold_min_notice_hours == 24


def _profile_data(**changes) -> dict:
    """The profile form as saved now, with ``changes``."""
    from screening.setup.area.forms import POLICY_FIELDS, PROFILE_FIELDS

    profile = ClinicSettings.objects.get_or_create(pk=1)[0]
    data = {name: getattr(profile, name) for name in PROFILE_FIELDS + POLICY_FIELDS}
    return {**data, **changes}


def test_a_clinic_with_one_location_moves_it_to_the_clinics_new_time_zone(admin):

    ClinicSettings.objects.update_or_create(pk=1, defaults={"time_zone": "Europe/London"})
    Location.objects.exclude(pk=Location.objects.order_by("pk").values("pk")[:1]).delete()
    place = Location.objects.order_by("pk").first() or Location.objects.create(name="High Street")
    Location.objects.filter(pk=place.pk).update(time_zone="Europe/London", active=True)
    response = admin.post(reverse("setup:profile"), _profile_data(time_zone="Europe/Dublin"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Location.objects.get(pk=place.pk).time_zone == "Europe/Dublin"
    assert AuditEvent.objects.filter(action=AuditAction.SETUP_CHANGED, object_type="location",
                                     object_id=str(place.pk), detail__contains="time_zone").exists()


def test_with_several_locations_each_keeps_its_own_time_zone(admin):

    ClinicSettings.objects.update_or_create(pk=1, defaults={"time_zone": "Europe/London"})
    london = Location.objects.create(name="High Street", time_zone="Europe/London")
    madrid = Location.objects.create(name="Gran Vía", time_zone="Europe/Madrid")
    assert admin.post(reverse("setup:profile"), _profile_data(time_zone="Europe/Dublin")).status_code == 302
    assert Location.objects.get(pk=london.pk).time_zone == "Europe/London"
    assert Location.objects.get(pk=madrid.pk).time_zone == "Europe/Madrid"


def test_a_location_is_added_with_its_hours_and_a_practitioner_there(admin):
    face = Treatment.objects.get(code="face")
    response = admin.post(reverse("setup:location_new"), {
        "name": "North", "address": "1 North Road", "time_zone": "Europe/London", "treatments": [face.pk],
        "active": "on", "order": "1"})
    north = Location.objects.get(name="North")
    assert response["Location"] == reverse("setup:location", args=[north.pk])
    assert admin.post(reverse("setup:location_hours", args=[north.pk]),
                      _week(mon=("10:00", "14:00"))).status_code == 302
    assert LocationHours.objects.get(location=north).start == time(10)
    response = admin.post(reverse("setup:practitioner_new"),
                          {"name": "Nora North", "location": north.pk, "treatments": [face.pk], "active": "on"})
    nora = Practitioner.objects.get(name="Nora North")
    assert nora.location == north and response.status_code == 302


def test_a_practitioner_needs_a_location_and_a_name(admin):
    response = admin.post(reverse("setup:practitioner_new"), {"name": "", "location": "", "active": "on"})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    response = admin.post(reverse("setup:practitioner_new"), {"name": "X", "location": "99999"})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()


def test_an_unknown_record_is_a_404_not_a_500(admin):
    assert admin.get(reverse("setup:location", args=[99999])).status_code == 404
    assert admin.post(reverse("setup:practitioner_hours", args=[99999]), {}).status_code == 404
    assert admin.get(reverse("setup:treatment", args=[99999])).status_code == 404


def test_front_desk_and_clinicians_are_refused(personas):
    for user in (personas.front_desk, personas.clinician):
        client = staff_client(user)
        assert client.get(reverse("setup:home")).status_code == 403
        assert client.post(reverse("setup:treatment_new"), {"name": "X"}).status_code == 403


def test_an_audit_line_names_the_fields_that_changed_not_every_field_posted(admin, personas):
    from screening.audit.log import Actor
    from screening.setup.area.services import location_save

    assert admin.post(reverse("setup:profile"), _profile_data()).status_code == 302  # as it was: saved once
    assert admin.post(reverse("setup:profile"), _profile_data(phone="0161 496 0000")).status_code == 302
    line = AuditEvent.objects.filter(action=AuditAction.SETUP_CHANGED).latest("id")
    assert line.detail == "clinic profile changed: phone"
    assert admin.post(reverse("setup:profile"), _profile_data()).status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.SETUP_CHANGED).latest("id").detail == \
        "clinic profile changed: nothing"
    place = Location.objects.create(name="High Street")
    by = Actor.staff(personas.clinic_admin)
    location_save(location=place, data={"name": "High Street", "treatments": Treatment.objects.filter(code="face")},
                  actor=by)
    assert AuditEvent.objects.filter(action=AuditAction.SETUP_CHANGED).latest("id").detail == \
        "location changed: treatments"
    added = location_save(location=None, data={"name": "Low Street", "address": "2 Low Street"}, actor=by)
    assert AuditEvent.objects.filter(action=AuditAction.SETUP_CHANGED, object_id=str(added.pk)).get().detail == \
        "location added: address, name"


def test_the_locations_list_shows_each_places_time_zone_and_its_days_by_name(admin):
    madrid = Location.objects.create(name="Gran Vía", time_zone="Europe/Madrid")
    LocationHours.objects.create(location=madrid, weekday=0, start=time(10), end=time(16))
    page = admin.get(reverse("setup:locations")).content.decode()
    row = page.split("Gran Vía", 1)[1].split("</tr>", 1)[0]
    assert "Europe/Madrid" in row and "Mon 10:00-16:00" in row
