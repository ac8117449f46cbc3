"""Proof files (证明材料): PDF/JPG/PNG by content with a matching extension, a size limit, stored outside the web root,
and a virus-scan hook that never calls an unscanned file clean."""

import datetime as dt
import io
import sys

import pytest
from django.urls import reverse
from PIL import Image

from pubcredit.accounts.choices import Role
from pubcredit.accounts.services import token_create, user_create
from pubcredit.audit.models import AuditEvent
from pubcredit.records.models import CreditRecord
from pubcredit.repair import services
from pubcredit.repair.evidence import evidence_add, evidence_path, evidence_scan
from pubcredit.repair.models import Evidence
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from tests.factories import uscc
from tests.publicity.factories import eco_department, ndrc_penalty, submit

D = dt.date
ON = D(2026, 11, 2)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def image_bytes(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, fmt)
    return out.getvalue()


@pytest.fixture(autouse=True)
def evidence_dir(settings, tmp_path):
    settings.PUBCREDIT_REPAIR_EVIDENCE_DIR = tmp_path / "evidence"
    settings.PUBCREDIT_REPAIR_SCAN_COMMAND = ""
    return tmp_path / "evidence"


@pytest.fixture
def eco(db, system_actor):
    return eco_department(system_actor)


@pytest.fixture
def app(eco, system_actor):
    result = submit([ndrc_penalty(1, decision_date="2026-04-15", valid_until="2026-04-15")], department=eco,
                    actor=system_actor, when="2026-04-20")
    record = CreditRecord.objects.get(pk=result.record_ids[0])
    with clock.pinned(ON):
        return services.repair_application_submit(
            record=record, applicant_uscc=uscc(1), contact_name="王经理", contact_phone="13800000000",
            proof_description="缴款凭证", commitment_signed=True, actor=system_actor)


def add(case, name, content, actor):
    return evidence_add(case=case, filename=name, chunks=[content], actor=actor)


def test_pdf_jpg_png_kept_by_sha256_outside_the_web_root_and_unscanned_without_a_command(
        app, system_actor, evidence_dir):
    kept = [add(app, "缴款凭证.pdf", PDF, system_actor), add(app, "现场.JPG", image_bytes("JPEG"), system_actor),
            add(app, "整改.png", image_bytes("PNG"), system_actor)]
    assert [e.kind for e in kept] == ["pdf", "jpeg", "png"]
    assert {e.scan_status for e in kept} == {"not_scanned"}  # 未扫描, never "clean" without a scan
    assert kept[0].get_scan_status_display() == "未扫描"
    path = evidence_path(kept[0])
    assert path.read_bytes() == PDF and path.is_relative_to(evidence_dir) and kept[0].sha256 in path.name
    assert AuditEvent.objects.filter(object_type="repair_application", object_id=str(app.pk),
                                     data__event="evidence").count() == 3


@pytest.mark.parametrize(("name", "content", "code"), [
    ("证明.pdf", image_bytes("PNG"), "repair.evidence_extension_mismatch"),  # a PNG named .pdf
    ("照片.png", image_bytes("JPEG"), "repair.evidence_extension_mismatch"),
    ("说明.pdf", b"MZ\x90\x00 an executable", "repair.evidence_type"),
    ("说明.txt", "罚款已缴纳".encode(), "repair.evidence_type"),
    ("截断.png", image_bytes("PNG")[:40], "repair.evidence_damaged"),
    ("截断.pdf", PDF[:30], "repair.evidence_damaged"),
    ("空.pdf", b"", "repair.evidence_empty"),
])
def test_an_upload_that_is_not_what_its_extension_says_is_refused_and_nothing_kept(
        app, system_actor, evidence_dir, name, content, code):
    with pytest.raises(DomainError) as exc:
        add(app, name, content, system_actor)
    assert (exc.value.code, exc.value.field) == (code, "file")
    assert not Evidence.objects.exists()
    assert [p for p in evidence_dir.rglob("*") if p.is_file()] == []  # no temporary file left behind


def test_a_file_over_the_limit_is_refused(app, system_actor, settings):
    settings.PUBCREDIT_REPAIR_EVIDENCE_MAX_BYTES = 50
    with pytest.raises(DomainError) as exc:
        evidence_add(case=app, filename="大.pdf", chunks=[PDF[:40], PDF[40:]], actor=system_actor)
    assert exc.value.code == "repair.evidence_too_large" and not Evidence.objects.exists()


def test_a_closed_case_takes_no_more_files(app, eco, system_actor):
    with clock.pinned(ON):
        services.repair_application_withdraw(application=app, actor=system_actor)
    with pytest.raises(DomainError) as exc:
        add(app, "迟交.pdf", PDF, system_actor)
    assert exc.value.code == "repair.evidence_closed"


def scan_with(settings, exit_code: int) -> None:
    settings.PUBCREDIT_REPAIR_SCAN_COMMAND = f"{sys.executable} -c 'import sys; sys.exit({exit_code})'"


def test_scan_hook_clean_infected_error_and_missing_command(app, system_actor, settings,
                                                            django_capture_on_commit_callbacks):
    scan_with(settings, 0)
    with django_capture_on_commit_callbacks() as queued:
        clean = add(app, "a.pdf", PDF, system_actor)
    assert clean.scan_status == "pending" and len(queued) == 1  # the scan goes to the worker
    assert evidence_scan(evidence=clean).scan_status == "clean"
    scan_with(settings, 1)
    infected = add(app, "b.png", image_bytes("PNG"), system_actor)
    assert evidence_scan(evidence=infected).scan_status == "infected"
    assert not evidence_path(infected).exists()  # deleted
    scan_with(settings, 2)
    broken = add(app, "c.jpg", image_bytes("JPEG"), system_actor)
    assert evidence_scan(evidence=broken).scan_status == "error"
    settings.PUBCREDIT_REPAIR_SCAN_COMMAND = "clamdscan-not-installed --no-summary"
    absent = add(app, "d.pdf", PDF + b"\n", system_actor)
    absent = evidence_scan(evidence=absent)
    assert absent.scan_status == "not_scanned" and "clamdscan-not-installed" in absent.scan_detail


def test_api_upload_and_the_units_queue_offers_the_file_as_a_download(client, app, eco, system_actor):
    token = token_create(department=eco, actor=system_actor)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token.plaintext}"}
    upload = io.BytesIO(PDF)
    upload.name = "缴款凭证.pdf"
    created = client.post(f"/api/v1/repair-applications/{app.pk}/evidence", {"file": upload}, **auth)
    assert created.status_code == 201, created.content
    assert created.json()["scan_status_zh"] == "未扫描"
    fake = io.BytesIO(image_bytes("PNG"))
    fake.name = "伪装.pdf"
    refused = client.post(f"/api/v1/repair-applications/{app.pk}/evidence", {"file": fake}, **auth)
    assert refused.status_code == 400 and refused.json()["code"] == "repair.evidence_extension_mismatch"
    reviewer = user_create(username="eco-rev", password="Reviewer#2026x", role=Role.REVIEWER, display_name="审核人",
                           department=eco, actor=system_actor)
    client.force_login(reviewer)
    with clock.pinned(ON):
        queue = client.get(reverse("repair:queue")).content.decode()
    url = reverse("repair:evidence", args=[created.json()["id"]])
    assert url in queue and "未扫描" in queue
    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment") and download["X-Content-Type-Options"] == "nosniff"
