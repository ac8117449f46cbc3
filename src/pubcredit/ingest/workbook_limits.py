"""Workbook limits (Excel 文件限额): an XLSX is measured on its zip before the reader opens it.

The XLSX reader (python-calamine) allocates the first sheet's whole used range, rows × columns, before it yields a
row. A 1.6 KB file with one cell at A1 and one at XFD1048576 asks for 512 GiB and aborts the process from Rust, with
no Python exception to catch (issue 19). So the zip is inspected first, with the standard library only: declared
and real uncompressed sizes (zip bombs), the first sheet's ``<dimension ref>`` and the furthest cell reference
actually present, streamed in 1 MB pieces and never held whole. Nothing here allocates more than a few MB however
the file lies.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from django.conf import settings

from pubcredit.rules.errors import DomainError

READ_PIECE = 1 << 20
SMALL_PART_BYTES = 4 * 1024 * 1024  # workbook.xml and its relationships: a few KB in any real workbook
RATIO_FLOOR_BYTES = 16 * 1024 * 1024  # below this total, a high ratio is a sparse sheet, not a bomb

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
# a row or cell start tag (any namespace prefix), and its r attribute when it has one
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c|dimension)\b([^>]*)>")
_R_ATTR = re.compile(rb"""\br\s*=\s*["']([A-Z]*)(\d*)["']""")
_REF_ATTR = re.compile(rb"""\bref\s*=\s*["']([^"']*)["']""")
_CELL_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})")
_TAIL = 4096  # bytes kept between pieces so that a tag cut by a piece's end is read whole


@dataclass(frozen=True)
class SheetExtent:
    """The furthest row and column of a sheet (1-based), from its cells and from its declared dimension."""

    rows: int
    columns: int

    @property
    def cells(self) -> int:
        return self.rows * self.columns


def column_number(letters: str) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


def _limits() -> tuple[int, int, int, int]:
    return (settings.PUBCREDIT_XLSX_MAX_COLUMNS, settings.PUBCREDIT_XLSX_MAX_CELLS,
            settings.PUBCREDIT_XLSX_MAX_UNCOMPRESSED_BYTES, settings.PUBCREDIT_XLSX_MAX_RATIO)


def _too_large(zh: str, en: str) -> DomainError:
    return DomainError("file.xlsx_too_large", f"{zh}。请删除多余的行和列（包括远处只设了格式的空单元格），"
                       "或把文件拆分成几个较小的文件，或在 Excel 中另存为 CSV（UTF-8）后上传",
                       f"{en}: delete stray rows and columns (formatted empty cells far away), split the file, "
                       "or save it as CSV and send that", "file")


def _damaged(detail: str) -> DomainError:
    return DomainError("file.xlsx", f"无法读取 Excel 文件（{detail}），请在 Excel 中打开后重新保存为 .xlsx 或 CSV",
                       f"cannot read the XLSX workbook ({detail}): open it in Excel and save it again", "file")


def _read_small(book: zipfile.ZipFile, name: str) -> bytes:
    with book.open(name) as fh:
        data = fh.read(SMALL_PART_BYTES + 1)
    if len(data) > SMALL_PART_BYTES:
        raise _damaged(f"{name} 异常庞大")
    return data


def first_sheet_name(book: zipfile.ZipFile) -> str:
    """The zip member of the workbook's first sheet (the one the reader reads), by workbook.xml and its rels."""
    names = set(book.namelist())
    workbook = next((n for n in ("xl/workbook.xml", "xl/workbook.bin") if n in names), None)
    if workbook is None:
        raise _damaged("缺少 workbook.xml")
    try:
        root = ElementTree.fromstring(_read_small(book, workbook))
        sheet = next(iter(root.iter(f"{{{_MAIN_NS}}}sheet")), None)
        rel_id = sheet.get(f"{{{_REL_NS}}}id") if sheet is not None else None
        rels_name = posixpath.join(posixpath.dirname(workbook), "_rels", posixpath.basename(workbook) + ".rels")
        rels = ElementTree.fromstring(_read_small(book, rels_name)) if rels_name in names else None
    except ElementTree.ParseError as exc:
        raise _damaged(f"workbook.xml 格式错误：{exc}") from exc
    target = None
    if rel_id and rels is not None:
        target = next((r.get("Target") for r in rels.iter(f"{{{_PKG_REL_NS}}}Relationship") if r.get("Id") == rel_id),
                      None)
    if target:
        member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join(posixpath.dirname(workbook), target))
        if member in names:
            return member
    sheets = sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml"))
    if not sheets:
        raise _damaged("没有工作表")
    return sheets[0]


