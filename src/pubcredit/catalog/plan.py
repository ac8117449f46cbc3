"""The validation plan (校验方案) of an information class: one vectorised pass for files, API calls and forms.

``validate_frame`` takes a frame whose columns are field keys (after header mapping, all text) and returns the
normalised rows, which rows are accepted, and field-level errors and warnings keyed by the provider's row number.

How it stays fast: every check is a Polars expression evaluated over whole columns. Python only runs

- once per *distinct* failing identifier (USCC / resident ID), to get the exact message from
  ``rules.identifiers`` and to honour the operator's allowlist of really-issued codes that fail their checksum;
- once per failing row, to word its messages.

Row numbers (``_row``) count from 1 as the provider sees them (header excluded); a chunk of a large file passes
``first_row_number`` so that numbers stay those of the file. Duplicate business keys are found within the frame;
for a file validated in chunks, pass the previous chunks' ``PlanResult.keys`` as ``seen_keys``. An app may add checks
of its own to a class's plan (``register_class_check``): they run on the rows the catalogue accepted, so every channel
(file, set-based file chunk, API, form) refuses the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from pubcredit.catalog import expressions as ex
from pubcredit.catalog.headers import HeaderMapping, map_headers, match_header
from pubcredit.catalog.normalise import normalise_token
from pubcredit.catalog.schema import Condition, FieldSpec, InfoClass
from pubcredit.rules.errors import Problem
from pubcredit.rules.identifiers import check_resident_id, check_uscc

ROW = "_row"
OK = "_ok"
FIRST_ROW = "_first_row"
KEY_HASH = "_key_hash"
_KEY_SEED = 20_260_301  # fixed: keys hashed in one chunk are compared with the next chunk's
_MIN_1949 = dt.date(1949, 10, 1)


SeenKeys = Callable[[pl.Series], pl.DataFrame]  # key hashes of a chunk → those already used (KEY_HASH, FIRST_ROW)

# Checks an app adds to one class's plan (class checks): rules the catalogue's YAML cannot say because they read the
# stored records, e.g. a commitment's status moves (commitments app). Given the rows that passed the catalogue's
# own checks (``_row`` and the field keys, typed as in ``PlanResult.rows``) and ``today``, a check returns
# ``{row: [Problem]}``; those rows are rejected like any other, with their field-level errors, on every channel.
# A check may read the database: it runs inside the caller's transaction. Registered in the app's ``ready()``.
ClassCheck = Callable[[pl.DataFrame, dt.date], Mapping[int, list[Problem]]]
_CLASS_CHECKS: dict[str, list[ClassCheck]] = {}


def register_class_check(class_code: str, check: ClassCheck) -> None:
    """Add ``check`` to the plan of ``class_code`` (once: registering the same function again changes nothing)."""
    checks = _CLASS_CHECKS.setdefault(class_code, [])
    if check not in checks:
        checks.append(check)


def has_class_checks(class_code: str) -> bool:
    """Whether an app added checks to this class's plan (they read stored records, so the class stays row by row)."""
    return bool(_CLASS_CHECKS.get(class_code))


