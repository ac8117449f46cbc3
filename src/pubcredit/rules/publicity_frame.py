"""Publicity of penalty records decided over a whole frame (行政处罚信息公示，批量判定), for bulk imports (issue 18).

The same decision as :func:`pubcredit.rules.publicity.assess` (the reference: severity, regime, window, repairable
date, provisional flag and the reason in Chinese and English), written as Polars expressions over a chunk of rows
instead of a Python call per row. It covers the classes the regimes classify by penalty (``policy.regime_classes``
that are neither ``declared_severity_classes`` nor ``fixed_period_classes``: 行政处罚信息); every other record keeps the
reference rule (:func:`covers` tells which). The property test ``tests/rules/test_publicity_frame.py`` generates rows
(every penalty type, fines around every threshold, every subject kind, sectors, durations, procedures, late receipts
across holidays, every regime and the most-favourable comparison) and checks both decide the same.

What stays in Python is what depends on a handful of distinct values, computed once per value and joined back:
working days after each distinct decision date (the calendar), the text of each distinct fine amount, and the
thresholds of each distinct set of sectors.

Input columns: ``subject_kind`` (str), ``decision_date`` and ``received_on`` (date), ``penalty_types``
(list of str), ``fine_amount_yuan`` (Decimal, null: none given), ``declared_severity`` and ``procedure`` (str or null),
``sectors`` (list of str, already detected), ``restriction_until`` (date or null), ``family`` (str),
``class_public`` and ``public_for_natural_persons`` (bool). Output: one row per input row, same order, with
:data:`DECISION_COLUMNS`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import polars as pl

from pubcredit.rules.calendar import Deadline
from pubcredit.rules.publicity import (NO_DURATION, PENALTY_TYPES, SEVERITY_LABELS, SUBJECT_LABELS, FineRule, Policy,
                                       PublicityRulebook, Regime, sector_fine_rule, Severity)

__all__ = ["DECISION_COLUMNS", "covers", "assess_frame"]

DECISION_COLUMNS = ("severity", "regime", "published", "publish_from", "repairable_from", "publish_until",
                    "provisional", "reason_zh", "reason_en", "rule_version", "considered")

_RANK = {Severity.MINOR.value: 0, Severity.GENERAL.value: 1, Severity.SERIOUS.value: 2}
_BY_RANK = {rank: sev for sev, rank in _RANK.items()}
_SEV_ZH = {s.value: label for s, label in SEVERITY_LABELS.items()}
_ISO = "%Y-%m-%d"


def covers(class_code: str, policy: Policy) -> bool:
    """Whether :func:`assess_frame` decides records of this (negative) class: penalty classes of the regimes."""
    return (class_code in policy.regime_classes and class_code not in policy.declared_severity_classes
            and class_code not in policy.fixed_period_classes)


def _num(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _yuan(value: Decimal) -> str:
    return f"{_num(value / 10_000)}万元" if value >= 10_000 else f"{_num(value)}元"


def _day(expr: pl.Expr) -> pl.Expr:
    return expr.dt.to_string(_ISO)


def _months_after(start: pl.Expr, months: pl.Expr) -> pl.Expr:
    """``add_months`` of the reference: calendar months, clamped to the month's end (Polars' ``mo`` offset)."""
    return start.dt.offset_by(pl.format("{}mo", months))


def _lit(text: str) -> pl.Expr:
    return pl.lit(text, dtype=pl.String)


def _when(condition: pl.Expr, text: pl.Expr | str) -> pl.Expr:
    """A sentence of the reason, present only where ``condition`` holds (null elsewhere, dropped when joined)."""
    return pl.when(condition).then(_lit(text) if isinstance(text, str) else text).otherwise(_lit(None))


def _fine_rules(regime: Regime, policy: Policy, sector_sets: list[str]) -> dict[str, tuple[FineRule, str]]:
    """The fine thresholds per distinct set of sectors (a sector's own 较小数额 / 巨额 replaces the regime's; several
    sectors: the higher of each), with the sectors' label, as the reference's fine rule builds them."""
    return {key: sector_fine_rule(regime, set(filter(None, key.split(","))), policy) for key in sector_sets}


def _fine_table(regime: Regime, policy: Policy, sector_sets: list[str]) -> pl.DataFrame:
    """One row per (set of sectors, subject kind): the thresholds and the fixed parts of the fine's explanation."""
    rows = []
    for key, (rule, sector) in _fine_rules(regime, policy, sector_sets).items():
        own = f"{sector}领域" if sector else ""
        borrowed_zh = f"；行业主管部门未规定较小数额，借用{rule.minor_borrowed_from}的数额" if rule.minor_borrowed_from else ""
        borrowed_en = f"; figure borrowed from {rule.minor_borrowed_from}" if rule.minor_borrowed_from else ""
        for kind in SUBJECT_LABELS:
            serious = (rule.serious_at_least_yuan or {}).get(kind)
            minor = (rule.minor_at_most_yuan or {}).get(kind)
            above_minor = ""
            if minor is not None:
                above_minor = f"，超过{own}较低数额{_yuan(minor)}"
                if rule.minor_borrowed_from:
                    above_minor += f"（借用{rule.minor_borrowed_from}的数额）"
            if rule.serious_at_least_yuan is None and rule.article_serious:
                above_minor += "，未设定巨额标准"
            rows.append({
                "_sector_key": key, "_kind": kind, "_serious_at": serious, "_minor_at": minor,
                "_otherwise": rule.otherwise.value, "_without": rule.without_amount.value,
                "_serious_zh": (f"，达到{own}巨额{_yuan(serious)}→严重（{rule.article_serious}）"
                                if serious is not None else None),
                "_serious_en": (f" CNY >= {_num(serious)} (very large{', ' + sector if sector else ''}) → serious "
                                f"({rule.article_serious})" if serious is not None else None),
                "_minor_zh": (f"，不超过{own}{SUBJECT_LABELS[kind]}较低数额{_yuan(minor)}→轻微（{rule.article_minor}"
                              f"{borrowed_zh}）" if minor is not None else None),
                "_minor_en": (f" CNY <= {_num(minor)} for {kind} (lower amount) → minor ({rule.article_minor}"
                              f"{borrowed_en})" if minor is not None else None),
                "_other_zh": f"{above_minor}→{SEVERITY_LABELS[rule.otherwise]}",
                "_other_en": f" CNY → {rule.otherwise.value}{borrowed_en}",
            })
    return pl.DataFrame(rows, schema={
        "_sector_key": pl.String, "_kind": pl.String,
        "_serious_at": pl.Decimal(38, 12), "_minor_at": pl.Decimal(38, 12),
        "_otherwise": pl.String, "_without": pl.String, "_serious_zh": pl.String, "_serious_en": pl.String,
        "_minor_zh": pl.String, "_minor_en": pl.String, "_other_zh": pl.String, "_other_en": pl.String})


