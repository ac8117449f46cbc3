"""Text normalisation shared by the catalogue loader, header mapping and the validation plan.

Each Python helper here has a Polars twin in ``plan.py`` that must give the same answer; the enumeration and
header indexes are built with the Python side and looked up with the Polars side.
"""

from __future__ import annotations

import re
import unicodedata

# Characters trimmed from both ends of every cell: ASCII and ideographic spaces, NBSP, BOM and zero-width marks
# (clerks' spreadsheets carry all of them).
STRIP_CHARS = " \t\r\n\v\f\u3000\u00a0\u2002\u2003\u2009\u202f\ufeff\u200b\u200c\u200d\u2060"

# Cells that mean "nothing here" (无, /, -, —, N/A, 空, null …). Matched on the trimmed cell, case-insensitive,
# before any width normalisation, so full-width variants are listed too. A placeholder is an empty cell: in an
# optional field it becomes null, in a required one it is reported as ``required``.
PLACEHOLDER_PATTERN = (
    r"(?i)^(?:无|暂无|空|/|／|\\|＼|-+|－+|—+|–+|―+|n/?a|ｎ／ａ|null|none|nil|#n/a)$"
)
PLACEHOLDER_EXAMPLES = ("无", "暂无", "空", "/", "-", "—", "N/A", "null")

_WHITESPACE = re.compile(r"\s+")
_OPENING = str.maketrans({"【": "(", "[": "(", "〔": "(", "［": "(", "】": ")", "]": ")", "〕": ")", "］": ")"})
_HEADER_MARKS = "*＊:："


def is_placeholder(text: str | None) -> bool:
    return text is not None and re.match(PLACEHOLDER_PATTERN, text.strip(STRIP_CHARS)) is not None


def normalise_header(text: object) -> str:
    """A column header as compared with the catalogue's labels and aliases.

    Ignores case, all whitespace, full-width/half-width differences (NFKC), Chinese versus English parentheses and
    brackets, and the ``*`` / ``:`` that templates put around required headers: ``＊罚款金额（万元）`` →
    ``罚款金额(万元)``, ``cf_xdr_mc `` → ``cf_xdr_mc``.
    """
    value = unicodedata.normalize("NFKC", "" if text is None else str(text)).translate(_OPENING)
    value = _WHITESPACE.sub("", value).strip(_HEADER_MARKS)
    return value.lower()


_HALF_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def half_width(text: str) -> str:
    """Full-width ASCII variants and the ideographic space to half-width. Twin of ``expressions.half_width``."""
    return text.translate(_HALF_WIDTH)


def normalise_token(text: object) -> str:
    """An enumeration value as compared with the catalogue's codes, labels and aliases.

    Half-width, trimmed, lower-cased, all whitespace removed. Twin of ``expressions.token`` over a cleaned cell.
    """
    value = half_width("" if text is None else str(text))
    return _WHITESPACE.sub("", value.strip(STRIP_CHARS)).lower()
