"""The queue at a glance in a real browser (issue 19): ten rows and more on a 1280 x 800 screen, axe clean."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from screening.booking.models import Booking, BookingStatus, Practitioner
from screening.core.models import Treatment
from screening.review.permissions import CLINICIAN
from tests.browser.staff import authenticator, sign_in
from tests.staff.conftest import PASSWORD, bulk_intakes, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("second_factor_on")]


def test_ten_rows_and_more_fit_an_800_px_screen(desktop):
    practitioner = Practitioner.objects.create(name="Anna Baker")
    practitioner.treatments.set(Treatment.objects.all())
    bulk_intakes(30, practitioner=practitioner, prefix="glance")
    assert Booking.objects.filter(status=BookingStatus.HELD, hold_expires_at__gt=timezone.now()).exists()
    clinician: User = make_staff("cleo", CLINICIAN)
    desktop.page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(desktop, "cleo", PASSWORD, authenticator(clinician), start="/staff/")
    page = desktop.page
    desktop.shot("queue at 1280 x 800")
    bottoms = page.evaluate("() => [...document.querySelectorAll('tbody tr')]"
                            ".map(row => row.getBoundingClientRect().bottom)")
    assert len([bottom for bottom in bottoms if bottom <= 800]) >= 10, bottoms[:12]
    # Flags in words, the hold's time left; no code shown as text.
    text = page.inner_text("tbody")
    assert "Glance0 Patient" in text and "hold ends in" in text
    assert "BLEEDING_DISORDER" not in text
    desktop.assert_accessible()
