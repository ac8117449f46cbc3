"""Mapping a provider's column headers onto the fields of an information class.

A header is matched against each field's English key, its standard Chinese label and its aliases (pinyin
column codes such as ``CF_WSH``, common variants such as ``决定文书号``), ignoring case, surrounding and inner
spaces, full-width/half-width differences, Chinese/English parentheses and the ``*`` of required headers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from pubcredit.catalog.normalise import normalise_header
from pubcredit.catalog.schema import InfoClass
from pubcredit.rules.errors import DomainError, Problem


class MissingField(NamedTuple):
    """An unconditionally required field that no column provides. Besides ``label_zh`` and its ``aliases``, the
    English ``key`` is accepted as a header too."""

    key: str
    label_zh: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class HeaderMapping:
    """The outcome of :func:`map_headers`.

    - ``columns``: original header → field key, for every header that names a field (first one wins);
    - ``unknown``: headers naming no field (ignored; report them as a warning);
    - ``missing_required``: required fields no column provides (the file must be refused);
    - ``duplicated``: headers naming a field an earlier column already provides (ignored; report them).

    Fields that are only conditionally required (``required_when``) are never "missing": the plan checks the
    condition row by row.
    """

    columns: dict[str, str]
    unknown: list[str] = field(default_factory=list)
    missing_required: list[MissingField] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing_required

    def missing_problems(self) -> list[Problem]:
        """One ``catalog.missing_column`` problem per missing field, naming the accepted headers."""
        return [Problem("catalog.missing_column",
                        f"缺少必填列：{m.label_zh}（也可用列名：{'、'.join((m.key, *m.aliases))}）",
                        f"required column missing: {m.key} (accepted headers: {', '.join((m.label_zh, *m.aliases))})",
                        m.key)
                for m in self.missing_required]

    def raise_if_missing(self) -> None:
        """Refuse the whole file (``catalog.missing_columns``) naming every missing column and its aliases."""
        if not self.missing_required:
            return
        problems = self.missing_problems()
        names = "、".join(m.label_zh for m in self.missing_required)
        raise DomainError("catalog.missing_columns", f"文件缺少必填列：{names}",
                          f"required columns missing: {', '.join(m.key for m in self.missing_required)}",
                          None, problems)

    def unknown_problem(self) -> Problem | None:
        """A warning naming the ignored columns, or None."""
        if not self.unknown:
            return None
        return Problem("catalog.unknown_columns", f"以下列不在目录中，已忽略：{'、'.join(self.unknown)}",
                       f"columns not in the catalogue were ignored: {', '.join(self.unknown)}", None)


def match_header(info_class: InfoClass, header: object) -> str | None:
    """The field key a header names, or None."""
    return info_class.header_index.get(normalise_header(header))


def map_headers(info_class: InfoClass, headers: list[str]) -> HeaderMapping:
    """Map a provider's headers onto field keys. Blank headers (trailing empty columns) are skipped silently."""
    columns: dict[str, str] = {}
    unknown: list[str] = []
    duplicated: list[str] = []
    provided: set[str] = set()
    for header in headers:
        text = "" if header is None else str(header)
        if not normalise_header(text):
            continue
        key = match_header(info_class, text)
        if key is None:
            unknown.append(text)
        elif key in provided or text in columns:
            duplicated.append(text)
        else:
            columns[text] = key
            provided.add(key)
    missing = [MissingField(f.key, f.label_zh, f.aliases)
               for f in info_class.fields if f.required and f.key not in provided]
    return HeaderMapping(columns=columns, unknown=unknown, missing_required=missing, duplicated=duplicated)


def find_header_row(rows: list[list[str]], info_class: InfoClass, max_scan: int = 10) -> int:
    """The index (0-based) of the header row among the first ``max_scan`` rows.

    Clerks' exports often carry one or two title rows (``淄博市市场监督管理局行政处罚信息（2026年10月）``) above the
    headers. The header row is the one naming the most distinct fields (the first such row on a tie); when no
    row names any field, 0 (the caller's header mapping then reports the missing columns).
    """
    best_index, best_score = 0, 0
    for index, row in enumerate(rows[:max_scan]):
        keys = {match_header(info_class, cell) for cell in row if cell is not None and str(cell).strip()}
        keys.discard(None)
        if len(keys) > best_score:
            best_index, best_score = index, len(keys)
    return best_index
