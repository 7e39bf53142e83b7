"""The patient's language: chosen on the patient pages, remembered on the intake, used for every page and email.

Patients arrive through a secret link and a session, never a URL prefix, so the
language lives in the session (``LANGUAGE_KEY``) and on the intake
(``Intake.language``): opening a link puts the intake's language in the session,
and choosing one on a page writes it to the intakes the session holds. Emails
are written in the intake's language (``language_override``). Staff pages,
the admin, FHIR and the health checks stay in the clinic's language, English.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

LANGUAGE_KEY = "patient_language"
# Paths that are never a patient's: they stay in the clinic's language.
STAFF_PREFIXES = ("/staff/", "/admin/", "/fhir/", "/health/")
DEFAULT_LANGUAGE = "en"


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def known_language(code: object) -> str:
    """``code`` when it is one of the clinic's languages, else English."""
    return code if isinstance(code, str) and code in language_codes() else DEFAULT_LANGUAGE


def _activation_code(code: str) -> str:
    # English is the clinic's own English (LANGUAGE_CODE, en-gb): its date formats, not the US ones.
    return settings.LANGUAGE_CODE if code == DEFAULT_LANGUAGE else code


def language_override(code: object) -> translation.override:
    """Render in a patient's language: ``with language_override(intake.language): render_to_string(...)``."""
    return translation.override(_activation_code(known_language(code)))


def request_language(request: HttpRequest) -> str:
    """The patient's language: their choice in this session, else their browser's, else English."""
    chosen = request.session.get(LANGUAGE_KEY) if hasattr(request, "session") else None
    if chosen in language_codes():
        return chosen
    return known_language(translation.get_supported_language_variant(
        translation.get_language_from_request(request, check_path=False)).split("-")[0])


def remember_language(request: HttpRequest, code: object) -> None:
    request.session[LANGUAGE_KEY] = known_language(code)


class PatientLanguageMiddleware:
    """Patient pages in the patient's language; every other page in the clinic's. Nothing leaks past a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        code = DEFAULT_LANGUAGE if request.path.startswith(STAFF_PREFIXES) else request_language(request)
        with translation.override(_activation_code(code)):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", code)
        return response