@dataclass(frozen=True)
class PlanResult:
    """The outcome of validating one frame.

    - ``rows``: ``_row`` (Int64, the provider's row number), one column per field of the class in catalogue
      order, normalised and typed (string/text/uscc/id_number/enum → String with enum codes; multi_enum →
      List(String) of codes; date → Date; decimal → Float64 in the field's unit), and ``_ok`` (Boolean).
      A cell that failed its check is null (identifiers keep their normalised text). Blank rows are left out.
    - ``errors`` / ``warnings``: ``_row`` → problems (``Problem.field`` is the field key). A row is accepted
      (``_ok``) when it has no error; warnings never reject.
    - ``keys``: a 64-bit hash of the business key of every row that first used it in this frame (``_key_hash``,
      UInt64; ``_first_row``, Int64). Keep them, and pass them back as ``seen_keys`` when validating the next chunk
      of the same file (the collection pipeline keeps them in the database: ``ingest.models.BatchKey``). Two
      different keys sharing a hash (odds about 1 in 10^7 for a 2M-row file) would make the later row a false
      duplicate, kept in quarantine like any rejected row.
    - ``blank_rows``: row numbers of rows with no value at all (trailing empty rows of spreadsheets), skipped.
    - ``rule_version``: ``admin_penalty@2026.1``, to record with what was stored.
    - ``mapping``: the header mapping when the frame came from :func:`validate_records`.
    """

    info_class: InfoClass
    rows: pl.DataFrame
    errors: dict[int, list[Problem]]
    warnings: dict[int, list[Problem]]
    keys: pl.DataFrame
    blank_rows: list[int] = field(default_factory=list)
    mapping: HeaderMapping | None = None

    @property
    def rule_version(self) -> str:
        return self.info_class.rule_version

    @property
    def received(self) -> int:
        return self.rows.height

    @property
    def accepted(self) -> int:
        return self.rows.height - len(self.errors)

    @property
    def rejected(self) -> int:
        return len(self.errors)

    def ok_frame(self) -> pl.DataFrame:
        """Accepted rows as a frame (``_row`` and the field columns, typed as in ``rows``)."""
        return self.rows.filter(pl.col(OK)).drop(OK)

    def ok_rows(self, *, include_row: bool = True) -> list[dict[str, Any]]:
        """Accepted rows as plain dicts for JSON storage: every field key (None when empty), dates as ISO
        strings, multi_enum as lists of codes, decimals as floats; ``_row`` first unless ``include_row=False``."""
        frame = self.ok_frame()
        if not include_row:
            frame = frame.drop(ROW)
        dates = [name for name, dtype in frame.schema.items() if dtype == pl.Date]
        if dates:
            frame = frame.with_columns([pl.col(d).dt.strftime("%Y-%m-%d") for d in dates])
        return frame.to_dicts()

    def ok_json(self, *, include_row: bool = False) -> pl.DataFrame:
        """Accepted rows as ``_row`` + ``payload`` (one JSON object per row, encoded vectorised: the fast path for
        storing a large file; same content as :meth:`ok_rows`, keys in catalogue order)."""
        frame = self.ok_frame()
        fields = frame.columns if include_row else [c for c in frame.columns if c != ROW]
        return frame.select(ROW, pl.struct(fields).struct.json_encode().alias("payload"))

    def rejected_summary(self) -> list[dict[str, Any]]:
        """``[{"row": n, "errors": [{"field", "code", "message"}]}]`` as the batch summary shows them."""
        return _summary(self.errors)

    def warnings_summary(self) -> list[dict[str, Any]]:
        return _summary(self.warnings)


def _summary(problems: dict[int, list[Problem]]) -> list[dict[str, Any]]:
    return [{"row": row, "errors": [{"field": p.field, "code": p.code, "message": p.message_zh} for p in items]}
            for row, items in sorted(problems.items())]


# --- building blocks -------------------------------------------------------------------------------------------


def _c(key: str) -> str:
    return f"_c_{key}"


def _in(key: str) -> str:
    return f"_in_{key}"


def _t(key: str) -> str:
    return f"_t_{key}"


def _e(key: str) -> str:
    return f"_e_{key}"


def _w(key: str) -> str:
    return f"_w_{key}"


def _as_text(frame: pl.DataFrame, key: str) -> pl.Expr:
    """The input column as text, whatever the reader gave (numbers, dates, lists from JSON)."""
    dtype = frame.schema[key]
    col = pl.col(key)
    if dtype == pl.String:
        return col
    if isinstance(dtype, pl.List | pl.Array):
        return col.list.eval(pl.element().cast(pl.String)).list.join(";") if isinstance(dtype, pl.List) \
            else col.arr.join(";")
    if dtype == pl.Float64 or dtype == pl.Float32:
        # 46082.0 (an Excel date read as a number) and 12.0 (an amount) lose nothing as "46082" / "12".
        return pl.when(col == col.floor()).then(col.cast(pl.Int64, strict=False).cast(pl.String)) \
            .otherwise(col.cast(pl.String))
    return col.cast(pl.String)


