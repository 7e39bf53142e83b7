"""The patient's language switch: a choice on any patient page, kept in the session and on their intakes."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from screening.core.language import known_language, remember_language
from screening.intake import access
from screening.intake.services import intake_language_set


@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """Switch the patient's pages and emails to the language chosen, then back to the page they were on."""
    code = known_language(request.POST.get("language"))
    remember_language(request, code)
    granted = list(request.session.get(access.SESSION_KEY, []))
    if granted:
        intake_language_set(public_ids=granted, language=code)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/intake/"
    return redirect(target)
