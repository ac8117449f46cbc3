"""Reading department files (文件读取): CSV in UTF-8/GB18030, XLSX and JSON lines, streamed in chunks.

What clerks send is messy, so the reader is forgiving about form and strict about content: it finds the
encoding (a UTF-8 BOM, UTF-8, else GB18030, line by line when a file mixes them), skips title rows above the
header, drops trailing empty columns, and gives every data row the number the provider sees (the first row under
the header is 1). Whole-file refusals are only for files that cannot be read at all.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pubcredit.catalog.headers import find_header_row
from pubcredit.catalog.schema import InfoClass
from pubcredit.ingest.workbook_limits import check_xlsx
from pubcredit.rules.errors import DomainError, Problem

SNIFF_BYTES = 64 * 1024
HEADER_SCAN_ROWS = 10
REPORTED_LINES = 20  # line numbers named in a mixed-encoding or undecodable-bytes warning
XLSX_MAGIC = b"PK\x03\x04"
_DELIMITERS = ",\t;|"

Cells = list[str | None]
CSV_FIELD_LIMIT = 16 * 1024 * 1024
csv.field_size_limit(CSV_FIELD_LIMIT)  # long 违法事实 texts; the catalogue's max_length rejects what is too long
MAX_JSON_DEPTH = 32  # nesting in a JSON file's object; a record's cells are values, lists or small objects


def _refuse(code: str, zh: str, en: str) -> DomainError:
    return DomainError(code, zh, en, "file")


@dataclass
class RowSource:
    """A readable submission: its header and an iterator of data rows (lists of cells as text or None)."""

    header: list[str]
    rows: Iterator[Cells]
    file_format: str
    encoding: str = ""
    title_rows: int = 0  # rows above the header that were skipped
    decoder: _LineDecoder | None = None

    def read_warnings(self) -> list[Problem]:
        """Warnings found while reading (lines in another encoding, undecodable bytes); final once read."""
        if self.decoder is None:
            return []
        out, offset = [], self.title_rows + 1
        other, odd = self.decoder.minority_lines()
        if odd:
            rows = "、".join(str(n - offset) for n in odd)
            out.append(Problem("file.mixed_encoding", f"文件混用了两种编码，以下行按 {other} 读取：{rows}",
                               f"mixed encodings: rows {rows} read as {other}", None))
        if self.decoder.bad_lines:
            rows = "、".join(str(n - offset) for n in self.decoder.bad_lines)
            out.append(Problem("file.undecodable", f"以下行含无法识别的字符（已用�代替）：{rows}",
                               f"rows {rows} hold undecodable bytes (replaced)", None))
        return out

    def chunks(self, size: int) -> Iterator[list[Cells]]:
        chunk: list[Cells] = []
        for row in self.rows:
            chunk.append(row)
            if len(chunk) >= size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk


def _looks_binary(sample: bytes) -> bool:
    if sample.startswith(XLSX_MAGIC):
        return False
    return b"\x00" in sample[:SNIFF_BYTES] or sum(b < 9 for b in sample[:4096]) > 8


def _sample_text(sample: bytes) -> tuple[str, str]:
    """The sample decoded line by line, and the encoding most of it is in; refuses a file that is neither."""
    lines = sample.split(b"\n")
    if len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut by the sample's end
    probe = _LineDecoder()
    text = "\n".join(probe(iter(lines)))
    if probe.counts["bad"] and probe.counts["bad"] * 2 >= len(lines):
        raise _refuse("file.encoding", "无法识别文件编码：请另存为 UTF-8 或 GBK（GB18030）编码的 CSV 文件",
                      "file encoding not recognised: save the CSV as UTF-8 or GBK/GB18030")
    return text, probe.majority


class _LineDecoder:
    """Decodes line by line: UTF-8 when the line is valid UTF-8 (GBK text almost never is), else GB18030.

    Lines are remembered by encoding so a file mixing both (rows pasted from another export) is reported.
    """

    def __init__(self) -> None:
        # counts, and the first few line numbers for the warnings: a list of every line number grew with the file
        # (36 MB a million lines)
        self.counts: dict[str, int] = {"utf-8": 0, "gb18030": 0, "bad": 0}
        self.lines: dict[str, list[int]] = {"utf-8": [], "gb18030": [], "bad": []}

    @property
    def bad_lines(self) -> list[int]:
        return self.lines["bad"]

    def _note(self, kind: str, number: int) -> None:
        self.counts[kind] += 1
        if len(self.lines[kind]) < REPORTED_LINES:
            self.lines[kind].append(number)

    def __call__(self, lines: Iterator[bytes]) -> Iterator[str]:
        for number, raw in enumerate(lines, start=1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                text = raw.decode("utf-8")
                if not raw.isascii():
                    self._note("utf-8", number)
            except UnicodeDecodeError:
                try:
                    text = raw.decode("gb18030")
                    self._note("gb18030", number)
                except UnicodeDecodeError:
                    text = raw.decode("utf-8", errors="replace")
                    self._note("bad", number)
            yield text

    @property
    def majority(self) -> str:
        return "gb18030" if self.counts["gb18030"] > self.counts["utf-8"] else "utf-8"

    def minority_lines(self) -> tuple[str, list[int]]:
        other = "utf-8" if self.majority == "gb18030" else "gb18030"
        return other, self.lines[other]


def _trim(row: list[str]) -> Cells:
    """Blank cells become None; trailing empty columns go."""
    cells: Cells = [c if c is not None and c.strip() != "" else None for c in row]
    while cells and cells[-1] is None:
        cells.pop()
    return cells


def _sniff_delimiter(first_lines: list[str]) -> str:
    sample = "\n".join(first_lines)
    counts = {d: sample.count(d) for d in _DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _locate_header(head: list[Cells], info_class: InfoClass) -> int:
    return find_header_row([[c or "" for c in row] for row in head], info_class, max_scan=HEADER_SCAN_ROWS)


def _split_head(rows: Iterator[Cells], info_class: InfoClass) -> tuple[list[str], int, Iterator[Cells]]:
    head: list[Cells] = []
    for row in rows:
        head.append(row)
        if len(head) >= HEADER_SCAN_ROWS:
            break
    head_nonblank = [i for i, r in enumerate(head) if any(r)]
    if not head_nonblank:
        raise _refuse("file.empty", "文件为空：没有表头，也没有数据", "the file is empty")
    index = _locate_header(head, info_class)
    if index == 0 and not any(head[0]):
        index = head_nonblank[0]
    header = [c or "" for c in head[index]]

    def rest() -> Iterator[Cells]:
        yield from head[index + 1:]
        yield from rows

    return header, index, rest()


def read_csv(path: Path, info_class: InfoClass) -> RowSource:
    with path.open("rb") as fh:
        sample = fh.read(SNIFF_BYTES)
    if not sample.strip():
        raise _refuse("file.empty", "文件为空：没有表头，也没有数据", "the file is empty")
    if _looks_binary(sample):
        raise _refuse("file.binary", "文件不是文本表格（可能是改了扩展名的其他文件），请上传 CSV、XLSX 或 JSON Lines 文件",
                      "not a text table (a binary file renamed?): upload CSV, XLSX or JSON lines")
    text, encoding = _sample_text(sample)
    decoder = _LineDecoder()
    first_lines = text.splitlines()[:HEADER_SCAN_ROWS]
    delimiter = _sniff_delimiter(first_lines)
    handle = path.open("rb")

    def byte_lines() -> Iterator[bytes]:
        with handle:
            yield from handle

    reader = csv.reader(decoder(byte_lines()), delimiter=delimiter)

    def rows_read() -> Iterator[Cells]:
        try:
            for raw_row in reader:
                yield _trim(raw_row)
        except csv.Error as exc:  # a field over the csv module's limit, a NUL byte in a quoted field…
            raise _refuse("file.csv", f"CSV 格式错误（文件第{reader.line_num}行附近）：{exc}。单个单元格不能超过"
                          f"{CSV_FIELD_LIMIT // (1024 * 1024)}MB；请检查引号是否成对",
                          f"malformed CSV near line {reader.line_num}: {exc}") from exc

    header, title_rows, rows = _split_head(rows_read(), info_class)
    return RowSource(header, rows, "csv", encoding, title_rows, decoder)


def _xlsx_cell(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value)


def read_xlsx(path: Path, info_class: InfoClass) -> RowSource:
    """The first sheet of a workbook, once its zip has been measured (:func:`workbook_limits.check_xlsx`): the reader
    allocates the sheet's whole used range, and a far cell would abort the process."""
    from python_calamine import CalamineWorkbook

    check_xlsx(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
        sheet = book.get_sheet_by_index(0)
        iterator = iter(sheet.iter_rows())
    except Exception as exc:  # calamine raises its own error types for damaged workbooks
        raise _refuse("file.xlsx", f"无法读取 Excel 文件：{exc}", f"cannot read the XLSX workbook: {exc}") from exc
    rows = (_trim([_xlsx_cell(v) for v in row]) for row in iterator)
    header, title_rows, rest = _split_head(rows, info_class)
    return RowSource(header, rest, "xlsx", "", title_rows)


def read_jsonl(path: Path, info_class: InfoClass) -> RowSource:
    """JSON lines (one object per line) or one JSON array of objects; keys are headers."""
    with path.open("rb") as fh:
        sample = fh.read(SNIFF_BYTES).lstrip()
    if not sample:
        raise _refuse("file.empty", "文件为空：没有表头，也没有数据", "the file is empty")
    if sample.startswith(b"["):
        try:
            objects = json.loads(path.read_bytes().decode("utf-8-sig"))
        except RecursionError:
            raise _json_too_deep("") from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise _refuse("file.json", f"JSON 格式错误：{exc}", f"malformed JSON: {exc}") from exc
        if json_depth(objects) > MAX_JSON_DEPTH + 1:  # the array itself is one level
            raise _json_too_deep("")
        if not all(isinstance(o, dict) for o in objects):
            raise _refuse("file.json", "JSON 数组的每一项都应是对象", "every item of the JSON array must be an object")
        stream: Iterator[dict] = iter(objects)
    else:
        stream = _json_lines(path)
    head: list[dict] = []
    for obj in stream:
        head.append(obj)
        if len(head) >= 1000:
            break
    header: list[str] = []
    for obj in head:
        header.extend(k for k in obj if k not in header)

    def rows() -> Iterator[Cells]:
        for obj in [*head, *stream]:
            yield [_xlsx_cell(obj.get(k)) if not isinstance(obj.get(k), (list, dict))
                   else json.dumps(obj.get(k), ensure_ascii=False) for k in header]

    return RowSource(header, rows(), "jsonl", "utf-8", 0)


def json_depth(value: object) -> int:
    """How deep objects and arrays nest in a parsed JSON value (walked without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def _json_too_deep(where: str) -> DomainError:
    return _refuse("file.json_depth", f"{where}JSON 嵌套超过{MAX_JSON_DEPTH}层：每条记录应是一个字段名→值的对象",
                   f"JSON nests deeper than {MAX_JSON_DEPTH} levels")


def _json_lines(path: Path) -> Iterator[dict]:
    with path.open("rb") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line.decode("utf-8-sig"))
            except RecursionError:
                raise _json_too_deep(f"第{number}行") from None
            except (ValueError, UnicodeDecodeError) as exc:
                raise _refuse("file.json", f"第{number}行不是合法的 JSON：{exc}", f"line {number} is not JSON: {exc}") from exc
            if json_depth(obj) > MAX_JSON_DEPTH:
                raise _json_too_deep(f"第{number}行")
            if not isinstance(obj, dict):
                raise _refuse("file.json", f"第{number}行应是一个 JSON 对象", f"line {number} is not a JSON object")
            yield obj


def open_source(path: Path | str, info_class: InfoClass, *, filename: str | None = None) -> RowSource:
    """Open a department file by its content (and name): XLSX, JSON (lines or array) or CSV."""
    path = Path(path)
    name = (filename or path.name).lower()
    with path.open("rb") as fh:
        sample = fh.read(SNIFF_BYTES)
    if not sample:
        raise _refuse("file.empty", "文件为空：没有表头，也没有数据", "the file is empty")
    if sample.startswith(XLSX_MAGIC):
        return read_xlsx(path, info_class)
    if name.endswith((".xlsx", ".xlsm")):
        raise _refuse("file.xlsx", "文件扩展名为 .xlsx，但内容不是 Excel 工作簿", "named .xlsx but not an Excel workbook")
    if name.endswith(".xls"):
        raise _refuse("file.xls", "不支持旧版 .xls 格式，请在 Excel 中另存为 .xlsx 或 CSV",
                      "legacy .xls is not supported: save as .xlsx or CSV")
    stripped = sample.lstrip(b"\xef\xbb\xbf \t\r\n")
    if name.endswith((".jsonl", ".json", ".ndjson")) or stripped[:1] in (b"{", b"["):
        return read_jsonl(path, info_class)
    return read_csv(path, info_class)


__all__ = ["RowSource", "open_source"]
