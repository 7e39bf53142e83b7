"""The medicine and allergen list free-text answers are read for, on the set-up pages (issue 17).

Clinic admins list, add and change terms here; a term is retired (``active`` unticked), never
deleted, since past questionnaire versions list it. ``services.medicine_term_save`` audits the
change and publishes the questionnaire version that carries the list.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from screening.core.client_ip import request_actor
from screening.questionnaire.models import MedicineTerm
from screening.setup.area import services
from screening.setup.area.views import _posted, _saved, _status, setup_page

TERM_FIELDS = ["term", "term_class", "aliases", "source", "active"]


class MedicineTermForm(forms.ModelForm):
    class Meta:
        model = MedicineTerm
        fields = TERM_FIELDS
        error_messages = {"term_class": {"invalid": "Write the class as one word: letters, digits, underscores "
                                                    "or hyphens, no spaces (e.g. oral_retinoid)."}}

    def clean_term(self) -> str:
        return " ".join(self.cleaned_data["term"].split())

    def clean_aliases(self) -> str:
        return ", ".join(a.strip() for a in self.cleaned_data["aliases"].split(",") if a.strip())


@setup_page(("GET", "HEAD"))
def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "setup/area/terms.html", {"terms": MedicineTerm.objects.all()})


@setup_page()
def term(request: HttpRequest, term_id: int | None = None) -> HttpResponse:
    item = get_object_or_404(MedicineTerm, pk=term_id) if term_id else None
    form = MedicineTermForm(_posted(request), instance=item)

    def save(data):
        saved, version = services.medicine_term_save(term=item, data=data, actor=request_actor(request))
        if version is not None:
            messages.info(request, f"Published questionnaire version {version.number}: the next screening "
                                   "reads the new list.")
        return saved

    done = _saved(request, form, save, "The medicine list is saved.", "setup:terms")
    return done or render(request, "setup/area/term.html", {"item": item, "form": form},
                          status=_status(request, form))
