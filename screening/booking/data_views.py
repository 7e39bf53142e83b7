"""The patient's "Your data" page and its JSON download, through their own session.

Thin views: access (patient_intake_or_404), the audited read, render. Both
are never_cache (private details on possibly shared phones) and GET only:
reading changes nothing but the audit trail.
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from screening.booking.patient_data import as_json, patient_data, patient_intakes
from screening.core.client_ip import request_actor
from screening.core.clinic import clinic_zone
from screening.intake.access import patient_intake_or_404


@never_cache
@require_GET
def your_data(request: HttpRequest, public_id) -> HttpResponse:
    intake = patient_intake_or_404(request, public_id)
    data = patient_data(intakes=patient_intakes(request, intake), actor=request_actor(request), download=False)
    tz = clinic_zone()
    return render(request, "booking/your_data.html", {"intake": intake, "data": data, "tz": tz, "zone_name": str(tz)})


@never_cache
@require_GET
def your_data_download(request: HttpRequest, public_id) -> HttpResponse:
    intake = patient_intake_or_404(request, public_id)
    data = patient_data(intakes=patient_intakes(request, intake), actor=request_actor(request), download=True)
    response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False, default=as_json),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="your-data.json"'
    return response
