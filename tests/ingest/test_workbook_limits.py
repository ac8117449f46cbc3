"""Issue 19, item 1: a workbook is measured on its zip before the XLSX reader allocates anything.

A 1.6 KB file with cells at A1 and XFD1048576 made python-calamine ask for 512 GiB and abort the process. Every
file here that would hurt the reader is opened only behind the guard: in a subprocess whose address space is capped
(so a regression kills that subprocess, not the test run), or through ``check_xlsx`` alone (pure Python, bounded).
"""

from __future__ import annotations

import contextlib
import os
import resource
import subprocess
import sys
import textwrap
import time

import pytest

from pubcredit.catalog.registry import get_class
from pubcredit.ingest.readers import open_source
from pubcredit.ingest.workbook_limits import check_xlsx, column_number
from pubcredit.rules.errors import DomainError
from tests.ingest.files import table, penalties, write_sparse_xlsx, write_xlsx

FAR_CORNER = {"A1": "行政相对人名称", "XFD1048576": "x"}  # the 1.6 KB file of the issue


@contextlib.contextmanager
def address_space_capped(extra_bytes: int = 2 << 30):
    """This process may grow by at most ``extra_bytes`` of address space while the block runs: were the guard gone,
    the reader would fail to allocate instead of taking the machine's memory."""
    with open("/proc/self/status") as fh:
        vm_size = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmSize:"))
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (vm_size + extra_bytes, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _refusal(path) -> DomainError:
    with pytest.raises(DomainError) as caught:
        check_xlsx(path)
    return caught.value


def test_the_far_corner_workbook_is_refused_by_the_reader_in_a_memory_capped_process(tmp_path):
    path = write_sparse_xlsx(tmp_path / "far.xlsx", FAR_CORNER, dimension="A1:XFD1048576")
    assert path.stat().st_size < 2000
    script = textwrap.dedent(f"""
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
        import django
        django.setup()
        from pubcredit.catalog.registry import get_class
        from pubcredit.ingest.readers import open_source
        from pubcredit.rules.errors import DomainError
        try:
            open_source({str(path)!r}, get_class("admin_penalty"))
        except DomainError as exc:
            print("REFUSED", exc.code, exc.field)
    """)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "pubcredit.settings", "PUBCREDIT_DEBUG": "1"}
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]  # 134 (abort) before the guard
    assert result.stdout.split() == ["REFUSED", "file.xlsx_too_large", "file"]


@pytest.mark.parametrize("name, cells, dimension", [
    ("far corner, declared", FAR_CORNER, "A1:XFD1048576"),
    ("far corner, undeclared", FAR_CORNER, None),
    ("far corner, declared small", FAR_CORNER, "A1:A1"),
    ("ZZ200000", {"A1": "x", "ZZ200000": "y"}, None),
    ("declared range only", {"A1": "x"}, "A1:ZZ1048576"),
    ("column IV down to row 1048576", {"A1": "x", "IV1048576": "y"}, None),
])
def test_a_far_cell_is_refused_fast_without_allocating(tmp_path, name, cells, dimension):
    path = write_sparse_xlsx(tmp_path / "far.xlsx", cells, dimension=dimension)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with address_space_capped():
        error = _refusal(path)
    assert time.perf_counter() - started < 1.0
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 64 * 1024  # KB: under 64 MB more
    assert (error.code, error.field) == ("file.xlsx_too_large", "file")
    assert "拆分" in error.message_zh and "CSV" in error.message_zh


def test_the_reader_refuses_the_zz200000_file_with_the_field_level_code(tmp_path):
    path = write_sparse_xlsx(tmp_path / "zz.xlsx", {"A1": "行政相对人名称", "ZZ200000": "y"})
    with address_space_capped(), pytest.raises(DomainError) as caught:
        open_source(path, get_class("admin_penalty"))
    assert caught.value.as_dict()["fields"][0]["code"] == "file.xlsx_too_large"
    assert "第702列" in caught.value.message_zh  # ZZ is column 702; the limit is named beside it


def test_cells_without_references_are_counted_by_position(tmp_path):
    import zipfile
    path = write_sparse_xlsx(tmp_path / "ok.xlsx", {"A1": "x"})
    with zipfile.ZipFile(path, "a") as book:  # a second copy of the sheet is never read: the rels name sheet1
        book.writestr("xl/worksheets/sheet0.xml", "<worksheet><sheetData>" + "<row>" + "<c/>" * 300
                      + "</row></sheetData></worksheet>")
    assert check_xlsx(path).columns == 1
    crowded = tmp_path / "crowded.xlsx"
    write_sparse_xlsx(crowded, {"A1": "x"})
    with zipfile.ZipFile(crowded) as src, zipfile.ZipFile(tmp_path / "c2.xlsx", "w") as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData><row>" + b"<c/>" * 300 + b"</row>")
            out.writestr(item, data)
    assert _refusal(tmp_path / "c2.xlsx").code == "file.xlsx_too_large"


def test_an_ordinary_workbook_passes_and_reads_as_before(tmp_path):
    path = write_xlsx(tmp_path / "ok.xlsx", table(penalties(3)))
    extent = check_xlsx(path)
    assert (extent.rows, extent.columns) == (4, 19)
    source = open_source(path, get_class("admin_penalty"))
    assert len(list(source.rows)) == 3


def test_a_zip_bomb_member_is_refused_by_its_compression_ratio(tmp_path):
    # 40 MB of one byte compresses to about 40 KB: ratio 1000, well past the default 100
    path = write_sparse_xlsx(tmp_path / "bomb.xlsx", {"A1": "x"}, extra_parts={"xl/sharedStrings.xml": b" " * (40 << 20)})
    assert path.stat().st_size < 200 * 1024
    error = _refusal(path)
    assert error.code == "file.xlsx_too_large" and "压缩比" in error.message_zh


def test_a_sheet_over_the_uncompressed_budget_is_refused_while_streaming(tmp_path, settings):
    settings.PUBCREDIT_XLSX_MAX_UNCOMPRESSED_BYTES = 2 << 20
    rows = {f"A{r}": "某某有限公司" * 10 for r in range(1, 30001)}
    path = write_sparse_xlsx(tmp_path / "long.xlsx", rows)
    error = _refusal(path)
    assert error.code == "file.xlsx_too_large" and "解压后" in error.message_zh


def test_a_damaged_zip_is_refused_as_unreadable(tmp_path):
    path = tmp_path / "cut.xlsx"
    whole = write_sparse_xlsx(tmp_path / "whole.xlsx", {"A1": "x"}).read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    assert _refusal(path).code == "file.xlsx"


def test_the_cell_budget_is_a_setting(tmp_path, settings):
    path = write_xlsx(tmp_path / "ok.xlsx", table(penalties(10)))  # 11 rows × 19 columns = 209 cells
    settings.PUBCREDIT_XLSX_MAX_CELLS = 200
    assert "209" in _refusal(path).message_zh
    settings.PUBCREDIT_XLSX_MAX_CELLS, settings.PUBCREDIT_XLSX_MAX_COLUMNS = 10_000, 18
    assert "第19列" in _refusal(path).message_zh


def test_column_letters_count_as_excel_counts_them():
    assert [column_number(c) for c in ("A", "Z", "AA", "ZZ", "XFD")] == [1, 26, 27, 702, 16384]
