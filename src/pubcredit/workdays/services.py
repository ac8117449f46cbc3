"""Every write to the holiday table (节假日与调休表): set a day, remove a day, load a file.

Each service runs in its own transaction, writes one audit event, bumps the calendar revision and drops
the in-process cache, so the next working-day (工作日) count sees the change.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.db.models import F

from pubcredit.audit import services as audit
from pubcredit.audit.events import Event
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError, Problem
from pubcredit.workdays import selectors
from pubcredit.workdays.choices import DayKind, DaySource
from pubcredit.workdays.models import CalendarDay, CalendarRevision

MIN_YEAR, MAX_YEAR = 1990, 2100
NAME_MAX = 50

# what a file or a form may say for a kind (case-insensitive for the English words)
KIND_ALIASES: dict[str, str] = {
    "holiday": DayKind.HOLIDAY, "休": DayKind.HOLIDAY, "节假日": DayKind.HOLIDAY, "法定节假日": DayKind.HOLIDAY,
    "假": DayKind.HOLIDAY,
    "workday": DayKind.WORKDAY, "班": DayKind.WORKDAY, "调休": DayKind.WORKDAY, "调休上班": DayKind.WORKDAY,
    "调休上班日": DayKind.WORKDAY,
}
COLUMN_ALIASES = {"date": "date", "日期": "date", "kind": "kind", "类型": "kind", "name": "name", "名称": "name"}
_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")


def _snapshot(day: CalendarDay | None) -> dict[str, str] | None:
    if day is None:
        return None
    return {"date": day.date.isoformat(), "kind": day.kind, "name": day.name, "source": day.source}


def _changed() -> None:
    """Bump the calendar revision (in the caller's transaction) and drop the cached calendar."""
    if not CalendarRevision.objects.filter(pk=1).update(number=F("number") + 1):
        CalendarRevision.objects.create(pk=1, number=1)
    selectors.invalidate_cache()
    transaction.on_commit(selectors.invalidate_cache)


# -- checks shared by the form, the page and the file loader -------------------------------------------------

def parse_kind(raw: Any) -> str | None:
    """``holiday``/``workday``, 休/班, 节假日/调休 (and the full labels) → a ``DayKind``; None if unknown."""
    text = str(raw or "").strip()
    return KIND_ALIASES.get(text.lower()) or KIND_ALIASES.get(text)


def parse_date(raw: Any) -> dt.date | None:
    """``2026-10-01`` (or ``2026/10/01``) → a date; None for anything else, e.g. ``2026-02-30``."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    match = _DATE.match(str(raw or "").strip())
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _as_date(day: Any) -> dt.date:
    parsed = parse_date(day)
    if parsed is None:
        raise DomainError("calendar.date", f"日期无效：{day}（应为YYYY-MM-DD的真实日期）",
                          f"invalid date {day!r} (YYYY-MM-DD, a real date)", "date")
    return parsed


def _day_problems(day: dt.date, kind: str, name: str, line: int | None = None) -> list[Problem]:
    zh_at, en_at = (f"第{line}行：", f"line {line}: ") if line else ("", "")
    problems = []
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        problems.append(Problem("calendar.year_range", f"{zh_at}日期年份应在{MIN_YEAR}–{MAX_YEAR}之间：{day.isoformat()}",
                                f"{en_at}date year must be {MIN_YEAR}-{MAX_YEAR}: {day.isoformat()}", "date"))
    if kind == DayKind.WORKDAY and day.weekday() < 5:
        problems.append(Problem("calendar.workday_not_weekend",
                                f"{zh_at}调休上班日应为周六或周日：{day.isoformat()}本来就是工作日",
                                f"{en_at}a make-up working day must be a Saturday or Sunday: {day.isoformat()}",
                                "kind"))
    if len(name) > NAME_MAX:
        problems.append(Problem("calendar.name_too_long", f"{zh_at}名称不能超过{NAME_MAX}个字",
                                f"{en_at}name longer than {NAME_MAX} characters", "name"))
    return problems


def _write(day: dt.date, kind: str, name: str, source: str) -> tuple[bool, dict[str, str] | None, CalendarDay]:
    """Insert or update one row: (changed, snapshot before, row). An identical entry is left alone."""
    row = CalendarDay.objects.select_for_update().filter(date=day).first()
    if row is not None and row.kind == kind and row.name == name:
        return False, _snapshot(row), row
    before = _snapshot(row)
    if row is None:
        row = CalendarDay(date=day)
    row.kind, row.name, row.source, row.updated_at = kind, name, source, clock.now()
    row.full_clean()
    row.save()
    return True, before, row


# -- services -------------------------------------------------------------------------------------------------

@transaction.atomic(durable=True)
def calendar_day_set(*, day: dt.date, kind: str, name: str = "", actor: Any) -> CalendarDay:
    """Mark ``day`` a statutory holiday (法定节假日) or a make-up working day (调休上班日), or change its entry."""
    day = _as_date(day)
    resolved = parse_kind(kind)
    if resolved is None:
        raise DomainError("calendar.kind", f"未知的日期类型：{kind}（可用：holiday/workday、休/班、节假日/调休）",
                          f"unknown kind {kind!r} (use holiday/workday, 休/班, 节假日/调休)", "kind")
    name = (name or "").strip()
    problems = _day_problems(day, resolved, name)
    if problems:
        raise DomainError.from_problems(problems)
    changed, before, row = _write(day, resolved, name, DaySource.OPERATOR)
    if not changed:
        return row
    _changed()
    audit.record(Event.CALENDAR_DAY_SET, actor=actor, object_type="calendar_day", object_id=day.isoformat(),
                 before=before, after=_snapshot(row))
    return row


@transaction.atomic(durable=True)
def calendar_day_remove(*, day: dt.date, actor: Any) -> None:
    """Remove ``day``'s entry: it becomes an ordinary day again (Monday–Friday working)."""
    day = _as_date(day)
    row = CalendarDay.objects.select_for_update().filter(date=day).first()
    if row is None:
        raise DomainError("calendar.day_not_found", f"{day.isoformat()}没有节假日或调休记录",
                          f"no calendar entry for {day.isoformat()}", "date")
    before = _snapshot(row)
    row.delete()
    _changed()
    audit.record(Event.CALENDAR_DAY_REMOVED, actor=actor, object_type="calendar_day", object_id=day.isoformat(),
                 before=before)


@dataclass(frozen=True)
class CalendarLine:
    """One valid line of a calendar file."""

    line: int
    day: dt.date
    kind: str
    name: str


def _file_error(problems: list[Problem], filename: str) -> DomainError:
    first = problems[0]
    count_zh = f"有{len(problems)}处错误，" if len(problems) > 1 else ""
    count_en = f"{len(problems)} errors, " if len(problems) > 1 else ""
    return DomainError(first.code, f"{filename}{count_zh}未导入任何数据。{first.message_zh}",
                       f"{filename}: {count_en}nothing loaded. {first.message_en}", first.field, list(problems))


def _check_line(line: int, raw_date: Any, raw_kind: Any, raw_name: Any, seen: dict[dt.date, int]) -> tuple[
        CalendarLine | None, list[Problem]]:
    where = f"第{line}行："
    problems = []
    day = parse_date(raw_date)
    if day is None:
        problems.append(Problem("calendar.date", f"{where}日期无效：{raw_date}（应为YYYY-MM-DD的真实日期）",
                                f"line {line}: invalid date {raw_date!r} (YYYY-MM-DD, a real date)", "date"))
    kind = parse_kind(raw_kind)
    if kind is None:
        problems.append(Problem("calendar.kind", f"{where}类型无效：{raw_kind}（可用：holiday/workday、休/班、节假日/调休）",
                                f"line {line}: unknown kind {raw_kind!r} (use holiday/workday, 休/班, 节假日/调休)",
                                "kind"))
    name = "" if raw_name is None else str(raw_name).strip()
    if day is not None and kind is not None:
        problems += _day_problems(day, kind, name, line)
    if day is not None and day in seen:
        problems.append(Problem("calendar.duplicate_date", f"{where}日期{day.isoformat()}与第{seen[day]}行重复",
                                f"line {line}: date {day.isoformat()} repeats line {seen[day]}", "date"))
    if day is not None:
        seen.setdefault(day, line)
    if problems:
        return None, problems
    return CalendarLine(line, day, kind, name), []


def _read_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DomainError("calendar.file_encoding", "文件编码无法识别（应为UTF-8或GB18030）",
                      "file encoding not recognised (UTF-8 or GB18030)", "file")


def _parse_csv(text: str) -> tuple[list[CalendarLine], list[Problem]]:
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    columns = [COLUMN_ALIASES.get((h or "").strip().lower(), COLUMN_ALIASES.get((h or "").strip())) for h in header or []]
    missing = [c for c in ("date", "kind") if c not in columns]
    if missing:
        return [], [Problem("calendar.file_header", f"第1行：表头缺少列：{', '.join(missing)}（应为date,kind,name）",
                            f"line 1: header lacks column(s) {', '.join(missing)} (expected date,kind,name)", "file")]
    index = {c: columns.index(c) for c in ("date", "kind", "name") if c in columns}
    lines, problems, seen = [], [], {}
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        cells = {c: (row[i] if i < len(row) else "") for c, i in index.items()}
        parsed, found = _check_line(reader.line_num, cells["date"], cells["kind"], cells.get("name"), seen)
        problems += found
        if parsed:
            lines.append(parsed)
    return lines, problems


class _NoDatesLoader(yaml.SafeLoader):
    """Safe YAML without implicit timestamps: ``2026-02-30`` stays a string we can report by line."""


_NoDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _parse_yaml(text: str) -> tuple[list[CalendarLine], list[Problem]]:
    bad_shape = Problem("calendar.file_format", "YAML文件应为列表，每项含date、kind、name",
                        "YAML file must be a list of mappings with date, kind, name", "file")
    try:
        root = yaml.compose(text, Loader=_NoDatesLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return [], [Problem("calendar.file_format", f"第{line}行：YAML格式错误", f"line {line}: malformed YAML", "file")]
    if isinstance(root, yaml.MappingNode):  # also accept {days: [...]}
        root = next((v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "days"), None)
    if root is None:
        return [], []
    if not isinstance(root, yaml.SequenceNode):
        return [], [bad_shape]
    lines, problems, seen = [], [], {}
    for item in root.value:
        line = item.start_mark.line + 1
        if not isinstance(item, yaml.MappingNode):
            problems.append(Problem("calendar.file_format", f"第{line}行：应为含date、kind、name的一项",
                                    f"line {line}: expected a mapping with date, kind, name", "file"))
            continue
        fields: dict[str, Any] = {}
        for key, value in item.value:
            if not isinstance(key, yaml.ScalarNode):
                continue
            column = COLUMN_ALIASES.get(key.value.strip().lower(), COLUMN_ALIASES.get(key.value.strip()))
            if column and isinstance(value, yaml.ScalarNode):
                fields[column] = None if value.tag == "tag:yaml.org,2002:null" else value.value
        parsed, found = _check_line(line, fields.get("date"), fields.get("kind"), fields.get("name"), seen)
        problems += found
        if parsed:
            lines.append(parsed)
    return lines, problems


def calendar_file_parse(data: bytes, *, filename: str) -> list[CalendarLine]:
    """Read a calendar file (CSV ``date,kind,name`` or a YAML list); any bad line rejects the whole file."""
    text = _read_text(data)
    suffix = Path(filename).suffix.lower()
    if suffix in {".yaml", ".yml"}:
        lines, problems = _parse_yaml(text)
    elif suffix in {".csv", ".txt"}:
        lines, problems = _parse_csv(text)
    else:
        raise DomainError("calendar.file_type", f"不支持的文件类型：{suffix or filename}（应为.csv、.yaml或.yml）",
                          f"unsupported file type {suffix or filename!r} (.csv, .yaml or .yml)", "file")
    if problems:
        raise _file_error(problems, filename)
    if not lines:
        raise DomainError("calendar.file_empty", "文件中没有任何日期", "the file has no dates", "file")
    return lines


@transaction.atomic(durable=True)
def calendar_load_file(*, path: str | Path, actor: Any, source_name: str | None = None) -> int:
    """Load holidays and make-up working days from a file (导入节假日表), adding or replacing those dates.

    Every line is checked first; one bad line (e.g. ``2026-02-30`` or an unknown kind) rejects the whole
    file with an error naming its line and field, and nothing is changed. Returns the number of dates in
    the file.
    """
    path = Path(path)
    label = source_name or path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DomainError("calendar.file_unreadable", f"无法读取文件：{label}", f"cannot read {label}: {exc}", "file") from exc
    lines = calendar_file_parse(data, filename=label)
    created = updated = 0
    before, after = {}, {}
    for item in lines:
        changed, old, row = _write(item.day, item.kind, item.name, DaySource.FILE)
        if not changed:
            continue
        if old is None:
            created += 1
        else:
            updated += 1
            before[item.day.isoformat()] = old
        after[item.day.isoformat()] = _snapshot(row)
    _changed()
    years = sorted({item.day.year for item in lines})
    audit.record(Event.CALENDAR_LOADED, actor=actor, object_type="calendar_file", object_id=label[:64],
                 before=before or None, after=after or None,
                 data={"file": label, "sha256": hashlib.sha256(data).hexdigest(), "lines": len(lines),
                       "created": created, "updated": updated, "unchanged": len(lines) - created - updated,
                       "years": years})
    return len(lines)
