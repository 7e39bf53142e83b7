"""The staff tests' personas, reused here; a cold questionnaire cache for the patient-page tests."""

import pytest

from screening.questionnaire import selectors
from tests.staff.conftest import personas  # noqa: F401


@pytest.fixture
def cold_questionnaire_cache():
    """Each test starts as a fresh process would: nothing cached."""
    selectors.forget_questionnaire()