def scan_extent(stream, *, max_bytes: int) -> tuple[SheetExtent, int]:
    """The furthest row and column a sheet's XML uses, read in pieces; and the bytes read.

    Cells without an ``r`` attribute take the next column of their row, rows without one the next row, as Excel
    reads them. A declared ``<dimension ref>`` counts as well: the reader may size its range by it.
    """
    rows = columns = 0
    row = column = 0
    total = 0
    tail = b""
    while True:
        piece = stream.read(READ_PIECE)
        total += len(piece)
        if total > max_bytes:
            raise _too_large(f"Excel 工作表解压后超过{max_bytes // (1024 * 1024)}MB",
                             f"the sheet is over {max_bytes // (1024 * 1024)} MB uncompressed")
        data = tail + piece
        cut = data.rfind(b">") + 1 if piece else len(data)
        if piece and len(data) - cut > _TAIL:  # a run without '>' longer than any tag: only text, keep its end
            cut = len(data) - _TAIL
        for match in _TAG.finditer(data, 0, cut):
            kind, attrs = match.group(1), match.group(2)
            if kind == b"dimension":
                ref = _REF_ATTR.search(attrs)
                for cell in _CELL_REF.finditer(ref.group(1).decode("ascii", "replace") if ref else ""):
                    rows, columns = max(rows, int(cell.group(2))), max(columns, column_number(cell.group(1)))
                continue
            found = _R_ATTR.search(attrs)
            if kind == b"row":
                row = int(found.group(2)) if found and found.group(2) else row + 1
                column = 0
                rows = max(rows, row)
            else:
                if found and found.group(1):
                    column = column_number(found.group(1).decode("ascii"))
                    if found.group(2):
                        row = int(found.group(2))
                        rows = max(rows, row)
                else:
                    column += 1
                columns = max(columns, column)
        tail = data[cut:]
        if not piece:
            return SheetExtent(rows, columns), total


def check_xlsx(path: Path | str) -> SheetExtent:
    """Refuse a workbook the reader could not hold (``file.xlsx_too_large``) or a damaged zip (``file.xlsx``).

    Returns the first sheet's extent when it is within the limits.
    """
    max_columns, max_cells, max_bytes, max_ratio = _limits()
    path = Path(path)
    size = path.stat().st_size
    try:
        with zipfile.ZipFile(path) as book:
            members = book.infolist()
            declared = sum(m.file_size for m in members)
            if declared > max_bytes or (declared > RATIO_FLOOR_BYTES and declared > max_ratio * max(size, 1)):
                raise _too_large(f"Excel 文件解压后为{declared // (1024 * 1024)}MB（上传文件{size // 1024}KB），"
                                 "超出限额或压缩比异常",
                                 f"the workbook expands to {declared} bytes from {size}: over the limit")
            sheet = first_sheet_name(book)
            with book.open(sheet) as stream:
                extent, real = scan_extent(stream, max_bytes=max_bytes)
            # the members are read by the reader too (shared strings above all): their real size counts, not the
            # sizes their headers declare
            for member in members:
                if member.filename == sheet or member.is_dir():
                    continue
                with book.open(member) as fh:
                    while piece := fh.read(READ_PIECE):
                        real += len(piece)
                        if real > max_bytes:
                            raise _too_large(f"Excel 文件解压后超过{max_bytes // (1024 * 1024)}MB",
                                             f"the workbook expands past {max_bytes} bytes")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
        raise _damaged(str(exc) or type(exc).__name__) from exc
    if real > RATIO_FLOOR_BYTES and real > max_ratio * max(size, 1):
        raise _too_large(f"Excel 文件压缩比异常（{real // max(size, 1)}倍）", f"compression ratio {real // max(size, 1)}")
    if extent.columns > max_columns:
        raise _too_large(f"Excel 第一个工作表用到了第{extent.columns}列（上限{max_columns}列）",
                         f"the first sheet uses column {extent.columns} (limit {max_columns})")
    if extent.cells > max_cells:
        raise _too_large(f"Excel 第一个工作表的使用范围为{extent.rows}行×{extent.columns}列，共{extent.cells}个单元格"
                         f"（上限{max_cells}个）",
                         f"the first sheet spans {extent.rows} rows × {extent.columns} columns = {extent.cells} cells "
                         f"(limit {max_cells})")
    return extent


__all__ = ["SheetExtent", "check_xlsx", "column_number", "first_sheet_name", "scan_extent"]
