"""The staff permission backend gives Django's answer, in one query instead of two."""

from __future__ import annotations

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from screening.review.permission_backend import StaffPermissionBackend

pytestmark = pytest.mark.django_db


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)  # no per-request cache carried over


@pytest.mark.parametrize("role", ["Front desk", "Clinician", "Clinic admin"])
def test_a_role_holds_what_djangos_backend_says_in_one_query(role):
    user = User.objects.create_user("sam", password="x")
    user.groups.add(Group.objects.get(name=role))
    user.user_permissions.add(Permission.objects.get(codename="view_user"))  # one of their own besides
    expected = ModelBackend().get_all_permissions(_fresh(user))
    assert "auth.view_user" in expected and len(expected) > 1
    fresh = _fresh(user)
    with CaptureQueriesContext(connection) as queries:
        assert StaffPermissionBackend().get_all_permissions(fresh) == expected
        assert fresh.has_perm(next(iter(expected - {"auth.view_user"})))  # cached for the request
    assert len(queries) == 1


def test_inactive_anonymous_and_per_object_questions_hold_nothing():
    user = User.objects.create_user("sam", password="x", is_active=False)
    user.groups.add(Group.objects.get(name="Clinic admin"))
    backend = StaffPermissionBackend()
    assert backend.get_all_permissions(_fresh(user)) == set()
    active = User.objects.create_user("kim", password="x")
    active.groups.add(Group.objects.get(name="Clinic admin"))
    assert backend.get_all_permissions(_fresh(active), obj=active) == set()


def test_a_superuser_holds_every_permission():
    root = User.objects.create_superuser("root", password="x")
    assert StaffPermissionBackend().get_all_permissions(_fresh(root)) == ModelBackend().get_all_permissions(
        _fresh(root)) == {f"{p.content_type.app_label}.{p.codename}" for p in Permission.objects.all()}