def _clean(spec: FieldSpec, col: pl.Expr) -> pl.Expr:
    """Trimmed, placeholders → null, half-width where the type calls for it (codes, dates, amounts, enums)."""
    text = ex.trimmed(col)
    if spec.type in ("uscc", "id_number") or (spec.type == "string" and spec.normalise == "code"):
        return ex.code_text(text)
    if spec.type in ("date", "decimal", "enum", "multi_enum"):
        return ex.half_width(text)
    return text


def _condition(info_class: InfoClass, cond: Condition | None) -> pl.Expr:
    """Row-wise truth of a condition over the (already computed) enum value of its field."""
    if cond is None:
        return pl.lit(True)
    holds = pl.col(cond.field).is_in(list(cond.in_)).fill_null(False)
    if cond.or_blank:
        holds = holds | pl.col(_c(cond.field)).is_null()
    return holds


@dataclass
class _Verdicts:
    """Per distinct identifier value that failed the vectorised check: its error, or warnings and replacement."""

    errors: dict[str, Problem] = field(default_factory=dict)
    warnings: dict[str, list[Problem]] = field(default_factory=dict)
    replace: dict[str, str] = field(default_factory=dict)


def _identifier_verdicts(values: list[pl.Series], kind: str, *, allowlist: frozenset[str], today: dt.date) -> _Verdicts:
    verdicts = _Verdicts()
    if not values:
        return verdicts
    distinct = pl.concat(values).drop_nulls().unique()
    if distinct.is_empty():
        return verdicts
    frame = distinct.to_frame("v")
    valid = ex.uscc_valid(pl.col("v")) if kind == "uscc" else ex.resident_id_valid(pl.col("v"), today)
    for value in frame.filter(~valid)["v"].to_list():
        check = check_uscc(value, allowlist=allowlist) if kind == "uscc" \
            else check_resident_id(value, allowlist=allowlist, today=today)
        if check.problems:
            verdicts.errors[value] = check.problems[0]
            continue
        if check.warnings:
            verdicts.warnings[value] = list(check.warnings)
        if check.value and check.value != value:
            verdicts.replace[value] = check.value  # a legacy 15-digit ID upgraded, or NFKC found more to fold
    return verdicts


_SELF_CONTAINED = ("string", "text", "enum", "multi_enum", "date", "decimal")
_DTYPES = {"date": pl.Date, "decimal": pl.Float64, "multi_enum": pl.List(pl.String)}


def _own_exprs(f: FieldSpec, today: dt.date) -> list[pl.Expr]:
    """[value, type error (, warning)] of a field that needs no other column, over its cleaned column."""
    c = pl.col(_c(f.key))
    given = c.is_not_null()
    if f.type in ("string", "text"):
        too_long = given & (c.str.len_chars() > (f.max_length or 1 << 30))
        if f.year:  # a year decides what is published (A级纳税人 评价年度): four digits, not in the future
            is_year = c.str.contains(r"^\d{4}$")
            error = (pl.when(given & ~is_year).then(pl.lit("year.format"))
                     .when(given & (c.cast(pl.Int32, strict=False) > today.year)).then(pl.lit("year.future")))
        else:
            error = pl.when(too_long).then(pl.lit("max_length"))
        return [c.alias(f.key), error.alias(_t(f.key))]
    if f.type == "enum":
        value = ex.enum_code(c, f)
        return [value.alias(f.key), pl.when(given & value.is_null()).then(pl.lit("enum")).alias(_t(f.key))]
    if f.type == "multi_enum":
        value, bad = ex.multi_enum_codes(c, f)
        return [value.alias(f.key), pl.when(bad).then(pl.lit("enum")).alias(_t(f.key))]
    if f.type == "date":
        value = ex.parse_date(c, f)
        error = pl.when(given & value.is_null()).then(pl.lit("date.format"))
        if f.not_future:
            error = error.when(value > pl.lit(today)).then(pl.lit("date.future"))
        if f.not_before is not None:
            code = "date.before_1949" if f.not_before == _MIN_1949 else "date.too_early"
            error = error.when(value < pl.lit(f.not_before)).then(pl.lit(code))
        return [value.alias(f.key), error.alias(_t(f.key))]
    if f.type == "decimal":
        value = ex.parse_decimal(c, f)
        error = pl.when(given & value.is_null()).then(pl.lit("decimal.format"))
        if f.min_value is not None:
            error = error.when(value < f.min_value).then(pl.lit("decimal.range"))
        out = [value.alias(f.key), error.alias(_t(f.key))]
        if f.warn_above is not None:
            out.append(pl.when(value > f.warn_above).then(pl.lit("decimal.large")).alias(_w(f.key)))
        return out
    raise AssertionError(f"{f.type} is not self-contained")  # pragma: no cover


