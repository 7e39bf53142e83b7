"""Keep secrets out of logs: patient link tokens appear in request paths."""

from __future__ import annotations

import logging
import re

_TOKEN_PATH = re.compile(r"(/intake/r/)[^/\s\"?]+")


def redact(text: str) -> str:
    return _TOKEN_PATH.sub(r"\1[redacted]", text)


class RedactTokensFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in args)
        # django.request attaches the request; its path is formatted elsewhere.
        return True
