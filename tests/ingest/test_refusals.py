"""Issue 19, item 1, on every path a file reaches the reader: the API upload, the check-batch API, the console
upload page, the check-batch page and the import_records command. A far-cell workbook is refused with the
field-level code and its batch ends refused with the reason; a file that killed its reader is never read again; a
second upload of a file still being imported answers 409; an upload over the size limit answers 413.

The far-cell files are opened only with the guard checked first (``guarded``): were it gone, the test would fail on
that check instead of handing the file to the reader inside the test process.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pubcredit.accounts.choices import Role
from pubcredit.accounts.services import token_create, user_create
from pubcredit.ingest.models import Batch
from pubcredit.ingest.services import batch_import_file, batch_receive_file
from pubcredit.ingest.workbook_limits import check_xlsx
from pubcredit.rules.errors import DomainError
from tests.factories import uscc
from tests.ingest.files import penalties, table, write_csv, write_sparse_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def auth(department, system_actor, today):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(department=department, actor=system_actor).plaintext}"}


def guarded(path):
    """The file, once the guard is seen to refuse it on its own (pure Python, bounded memory)."""
    with pytest.raises(DomainError, match="file.xlsx_too_large"):
        check_xlsx(path)
    return path


@pytest.fixture(params=["A1+XFD1048576", "A1+ZZ200000"])
def far_file(request, tmp_path):
    far = request.param.split("+")[1]
    return guarded(write_sparse_xlsx(tmp_path / "far.xlsx", {"A1": "行政相对人名称", far: "x"}))


def _post(client, url, path, auth, **fields):
    with open(path, "rb") as fh:
        return client.post(url, {**fields, "file": fh}, **auth)


def test_api_upload_of_a_far_cell_workbook_answers_422_and_the_batch_ends_refused(client, auth, far_file):
    response = _post(client, "/api/v1/batches", far_file, auth, class_code="admin_penalty")
    assert response.status_code == 422
    body = response.json()
    assert (body["status"], body["refused_code"]) == ("refused", "file.xlsx_too_large")
    assert body["summary"]["refused"]["fields"][0] == {
        "field": "file", "code": "file.xlsx_too_large", "message": body["refused_message"],
        "message_en": body["summary"]["refused"]["message_en"]}
    batch = Batch.objects.get()
    assert (batch.status, batch.refused_code) == ("refused", "file.xlsx_too_large")
    assert "拆分" in batch.refused_message and "attempt" not in batch.summary


def test_check_batch_file_api_refuses_a_far_cell_workbook_with_422(client, auth, far_file):
    response = _post(client, "/api/v1/checks/batch/file", far_file, auth, scenario="government_procurement")
    assert response.status_code == 422
    assert response.json()["fields"][0]["field"] == "file"
    assert response.json()["code"] == "file.xlsx_too_large"


def test_console_upload_page_refuses_a_far_cell_workbook(client, provider, settings, far_file, today):
    settings.PUBCREDIT_IMPORT_SYNC = True
    client.force_login(provider)
    with open(far_file, "rb") as fh:
        response = client.post("/collection/upload/", {"class_code": "admin_penalty", "file": fh})
    batch = Batch.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/{batch.pk}/")
    assert (batch.status, batch.refused_code) == ("refused", "file.xlsx_too_large")
    assert "拆分" in client.get(response.url).content.decode()


def test_check_batch_page_refuses_a_far_cell_workbook(client, department, system_actor, far_file, today):
    user = user_create(username="buyer", password="Buyer#2026x", role=Role.BUSINESS_USER, department=department,
                       actor=system_actor)
    client.force_login(user)
    with open(far_file, "rb") as fh:
        response = client.post("/sanctions/batch/", {"scenario": "bidding", "file": fh})
    assert response.status_code == 200
    assert "Excel 第一个工作表" in response.content.decode()


def test_import_records_command_refuses_a_far_cell_workbook(department, far_file, capsys):
    with pytest.raises(CommandError, match="file.xlsx_too_large"):
        call_command("import_records", str(far_file), "--class", "admin_penalty", "--department", department.code)
    assert Batch.objects.get().refused_code == "file.xlsx_too_large"


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_file_that_killed_its_reader_is_refused_and_never_read_again(tmp_path, department, system_actor, today):
    path = write_csv(tmp_path / "p.csv", table(penalties(3)))
    batch = batch_receive_file(path=path, class_code="admin_penalty", department=department, actor=system_actor)
    # what a reader aborted by the file leaves: an attempt that was reading, by a process now gone, no chunk done
    batch.summary["attempt"] = {**batch.summary["attempt"], "reading": True, "pid": _dead_pid(), "rows_done": 0}
    batch.save(update_fields=["summary"])

    again = batch_import_file(path=path, class_code="admin_penalty", department=department, actor=system_actor)
    assert again.pk == batch.pk and (again.status, again.refused_code) == ("refused", "file.crashed")
    assert again.summary["received"] == 0  # not read: it is not resumed into the crash

    third = batch_import_file(path=path, class_code="admin_penalty", department=department, actor=system_actor)
    assert third.pk != batch.pk and (third.status, third.refused_code) == ("refused", "file.crashed")
    assert f"批次{batch.pk}" in third.refused_message and third.summary["received"] == 0


def test_a_reader_killed_after_committing_chunks_is_resumed_not_refused(tmp_path, department, system_actor, today):
    path = write_csv(tmp_path / "p.csv", table(penalties(6)))
    batch = batch_receive_file(path=path, class_code="admin_penalty", department=department, actor=system_actor)
    batch.summary["attempt"] = {**batch.summary["attempt"], "reading": True, "pid": _dead_pid(), "rows_done": 0}
    batch.rows_done = 3  # one chunk committed after that attempt began: the file can be read
    batch.save(update_fields=["summary", "rows_done"])
    resumed = batch_import_file(path=path, class_code="admin_penalty", department=department, actor=system_actor,
                                chunk_rows=3)
    assert resumed.pk == batch.pk and resumed.status == "done" and resumed.rows_done == 6


def test_a_second_upload_of_a_file_still_importing_answers_409_with_the_batch(client, auth, tmp_path, department):
    path = write_csv(tmp_path / "p.csv", table(penalties(3)))
    with open(path, "rb") as fh:
        digest = __import__("hashlib").sha256(fh.read()).hexdigest()
    running = Batch.objects.create(class_code="admin_penalty", department=department, channel="file",
                                   filename="p.csv", file_sha256=digest, status="processing",
                                   received_at="2026-11-20T08:00:00+08:00", actor_label="token",
                                   summary={"attempt": {"host": os.uname().nodename, "pid": os.getpid(),
                                                        "reading": True, "rows_done": 0, "beat": ""}})
    response = _post(client, "/api/v1/batches", path, auth, class_code="admin_penalty")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "batch.running" and f"批次{running.pk}" in body["message"]
    assert body["fields"][0]["field"] == "file"
    assert Batch.objects.count() == 1 and Batch.objects.get().status == "processing"  # the running one untouched


def test_an_import_that_fails_midway_ends_refused_with_the_reason(tmp_path, department, system_actor, today,
                                                                 monkeypatch):
    from pubcredit.ingest import services

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "records_submit", broken)
    path = write_csv(tmp_path / "p.csv", table(penalties(3)))
    batch = batch_import_file(path=path, class_code="admin_penalty", department=department, actor=system_actor)
    assert (batch.status, batch.refused_code) == ("refused", "file.failed")
    assert "RuntimeError" in batch.refused_message and batch.summary["received"] == 0


# --- the upload size limit ------------------------------------------------------------------------------------------


def test_an_api_upload_over_the_limit_answers_413_in_the_error_shape(client, auth, tmp_path, settings):
    settings.PUBCREDIT_UPLOAD_MAX_BYTES = 1000
    path = write_csv(tmp_path / "p.csv", table(penalties(20)))
    assert path.stat().st_size > 1000
    for url, fields in (("/api/v1/batches", {"class_code": "admin_penalty"}),
                        ("/api/v1/checks/batch/file", {"scenario": "bidding"})):
        response = _post(client, url, path, auth, **fields)
        assert response.status_code == 413, url
        body = response.json()
        assert body["code"] in ("file.too_large", "check.file_too_large") and body["fields"][0]["field"] == "file"
        assert set(body) == {"code", "message", "message_en", "fields"}
    assert not Batch.objects.exists()


def test_a_body_declared_over_the_limit_is_refused_before_it_is_read(client, auth, settings):
    settings.PUBCREDIT_UPLOAD_MAX_BYTES = 1000
    for url in ("/api/v1/batches", "/api/v1/checks/batch/file", "/api/v1/records/admin_penalty"):
        response = client.generic("POST", url, b"x" * 10, content_type="application/octet-stream",
                                  CONTENT_LENGTH=str(3 << 20), **auth)
        assert response.status_code == 413 and response.json()["code"] == "request.too_large", url
    page = client.generic("POST", "/collection/upload/", b"x", CONTENT_LENGTH=str(3 << 20))
    assert page.status_code == 413 and "拆分" in page.content.decode()


def test_the_upload_pages_refuse_a_file_over_the_limit_on_the_form(client, provider, tmp_path, settings, today):
    settings.PUBCREDIT_UPLOAD_MAX_BYTES = 1000
    client.force_login(provider)
    path = write_csv(tmp_path / "p.csv", table(penalties(20)))
    with open(path, "rb") as fh:
        response = client.post("/collection/upload/", {"class_code": "admin_penalty", "file": fh})
    assert response.status_code == 400 and "文件超过1000B" in response.content.decode()
    assert "拆分" in response.content.decode() and not Batch.objects.exists()


def test_check_batch_page_refuses_a_file_over_the_limit(client, department, system_actor, tmp_path, settings, today):
    settings.PUBCREDIT_UPLOAD_MAX_BYTES = 100
    user = user_create(username="buyer", password="Buyer#2026x", role=Role.BUSINESS_USER, department=department,
                       actor=system_actor)
    client.force_login(user)
    path = tmp_path / "list.csv"
    path.write_text("主体名称,统一社会信用代码\n" + "".join(f"甲{i},{uscc(i)}\n" for i in range(1, 20)), encoding="utf-8")
    with path.open("rb") as fh:
        response = client.post("/sanctions/batch/", {"scenario": "bidding", "file": fh})
    assert response.status_code == 200 and "拆分" in response.content.decode()