def _identifier_exprs(info_class: InfoClass, f: FieldSpec, *, uscc: _Verdicts, rid: _Verdicts) -> list[pl.Expr]:
    """[value, type error (, warning)] of a uscc or id_number field, from the verdicts on its distinct values."""
    c = pl.col(_c(f.key))
    given = c.is_not_null()
    too_long = given & (c.str.len_chars() > (f.max_length or 1 << 30))
    if f.type == "uscc":
        applies, verdicts, code = pl.lit(True), uscc, "uscc"
    elif f.resident_id_when is not None:
        applies, verdicts, code = _condition(info_class, f.resident_id_when), rid, "id"
    else:
        return [c.alias(f.key), pl.when(too_long).then(pl.lit("max_length")).alias(_t(f.key))]
    value = pl.when(applies).then(c.replace(verdicts.replace)).otherwise(c) if verdicts.replace else c
    error = (pl.when(given & applies & c.is_in(list(verdicts.errors))).then(pl.lit(code))
             .when(too_long & ~applies).then(pl.lit("max_length")))
    out = [value.alias(f.key), error.alias(_t(f.key))]
    if verdicts.warnings:
        out.append(pl.when(applies & c.is_in(list(verdicts.warnings))).then(pl.lit(code)).alias(_w(f.key)))
    return out


def _few_distinct(column: pl.Series) -> bool:
    """Whether a column repeats enough for "compute once per distinct value, join back" to pay (a sample)."""
    if column.len() < 5_000:  # small frames (API calls, forms): one direct pass is cheaper than joins
        return False
    sample = column.head(20_000)
    return sample.n_unique() <= sample.len() // 4


# --- the plan --------------------------------------------------------------------------------------------------