def _classify(frame: pl.DataFrame, regime: Regime, policy: Policy) -> pl.DataFrame:
    """Severity under ``regime`` per row (``_sev``), whether publication is excluded outright (``_excluded``), and
    the sentences of the classification (``_cls_zh`` / ``_cls_en``, joined, in the reference's order)."""
    # every (row, penalty type): its severity and its part of the explanation
    per_type = frame.select("_i", "_types", "_kind", "_sector_key", "_amount", "_amount_zh", "_amount_en").explode(
        "_types").filter(pl.col("_types").is_not_null())
    rules = {code: regime.penalty_types.get(code, regime.default_severity) for code in PENALTY_TYPES}
    known = pl.col("_types").replace_strict(
        {c: (r if r == "by_amount" else Severity(r).value) for c, r in rules.items()},
        default=regime.default_severity.value, return_dtype=pl.String)
    label = pl.col("_types").replace_strict(PENALTY_TYPES, default=pl.col("_types"), return_dtype=pl.String)
    per_type = per_type.with_columns(_rule=known, _label=label).join(
        _fine_table(regime, policy, frame["_sector_key"].unique().to_list()), on=["_sector_key", "_kind"], how="left")
    amount = pl.col("_amount")
    serious = amount.is_not_null() & pl.col("_serious_at").is_not_null() & (amount >= pl.col("_serious_at"))
    minor = amount.is_not_null() & pl.col("_minor_at").is_not_null() & (amount <= pl.col("_minor_at"))
    fine = pl.col("_rule") == "by_amount"
    per_type = per_type.with_columns(
        _type_sev=pl.when(~fine).then(pl.col("_rule")).when(amount.is_null()).then(pl.col("_without"))
        .when(serious).then(_lit(Severity.SERIOUS.value)).when(minor).then(_lit(Severity.MINOR.value))
        .otherwise(pl.col("_otherwise")),
        _type_zh=pl.when(~fine).then(pl.concat_str(
            pl.col("_label"), _lit("→"), pl.col("_rule").replace_strict(_SEV_ZH, default=None)))
        .when(amount.is_null()).then(pl.concat_str(
            pl.col("_label"), _lit("（未填写金额）→"), pl.col("_without").replace_strict(_SEV_ZH, default=None)))
        .when(serious).then(pl.concat_str(pl.col("_label"), pl.col("_amount_zh"), pl.col("_serious_zh")))
        .when(minor).then(pl.concat_str(pl.col("_label"), pl.col("_amount_zh"), pl.col("_minor_zh")))
        .otherwise(pl.concat_str(pl.col("_label"), pl.col("_amount_zh"), pl.col("_other_zh"))),
        _type_en=pl.when(~fine).then(pl.concat_str(pl.col("_types"), _lit(" → "), pl.col("_rule")))
        .when(amount.is_null()).then(pl.concat_str(_lit("fine without amount → "), pl.col("_without")))
        .when(serious).then(pl.concat_str(_lit("fine "), pl.col("_amount_en"), pl.col("_serious_en")))
        .when(minor).then(pl.concat_str(_lit("fine "), pl.col("_amount_en"), pl.col("_minor_en")))
        .otherwise(pl.concat_str(_lit("fine "), pl.col("_amount_en"), pl.col("_other_en"))),
    )
    by_row = per_type.group_by("_i", maintain_order=True).agg(
        _types_rank=pl.col("_type_sev").replace_strict(_RANK, return_dtype=pl.Int8).max(),
        _types_zh=pl.col("_type_zh").str.join("；"), _types_en=pl.col("_type_en").str.join("; "),
        _labels_zh=pl.col("_label").str.join("、"))
    out = frame.join(by_row, on="_i", how="left")

    count = pl.col("_types").list.len()
    declared = pl.col("_declared").is_not_null()
    summary = ((pl.col("_procedure") == "summary").fill_null(False) & ~declared
               if regime.summary_procedure is not None else pl.lit(False))
    no_types = ~declared & ~summary & (count == 0)
    typed = ~declared & ~summary & (count > 0)
    types_sev = pl.col("_types_rank").replace_strict(_BY_RANK, default=None, return_dtype=pl.String)
    # sector escalation (SAMR Order 107 art. 8 para. 1 item 1): the escalated sectors' labels, per row
    escalation = regime.sector_escalation
    if escalation:
        # the escalated sectors of each distinct set of sectors: codes and labels, sorted by code
        hit = {key: sorted(set(filter(None, key.split(","))) & set(escalation.sectors))
               for key in frame["_sector_key"].unique().to_list()}
        esc_codes = pl.col("_sector_key").replace_strict({k: ", ".join(v) for k, v in hit.items()},
                                                         return_dtype=pl.String)
        esc_labels = pl.col("_sector_key").replace_strict(
            {k: "、".join(policy.sectors[c].label_zh for c in v) for k, v in hit.items()}, return_dtype=pl.String)
        escalates = typed & (esc_codes != "") & (types_sev != Severity.MINOR.value)
    else:
        escalates = pl.lit(False)
    sev = (pl.when(declared).then(pl.col("_declared"))
           .when(summary).then(_lit(Severity.MINOR.value if regime.summary_procedure in (None, "not_published")
                                    else Severity(regime.summary_procedure).value))
           .when(no_types).then(_lit(regime.default_severity.value))
           .when(escalates).then(_lit(Severity.SERIOUS.value))
           .otherwise(types_sev))
    only = regime.not_published_if_only
    only_cond = typed & (pl.col("_types").list.set_difference(pl.lit(list(only), dtype=pl.List(pl.String))).list.len()
                         == 0) if only else pl.lit(False)
    sentences_zh: list[pl.Expr] = [
        _when(declared, pl.concat_str(_lit("认定单位认定为"), pl.col("_declared").replace_strict(_SEV_ZH, default=None),
                                      _lit("失信"))),
    ]
    sentences_en: list[pl.Expr] = [
        _when(declared, pl.concat_str(_lit("severity "), pl.col("_declared"),
                                      _lit(" declared by the identifying unit"))),
    ]
    if regime.summary_procedure == "not_published":
        sentences_zh.append(_when(summary, f"简易程序作出的行政处罚不予公示（{regime.summary_procedure_article}）"))
        sentences_en.append(_when(summary, "summary-procedure penalty: not published "
                                           f"({regime.summary_procedure_article})"))
    elif regime.summary_procedure is not None:
        summary_sev = Severity(regime.summary_procedure)
        sentences_zh.append(_when(summary, f"简易程序作出的行政处罚→{SEVERITY_LABELS[summary_sev]}"
                                           f"（{regime.summary_procedure_article}）"))
        sentences_en.append(_when(summary, f"summary procedure → {summary_sev.value} "
                                           f"({regime.summary_procedure_article})"))
    sentences_zh += [
        _when(no_types, f"未填写处罚类别，按{SEVERITY_LABELS[regime.default_severity]}"),
        _when(typed, pl.col("_types_zh")),
    ]
    sentences_en += [
        _when(no_types, f"no penalty type given: {regime.default_severity.value}"),
        _when(typed, pl.col("_types_en")),
    ]
    article = f"（{regime.longest_article}）" if regime.longest_article else ""
    several = typed & (count > 1)
    sentences_zh.append(_when(several, pl.concat_str(
        _lit("同一决定涉及多种处罚类型，以期限最长的"), types_sev.replace_strict(_SEV_ZH, default=None),
        _lit(f"类为准{article}"))))
    sentences_en.append(_when(several, pl.concat_str(
        _lit("several penalty types: the longest ("), types_sev,
        _lit(f") applies {regime.longest_article}".rstrip()))))
    if escalation:
        raised = escalates & (types_sev != Severity.SERIOUS.value)
        sentences_zh.append(_when(raised, pl.concat_str(
            _lit("属"), esc_labels, _lit(f"领域，非轻微的行政处罚→严重（{escalation.article}）"))))
        sentences_en.append(_when(raised, pl.concat_str(
            _lit("sector "), esc_codes, _lit(f": non-minor → serious ({escalation.article})"))))
    if only:
        sentences_zh.append(_when(only_cond, pl.concat_str(
            _lit("仅受到"), pl.col("_labels_zh"), _lit(f"的行政处罚不予公示（{regime.not_published_article}）"))))
        sentences_en.append(_when(only_cond, pl.concat_str(
            _lit("only "), pl.col("_types").list.join(", "),
            _lit(f": not published ({regime.not_published_article})"))))
    excluded = (summary & pl.lit(regime.summary_procedure == "not_published")) | only_cond
    return out.with_columns(_sev=sev, _excluded=excluded,
                            _cls_zh=pl.concat_str(sentences_zh, separator="；", ignore_nulls=True),
                            _cls_en=pl.concat_str(sentences_en, separator="; ", ignore_nulls=True))


