"""Keep secrets out of logs: patient link tokens appear in request paths."""

from __future__ import annotations

import logging
import re

_TOKEN_PATH = re.compile(r"(/intake/r/)[^/\s\"?]+")


def redact(text: str) -> str:
    return _TOKEN_PATH.sub(r"\1[redacted]", text)


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
