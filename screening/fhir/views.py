"""The read-only FHIR API: ``GET /fhir/<Type>/<id>`` and ``GET /fhir/<Type>?<params>``.

An integration key, never a session: the API reads no cookie, so it needs
no CSRF check, and a signed-in staff browser gets nothing from it either.
Every answer that shows records is written to the audit trail; every
refusal is an OperationOutcome.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from screening.core.client_ip import client_ip
from screening.fhir import selectors
from screening.fhir.models import IntegrationToken
from screening.fhir.services import TokenRefused, fhir_read_log, integration_token_check

FHIR_JSON = "application/fhir+json; charset=utf-8"
DEFAULT_COUNT, MAX_COUNT = 50, 200
PAGING = ("_count", "_offset")


def fhir_response(resource: dict[str, Any], status: int = 200) -> HttpResponse:
    return HttpResponse(json.dumps(resource, ensure_ascii=False), status=status, content_type=FHIR_JSON)


def outcome(status: int, code: str, message: str) -> HttpResponse:
    response = fhir_response({"resourceType": "OperationOutcome", "issue": [
        {"severity": "error", "code": code, "diagnostics": message}]}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="fhir"'
    return response


def _token(request: HttpRequest, resource_type: str) -> IntegrationToken | HttpResponse:
    """The request's key if it may read ``resource_type``, else the refusal to send."""
    try:
        token = integration_token_check(authorization=request.headers.get("Authorization", ""))
    except TokenRefused as refused:
        return outcome(refused.status, refused.code, refused.message)
    if request.method != "GET":
        return outcome(405, "not-supported", "This API is read-only: GET only.")
    if resource_type not in selectors.RESOURCE_TYPES:
        return outcome(404, "not-supported", f"No resource type {resource_type!r} here.")
    if not token.may_read(resource_type):
        return outcome(403, "forbidden", f"This integration key may not read {resource_type} resources.")
    return token


@csrf_exempt
def metadata(request: HttpRequest) -> HttpResponse:
    """What this server offers (FHIR's CapabilityStatement): no records, so no key is asked for."""
    if request.method != "GET":
        return outcome(405, "not-supported", "This API is read-only: GET only.")
    return fhir_response(selectors.capability_statement(base_url=request.build_absolute_uri("/fhir/")))


@csrf_exempt
def read(request: HttpRequest, resource_type: str, resource_id: str) -> HttpResponse:
    token = _token(request, resource_type)
    if isinstance(token, HttpResponse):
        return token
    found = selectors.resource_by_id(resource_type, resource_id)
    if found is None:
        return outcome(404, "not-found", f"No {resource_type} with id {resource_id!r}.")
    resource, intake_id = found
    fhir_read_log(token=token, ip=client_ip(request), what=f"read {resource_type}/{resource['id']}"[:200],
                  intake_ids=[intake_id] if intake_id else [])
    return fhir_response(resource)


@csrf_exempt
def search(request: HttpRequest, resource_type: str) -> HttpResponse:
    token = _token(request, resource_type)
    if isinstance(token, HttpResponse):
        return token
    params = {key: request.GET.getlist(key) for key in request.GET if key not in PAGING}
    try:
        count = _bounded(request.GET.get("_count"), default=DEFAULT_COUNT, high=MAX_COUNT, name="_count")
        offset = _bounded(request.GET.get("_offset"), default=0, high=10**9, name="_offset")
        page = selectors.search(resource_type, params, count=count, offset=offset)
    except selectors.SearchError as error:
        return outcome(400, "invalid", str(error))
    intake_ids = sorted({intake_id for _resource, intake_id in page.resources if intake_id})
    fhir_read_log(token=token, ip=client_ip(request), intake_ids=intake_ids,
                  what=f"search {resource_type}: {len(page.resources)} of {page.total}")
    return fhir_response(_bundle(request, page, count=count, offset=offset))


def _bounded(value: str | None, *, default: int, high: int, name: str) -> int:
    if value is None:
        return default
    if not (value.isascii() and value.isdigit()) or len(value) > 10:
        raise selectors.SearchError(f"{name} must be a whole number.")
    return min(int(value), high)


def _bundle(request: HttpRequest, page: selectors.Page, *, count: int, offset: int) -> dict[str, Any]:
    base = request.build_absolute_uri(request.path)
    links = [{"relation": "self", "url": request.build_absolute_uri()}]
    if offset + count < page.total:
        query = request.GET.copy()
        query["_offset"], query["_count"] = str(offset + count), str(count)
        links.append({"relation": "next", "url": f"{base}?{query.urlencode()}"})
    return {
        "resourceType": "Bundle", "type": "searchset", "total": page.total, "link": links,
        "entry": [{"fullUrl": f"{base}/{resource['id']}", "resource": resource, "search": {"mode": "match"}}
                  for resource, _intake_id in page.resources],
    }