def _negative(frame: pl.DataFrame, regime: Regime, policy: Policy) -> pl.DataFrame:
    """The reference's decision under one regime, for every row: ``_published``, ``_from``, ``_repairable``,
    ``_until``, ``_provisional``, ``_zh``, ``_en`` (and ``_sev``)."""
    frame = _classify(frame, regime, policy)
    sev = pl.col("_sev")

    def per_class(attribute: Callable[[Any], Any], dtype: Any) -> pl.Expr:
        return sev.replace_strict({s.value: attribute(p) for s, p in regime.classes.items()}, return_dtype=dtype)

    period_published = per_class(lambda p: p.published, pl.Boolean)
    min_months, max_months = per_class(lambda p: p.min_months, pl.Int32), per_class(lambda p: p.max_months, pl.Int32)
    early_repair = per_class(lambda p: p.early_repair, pl.Boolean)
    period_article = per_class(lambda p: p.article, pl.String)
    shown_from = pl.max_horizontal("_decided", "_received")
    late = pl.lit(False)
    if regime.period_from == "decision_date":
        start, provisional = pl.col("_decided"), pl.lit(False)
    else:
        n = regime.publication_working_days
        if n is None:
            start, provisional = shown_from, pl.lit(False)
        else:
            # Order 45 art. 9: the earlier of receipt and decision + n working days (a receipt within n calendar days
            # needs no calendar: n working days take at least n calendar days)
            late = (shown_from > pl.col("_decided") + pl.duration(days=n)) & (shown_from > pl.col(f"_due{n}"))
            start = pl.when(late).then(pl.col(f"_due{n}")).otherwise(shown_from)
            provisional = late & pl.col(f"_due{n}_provisional")
    types_any = {name: (pl.col("_types").list.set_intersection(pl.lit(list(values), dtype=pl.List(pl.String)))
                        .list.len() > 0) if values else pl.lit(False)
                 for name, values in (("no_early", regime.no_early_repair_types),
                                      ("duration", regime.duration_types))}
    # Order 58: a sector's longer minimum (特种设备、安全生产、消防); the sector with the most months, then the last code
    longest = {key: max(((regime.sector_min_months[c], c) for c in key.split(",") if c in regime.sector_min_months),
                        default=(None, None)) for key in frame["_sector_key"].unique().to_list()}
    sector_min = pl.col("_sector_key").replace_strict({k: c for k, (_, c) in longest.items()}, return_dtype=pl.String)
    sector_months = sector_min.replace_strict(regime.sector_min_months or {"": 0}, default=None, return_dtype=pl.Int32)
    frame = frame.with_columns(_start=start, _shown=shown_from, _late=late, _provisional=provisional,
                               _min=min_months, _max=max_months, _sector_min=sector_min, _sector_months=sector_months,
                               _no_early=~early_repair | types_any["no_early"], _has_duration=types_any["duration"],
                               _period_published=period_published, _period_article=period_article)
    raised = pl.col("_sector_months").is_not_null() & (pl.col("_sector_months") > pl.col("_min"))
    frame = frame.with_columns(_min=pl.when(raised).then(pl.col("_sector_months")).otherwise(pl.col("_min")),
                               _raised=raised)
    until0 = _months_after(pl.col("_start"), pl.col("_max")) - pl.duration(days=1)
    fixed = pl.col("_no_early") | (pl.col("_min") >= pl.col("_max"))
    restricted = pl.when(pl.col("_restriction").is_not_null() & (pl.col("_restriction") > pl.col("_decided"))
                         & (pl.col("_restriction") < NO_DURATION)).then(pl.col("_restriction"))
    frame = frame.with_columns(
        _until0=until0, _fixed=fixed,
        _repairable0=pl.when(fixed).then(pl.lit(None, dtype=pl.Date))
        .otherwise(_months_after(pl.col("_start"), pl.col("_min"))),
        _restricted0=restricted)
    ignored = pl.col("_restricted0").is_not_null() & ~pl.col("_has_duration")
    frame = frame.with_columns(_ignored_extends=ignored & (pl.col("_restricted0") > pl.col("_until0")),
                               _restricted=pl.when(ignored).then(pl.lit(None, dtype=pl.Date))
                               .otherwise(pl.col("_restricted0")))
    r = pl.col("_restricted")
    blocks_repair = r.is_not_null() & pl.col("_repairable0").is_not_null() & (r >= pl.col("_repairable0"))
    extends = (r.is_not_null() & (r > pl.col("_until0"))) if regime.duration_extends_max else pl.lit(False)
    frame = frame.with_columns(
        _blocks=blocks_repair, _extends=extends,
        _repairable1=pl.when(blocks_repair).then(r + pl.duration(days=1)).otherwise(pl.col("_repairable0")),
        _until=pl.when(extends).then(r).otherwise(pl.col("_until0")))
    frame = frame.with_columns(_repairable=pl.when(pl.col("_repairable1") > pl.col("_until"))
                               .then(pl.lit(None, dtype=pl.Date)).otherwise(pl.col("_repairable1")))

    not_public = ~pl.col("_class_public")
    person = ~not_public & (pl.col("_kind") == "natural_person") & ~pl.col("_public_persons")
    excluded = ~not_public & ~person & pl.col("_excluded")
    unpublished_class = ~not_public & ~person & ~pl.col("_excluded") & ~pl.col("_period_published")
    published = ~(not_public | person | excluded | unpublished_class)
    never_shown = published & (pl.col("_shown") > pl.col("_until"))
    counted = "自决定之日起" if regime.period_from == "decision_date" else "自公示之日起"
    counted_en = "from the decision date" if regime.period_from == "decision_date" else "from publication"
    sev_zh = sev.replace_strict(_SEV_ZH, default=None)
    n = regime.publication_working_days
    zh = [_lit(f"适用{regime.short_zh}（{regime.effective_from.isoformat()}起施行）")]
    en = [_lit(f"regime {regime.name_en} (in force from {regime.effective_from.isoformat()})")]
    due = _day(pl.col(f"_due{n}")) if n else None
    late_zh = _when(pl.col("_late"), pl.concat_str(
        _lit(f"应自决定之日起{n}个工作日内（"), due, _lit(f"前）在国家企业信用信息公示系统公示（{regime.publication_article}），平台"),
        _day(pl.col("_shown")), _lit("才归集，公示期自"), due, _lit(f"起算（归集日与决定日加{n}个工作日之较早者）"),
        pl.when(pl.col(f"_due{n}_provisional")).then(pl.concat_str(_lit("，"), pl.col(f"_due{n}_explain")))
        .otherwise(_lit(""))))if n else _lit(None)
    late_en = _when(pl.col("_late"), pl.concat_str(
        _lit(f"due on the national system within {n} working days of the decision ({regime.publication_article}), by "),
        due, _lit("; received "), _day(pl.col("_shown")), _lit(": the period counts from "), due,
        _lit(f" (earlier of receipt and decision + {n} working days"),
        pl.when(pl.col(f"_due{n}_provisional")).then(_lit(", provisional")).otherwise(_lit("")), _lit(")"))) if n \
        else _lit(None)
    shown = published & ~never_shown
    no_early_article = (pl.when(types_any["no_early"]).then(_lit(regime.no_early_repair_article))
                        .otherwise(pl.col("_period_article")))
    types_zh = pl.col("_labels_zh").fill_null("")
    rest_zh = [
        late_zh,
        _when(not_public, "该信息类不向社会公开"),
        _when(person, f"涉及自然人的失信信息原则上不予公示（{regime.natural_persons_article}）"),
        _when(unpublished_class, pl.concat_str(sev_zh, _lit("失信信息原则上不予公示（"), pl.col("_period_article"),
                                               _lit("）"))),
        _when(published & pl.col("_raised"), pl.concat_str(
            pl.col("_sector_min").replace_strict({c: s.label_zh for c, s in policy.sectors.items()}, default=None),
            _lit("领域最短公示期"), pl.col("_sector_months").cast(pl.String),
            _lit(f"个月（{regime.sector_min_article}）"))),
        _when(published & pl.col("_fixed"), pl.concat_str(
            sev_zh, _lit(f"失信信息{counted}公示"), pl.col("_max").cast(pl.String), _lit("个月，期满自动停止，不得提前停止公示（"),
            no_early_article, _lit("）"))),
        _when(published & ~pl.col("_fixed"), pl.concat_str(
            sev_zh, _lit(f"失信信息{counted}最短公示"), pl.col("_min").cast(pl.String), _lit("个月、最长"),
            pl.col("_max").cast(pl.String), _lit("个月（"), pl.col("_period_article"), _lit("）"))),
        _when(published & pl.col("_ignored_extends"), pl.concat_str(
            _lit("处罚有效期"), _day(pl.col("_restricted0")), _lit("不延长公示期："), types_zh,
            _lit(f"不是附期限的处罚（{regime.duration_article}）"))),
        _when(published & pl.col("_blocks"), pl.concat_str(
            _lit("附带期限的处罚在"), _day(r), _lit(f"届满前不得提前终止公示（{regime.duration_article}）"))),
        _when(published & pl.col("_extends"), pl.concat_str(
            _lit("限制期限超过最长公示期，公示至"), _day(r), _lit(f"（{regime.duration_article}）"))),
        _when(never_shown, pl.concat_str(_lit("归集时（"), _day(pl.col("_shown")), _lit("）最长公示期已于"),
                                         _day(pl.col("_until")), _lit("届满，不再公示"))),
        _when(shown, pl.concat_str(
            _lit("公示期"), _day(pl.col("_shown")), _lit("至"), _day(pl.col("_until")),
            pl.when(pl.col("_repairable").is_not_null())
            .then(pl.concat_str(_lit("，"), _day(pl.col("_repairable")), _lit("起可申请信用修复"))).otherwise(_lit("")))),
    ]
    rest_en = [
        late_en,
        _when(not_public, "the information class is not public"),
        _when(person, f"natural persons' negative items are not published ({regime.natural_persons_article})"),
        _when(unpublished_class, pl.concat_str(sev, _lit(" items are not published ("), pl.col("_period_article"),
                                               _lit(")"))),
        _when(published & pl.col("_raised"), pl.concat_str(
            _lit("sector "), pl.col("_sector_min"), _lit(": minimum "), pl.col("_sector_months").cast(pl.String),
            _lit(f" months ({regime.sector_min_article})"))),
        _when(published & pl.col("_fixed"), pl.concat_str(
            sev, _lit(": published "), pl.col("_max").cast(pl.String), _lit(f" months {counted_en}, no early repair"))),
        _when(published & ~pl.col("_fixed"), pl.concat_str(
            sev, _lit(": minimum "), pl.col("_min").cast(pl.String), _lit(", maximum "), pl.col("_max").cast(pl.String),
            _lit(f" months {counted_en} ("), pl.col("_period_article"), _lit(")"))),
        _when(published & pl.col("_ignored_extends"), pl.concat_str(
            _lit("valid_until "), _day(pl.col("_restricted0")), _lit(" ignored: "), pl.col("_types").list.join(", "),
            _lit(f" has no duration ({regime.duration_article})"))),
        _when(published & pl.col("_blocks"), pl.concat_str(
            _lit("restriction until "), _day(r), _lit(f": no repair before it ends ({regime.duration_article})"))),
        _when(published & pl.col("_extends"), pl.concat_str(
            _lit("restriction longer than the maximum: published until "), _day(r))),
        _when(never_shown, pl.concat_str(_lit("received "), _day(pl.col("_shown")),
                                         _lit(", after the maximum period ended "), _day(pl.col("_until")),
                                         _lit(": never shown"))),
        _when(shown, pl.concat_str(
            _lit("shown "), _day(pl.col("_shown")), _lit(" to "), _day(pl.col("_until")),
            pl.when(pl.col("_repairable").is_not_null())
            .then(pl.concat_str(_lit(", repair from "), _day(pl.col("_repairable")))).otherwise(_lit("")))),
    ]
    reason_zh = pl.concat_str([*zh, pl.col("_cls_zh"), *rest_zh], separator="；", ignore_nulls=True) + "。"
    reason_en = pl.concat_str([*en, pl.col("_cls_en"), *rest_en], separator="; ", ignore_nulls=True) + "."
    none = pl.lit(None, dtype=pl.Date)
    return frame.select(
        "_i", _sev=sev, _published=published,
        _from=pl.when(shown).then(pl.col("_shown")).otherwise(none),
        _repairable=pl.when(shown).then(pl.col("_repairable")).otherwise(none),
        _until=pl.when(published).then(pl.col("_until")).otherwise(none),
        _provisional=published & pl.col("_provisional"), _zh=reason_zh, _en=reason_en)