def validate_frame(info_class: InfoClass, raw: pl.DataFrame, *, today: dt.date,
                   allowlist: frozenset[str] = frozenset(), first_row_number: int = 1,
                   seen_keys: pl.DataFrame | SeenKeys | None = None, skip_blank: bool = True) -> PlanResult:
    """Validate and normalise ``raw`` (columns = field keys, text) against ``info_class``'s plan.

    ``today`` bounds decision dates and birth dates (pass ``clock.today()``); ``allowlist`` holds identifiers an
    operator confirmed as really issued although they fail their checksum (accepted with a warning);
    ``first_row_number`` is the provider's number of the frame's first row; ``seen_keys`` are business keys already
    used by earlier chunks of the same file: their ``PlanResult.keys``, or a function that, given this frame's key
    hashes, returns those of them already used (same columns). Columns that are not field keys are ignored.
    Rows with no value at all are skipped (``PlanResult.blank_rows``) unless ``skip_blank=False``.
    """
    fields = info_class.fields
    present = [f for f in fields if f.key in raw.columns]
    frame = raw.select((pl.int_range(raw.height, dtype=pl.Int64) + first_row_number).alias(ROW),
                       *[_as_text(raw, f.key).alias(_in(f.key)) for f in present])

    # 1. Clean every cell; values and type errors of the fields that need no other column. A column with few
    #    distinct values (categories, dates, authorities) is worked out once per value and joined back.
    direct = []
    for f in present:
        if f.type in _SELF_CONTAINED and _few_distinct(frame[_in(f.key)]):
            lookup = (frame.select(pl.col(_in(f.key)).unique())
                      .with_columns(_clean(f, pl.col(_in(f.key))).alias(_c(f.key)))
                      .with_columns(_own_exprs(f, today)))
            frame = frame.join(lookup, on=_in(f.key), how="left", nulls_equal=True, maintain_order="left")
        else:
            direct.append(f)
    frame = frame.with_columns([_clean(f, pl.col(_in(f.key))).alias(_c(f.key)) for f in direct])
    frame = frame.with_columns([e for f in direct if f.type in _SELF_CONTAINED for e in _own_exprs(f, today)])
    frame = frame.drop([_in(f.key) for f in present])
    absent = [f for f in fields if f.key not in raw.columns]
    frame = frame.with_columns(
        *[pl.lit(None, dtype=pl.String).alias(_c(f.key)) for f in absent],
        *[pl.lit(None, dtype=_DTYPES.get(f.type, pl.String)).alias(f.key) for f in absent],
        *[pl.lit(None, dtype=pl.String).alias(_t(f.key)) for f in absent if f.type in _SELF_CONTAINED])

    blank_rows: list[int] = []
    if skip_blank:
        blank = ~pl.any_horizontal([pl.col(_c(f.key)).is_not_null() for f in present]) if present else pl.lit(True)
        blank_rows = frame.filter(blank)[ROW].to_list()
        if blank_rows:
            frame = frame.filter(~blank)

    # 2. Identifiers: the vectorised check over distinct values; Python only for those that fail.
    uscc = _identifier_verdicts([frame[_c(f.key)] for f in fields if f.type == "uscc"], "uscc",
                                allowlist=allowlist, today=today)
    rid = _identifier_verdicts([frame[_c(f.key)] for f in fields if f.type == "id_number" and f.resident_id_when],
                               "rid", allowlist=allowlist, today=today)
    ident = [e for f in fields if f.type in ("uscc", "id_number")
             for e in _identifier_exprs(info_class, f, uscc=uscc, rid=rid)]

    # 3. Required, conditions, cross-field rules.
    checks = []
    for f in fields:
        missing = pl.col(_c(f.key)).is_null()
        if f.required_when is not None:
            missing = missing & _condition(info_class, f.required_when)
        elif not f.required:
            missing = pl.lit(False)
        checks.append(pl.when(missing).then(pl.lit("required")).otherwise(pl.col(_t(f.key))).alias(_e(f.key)))
    for i, rule in enumerate(info_class.rules):
        if rule.kind == "one_of_required":
            bad = pl.all_horizontal([pl.col(_c(k)).is_null() for k in rule.fields]) & _condition(info_class, rule.when)
            checks.append(pl.when(bad).then(pl.lit("required_one_of")).alias(f"_x_{i}"))
        else:  # date_order: only between two dates that are themselves fine
            earlier, later = rule.fields
            bad = ((pl.col(later) < pl.col(earlier)).fill_null(False) & pl.col(_t(earlier)).is_null()
                   & pl.col(_t(later)).is_null() & _condition(info_class, rule.when))
            if rule.level == "warning":
                checks.append(pl.when(bad).then(pl.lit("date.order")).alias(f"_xw_{i}"))
            else:
                checks.append(pl.when(bad).then(pl.lit("date.order")).alias(f"_x_{i}"))

    lazy = frame.lazy()
    lazy = lazy.with_columns(ident).with_columns(checks)

    # 4. Duplicate business keys within the frame (the first occurrence wins) and against earlier chunks.
    key_cols = list(info_class.business_key)
    has_key = pl.any_horizontal([pl.col(k).is_not_null() for k in key_cols])
    lazy = lazy.with_columns(pl.when(has_key).then(pl.col(ROW).first().over(key_cols)).alias(FIRST_ROW),
                             pl.struct(key_cols).hash(_KEY_SEED).alias(KEY_HASH))
    frame = lazy.collect()
    if seen_keys is not None:
        # Only the earlier keys this chunk uses, found by probing with the chunk's own hashes: a join would build a
        # hash table of every key seen so far, per chunk, so memory and time grew with the file.
        hashes = frame.filter(has_key).get_column(KEY_HASH).unique()
        earlier = (seen_keys(hashes) if callable(seen_keys)
                   else seen_keys.filter(pl.col(KEY_HASH).is_in(hashes.implode())))
        earlier_keys = earlier.select(KEY_HASH, pl.col(FIRST_ROW).alias("_seen_row"))
        frame = (frame.join(earlier_keys, on=KEY_HASH, how="left", maintain_order="left")
                 .with_columns(pl.when(has_key).then(pl.coalesce("_seen_row", FIRST_ROW)).alias(FIRST_ROW))
                 .drop("_seen_row"))
    frame = frame.with_columns(pl.when(pl.col(FIRST_ROW) != pl.col(ROW)).then(pl.col(FIRST_ROW)).alias("_dup"))

    # 5. Words for the failing rows only.
    errors = _collect_errors(info_class, frame, today=today, uscc=uscc, rid=rid)
    warnings = _collect_warnings(info_class, frame, uscc=uscc, rid=rid)
    class_checks = _CLASS_CHECKS.get(info_class.code, ())
    if class_checks:  # 5b. the class checks apps added, on the rows the catalogue accepted
        passed = frame.filter(~pl.col(ROW).is_in(list(errors))).select(ROW, *[f.key for f in fields])
        for check in class_checks:
            for row, problems in (check(passed, today) if passed.height else {}).items():
                if problems:
                    errors.setdefault(row, []).extend(problems)

    # 6. The normalised rows; failed cells null (identifiers keep their normalised text).
    nulled = [pl.when(pl.col(_e(f.key)).is_null()).then(pl.col(f.key)).otherwise(None).alias(f.key)
              for f in fields if f.type not in ("uscc", "id_number")]
    ok = (~pl.col(ROW).is_in(list(errors))) if errors else pl.lit(True)
    rows = frame.with_columns(nulled).select(ROW, *[f.key for f in fields], ok.alias(OK))
    keys = frame.filter(pl.col(FIRST_ROW) == pl.col(ROW)).select(KEY_HASH, FIRST_ROW)
    return PlanResult(info_class=info_class, rows=rows, errors=errors, warnings=warnings, keys=keys,
                      blank_rows=blank_rows)


