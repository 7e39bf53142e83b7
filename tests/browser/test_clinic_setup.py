"""Issue 17: a clinic admin opens a second location through the set-up pages at 1280 px; a patient on a
390 px phone picks it, books, and the confirmation names its address. axe on every set-up page."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from screening.booking.models import Booking, Practitioner
from screening.core.models import Location, Treatment
from screening.review.permissions import CLINIC_ADMIN
from screening.setup.demo import seed_calendar
from tests.browser.patient import _fill
from tests.browser.staff import authenticator, checked, sign_in
from tests.staff.conftest import PASSWORD, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("second_factor_on")]


def _week(visit, opens: str, closes: str) -> None:
    """Monday's hours, "Copy to every day" (a blank week: all seven), save: four actions."""
    page = visit.page
    page.get_by_label("Monday: open").check()
    page.get_by_label("Monday from").fill(opens)
    page.get_by_label("Monday to").fill(closes)
    page.get_by_role("button", name="Copy to every day (from Monday)").click()
    expect(page.get_by_label("Sunday to")).to_have_value(closes)
    checked(visit, "week copied")
    page.get_by_role("button", name="Save the week").click()
    expect(page.get_by_text("The week's hours are saved.")).to_be_visible()


def test_a_second_location_set_up_by_the_clinic_admin_is_booked_by_a_patient_on_a_phone(desktop, phone):
    seed_calendar()
    admin = make_staff("adele", CLINIC_ADMIN)
    sign_in(desktop, "adele", PASSWORD, authenticator(admin), start="/staff/setup/")
    page = desktop.page
    expect(page.get_by_role("heading", name="The clinic's set-up")).to_be_visible()
    checked(desktop, "set-up home")
    for link, heading in (("Clinic profile", "Clinic profile"), ("Treatments", "Treatments")):
        page.get_by_role("navigation", name="Set-up").get_by_role("link", name=link).click()
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        checked(desktop, heading)
    page.get_by_role("link", name="Add a treatment").click()
    page.get_by_role("button", name="Add the treatment").click()  # empty: refused, with the reasons
    expect(page.locator("#form-errors")).to_be_visible()
    checked(desktop, "a treatment refused")
    page.get_by_role("navigation", name="Set-up").get_by_role("link", name="Treatments").click()
    page.get_by_role("link", name="Face and neck").click()
    checked(desktop, "a treatment")
    page.get_by_role("navigation", name="Set-up").get_by_role("link", name="Locations").click()
    checked(desktop, "locations")

    page.get_by_role("link", name="Add a location").click()
    checked(desktop, "new location")
    page.get_by_label("Name").fill("North Clinic")
    page.get_by_label("Address").fill("5 North Road\nLeeds LS1 1AA")
    page.get_by_label("Time zone").fill("Europe/Madrid")  # its hours and times are read there (the clinic: London)
    page.get_by_label("Face and neck").check()
    page.get_by_role("button", name="Add the location").click()
    expect(page.get_by_text("The location is saved.")).to_be_visible()
    checked(desktop, "the location")
    _week(desktop, "10:00", "16:00")

    page.get_by_role("navigation", name="Set-up").get_by_role("link", name="Practitioners").click()
    checked(desktop, "practitioners")
    page.get_by_role("link", name="Add a practitioner").click()
    checked(desktop, "new practitioner")
    page.get_by_label("Name").fill("Nora North")
    page.get_by_label("Location").select_option(label="North Clinic")
    page.get_by_label("Face and neck").check()
    page.get_by_role("button", name="Add the practitioner").click()
    expect(page.get_by_text("The practitioner is saved.")).to_be_visible()
    checked(desktop, "the practitioner")
    _week(desktop, "09:00", "17:00")
    page.get_by_label("Date").fill("2031-01-06")
    page.get_by_role("button", name="Add to the calendar").click()
    expect(page.get_by_text("is in Nora North's calendar")).to_be_visible()
    checked(desktop, "a day off")

    north = Location.objects.get(name="North Clinic")
    nora = Practitioner.objects.get(name="Nora North")
    assert nora.location == north and north.treatments.filter(code="face").exists()
    assert north.time_zone == "Europe/Madrid"
    assert Treatment.objects.get(code="face").practitioners.count() == 3

    # The patient, on a phone: two places to choose from, then North Clinic's times (inside 10:00-16:00, Madrid).
    _fill(phone)
    ppage = phone.page
    ppage.get_by_role("link", name="Choose a time").click()
    expect(ppage.get_by_role("heading", name="Where would you like to come?")).to_be_visible()
    checked(phone, "choose where")
    ppage.get_by_role("link", name="North Clinic").click()
    expect(ppage.locator("#picker-location")).to_contain_text("North Clinic")
    expect(ppage.get_by_text("Times are Europe/Madrid time.")).to_be_visible()
    assert ppage.locator(".slot-who").count() == 0  # each time once, "any practitioner"
    first = ppage.locator(".slot-grid .slot-time").first.inner_text()
    assert "10:00" <= first < "16:00"
    ppage.locator(".slot-grid label").first.click()
    checked(phone, "north clinic's times")
    ppage.get_by_role("button", name="Book this time").click()
    expect(ppage.get_by_role("heading", name="Your appointment")).to_be_visible()
    expect(ppage.locator("#booking-address")).to_contain_text("5 North Road")
    expect(ppage.get_by_text("(Europe/Madrid time)")).to_be_visible()
    checked(phone, "booked at north clinic")
    booking = Booking.objects.get(status="confirmed")
    assert booking.practitioner == nora
    assert f"{booking.start.astimezone(ZoneInfo('Europe/Madrid')):%H:%M}" == first  # stored in UTC, read in Madrid