def _candidates(frame: pl.DataFrame, rulebook: PublicityRulebook, as_of: dt.date) -> pl.DataFrame:
    """The regimes a row is judged under, in the reference's order (its own, then every later one in force by
    ``as_of`` under ``transition: most_favourable``), as one column per regime: the position, or null. Computed
    once per distinct (family, decision date)."""
    policy = rulebook.policy
    starts = rulebook.starts()
    pairs = frame.select("_family", "_decided").unique()
    considered = []
    for family, decided in pairs.iter_rows():
        candidates = [rulebook.regime_for(family, decided).code]
        if policy.transition == "most_favourable":
            for start in starts:
                if decided < start <= as_of:
                    later = rulebook.regime_for(family, start).code
                    if later not in candidates:
                        candidates.append(later)
        considered.append(candidates)
    return pairs.with_columns(
        pl.Series("_considered", considered, dtype=pl.List(pl.String)),
        *[pl.Series(f"_cand_{r.code}", [c.index(r.code) if r.code in c else None for c in considered], dtype=pl.Int8)
          for r in rulebook.regimes])


def _working_days(frame: pl.DataFrame, rulebook: PublicityRulebook,
                  working_days: Callable[[dt.date, int], Deadline]) -> pl.DataFrame:
    """For every working-day count a regime uses, the due date after each distinct decision date (the calendar is
    asked once per distinct day, as the reference asks it per row)."""
    counts = sorted({r.publication_working_days for r in rulebook.regimes
                     if r.period_from == "publication_date" and r.publication_working_days})
    days = frame.select("_decided").unique()
    for n in counts:
        due = [working_days(day, n) for day in days["_decided"]]
        days = days.with_columns(pl.Series(f"_due{n}", [d.value for d in due], dtype=pl.Date),
                                 pl.Series(f"_due{n}_provisional", [d.provisional for d in due], dtype=pl.Boolean),
                                 pl.Series(f"_due{n}_explain", [d.explain_zh() for d in due], dtype=pl.String))
    return frame.join(days, on="_decided", how="left")