# --- messages --------------------------------------------------------------------------------------------------


def _shown(value: str | None, limit: int = 40) -> str:
    if value is None:
        return ""
    return value if len(value) <= limit else value[:limit] + "…"


def _labelled(f: FieldSpec, problem: Problem) -> Problem:
    zh = problem.message_zh if problem.message_zh.startswith(f.label_zh) else f"{f.label_zh}：{problem.message_zh}"
    return Problem(problem.code, zh, f"{f.key}: {problem.message_en}", f.key)


def _field_problem(info_class: InfoClass, f: FieldSpec, code: str, cleaned: str | None, *, today: dt.date,
                   uscc: _Verdicts, rid: _Verdicts) -> Problem:
    label, key = f.label_zh, f.key
    if code == "required":
        if f.required_when is not None:
            when = info_class.condition_text_zh(f.required_when)
            return Problem("required", f"{when}时，{label}不能为空", f"{key} is required when {f.required_when.field} "
                           f"is {'/'.join(f.required_when.in_)}", key)
        return Problem("required", f"{label}不能为空", f"{key} is required", key)
    if code == "enum":
        allowed = f.allowed_labels_zh()
        if f.type == "multi_enum" and cleaned:
            bad = [p for p in ex.split_multi(cleaned, f) if normalise_token(p) not in f.enum_index]
            shown = "、".join(bad) or cleaned
        else:
            shown = cleaned or ""
        return Problem("enum", f"{label}的值“{_shown(shown)}”不在允许范围内，允许的值：{allowed}",
                       f"{key}: {shown!r} is not allowed (allowed: {', '.join(f.enum_labels)})", key)
    if code == "max_length":
        length = len(cleaned or "")
        return Problem("max_length", f"{label}最多{f.max_length}个字符，实际{length}个字符",
                       f"{key} is longer than {f.max_length} characters ({length})", key)
    if code == "date.format":
        return Problem("date.format", f"{label}“{_shown(cleaned)}”不是有效日期（可用格式：{ex.DATE_FORMATS_ZH}）",
                       f"{key}: {cleaned!r} is not a date", key)
    if code == "date.future":
        return Problem("date.future", f"{label}“{_shown(cleaned)}”晚于今天（{today.isoformat()}）",
                       f"{key} is in the future (today is {today.isoformat()})", key)
    if code in ("date.before_1949", "date.too_early"):
        bound = f.not_before.isoformat() if f.not_before else ""
        return Problem(code, f"{label}“{_shown(cleaned)}”早于{bound}", f"{key} is before {bound}", key)
    if code == "year.format":
        return Problem("year.format", f"{label}“{_shown(cleaned)}”不是四位年份（例：{today.year - 1}）",
                       f"{key}: {cleaned!r} is not a four-digit year", key)
    if code == "year.future":
        return Problem("year.future", f"{label}“{_shown(cleaned)}”晚于今年（{today.year}）",
                       f"{key}: {cleaned!r} is after the current year {today.year}", key)
    if code == "decimal.format":
        unit = f"（单位：{f.unit}）" if f.unit else ""
        return Problem("decimal.format", f"{label}“{_shown(cleaned)}”不是有效数值{unit}，例：{ex.AMOUNT_EXAMPLES_ZH}",
                       f"{key}: {cleaned!r} is not a number", key)
    if code == "decimal.range":
        return Problem("decimal.range", f"{label}不能小于{f.min_value:g}", f"{key} must be at least {f.min_value:g}", key)
    if code == "uscc":
        return _labelled(f, uscc.errors[cleaned])
    if code == "id":
        return _labelled(f, rid.errors[cleaned])
    return Problem(code, f"{label}有误", f"{key} is invalid", key)  # pragma: no cover


