"""Integration keys on the set-up pages (issue 17): list, make one (its secret shown once), revoke one.

Mounted at /staff/setup/keys/ by clinic.urls (namespace ``keys``). Clinic admins past their second
factor (the set-up pages' rule); the services hash the secret and write the audit lines.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from screening.core.client_ip import request_actor
from screening.fhir.models import IntegrationToken, TokenScope
from screening.fhir.services import integration_token_create, integration_token_revoke
from screening.review.permissions import requires
from screening.setup.area.views import INVALID, setup_page

MAKE_KEYS = "fhir.add_integrationtoken"
REVOKE_KEYS = "fhir.change_integrationtoken"


class KeyForm(forms.Form):
    name = forms.CharField(max_length=100, label="Which system will use it",
                           error_messages={"required": "Name the system that will use the key."},
                           help_text="For example “Practice EHR”: it names the key in the list and the audit trail.")
    scope = forms.ChoiceField(choices=TokenScope.choices, initial=TokenScope.READ, label="What it may read",
                              widget=forms.RadioSelect)

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())


def _page(request: HttpRequest, form: KeyForm, status: int = 200) -> HttpResponse:
    keys = IntegrationToken.objects.select_related("created_by")
    return render(request, "fhir/keys.html", {"keys": keys, "form": form}, status=status)


@setup_page(("GET", "HEAD"))
@requires("fhir.view_integrationtoken")
def key_list(request: HttpRequest) -> HttpResponse:
    return _page(request, KeyForm())


@setup_page(("POST",))
@requires(MAKE_KEYS)
def key_new(request: HttpRequest) -> HttpResponse:
    """The new key's secret is in this response only: never stored, never in a message or a redirect."""
    form = KeyForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=INVALID)
    token, secret = integration_token_create(name=form.cleaned_data["name"], scope=form.cleaned_data["scope"],
                                             by=request_actor(request))
    return render(request, "fhir/key_created.html", {"token": token, "secret": secret})


@setup_page(("POST",))
@requires(REVOKE_KEYS)
def key_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(IntegrationToken, pk=token_id)
    if integration_token_revoke(token_id=token.pk, by=request_actor(request)):
        messages.success(request, f"The key for “{token.name}” is revoked: it opens nothing from now on.")
    else:
        messages.info(request, f"The key for “{token.name}” was revoked already.")
    return redirect("keys:list")
