"""Polars expressions for the validation plan: cleaning cells, parsing dates and amounts, checking identifiers.

Every function takes and returns ``pl.Expr`` so that the plan runs as a handful of vectorised passes over the
whole frame; Python only runs for the few values that fail (to word the message) — see ``plan.py``.
"""

from __future__ import annotations

import datetime as dt
import re

import polars as pl

from pubcredit.catalog.normalise import PLACEHOLDER_PATTERN, STRIP_CHARS
from pubcredit.catalog.normalise import half_width as half_width_text
from pubcredit.catalog.normalise import normalise_token
from pubcredit.catalog.schema import AMOUNT_UNITS, FieldSpec
from pubcredit.rules.identifiers import RID18_PATTERN, USCC_ALPHABET, USCC_PATTERN

# --- cells -----------------------------------------------------------------------------------------------------


def trimmed(col: pl.Expr) -> pl.Expr:
    """Trimmed cell; blank cells and placeholders (无, /, -, —, N/A, 空, null …) become null.

    Cells starting with ``=``, ``+``, ``-`` or ``@`` are kept as text here: the platform never evaluates them, and
    the export side (rejection files, downloads) neutralises them so that a spreadsheet does not run them either.
    """
    text = col.str.strip_chars(STRIP_CHARS)
    return pl.when((text == "") | text.str.contains(PLACEHOLDER_PATTERN)).then(None).otherwise(text)


# Full-width ASCII variants (U+FF01–U+FF5E) and the ideographic space, with their half-width forms: the part of
# Unicode NFKC that hand-typed Chinese files need. Polars' ``str.normalize("NFKC")`` costs ~1 s per million cells;
# this fold costs ~0.05 s. Identifiers that still fail get the full NFKC of ``rules.identifiers`` in the Python
# fallback, so nothing NFKC would have rescued is lost there.
_FULL_WIDTH = [chr(c) for c in range(0xFF01, 0xFF5F)] + ["\u3000"]
_HALF_WIDTH = [chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)] + [" "]


def half_width(col: pl.Expr) -> pl.Expr:
    """Full-width to half-width (``９１３７``→``9137``, ``（``→``(``, ``；``→``;``)."""
    return col.str.replace_many(_FULL_WIDTH, _HALF_WIDTH)


def code_text(col: pl.Expr) -> pl.Expr:
    """An identifier as compared and stored: half-width, no spaces or dashes, upper case; empty → null.

    Twin of ``rules.identifiers.normalise_code``.
    """
    value = half_width(col).str.replace_all(r"[\s\-]+", "").str.to_uppercase()
    return pl.when(value == "").then(None).otherwise(value)


def token(col: pl.Expr) -> pl.Expr:
    """An enumeration value as looked up: lower case, no whitespace (the cell is already half-width).

    Twin of ``normalise.normalise_token``.
    """
    return col.str.to_lowercase().str.replace_all(r"\s+", "")


# --- enumerations ----------------------------------------------------------------------------------------------


def enum_code(cleaned: pl.Expr, spec: FieldSpec) -> pl.Expr:
    """Code of a single-value enumeration cell, null when empty or not allowed."""
    return token(cleaned).replace_strict(spec.enum_index, default=None, return_dtype=pl.String)


def _separator_pattern(spec: FieldSpec) -> str:
    chars = dict.fromkeys(half_width_text(spec.separators).lower() + spec.separators)
    return "[" + "".join(re.escape(c) for c in chars if not c.isspace()) + "]+"


def _aliases_with_separators(spec: FieldSpec) -> dict[str, str]:
    """Aliases that contain a separator themselves (法律、行政法规规定的其他行政处罚), longest first, with their code."""
    pattern = re.compile(_separator_pattern(spec))
    found = {alias: code for alias, code in spec.enum_index.items() if pattern.search(alias)}
    return dict(sorted(found.items(), key=lambda item: -len(item[0])))