def _column(frame: pl.DataFrame, flag: str, *others: str) -> list[tuple]:
    """(row, flag, *others) for the rows where ``flag`` is set: one narrow vectorised filter per column (a small
    frame is simply read)."""
    if frame.height > 2_000:
        frame = frame.filter(pl.col(flag).is_not_null())
    columns = [frame[c].to_list() for c in (ROW, flag, *others)]
    return [t for t in zip(*columns, strict=True) if t[1] is not None]


def _collect_errors(info_class: InfoClass, frame: pl.DataFrame, *, today: dt.date, uscc: _Verdicts,
                    rid: _Verdicts) -> dict[int, list[Problem]]:
    """Problems of the failing rows, in field order, then cross-field rules, then the duplicate check.

    Python runs once per error (not per row and field), and identical errors share one message.
    """
    out: dict[int, list[Problem]] = {}
    flags = [_e(f.key) for f in info_class.fields] + [f"_x_{i}" for i, r in enumerate(info_class.rules)
                                                      if r.level == "error"] + ["_dup"]
    frame = frame.filter(pl.any_horizontal([pl.col(c).is_not_null() for c in flags]))
    if frame.is_empty():
        return out
    for f in info_class.fields:
        memo: dict[tuple[str, str | None], Problem] = {}
        for row, code, cleaned in _column(frame, _e(f.key), _c(f.key)):
            problem = memo.get((code, cleaned))
            if problem is None:
                problem = memo[(code, cleaned)] = _field_problem(info_class, f, code, cleaned, today=today,
                                                                 uscc=uscc, rid=rid)
            out.setdefault(row, []).append(problem)
    for i, rule in enumerate(info_class.rules):
        labels = [info_class.field(k).label_zh for k in rule.fields]
        if rule.level == "warning":
            continue
        if rule.kind == "one_of_required":
            problem = Problem("required_one_of", rule.message_zh or f"须填写{'或'.join(labels)}中的至少一项",
                              f"one of {', '.join(rule.fields)} is required", rule.fields[0])
            for row, _code in _column(frame, f"_x_{i}"):
                out.setdefault(row, []).append(problem)
        else:
            earlier, later = rule.fields
            for row, _code, first, second in _column(frame, f"_x_{i}", _c(earlier), _c(later)):
                zh = rule.message_zh or f"{labels[1]}（{second}）早于{labels[0]}（{first}）"
                out.setdefault(row, []).append(Problem("date.order", zh, f"{later} is before {earlier}", later))
    labels = "、".join(info_class.field(k).label_zh for k in info_class.business_key)
    for row, first in _column(frame, "_dup"):
        out.setdefault(row, []).append(Problem(
            "duplicate_in_file", f"与第{first}行重复（{labels}相同），同一批数据中只接收第一行",
            f"same business key as row {first}", info_class.business_key[0]))
    return out


