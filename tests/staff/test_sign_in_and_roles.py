"""Sign-in, password reset by email, login required by default, and the roles."""

from __future__ import annotations

import importlib
import re
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, User
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from screening.audit.models import AuditEvent
from screening.review.permissions import (
    CLINIC_ADMIN,
    CLINICIAN,
    FRONT_DESK,
    ROLE_PERMISSIONS,
)
from tests.staff.conftest import PASSWORD, make_staff, staff_client, verify_second_factor

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_sign_in_from_staff_and_admin_pages():
    for url in ("/staff/", "/staff/bookings/", "/admin/", "/admin/questionnaire/rule/"):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/staff/login/?next={url}"


def test_a_new_staff_view_without_the_public_marker_is_protected_by_default(personas, settings):
    settings.ROOT_URLCONF = "tests.staff.urls_with_new_view"
    response = Client().get("/staff/new-report/")
    assert response.status_code == 302 and response["Location"].startswith("/staff/login/?next=")
    assert staff_client(personas.front_desk).get("/staff/new-report/").status_code == 200


def test_signing_in_leads_to_the_page_asked_for(personas):
    client = Client()
    response = client.post(reverse("staff:login") + "?next=/staff/bookings/",
                           {"username": "frank", "password": PASSWORD, "next": "/staff/bookings/"})
    assert response.status_code == 302 and response["Location"] == "/staff/bookings/"
    # Front desk too enters a code first (they have no device yet: the set-up page), then the page asked for.
    assert client.get("/staff/bookings/")["Location"] == "/staff/two-factor/set-up/?next=%2Fstaff%2Fbookings%2F"
    verify_second_factor(client, personas.front_desk)
    assert client.get("/staff/bookings/").status_code == 200


def test_a_wrong_password_keeps_the_visitor_out(personas):
    client = Client()
    page = client.post(reverse("staff:login"), {"username": "frank", "password": "nope"})
    assert page.status_code == 200 and "enter a correct username and password" in page.content.decode()
    assert client.get("/staff/").status_code == 302


def test_an_account_without_a_role_gets_403_on_staff_pages(personas):
    client = staff_client(personas.outsider)
    assert client.get(reverse("staff:queue")).status_code == 403
    assert client.get(reverse("staff:intake", args=[personas.intake_a.public_id])).status_code == 403


def test_front_desk_and_clinicians_cannot_use_the_django_admin(personas):
    for user in (personas.front_desk, personas.clinician):
        assert staff_client(user).get("/admin/").status_code == 403


def test_the_django_admin_is_for_superusers_and_sends_a_clinic_admin_to_the_set_up(personas):
    admin = staff_client(personas.clinic_admin)
    for url in ("/admin/", "/admin/questionnaire/rule/", reverse("admin:auth_user_changelist")):
        response = admin.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("setup:home"), url
    page = admin.get(reverse("setup:home"))
    assert "The Django admin is for system administrators" in page.content.decode()
    assert 'href="/admin/"' not in page.content.decode()  # no "Admin" link in the staff navigation
    superuser = staff_client(make_staff("sam", None, superuser=True))
    assert superuser.get("/admin/").status_code == 200
    assert superuser.get(reverse("admin:auth_user_changelist")).status_code == 200
    assert 'href="/admin/"' in superuser.get(reverse("staff:queue")).content.decode()


def test_the_admin_site_itself_refuses_anyone_but_a_superuser(personas, rf):
    from django.contrib import admin

    request = rf.get("/admin/")
    request.user = personas.clinic_admin
    assert admin.site.has_permission(request) is False
    request.user = make_staff("sam", None, superuser=True)
    assert admin.site.has_permission(request) is True


def test_a_clinic_admin_changes_rules_and_questions_on_the_staff_side_but_not_accounts(personas):
    admin = staff_client(personas.clinic_admin)
    assert admin.get(reverse("rules:list")).status_code == 200
    assert admin.get(reverse("questions:list")).status_code == 200
    assert not personas.clinic_admin.has_perm("auth.change_user")


