"""Report API: a department issues a query report in a named procedure (audited with its purpose), downloads the
signed PDF, renders a bidder list on the worker, verifies a file; refusals name their field."""

import base64
import io
import zipfile

import pytest
from django_tasks_db.models import DBTaskResult

from pubcredit.audit.models import AuditEvent
from pubcredit.subjects.models import Subject

USCC_1 = "91370303MA0000010K"


@pytest.mark.django_db
def test_department_issues_a_query_report_audited_with_purpose(site, api, client):
    made = api.post("/api/v1/reports", {"kind": "query", "code": USCC_1, "purpose": "政府采购资格审查",
                                        "procedure": "ZB-2026-001 办公设备采购"})
    assert made.status_code == 201, made.content
    body = made.json()
    event = AuditEvent.objects.get(action="report.issue", object_id=body["number"])
    assert event.reason == "政府采购资格审查" and event.data["procedure"] == "ZB-2026-001 办公设备采购"
    pdf = api.get(body["pdf_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    checked = client.post(f"/api/v1/reports/verify-file?number={body['number']}", pdf.content,
                          content_type="application/pdf").json()
    assert checked["genuine"] and checked["signature_trusted"]
    forged = client.post("/api/v1/reports/verify-file", pdf.content[:-200] + b"0" * 200,
                         content_type="application/pdf").json()
    assert not forged["genuine"]
    assert client.get(body["pdf_url"]).status_code == 401  # no token, no query report


@pytest.mark.django_db
def test_refusals_name_their_field(site, api):
    no_procedure = api.post("/api/v1/reports", {"kind": "query", "code": USCC_1, "purpose": "招投标", "procedure": ""})
    assert no_procedure.status_code == 400 and no_procedure.json()["fields"][0]["field"] == "procedure"
    unknown = api.post("/api/v1/reports", {"kind": "query", "code": "91370303MA0000099Q", "purpose": "招投标",
                                           "procedure": "ZB-1"})
    assert unknown.status_code == 404 and unknown.json()["code"] == "report_subject.not_found"
    long = api.post("/api/v1/reports", {"kind": "special", "code": USCC_1, "purpose": "招投标", "procedure": "ZB-1",
                                        "period_from": "2020-01-01", "period_to": "2026-11-01"})
    assert long.status_code == 400 and long.json()["fields"][0]["field"] == "period_from"


@pytest.mark.django_db
def test_person_authorisation_by_api_then_query_report(list_site, api):
    from tests.factories import resident_id

    id_number = resident_id(12)  # 张三 of the list_site fixture
    assert Subject.objects.get(name="张三").id_masked
    refused = api.post("/api/v1/reports", {"kind": "query", "code": id_number, "purpose": "招聘", "procedure": "P-1"})
    assert refused.status_code == 400 and refused.json()["code"] == "report.authorisation_required"
    granted = api.post("/api/v1/reports/authorisations", {
        "id_number": id_number, "scope": "招聘资格审查", "valid_from": "2026-11-01", "valid_until": "2026-12-31",
        "document_ref": "SQ-2026-1", "document_base64": base64.b64encode(b"%PDF signed").decode()})
    assert granted.status_code == 201, granted.content
    made = api.post("/api/v1/reports", {"kind": "query", "code": id_number, "purpose": "招聘", "procedure": "P-1"})
    assert made.status_code == 201


@pytest.mark.django_db
def test_bidder_list_is_rendered_on_the_worker_into_one_zip(site, api, run_worker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queued = api.post("/api/v1/reports/batches", {"kind": "query", "codes": [USCC_1, "91370303MA0000099Q"],
                                                      "purpose": "招投标", "procedure": "ZB-2026-009"})
    assert queued.status_code == 202 and not queued.json()["done"]
    assert DBTaskResult.objects.get().task_path == "pubcredit.reports.tasks.render_batch"
    run_worker()
    state = api.get(f"/api/v1/reports/batches/{queued.json()['id']}").json()
    assert state["done"] and [row["outcome"] for row in state["manifest"]][0] == "已出具"
    archive = zipfile.ZipFile(io.BytesIO(api.get(state["zip_url"]).content))
    assert f"{state['manifest'][0]['number']}.pdf" in archive.namelist() and "manifest.csv" in archive.namelist()
