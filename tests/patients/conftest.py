from tests.booking.conftest import _booking_settings, calendar  # noqa: F401  (a calendar open every day)
from tests.staff.conftest import _second_factor_on, personas  # noqa: F401  (the staff personas and 2FA)