def test_a_staff_member_resets_a_forgotten_password_by_email(personas):
    client = Client()
    mail.outbox.clear()
    response = client.post(reverse("staff:password_reset"), {"email": "frank@clinic.example"})
    assert response["Location"] == reverse("staff:password_reset_done")
    [message] = mail.outbox
    link = re.search(r"https?://[^/\s]+(/staff/reset/[^\s]+/)", message.body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0],
                       {"new_password1": "a much longer new secret 42", "new_password2": "a much longer new secret 42"})
    assert done["Location"] == reverse("staff:password_reset_complete")
    assert User.objects.get(username="frank").check_password("a much longer new secret 42")
    assert AuditEvent.objects.filter(action="password_reset", actor=personas.front_desk).count() == 1


def test_an_unknown_address_gets_the_same_answer_and_no_email(personas):
    mail.outbox.clear()
    response = Client().post(reverse("staff:password_reset"), {"email": "nobody@example.com"})
    assert response["Location"] == reverse("staff:password_reset_done")
    assert mail.outbox == []


def test_each_role_has_its_permissions(personas):
    perms = {g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()}
    assert perms[FRONT_DESK] >= {"view_intake", "view_booking"} and "decide_intake" not in perms[FRONT_DESK]
    assert perms[CLINICIAN] >= perms[FRONT_DESK] | {"decide_intake"}
    assert perms[CLINIC_ADMIN] >= perms[CLINICIAN] | {"change_clinicsettings", "change_rule", "change_question",
                                                       "change_treatment", "change_medicineterm"}
    assert "access_admin" not in perms[CLINIC_ADMIN]  # the stock admin is for superusers (review/0007)
    assert not personas.front_desk.has_perm("review.decide_intake")
    assert personas.clinician.has_perm("review.decide_intake")
    assert not personas.clinician.has_perm("questionnaire.change_rule")


def test_the_roles_migration_matches_the_code_and_can_run_twice():
    migration = importlib.import_module("screening.review.migrations.0002_staff_roles")
    # The roles in code are the frozen lists of 0002 plus those later migrations add, nothing more or less.
    added = [importlib.import_module(f"screening.{name}").ADDED
             for name in ("review.migrations.0003_message_permissions", "review.migrations.0004_medicine_list_role",
                          "fhir.migrations.0002_clinic_admin_permissions", "review.migrations.0005_course_roles",
                          "review.migrations.0005_book_for_patient_role",
                          "questionnaire.migrations.0010_spanish_defaults")]
    removed = [importlib.import_module(f"screening.{name}").REMOVED
               for name in ("review.migrations.0007_admin_for_superusers",)]
    frozen = {name: set(perms).union(*(more.get(name, []) for more in added))
              .difference(*(less.get(name, []) for less in removed)) for name, perms in migration.ROLES.items()}
    assert frozen == {name: set(perms) for name, perms in ROLE_PERMISSIONS.items()}
    editor = SimpleNamespace(connection=connection)  # all create_roles reads of its schema editor
    migration.create_roles(django_apps, editor)
    migration.create_roles(django_apps, editor)
    assert Group.objects.filter(name__in=ROLE_PERMISSIONS).count() == 3
    for name, perms in ROLE_PERMISSIONS.items():
        granted = Group.objects.get(name=name).permissions.values_list("content_type__app_label", "codename")
        assert {f"{app}.{codename}" for app, codename in granted} >= set(perms)


def test_seed_demo_still_makes_one_account_per_role():
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))
    for username, perm, expected in [("frontdesk", "review.decide_intake", False),
                                     ("clinician", "review.decide_intake", True)]:
        user = User.objects.get(username=username)
        assert user.has_perm(perm) is expected, username
    # The demo admin is a superuser (every permission): its role is what can fail here.
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and list(admin.groups.values_list("name", flat=True)) == [CLINIC_ADMIN]


def test_as_migrated_a_clinic_admin_no_longer_holds_the_admin_permission():
    # review/0007 took it away from the group 0002 made (no roles_install here: the migrated database).
    granted = set(Group.objects.get(name=CLINIC_ADMIN).permissions.values_list("content_type__app_label", "codename"))
    assert ("core", "access_admin") not in granted and ("core", "change_clinicsettings") in granted


@pytest.mark.django_db
def test_the_migrations_grant_issue_19s_permissions_to_every_role():
    # As migrated (no roles_install): review/0005 gives every role booking for patients and correcting emails.
    for name in (FRONT_DESK, CLINICIAN, CLINIC_ADMIN):
        granted = set(Group.objects.get(name=name).permissions.values_list("content_type__app_label", "codename"))
        assert {("booking", "book_for_patient"), ("intake", "correct_email")} <= granted, name
