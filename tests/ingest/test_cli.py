import json
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.ingest.files import penalties, table, write_csv

pytestmark = pytest.mark.django_db


def test_import_records_prints_the_summary_as_json_on_its_last_line(tmp_path, department, capsys, today):
    path = write_csv(tmp_path / "p.csv", table(penalties(3)))
    call_command("import_records", str(path), "--class", "admin_penalty", "--department", department.code)
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (summary["class_code"], summary["received"], summary["created"]) == ("admin_penalty", 3, 3)
    assert {"batch_id", "accepted", "updated", "unchanged", "rejected", "warnings", "on_time", "late"} <= set(summary)


@pytest.mark.parametrize("args, message", [
    (["--class", "admin_penalty", "--department", "NOPE"], "department.unknown"),
    (["--class", "no_such_class", "--department", "SCJGJ"], "catalog.unknown_class"),
])
def test_import_records_bad_arguments(tmp_path, department, args, message):
    path = write_csv(tmp_path / "p.csv", table(penalties(1)))
    with pytest.raises(CommandError, match=message):
        call_command("import_records", str(path), *args)


def test_import_records_missing_file(department):
    with pytest.raises(CommandError, match="file not found"):
        call_command("import_records", "/nonexistent.csv", "--class", "admin_penalty", "--department", department.code)


def test_refused_file_exits_non_zero_after_printing_the_summary(tmp_path, department, capsys):
    path = tmp_path / "x.csv"
    path.write_bytes(b"\x00\x01\x02" * 1000)
    with pytest.raises(CommandError, match="file.binary"):
        call_command("import_records", str(path), "--class", "admin_penalty", "--department", department.code)
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["status"] == "refused"


READ_ALL = """
import resource, sys
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pubcredit.settings")
django.setup()
from pubcredit.catalog.registry import get_class
from pubcredit.ingest.readers import open_source
source = open_source(sys.argv[1], get_class("admin_penalty"))
rows = sum(len(chunk) for chunk in source.chunks(5000))
print(rows, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def test_large_files_are_streamed_with_bounded_memory(tmp_path):
    """Issue 3: a 300 MB file is streamed. Reading 6x more rows must not cost 6x the memory."""
    head, *rows = table(penalties(500))
    results = []
    for copies in (40, 240):  # ~20k and ~120k rows (≈ 12 MB and 70 MB in GB18030)
        path = write_csv(tmp_path / f"big{copies}.csv", [head, *(rows * copies)])
        out = subprocess.run([sys.executable, "-c", READ_ALL, str(path)], capture_output=True, text=True, timeout=300,
                             env={**__import__("os").environ, "PUBCREDIT_DEBUG": "1"})
        assert out.returncode == 0, out.stderr[-1000:]
        count, peak_mb = map(int, out.stdout.split())
        results.append((count, peak_mb, path.stat().st_size // 2**20))
    (small_rows, small_peak, _), (big_rows, big_peak, _) = results
    assert big_rows == 6 * small_rows
    assert big_peak - small_peak < 40, results  # memory grows with the chunk, not with the file