def multi_enum_codes(cleaned: pl.Expr, spec: FieldSpec) -> tuple[pl.Expr, pl.Expr]:
    """(list of codes or null, "has a value not allowed") for a multi-value enumeration cell.

    Values that contain a separator themselves (e.g. 法律、行政法规规定的其他行政处罚) are replaced by their code
    before the cell is split, so several of them in one cell are each recognised; duplicates are dropped keeping
    the first.
    """
    tok = token(cleaned)
    whole = tok.replace_strict(spec.enum_index, default=None, return_dtype=pl.String)
    protected = _aliases_with_separators(spec)
    if protected:
        tok = tok.str.replace_many(list(protected), list(protected.values()))
    parts = (tok.str.replace_all(_separator_pattern(spec), "\x1f").str.split("\x1f")
             .list.eval(pl.element().filter(pl.element() != "")
                        .replace_strict(spec.enum_index, default=None, return_dtype=pl.String)))
    codes = pl.when(whole.is_not_null()).then(pl.concat_list([whole])).otherwise(parts)
    bad = cleaned.is_not_null() & (codes.list.eval(pl.element().is_null()).list.any() | (codes.list.len() == 0))
    value = pl.when(bad | cleaned.is_null()).then(None).otherwise(codes.list.unique(maintain_order=True))
    return value, bad.fill_null(False)


def split_multi(text: str, spec: FieldSpec) -> list[str]:
    """Python twin of the split above, to name the offending values in a message: adjacent parts that together
    make a value containing a separator are kept together."""
    value = half_width_text(text)
    pieces = re.split(f"({_separator_pattern(spec)})", value)  # parts at even indexes, separators between
    protected = _aliases_with_separators(spec)
    out, i = [], 0
    while i < len(pieces):
        part, j = pieces[i], i
        for k in range(len(pieces) - 1, i, -2):  # the longest run of parts that is one value
            if normalise_token("".join(pieces[i:k + 1])) in protected:
                part, j = "".join(pieces[i:k + 1]), k
                break
        if part.strip():
            out.append(part)
        i = j + 2
    return out


# --- dates -----------------------------------------------------------------------------------------------------

EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 in the 1900 date system (after its 1900-02-29 bug)
EXCEL_SERIAL_RANGE = (1, 80_000)  # 1900-01-01 … 2119-01-10
_YMD = (r"^(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
        r"(?:(?:\s+|T)\d{1,2}:\d{1,2}.*)?$")
_COMPACT = r"^(\d{8})(?:(?:\s+|T)\d{1,2}:?\d{1,2}.*)?$"
_SERIAL = r"^(\d{1,5})(?:\.\d+)?$"
DATE_FORMATS_ZH = "2026-03-01、2026/3/1、2026.3.1、2026年3月1日、20260301 或 Excel 日期序列号"


def parse_date(cleaned: pl.Expr, spec: FieldSpec) -> pl.Expr:
    """A date cell (already half-width and trimmed) as ``pl.Date``; null when it is not a date.

    Accepted: 2026-03-01, 2026/3/1, 2026.3.1, 2026年3月1日, 20260301, an Excel serial number (46082 → 2026-03-01)
    and the field's ``date_words`` (长期 → 2099-12-31); a time of day after the date is ignored. A bare four-digit
    number between 1900 and 2100 is taken for a year, not a serial, and refused.
    """
    parts = cleaned.str.extract_groups(_YMD)
    ymd = pl.concat_str([parts.struct.field("y"), pl.lit("-"), parts.struct.field("m").str.zfill(2), pl.lit("-"),
                         parts.struct.field("d").str.zfill(2)]).str.to_date("%Y-%m-%d", strict=False)
    compact = cleaned.str.extract(_COMPACT, 1).str.to_date("%Y%m%d", strict=False)
    serial = cleaned.str.extract(_SERIAL, 1).cast(pl.Int64, strict=False)
    low, high = EXCEL_SERIAL_RANGE
    from_serial = (pl.when(serial.is_between(low, high) & ~serial.is_between(1900, 2100))
                   .then(pl.lit(EXCEL_EPOCH) + pl.duration(days=serial)).otherwise(None).cast(pl.Date))
    candidates = [ymd, compact, from_serial]
    if spec.date_words:
        words = {re.sub(r"\s+", "", half_width_text(w)): d for w, d in spec.date_words.items()}
        candidates.append(cleaned.str.replace_all(r"\s+", "").replace_strict(words, default=None, return_dtype=pl.Date))
    return pl.coalesce(candidates)


