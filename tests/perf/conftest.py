"""The staff tests' personas, reused here."""

from tests.staff.conftest import personas  # noqa: F401
