"""No health data and no link token in the logs."""

from __future__ import annotations

import io
import logging
import re

import pytest
from django.test import Client
from django.urls import reverse

from screening.core.log_filters import RedactTokensFilter
from tests.intake.helpers import complete, last_link

pytestmark = pytest.mark.django_db

MARKERS = ["MARKERWARFARIN7731", "MARKERLATEX4410", "MARKERSURNAME9921"]


@pytest.fixture
def captured_logs(caplog):
    """Everything every configured handler writes, plus what reaches the root logger."""
    caplog.set_level(logging.DEBUG)
    buffer = io.StringIO()
    swapped = []
    loggers = [logging.getLogger()] + [logging.getLogger(n) for n in logging.root.manager.loggerDict]
    handlers = {id(h): h for logger in loggers for h in getattr(logger, "handlers", [])
                if isinstance(h, logging.StreamHandler) and not isinstance(h, logging.FileHandler)}
    for handler in handlers.values():
        swapped.append((handler, handler.setStream(buffer)))
    yield lambda: buffer.getvalue() + "\n" + caplog.text
    for handler, stream in swapped:
        handler.setStream(stream)


def test_markers_in_answers_and_link_tokens_never_reach_the_logs(client, captured_logs):
    intake = complete(client, answers={
        1: {"last_name": MARKERS[2], "first_name": "Pat"},
        3: {"blood_thinners": "yes", "blood_thinners_detail": MARKERS[0]},
        4: {"other_allergies": MARKERS[1]},
        5: {"consent_signature": f"Pat {MARKERS[2]}"},
    })
    token = last_link().rstrip("/").rsplit("/", 1)[-1]
    other = Client()
    other.get(last_link())
    other.get(f"/intake/r/{token}x/")  # unknown link: a logged 404
    other.get(reverse("intake:outcome", args=[intake.public_id]))  # someone else's: 404
    logging.getLogger("django.server").info('"GET /intake/r/%s/ HTTP/1.1" 302 0', token)

    text = captured_logs()
    assert "Not Found" in text or "[redacted]" in text  # the logs did capture requests
    for marker in MARKERS:
        assert marker not in text
    assert token not in text


def test_the_filter_redacts_tokens_in_messages_and_arguments():
    record = logging.LogRecord("django.server", logging.INFO, __file__, 1,
                               '"GET %s HTTP/1.1" 302', ("/intake/r/abcDEF123_-/",), None)
    RedactTokensFilter().filter(record)
    assert record.getMessage() == '"GET /intake/r/[redacted]/ HTTP/1.1" 302'
    assert not re.search("abcDEF123", record.getMessage())