def _collect_warnings(info_class: InfoClass, frame: pl.DataFrame, *, uscc: _Verdicts,
                      rid: _Verdicts) -> dict[int, list[Problem]]:
    out: dict[int, list[Problem]] = {}
    for i, rule in enumerate(info_class.rules):
        if rule.level != "warning":
            continue
        earlier, later = rule.fields
        labels = [info_class.field(k).label_zh for k in rule.fields]
        for row, _code, first, second in _column(frame, f"_xw_{i}", _c(earlier), _c(later)):
            zh = rule.message_zh or f"{labels[1]}（{second}）早于{labels[0]}（{first}）"
            out.setdefault(row, []).append(Problem("date.order", zh, f"{later} is before {earlier}", later))
    flags = [_w(f.key) for f in info_class.fields if _w(f.key) in frame.columns]
    if not flags:
        return out
    frame = frame.filter(pl.any_horizontal([pl.col(c).is_not_null() for c in flags]))
    for f in info_class.fields:
        if _w(f.key) not in frame.columns or frame.is_empty():
            continue
        memo: dict[object, list[Problem]] = {}
        for row, code, cleaned, value in _column(frame, _w(f.key), _c(f.key), f.key):
            memo_key = (code, cleaned)
            if memo_key not in memo:
                if code == "decimal.large":
                    unit = f.unit or ""
                    memo[memo_key] = [Problem(
                        "decimal.large", f"{f.label_zh}为{value:g}{unit}，数额异常大，请确认单位",
                        f"{f.key} is unusually large ({value:g} {unit}): check the unit", f.key)]
                else:
                    verdicts = uscc if code == "uscc" else rid
                    memo[memo_key] = [_labelled(f, p) for p in verdicts.warnings[cleaned]]
            out.setdefault(row, []).extend(memo[memo_key])
    return out


# --- records from the API and forms ----------------------------------------------------------------------------


def _cell(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value if v is not None)
    return str(value)


def records_to_frame(info_class: InfoClass, records: Iterable[Mapping[str, Any]]) -> tuple[pl.DataFrame, HeaderMapping]:
    """Records keyed by English key or any alias → a text frame with field-key columns, and the key mapping."""
    records = list(records)
    names: dict[str, None] = {}
    for record in records:
        names.update(dict.fromkeys(str(k) for k in record))
    mapping = map_headers(info_class, list(names))
    # records may name the same field differently from one another (English key here, pinyin code there):
    # per record, the first of the field's names that it uses gives the value
    names_by_key: dict[str, list[str]] = {}
    for name in names:
        if (key := match_header(info_class, name)) is not None:
            names_by_key.setdefault(key, []).append(name)
    columns = {key: [_cell(next((r[n] for n in key_names if r.get(n) is not None), None)) for r in records]
               for key, key_names in names_by_key.items()}
    frame = pl.DataFrame(columns, schema={k: pl.String for k in columns}) if columns \
        else pl.DataFrame({"_empty": [None] * len(records)}, schema={"_empty": pl.String})
    return frame, mapping


def validate_records(info_class: InfoClass, records: Iterable[Mapping[str, Any]], *, today: dt.date,
                     allowlist: frozenset[str] = frozenset(), first_row_number: int = 1) -> PlanResult:
    """The same plan for records from the API or a console form (``{field or alias: value}``).

    Unlike a file, a missing required key is not a refusal of the whole request: each record gets its own
    ``required`` errors. The key mapping (unknown keys) is in ``PlanResult.mapping``.
    """
    frame, mapping = records_to_frame(info_class, records)
    result = validate_frame(info_class, frame, today=today, allowlist=allowlist, first_row_number=first_row_number,
                            skip_blank=False)
    return PlanResult(info_class=result.info_class, rows=result.rows, errors=result.errors, warnings=result.warnings,
                      keys=result.keys, blank_rows=result.blank_rows, mapping=mapping)
