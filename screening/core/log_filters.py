"""Keep secrets out of logs: patient link tokens appear in request paths, staff searches in query strings.

Used by Django's logging (settings.LOGGING) and by gunicorn's access log
(deploy/gunicorn.conf.py), and to blank the links in sent messages.
"""

from __future__ import annotations

import logging
import re

_TOKEN_PATH = re.compile(r"(/intake/r/)[^/\s\"?]+")
# The staff queue's search (a name or an email) and any email in a query string, also when the whole
# address rides URL-encoded in another parameter (the sign-in page's ?next=/staff/%3Fq%3D...).
_PERSONAL_PARAMETER = re.compile(r"([?&](?:q|email)=|(?:%3F|%26)(?:q|email)%3D)(?:(?!%26)[^&\s\"])*",
                                 re.IGNORECASE)


def redact(text: str) -> str:
    return _PERSONAL_PARAMETER.sub(r"\1[redacted]", _TOKEN_PATH.sub(r"\1[redacted]", text))


class RedactTokensFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # Format first, then redact: a token may sit in the arguments, as in
        # the dev server's '"GET %s HTTP/1.1"' lines.
        try:
            message = record.getMessage()
        except Exception:  # a malformed log call: leave it to the handler
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
