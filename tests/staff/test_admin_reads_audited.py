"""Every read of patient records in the Django admin writes an audit line (issue 15): lists, searches, pages.

The admin is for superusers (issue 17): they read as a superuser does.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from screening.audit.models import AuditAction, AuditEvent
from tests.staff.conftest import make_staff, staff_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return make_staff("sam", None, superuser=True)

MODELS = ["intake_intake", "intake_screening", "intake_patientquestion", "intake_accesslink", "booking_booking",
          "review_intakedecision"]


@pytest.mark.parametrize("model", MODELS)
def test_an_admin_list_of_patient_records_is_audited_without_the_search_terms(personas, superuser, model):
    client = staff_client(superuser)
    before = AuditEvent.objects.count()
    response = client.get(reverse(f"admin:{model}_changelist"), {"q": "Alex Example"})
    assert response.status_code == 200
    [line] = AuditEvent.objects.order_by("-id")[: AuditEvent.objects.count() - before]
    assert line.action == AuditAction.RECORDS_LISTED and line.actor == superuser
    assert "searched" in line.detail and "Alex" not in line.detail and "Example" not in line.detail


def test_an_admin_page_of_an_intake_is_audited_as_a_view_of_it(personas, superuser):
    client = staff_client(superuser)
    intake = personas.intake_a
    assert client.get(reverse("admin:intake_intake_change", args=[intake.pk])).status_code == 200
    line = AuditEvent.objects.latest("id")
    assert (line.action, line.intake_id, line.actor) == (AuditAction.INTAKE_VIEWED, intake.pk, superuser)
    screening = intake.screenings.first()
    assert client.get(reverse("admin:intake_screening_change", args=[screening.pk])).status_code == 200
    line = AuditEvent.objects.latest("id")
    assert (line.action, line.intake_id) == (AuditAction.INTAKE_VIEWED, intake.pk)
    rows = [r for r in client.get(reverse("admin:intake_intake_changelist")).context["cl"].result_list]
    listed = AuditEvent.objects.latest("id")
    assert listed.action == AuditAction.RECORDS_LISTED and f"{len(rows)} shown" in listed.detail
    assert str(intake.pk) in listed.detail