def _prepare(frame: pl.DataFrame) -> pl.DataFrame:
    """The input under working names; a fine's amount as text computed once per distinct amount."""
    amounts = frame["fine_amount_yuan"].to_list()
    texts = {a: (_yuan(a), _num(a)) for a in set(amounts) if a is not None}
    empty = pl.lit([], dtype=pl.List(pl.String))
    types = pl.col("penalty_types").fill_null(empty).list.drop_nulls()
    if frame.select(pl.col("penalty_types").list.contains("").any()).item():  # blank codes: left out, as the rule does
        types = types.list.eval(pl.element().filter(pl.element() != ""))
    return frame.select(
        _i=pl.int_range(pl.len(), dtype=pl.Int64),
        _kind=pl.col("subject_kind").replace_strict({k: k for k in SUBJECT_LABELS}, default="legal_person",
                                                    return_dtype=pl.String),
        _decided=pl.col("decision_date"), _received=pl.col("received_on"),
        _types=types.list.unique(maintain_order=True),
        _amount=pl.col("fine_amount_yuan").cast(pl.Decimal(38, 12)),
        _amount_zh=pl.Series([texts[a][0] if a is not None else None for a in amounts], dtype=pl.String),
        _amount_en=pl.Series([texts[a][1] if a is not None else None for a in amounts], dtype=pl.String),
        _declared=pl.col("declared_severity"), _procedure=pl.col("procedure"),
        _sectors=pl.col("sectors").fill_null(empty).list.unique().list.sort(),
        _restriction=pl.col("restriction_until"), _family=pl.col("family"),
        _class_public=pl.col("class_public"), _public_persons=pl.col("public_for_natural_persons"),
    ).with_columns(_sector_key=pl.col("_sectors").list.join(","))


