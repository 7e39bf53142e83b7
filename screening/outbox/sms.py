"""Text messages through a pluggable backend (``SMS_BACKEND``), like Django's email backends.

- ``ConsoleBackend`` (the default) writes each text to standard output;
- ``LocmemBackend`` keeps them in ``screening.outbox.sms.outbox`` (tests);
- ``TwilioBackend`` posts to Twilio's Messages API (``SMS_API_URL``,
  ``SMS_ACCOUNT_SID``, ``SMS_AUTH_TOKEN``, ``SMS_FROM``), with ``SMS_TIMEOUT``.

A backend's ``send(to, body)`` raises on any failure; the outbox records it
and tries again later.
"""

from __future__ import annotations

import base64
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

outbox: list[SentText] = []


@dataclass(frozen=True)
class SentText:
    to: str
    body: str


class SmsError(Exception):
    """The provider refused the text or could not be reached."""


class ConsoleBackend:
    def send(self, to: str, body: str) -> None:
        sys.stdout.write(f"--- text message to {to} ---\n{body}\n---\n")
        sys.stdout.flush()


class LocmemBackend:
    def send(self, to: str, body: str) -> None:
        outbox.append(SentText(to=to, body=body))


class TwilioBackend:
    """Twilio's REST API: POST /2010-04-01/Accounts/{sid}/Messages.json, HTTP basic auth."""

    def send(self, to: str, body: str) -> None:
        sid, token = settings.SMS_ACCOUNT_SID, settings.SMS_AUTH_TOKEN
        if not (sid and token and settings.SMS_FROM):
            raise SmsError("SMS_ACCOUNT_SID, SMS_AUTH_TOKEN and SMS_FROM must be set to send texts.")
        url = f"{settings.SMS_API_URL.rstrip('/')}/2010-04-01/Accounts/{urllib.parse.quote(sid)}/Messages.json"
        data = urllib.parse.urlencode({"To": to, "From": settings.SMS_FROM, "Body": body}).encode()
        request = urllib.request.Request(url, data=data, method="POST")
        request.add_header("Authorization", "Basic " + base64.b64encode(f"{sid}:{token}".encode()).decode())
        try:
            with urllib.request.urlopen(request, timeout=settings.SMS_TIMEOUT) as response:  # noqa: S310 (https in settings)
                reply = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            raise SmsError(f"The text provider refused the message (HTTP {exc.code}).") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsError(f"The text provider could not be reached ({exc}).") from None
        except ValueError:
            raise SmsError("The text provider's answer was not JSON.") from None
        if reply.get("error_code"):
            raise SmsError(f"The text provider refused the message (error {reply['error_code']}).")


def sms_backend():
    return import_string(settings.SMS_BACKEND)()
