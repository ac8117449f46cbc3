"""Browser test of collection: upload → progress → rejection download → fix → re-upload → nothing left open.

The import runs as a real background job (no synchronous setting), run by a worker's task loop in a thread of the
test process. To make the progress visible, the pipeline is called with one row per chunk and a pause after each
committed chunk.

On SQLite the test database is in memory with a shared cache, where a reader hits "database table is locked"
while another connection writes (the file database the platform runs on uses WAL, where readers never wait).
``PRAGMA read_uncommitted`` on the live server's connection gives the test the same non-blocking readers.
"""

import csv
import functools
import threading
import time

import pytest
from django.db import OperationalError, connection
from django_tasks_db.management.commands.db_worker import Worker

from pubcredit.ingest import tasks
from tests.factories import penalty
from tests.ingest.files import penalties, table, write_csv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def slow_import(monkeypatch):
    """Run the real pipeline one row per chunk, pausing after each chunk so the page can show progress."""
    real = tasks.batch_import_file

    @functools.wraps(real)
    def slowed(*, progress, **kwargs):
        def report_then_pause(batch):
            progress(batch)
            time.sleep(0.6)

        return real(**{**kwargs, "chunk_rows": 1}, progress=report_then_pause)

    monkeypatch.setattr(tasks, "batch_import_file", slowed)


@pytest.fixture
def worker():
    """``pubcredit worker``'s task loop in a thread of the test process (it shares the in-memory database).

    It opens its claiming transaction only when a job is waiting: in the shared-cache memory database a write
    transaction refuses other writers at once (no busy wait), and the pages under test write audit events. When a
    page's write holds the table at that moment, the claim fails before it takes the job, so the loop tries again.
    """
    stop = threading.Event()

    def run():
        from django_tasks_db.models import DBTaskResult

        try:
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute("PRAGMA read_uncommitted = 1")
            while not stop.wait(0.2):
                if DBTaskResult.objects.ready().exists():
                    try:
                        Worker(queue_names=["*"], interval=0, batch=True, backend_name="default",
                               startup_delay=False, max_tasks=1, worker_id="browser-test",
                               excluded_queue_names=[]).run()
                    except OperationalError as error:  # "database table is locked": no job was claimed
                        if "locked" not in str(error):
                            raise
        finally:
            connection.close()

    thread = threading.Thread(target=run, name="worker", daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(timeout=30)


@pytest.fixture
def readers_never_wait():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        with connection.cursor() as cursor:  # the connection the live server shares (in-memory database)
            cursor.execute("PRAGMA read_uncommitted = 1")
        yield
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA read_uncommitted = 0")
    else:
        yield


def upload(page, path):
    page.goto(page.base_url + "/collection/upload/")
    page.select_option("select[name=class_code]", "admin_penalty")
    page.set_input_files("input[name=file]", str(path))
    page.click("#upload-form button[type=submit]")
    page.wait_for_url("**/collection/batches/*/")


def test_upload_progress_download_fix_reupload(page, provider, today, tmp_path, slow_import, readers_never_wait,
                                               worker):
    # the provider logs in
    page.goto(page.base_url + "/collection/upload/")
    assert "/login/" in page.url
    page.fill("input[name=username]", "provider")
    page.fill("input[name=password]", "Provider#2026")
    page.click("button[type=submit]")
    page.wait_for_url("**/collection/upload/")

    # a clerk's GB18030 file: 3 rows, the third with an impossible decision date
    rows = table(penalties(2) + [penalty(3, decision_date="2026-11-31")])
    upload(page, write_csv(tmp_path / "行政处罚2026年11月.csv", rows, encoding="gb18030"))

    # progress first (the import is still running), then htmx swaps in the summary
    page.wait_for_selector("#batch-status[data-status=processing] progress#batch-progress")
    assert int(page.get_attribute("#batch-progress", "max")) == 3
    page.wait_for_selector("#batch-counts", timeout=20_000)
    assert page.inner_text("[data-count=接收]") == "3"
    assert page.inner_text("[data-count=入库]") == "2"
    assert page.inner_text("[data-count=退回]") == "1"
    reasons = page.inner_text("#rejected-rows")
    assert "处罚决定日期" in reasons and "3" in reasons

    # download the rejected rows and read the reason column
    with page.expect_download() as download_info:
        page.click("#download-csv")
    download = download_info.value
    assert download.suggested_filename.endswith("_rejections.csv")
    with open(download.path(), encoding="utf-8-sig", newline="") as fh:
        rejected = list(csv.reader(fh))
    header, bad = rejected[0], rejected[1]
    assert len(rejected) == 2 and header[-1] == "错误原因"
    assert bad[header.index("原行号")] == "3"
    assert bad[-1].startswith("处罚决定日期：")
    assert bad[header.index("行政处罚决定书文号")] == "淄市监罚〔2026〕3号"

    # fix the bad cell in that row (dropping the two report columns) and send it again
    date_column = header.index("处罚决定日期")
    fixed_row = [("2026-11-16" if i == date_column else cell) for i, cell in enumerate(bad)][:-2]
    fixed = write_csv(tmp_path / "行政处罚2026年11月_修正.csv", [header[:-2], fixed_row], encoding="gb18030")
    upload(page, fixed)
    page.wait_for_selector("#batch-counts", timeout=20_000)
    assert page.inner_text("[data-count=入库]") == "1"
    assert page.inner_text("[data-count=新增]") == "1"
    assert page.inner_text("[data-count=退回]") == "0"

    # the rejection is resolved: nothing open any more
    page.goto(page.base_url + "/collection/rejections/")
    page.wait_for_selector("#no-rejections")
    assert "暂无待修正的退回数据" in page.inner_text("#rejections")
    page.select_option("select[name=status]", "resolved")
    page.click("#rejection-filter button[type=submit]")
    page.wait_for_selector("tr[data-status=resolved]")
