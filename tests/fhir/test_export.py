"""``manage.py export_fhir``: FHIR Bulk Data, one ndjson file per resource type, each line a valid resource."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from screening.audit.models import AuditAction, AuditEvent
from screening.intake.models import Flag
from tests.fhir.conftest import r4b

pytestmark = pytest.mark.django_db


def test_export_fhir_writes_one_ndjson_file_per_type_that_parses_line_by_line(demo, tmp_path):
    out = StringIO()
    call_command("export_fhir", out=str(tmp_path / "export"), stdout=out)
    files = {path.stem: path for path in (tmp_path / "export").glob("*.ndjson")}
    assert set(files) == {"Patient", "Questionnaire", "QuestionnaireResponse", "DetectedIssue", "Appointment"}
    ids: dict[str, list[str]] = {}
    for resource_type, path in files.items():
        text = path.read_text(encoding="utf-8")
        assert text.endswith("\n")
        for line in text.splitlines():
            resource = json.loads(line)
            assert resource["resourceType"] == resource_type
            assert r4b(resource).id == resource["id"]
            ids.setdefault(resource_type, []).append(resource["id"])
    assert ids["Patient"] == [str(demo.intake.patient.public_id)]
    assert ids["QuestionnaireResponse"] == [str(demo.intake.public_id)]
    assert ids["Appointment"] == [str(demo.booking.calendar_uid)]
    assert len(ids["DetectedIssue"]) == Flag.objects.count()
    line = AuditEvent.objects.get(action=AuditAction.FHIR_EXPORTED)
    assert "Patient 1" in line.detail and "1 intakes" in line.detail


def test_export_fhir_into_a_place_it_cannot_write_is_a_clear_error(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(CommandError, match="Cannot make"):
        call_command("export_fhir", out=str(blocker / "export"))