# --- amounts ---------------------------------------------------------------------------------------------------

_AMOUNT = (r"(?i)^(?:人民币|rmb|¥|￥)?(?P<num>[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)(?:e[+-]?\d+)?)"
           r"(?P<unit>万元|亿元|万|亿|元)?$")
AMOUNT_EXAMPLES_ZH = "1000.5、1,000.50、1,000.50万元、5000元"


def parse_decimal(cleaned: pl.Expr, spec: FieldSpec) -> pl.Expr:
    """A number in the field's unit as Float64 (rounded to 6 decimals); null when it is not a number.

    Thousands separators must group by three (``1,000.50``); a unit written in the cell (``1,000.50万元``,
    ``5000元``) is converted to the field's unit; a cell without a unit is in the field's unit. A field without a
    unit accepts plain numbers only.
    """
    text = cleaned.str.replace_all(r"\s+", "")
    parts = text.str.extract_groups(_AMOUNT)
    number = parts.struct.field("num").str.replace_all(",", "").cast(pl.Float64, strict=False)
    number = pl.when(number.is_finite()).then(number)  # "1e999" is not an amount
    unit = parts.struct.field("unit")
    if spec.unit is None:
        return pl.when(unit.is_null()).then(number).otherwise(None)
    factors = {u: AMOUNT_UNITS[u] / AMOUNT_UNITS[spec.unit] for u in AMOUNT_UNITS}
    factor = unit.replace_strict(factors, default=None, return_dtype=pl.Float64).fill_null(1.0)
    return (number * factor).round(6)


# --- identifiers -----------------------------------------------------------------------------------------------

_USCC_VALUES = {c: i for i, c in enumerate(USCC_ALPHABET)}
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28
RID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RID_CHECK = "10X98765432"


def uscc_valid(code: pl.Expr) -> pl.Expr:
    """True where a normalised code is a well-formed USCC with the right GB 32100 check character."""
    total = pl.sum_horizontal([
        code.str.slice(i, 1).replace_strict(_USCC_VALUES, default=None, return_dtype=pl.Int32) * w
        for i, w in enumerate(USCC_WEIGHTS)])
    expected = ((31 - total % 31) % 31).replace_strict(dict(enumerate(USCC_ALPHABET)), default=None,
                                                       return_dtype=pl.String)
    return (code.str.contains(USCC_PATTERN.pattern) & (code.str.slice(17, 1) == expected)).fill_null(False)


def resident_id_valid(code: pl.Expr, today: dt.date) -> pl.Expr:
    """True where a normalised code is an 18-character resident ID with a real birth date and the right check.

    Legacy 15-digit numbers are not valid here: the Python check upgrades them (with a warning).
    """
    total = pl.sum_horizontal([code.str.slice(i, 1).cast(pl.Int32, strict=False) * w
                               for i, w in enumerate(RID_WEIGHTS)])
    expected = (total % 11).replace_strict(dict(enumerate(RID_CHECK)), default=None, return_dtype=pl.String)
    born = code.str.slice(6, 8).str.to_date("%Y%m%d", strict=False)
    return (code.str.contains(RID18_PATTERN.pattern) & born.is_between(dt.date(1900, 1, 1), today)
            & (code.str.slice(17, 1) == expected)).fill_null(False)
