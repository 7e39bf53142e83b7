from tests.staff.conftest import _second_factor_on, personas  # noqa: F401  (the staff personas and 2FA)
