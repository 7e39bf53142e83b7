"""The floor: the least a Django view can do here, for the benchmark to compare against.

Mounted at /bench-floor/ only by bench/urls.py (DJANGO_SETTINGS_MODULE=bench.settings), so it
runs in the same process, settings, middleware and database as the app. GET
renders a small template after one query; POST validates a 40-field form and
inserts one row into ``bench_floor_row``, a table the benchmark creates with
raw SQL (no model, no migration: it is not part of the app), then redirects.
"""

from __future__ import annotations

import json

from django import forms
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from screening.core.models import Treatment

TABLE_SQL = """
CREATE TABLE IF NOT EXISTS bench_floor_row (
    id bigserial PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    data jsonb NOT NULL
)
"""
YES_NO = [("yes", "Yes"), ("no", "No")]


class FloorForm(forms.Form):
    """Forty fields of the kinds the intake asks: text, yes/no, numbers, dates."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(10):
            self.fields[f"text_{n}"] = forms.CharField(max_length=100)
            self.fields[f"choice_{n}"] = forms.ChoiceField(choices=YES_NO)
            self.fields[f"number_{n}"] = forms.IntegerField(min_value=0, max_value=1000)
            self.fields[f"date_{n}"] = forms.DateField()


def floor_payload(n: int = 0) -> dict[str, str]:
    """A valid POST for FloorForm (the load generator sends the same)."""
    data = {}
    for i in range(10):
        data[f"text_{i}"] = f"answer {n} {i}"
        data[f"choice_{i}"] = "yes" if (n + i) % 2 else "no"
        data[f"number_{i}"] = str((n * 7 + i) % 1000)
        data[f"date_{i}"] = f"2026-0{1 + i % 9}-1{i}"
    return data


@never_cache
@require_http_methods(["GET", "POST"])
def floor(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = FloorForm(request.POST)
        if not form.is_valid():
            return HttpResponseBadRequest("invalid")
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO bench_floor_row (data) VALUES (%s)",
                           [json.dumps(form.cleaned_data, cls=DjangoJSONEncoder)])
        return redirect("bench_floor")
    treatments = list(Treatment.objects.filter(active=True).values_list("name", flat=True))
    return render(request, "bench/floor.html", {"treatments": treatments})