def _favourability() -> list[pl.Expr]:
    """The reference's sort key (smaller is more favourable): not shown; shown shorter; repairable sooner."""
    published, until, repairable = pl.col("_published"), pl.col("_until"), pl.col("_repairable")
    far = pl.lit(dt.date.max)
    return [published.cast(pl.Int8),
            pl.when(published).then(until.fill_null(far)).otherwise(pl.lit(dt.date.min)),
            pl.when(published).then(pl.coalesce(repairable, until, far)).otherwise(pl.lit(dt.date.min))]


def assess_frame(frame: pl.DataFrame, rulebook: PublicityRulebook, *, as_of: dt.date,
                 working_days: Callable[[dt.date, int], Deadline]) -> pl.DataFrame:
    """The publicity decision of every row of ``frame`` (penalty classes: :func:`covers`), as the rules in force on
    ``as_of`` say (the reference: :func:`pubcredit.rules.publicity.assess`); one output row per input row, in order,
    with :data:`DECISION_COLUMNS`."""
    if frame.height == 0:
        return pl.DataFrame(schema={"severity": pl.String, "regime": pl.String, "published": pl.Boolean,
                                    "publish_from": pl.Date, "repairable_from": pl.Date, "publish_until": pl.Date,
                                    "provisional": pl.Boolean, "reason_zh": pl.String, "reason_en": pl.String,
                                    "rule_version": pl.String, "considered": pl.List(pl.String)})
    policy = rulebook.policy
    prepared = _working_days(_prepare(frame), rulebook, working_days)
    prepared = prepared.join(_candidates(prepared, rulebook, as_of), on=["_family", "_decided"], how="left")
    best: pl.DataFrame | None = None
    for regime in rulebook.regimes:
        rows = prepared.filter(pl.col(f"_cand_{regime.code}").is_not_null())
        if rows.height == 0:
            continue
        decided = _negative(rows, regime, policy).join(
            rows.select("_i", _order=pl.col(f"_cand_{regime.code}")), on="_i").with_columns(
            _regime=_lit(regime.code), _version=_lit(regime.rule_version))
        best = decided if best is None else pl.concat([best, decided])
    assert best is not None
    best = best.sort([*_favourability(), "_order"]).group_by("_i", maintain_order=True).first()
    out = prepared.select("_i", "_considered").join(best, on="_i", how="left").sort("_i")
    # the other regimes compared, in the row's candidate order, by their short names
    shorts = {r.code: r.short_zh for r in rulebook.regimes}
    others = (out.select("_i", "_regime", "_considered").explode("_considered")
              .filter(pl.col("_considered") != pl.col("_regime"))
              .group_by("_i", maintain_order=True)
              .agg(_others=pl.col("_considered").replace_strict(shorts, return_dtype=pl.String).str.join("、")))
    out = out.join(others, on="_i", how="left")
    several = pl.col("_considered").list.len() > 1
    return out.select(
        severity=pl.col("_sev"), regime=pl.col("_regime"), published=pl.col("_published"),
        publish_from=pl.col("_from"), repairable_from=pl.col("_repairable"), publish_until=pl.col("_until"),
        provisional=pl.col("_provisional"),
        reason_zh=pl.when(several).then(pl.concat_str(
            _lit("按从旧兼从轻原则比较"), pl.col("_others"), _lit("，适用对当事人最有利的规定："), pl.col("_zh")))
        .otherwise(pl.col("_zh")),
        reason_en=pl.when(several).then(pl.concat_str(
            _lit("most favourable of "), pl.col("_considered").list.join(", "), _lit(": "), pl.col("_en")))
        .otherwise(pl.col("_en")),
        rule_version=pl.col("_version"), considered=pl.col("_considered"))

