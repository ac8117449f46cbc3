"""Files on progress reports (进展附件, issue 20 item 1): accepted by content with size and count limits, kept outside
the web root by their SHA-256, scanned on the worker, downloadable by those who may read the task ledger, audited.
Bad input — a wrong type, a file too big, a report on a closed task — is refused with nothing kept."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from pubcredit.audit.models import AuditEvent
from pubcredit.governance import attachments
from pubcredit.governance.models import PolicyTask, ProgressAttachment, ProgressReport
from pubcredit.governance.services import policy_task_update, policy_tasks_load, progress_report_submit
from pubcredit.rules.errors import DomainError

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, format="PNG")
    return out.getvalue()


def xlsx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    settings.PUBCREDIT_GOVERNANCE_ATTACHMENT_DIR = tmp_path / "attachments"
    settings.PUBCREDIT_REPAIR_SCAN_COMMAND = ""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return tmp_path / "attachments"


@pytest.fixture
def task(system_actor, today):
    policy_tasks_load(actor=system_actor)
    return PolicyTask.objects.get(code="T13")


def submit(task, actor, files, unit="市发展改革委"):
    return progress_report_submit(task=task, unit=unit, period=None, text="双公示按日调度。",
                                  files=[(name, [content]) for name, content in files], actor=actor)


def stored_files(folder) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_files_are_kept_by_content_hash_with_the_report_and_audited(task, system_actor, storage):
    report = submit(task, system_actor, [("调度情况.pdf", PDF), ("现场照片.png", png()), ("台账.xlsx", xlsx())])
    rows = list(report.attachments.order_by("id"))
    assert [(a.original_name, a.kind, a.scan_status) for a in rows] == [
        ("调度情况.pdf", "pdf", "not_scanned"), ("现场照片.png", "png", "not_scanned"), ("台账.xlsx", "xlsx", "not_scanned")]
    assert all(attachments.attachment_path(a).read_bytes()[:4] in (b"%PDF", b"\x89PNG", b"PK\x03\x04") for a in rows)
    assert rows[0].stored_path.endswith(f"{rows[0].sha256}.pdf") and rows[0].size == len(PDF)
    event = AuditEvent.objects.get(action="governance.progress")
    assert [a["name"] for a in event.data["attachments"]] == ["调度情况.pdf", "现场照片.png", "台账.xlsx"]


@pytest.mark.parametrize("name, content, code", [
    ("说明.pdf", b"just some text, not a PDF", "governance.attachment_type"),
    ("程序.pdf", b"MZ\x90\x00" + b"\x00" * 64, "governance.attachment_type"),
    ("压缩包.docx", None, "governance.attachment_type"),  # a ZIP that is no Office document
    ("照片.pdf", "png", "governance.attachment_extension_mismatch"),
    ("残缺.pdf", b"%PDF-1.4\n1 0 obj", "governance.attachment_damaged"),
    ("空.pdf", b"", "governance.attachment_empty"),
])
def test_a_wrong_type_is_refused_and_nothing_is_kept(task, system_actor, storage, name, content, code):
    if content is None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as package:
            package.writestr("readme.txt", "x")
        content = out.getvalue()
    elif content == "png":
        content = png()
    with pytest.raises(DomainError) as err:
        submit(task, system_actor, [("调度情况.pdf", PDF), (name, content)])
    assert (err.value.code, err.value.field) == (code, "files")
    assert "只接受" in err.value.message_zh or name in err.value.message_zh
    assert not ProgressReport.objects.exists() and not ProgressAttachment.objects.exists()
    assert stored_files(storage) == []  # the good file sent with it is gone too


def test_a_file_over_the_limit_is_refused_while_it_is_written(task, system_actor, storage, settings):
    settings.PUBCREDIT_GOVERNANCE_ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(DomainError) as err:
        progress_report_submit(task=task, unit="市发展改革委", period=None, text="进展",
                               files=[("大文件.pdf", [PDF, b"0" * 2048, b"never read"])], actor=system_actor)
    assert err.value.code == "governance.attachment_too_large" and "超过" in err.value.message_zh
    assert stored_files(storage) == [] and not ProgressReport.objects.exists()


def test_more_than_ten_files_are_refused(task, system_actor, storage):
    with pytest.raises(DomainError) as err:
        submit(task, system_actor, [(f"{n}.pdf", PDF) for n in range(11)])
    assert err.value.code == "governance.attachment_too_many" and stored_files(storage) == []


def test_a_report_with_files_on_a_closed_task_is_refused_and_keeps_no_file(task, system_actor, storage):
    policy_task_update(task=task, values={"status": "done"}, actor=system_actor)
    with pytest.raises(DomainError) as err:
        submit(task, system_actor, [("调度情况.pdf", PDF)])
    assert err.value.code == "governance.task_closed"
    assert stored_files(storage) == [] and not ProgressAttachment.objects.exists()


def test_operators_download_the_file_audited_others_may_not(client, task, system_actor, operator, provider):
    report = submit(task, system_actor, [("调度情况.pdf", PDF)])
    attachment = report.attachments.get()
    url = reverse("governance:attachment", args=[attachment.pk])
    client.force_login(provider)
    assert client.get(url).status_code == 403
    client.force_login(operator)
    assert client.get(url, {"token": "wall-display"}).status_code == 403  # a display token is for the big screen only
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment") and response["X-Content-Type-Options"] == "nosniff"
    event = AuditEvent.objects.get(action="governance.attachment")
    assert event.object_id == "T13" and event.data["sha256"] == attachment.sha256
    page = client.get(reverse("governance:task", args=["T13"])).content.decode()
    assert "调度情况.pdf" in page and url in page and "未扫描" in page


def test_the_task_page_takes_files_with_the_report(client, task, operator, storage):
    client.force_login(operator)
    response = client.post(reverse("governance:task", args=["T13"]), {
        "action": "progress", "unit": "市发展改革委", "text": "已通报。",
        "files": [SimpleUploadedFile("通报.pdf", PDF), SimpleUploadedFile("照片.png", png())]})
    assert response.status_code == 302
    assert sorted(ProgressAttachment.objects.values_list("original_name", flat=True)) == ["照片.png", "通报.pdf"]
    refused = client.post(reverse("governance:task", args=["T13"]), {
        "action": "progress", "unit": "市发展改革委", "text": "再报。",
        "files": [SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00binary")]})
    assert refused.status_code == 200 and "只接受PDF、JPG、PNG" in refused.content.decode()
    assert ProgressReport.objects.count() == 1


def test_the_worker_scan_marks_infected_files_and_removes_them(task, system_actor, settings,
                                                               django_capture_on_commit_callbacks):
    settings.PUBCREDIT_REPAIR_SCAN_COMMAND = "sh -c 'exit 1' scan"
    with django_capture_on_commit_callbacks() as callbacks:
        report = submit(task, system_actor, [("调度情况.pdf", PDF)])
    attachment = report.attachments.get()
    assert attachment.scan_status == "pending" and len(callbacks) == 1
    path = attachments.attachment_path(attachment)
    attachments.attachment_scan(attachment=attachment)
    assert attachment.scan_status == "infected" and not path.exists() and not attachment.downloadable
    settings.PUBCREDIT_REPAIR_SCAN_COMMAND = "sh -c 'exit 0' scan"
    clean = submit(task, system_actor, [("现场照片.png", png())]).attachments.get()
    assert attachments.attachment_scan(attachment=clean).scan_status == "clean"
