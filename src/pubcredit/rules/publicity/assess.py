"""The publicity decision of one record (公示期限): facts in, :class:`PublicityDecision` out, by the regime in
force (``assess``), and the state it leads to (``target_state``). Part of ``rules.publicity``; the conventions are in
its package docstring.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from pubcredit.rules.calendar import Deadline, WorkCalendar
from pubcredit.rules.lists import EntryPublicity
from pubcredit.rules.publicity.rulebook import FineRule, FixedClassPeriod, Policy, PublicityRulebook, Regime
from pubcredit.rules.publicity.states import (PENALTY_TYPES, _RANK, Severity, SEVERITY_LABELS, State, STICKY,
                                              SUBJECT_LABELS)


# --------------------------------------------------------------------------------------------------------------
# Facts and decisions


@dataclass(frozen=True)
class RecordFacts:
    """What the rule needs to know about one record (plain values; the Django side fills it in)."""

    class_code: str
    nature: str  # negative / positive / neutral (catalogue)
    class_public: bool
    public_for_natural_persons: bool
    subject_kind: str
    decision_date: dt.date
    received_on: dt.date  # first receipt by the platform: publication cannot start earlier
    penalty_types: tuple[str, ...] = ()
    fine_amount_yuan: Decimal | None = None
    declared_severity: Severity | None = None  # given by the identifying unit (认定单位); overrides
    procedure: str | None = None  # "summary" (简易程序) / "ordinary" (普通程序); None: not stated
    sectors: frozenset[str] = frozenset()
    restriction_until: dt.date | None = None  # end of a penalty with a duration (处罚有效期)
    family: str = "ndrc"
    licence_status: str | None = None  # 当前状态 of a licence (valid / invalid)
    list_publicity: EntryPublicity | None = None  # records of list classes: the entry's window (rules.lists)
    untrue_commitment: bool = False  # found untrue in a credit repair (承诺严重不实, Order 36 art. 25)


# ``n`` working days after a day, never less favourable to the subject (``rules.calendar.deadline``): the services
# pass the platform's calendar; without one, Monday to Friday, marked provisional
WorkingDays = Callable[[dt.date, int], Deadline]


def _weekdays_only(start: dt.date, n: int) -> Deadline:
    value = WorkCalendar.weekdays_only().add_working_days(start, n).value
    return Deadline(value, True, tuple(range(start.year, value.year + 1)))


@dataclass(frozen=True)
class PublicityDecision:
    severity: Severity | None  # negative classes only
    regime: str  # regime code (or the disclosure rule's code for licences)
    published: bool
    publish_from: dt.date | None
    repairable_from: dt.date | None
    publish_until: dt.date | None  # last day shown; None = no end
    reason_zh: str
    reason_en: str
    rule_version: str
    considered: tuple[str, ...] = field(default=())  # regimes evaluated (most_favourable)
    ended_by: str | None = None  # list records: why the entry left the list (revoked / repaired / expired …)
    provisional: bool = False  # a date rests on a year with no holiday schedule loaded (暂定): re-assessed daily

    def as_dict(self) -> dict[str, Any]:
        return {"severity": self.severity.value if self.severity else None, "regime": self.regime,
                "published": self.published,
                "publish_from": self.publish_from.isoformat() if self.publish_from else None,
                "repairable_from": self.repairable_from.isoformat() if self.repairable_from else None,
                "publish_until": self.publish_until.isoformat() if self.publish_until else None,
                "rule_version": self.rule_version}


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus calendar months, clamped to the month's end (2026-08-31 + 6 months = 2027-02-28)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def fine_yuan(amount_wan: Any) -> Decimal | None:
    """罚款金额（万元） as stored on the record → 元 (exact decimal arithmetic)."""
    if amount_wan in (None, ""):
        return None
    return Decimal(str(amount_wan)) * 10_000


def family_of(policy: Policy, *, authority_name: str = "", department_name: str = "", department_code: str = "") -> str:
    """``market_regulation`` when the deciding authority is a market-regulation (or drug) administration."""
    for family, match in policy.families.items():
        if department_code and department_code in match.department_codes:
            return family
        names = (authority_name or "", department_name or "")
        if any(word in name for word in match.authority_name_contains for name in names if name):
            return family
    return "ndrc"


def detect_sectors(policy: Policy, texts: Iterable[str | None], explicit: Iterable[str] = ()) -> frozenset[str]:
    """Sectors a penalty belongs to: the explicit codes given, else keywords in its violation type and legal basis."""
    given = frozenset(s for s in explicit if s in policy.sectors)
    if given:
        return given
    blob = " ".join(t for t in texts if t)
    return frozenset(code for code, sector in policy.sectors.items() if any(k in blob for k in sector.keywords))


def _num(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _yuan(value: Decimal) -> str:
    return f"{_num(value / 10_000)}万元" if value >= 10_000 else f"{_num(value)}元"


@dataclass
class _Why:
    zh: list[str] = field(default_factory=list)
    en: list[str] = field(default_factory=list)

    def add(self, zh: str, en: str) -> None:
        self.zh.append(zh)
        self.en.append(en)


def _classify(facts: RecordFacts, regime: Regime, policy: Policy, why: _Why) -> tuple[Severity, bool]:
    """Severity under ``regime``, and whether the procedure/types exclude publication outright."""
    if facts.declared_severity is not None:
        sev = Severity(facts.declared_severity)
        why.add(f"认定单位认定为{SEVERITY_LABELS[sev]}失信", f"severity {sev} declared by the identifying unit")
        return sev, False
    if facts.procedure == "summary" and regime.summary_procedure is not None:
        if regime.summary_procedure == "not_published":
            why.add(f"简易程序作出的行政处罚不予公示（{regime.summary_procedure_article}）",
                    f"summary-procedure penalty: not published ({regime.summary_procedure_article})")
            return Severity.MINOR, True
        sev = Severity(regime.summary_procedure)
        why.add(f"简易程序作出的行政处罚→{SEVERITY_LABELS[sev]}（{regime.summary_procedure_article}）",
                f"summary procedure → {sev} ({regime.summary_procedure_article})")
        return sev, False
    types = [t for t in dict.fromkeys(facts.penalty_types) if t]
    if not types:
        why.add(f"未填写处罚类别，按{SEVERITY_LABELS[regime.default_severity]}",
                f"no penalty type given: {regime.default_severity}")
        return regime.default_severity, False
    per_type: list[Severity] = []
    zh_parts, en_parts = [], []
    for code in types:
        rule = regime.penalty_types.get(code, regime.default_severity)
        label = PENALTY_TYPES.get(code, code)
        if rule == "by_amount":
            sev = _classify_fine(facts, regime, label, zh_parts, en_parts, policy)
        else:
            sev = Severity(rule)
            zh_parts.append(f"{label}→{SEVERITY_LABELS[sev]}")
            en_parts.append(f"{code} → {sev}")
        per_type.append(sev)
    severity = max(per_type, key=_RANK.__getitem__)
    why.add("；".join(zh_parts), "; ".join(en_parts))
    if len(per_type) > 1:
        article = f"（{regime.longest_article}）" if regime.longest_article else ""
        why.add(f"同一决定涉及多种处罚类型，以期限最长的{SEVERITY_LABELS[severity]}类为准{article}",
                f"several penalty types: the longest ({severity}) applies {regime.longest_article}".rstrip())
    escalation = regime.sector_escalation
    if escalation and severity != Severity.MINOR and facts.sectors & set(escalation.sectors):
        names = "、".join(policy.sectors[s].label_zh for s in sorted(facts.sectors & set(escalation.sectors)))
        if severity != Severity.SERIOUS:
            why.add(f"属{names}领域，非轻微的行政处罚→严重（{escalation.article}）",
                    f"sector {', '.join(sorted(facts.sectors & set(escalation.sectors)))}: non-minor → serious "
                    f"({escalation.article})")
        severity = Severity.SERIOUS
    only = set(types)
    if regime.not_published_if_only and only <= set(regime.not_published_if_only):
        labels = "、".join(PENALTY_TYPES.get(t, t) for t in types)
        why.add(f"仅受到{labels}的行政处罚不予公示（{regime.not_published_article}）",
                f"only {', '.join(types)}: not published ({regime.not_published_article})")
        return severity, True
    return severity, False


def _fine_rule(facts: RecordFacts, regime: Regime, policy: Policy | None) -> tuple[FineRule, str]:
    return sector_fine_rule(regime, facts.sectors, policy)


def sector_fine_rule(regime: Regime, record_sectors: set[str], policy: Policy | None) -> tuple[FineRule, str]:
    """The fine thresholds for a record of these sectors: the regime's, with a sector's own 较小数额 / 巨额 where the
    sector set them (several sectors: the figures most favourable to the subject). Returns (rule, the sectors' label).
    The set-based rule (rules/publicity_frame.py) builds its thresholds with this too."""
    rule = regime.fine
    sectors = sorted(set(regime.sector_fines) & record_sectors)
    if not sectors:
        return rule, ""
    # the sector's own figure replaces the regime's (sector standards prevail, Order 36 art. 11); between sectors the
    # higher 较小数额 and the higher 巨额 are kept (both favour the subject)
    own_minor: dict[str, Decimal] = {}
    own_serious: dict[str, Decimal] = {}
    article_minor, article_serious, borrowed = rule.article_minor, rule.article_serious, rule.minor_borrowed_from
    for code in sectors:
        own = regime.sector_fines[code]
        for kind, bound in (own.minor_at_most_yuan or {}).items():
            own_minor[kind] = max(bound, own_minor.get(kind, bound))
            article_minor, borrowed = own.article_minor or own.basis_zh, ""
        for kind, bound in (own.serious_at_least_yuan or {}).items():
            own_serious[kind] = max(bound, own_serious.get(kind, bound))
            article_serious = own.article_serious or own.basis_zh
    minor = {**(rule.minor_at_most_yuan or {}), **own_minor}
    serious = {**(rule.serious_at_least_yuan or {}), **own_serious}
    label = "、".join(policy.sectors[c].label_zh if policy and c in policy.sectors else c for c in sectors)
    return rule.model_copy(update={"minor_at_most_yuan": minor or None, "serious_at_least_yuan": serious or None,
                                   "article_minor": article_minor, "article_serious": article_serious,
                                   "minor_borrowed_from": borrowed}), label


def _classify_fine(facts: RecordFacts, regime: Regime, label: str, zh: list[str], en: list[str],
                   policy: Policy | None = None) -> Severity:
    rule, sector = _fine_rule(facts, regime, policy)
    amount = facts.fine_amount_yuan
    kind = facts.subject_kind if facts.subject_kind in SUBJECT_LABELS else "legal_person"
    if amount is None:
        zh.append(f"{label}（未填写金额）→{SEVERITY_LABELS[rule.without_amount]}")
        en.append(f"fine without amount → {rule.without_amount}")
        return rule.without_amount
    own = f"{sector}领域" if sector else ""
    if rule.serious_at_least_yuan and kind in rule.serious_at_least_yuan and amount >= rule.serious_at_least_yuan[kind]:
        bound = rule.serious_at_least_yuan[kind]
        zh.append(f"{label}{_yuan(amount)}，达到{own}巨额{_yuan(bound)}→严重（{rule.article_serious}）")
        en.append(f"fine {_num(amount)} CNY >= {_num(bound)} (very large{', ' + sector if sector else ''}) → serious "
                  f"({rule.article_serious})")
        return Severity.SERIOUS
    borrowed_zh = (f"；行业主管部门未规定较小数额，借用{rule.minor_borrowed_from}的数额"
                   if rule.minor_borrowed_from else "")
    borrowed_en = f"; figure borrowed from {rule.minor_borrowed_from}" if rule.minor_borrowed_from else ""
    if rule.minor_at_most_yuan and kind in rule.minor_at_most_yuan and amount <= rule.minor_at_most_yuan[kind]:
        bound = rule.minor_at_most_yuan[kind]
        zh.append(f"{label}{_yuan(amount)}，不超过{own}{SUBJECT_LABELS[kind]}较低数额{_yuan(bound)}→轻微"
                  f"（{rule.article_minor}{borrowed_zh}）")
        en.append(f"fine {_num(amount)} CNY <= {_num(bound)} for {kind} (lower amount) → minor ({rule.article_minor}"
                  f"{borrowed_en})")
        return Severity.MINOR
    bound_text = ""
    if rule.minor_at_most_yuan and kind in rule.minor_at_most_yuan:
        bound_text = f"，超过{own}较低数额{_yuan(rule.minor_at_most_yuan[kind])}"
        if rule.minor_borrowed_from:
            bound_text += f"（借用{rule.minor_borrowed_from}的数额）"
    if rule.serious_at_least_yuan is None and rule.article_serious:
        bound_text += "，未设定巨额标准"
    zh.append(f"{label}{_yuan(amount)}{bound_text}→{SEVERITY_LABELS[rule.otherwise]}")
    en.append(f"fine {_num(amount)} CNY → {rule.otherwise}{borrowed_en}")
    return rule.otherwise


def _fmt(day: dt.date | None) -> str:
    return day.isoformat() if day else "—"


def _negative(facts: RecordFacts, regime: Regime, policy: Policy, working_days: WorkingDays) -> PublicityDecision:
    why = _Why()
    why.add(f"适用{regime.short_zh}（{regime.effective_from.isoformat()}起施行）",
            f"regime {regime.name_en} (in force from {regime.effective_from.isoformat()})")
    severity, excluded = _classify(facts, regime, policy, why)
    period = regime.classes[severity]
    types = set(facts.penalty_types)
    shown_from = max(facts.decision_date, facts.received_on)
    provisional = False
    if regime.period_from == "decision_date":
        start = facts.decision_date
    else:
        start, provisional = _publication_start(facts, regime.publication_working_days, regime.publication_article,
                                                working_days, why)

    def result(published: bool, repairable: dt.date | None = None, until: dt.date | None = None) -> PublicityDecision:
        return PublicityDecision(severity, regime.code, published, shown_from if published else None,
                                 repairable if published else None, until if published else None,
                                 "；".join(why.zh) + "。", "; ".join(why.en) + ".", regime.rule_version,
                                 provisional=provisional and published)

    if not facts.class_public:
        why.add("该信息类不向社会公开", "the information class is not public")
        return result(False)
    if facts.subject_kind == "natural_person" and not facts.public_for_natural_persons:
        why.add(f"涉及自然人的失信信息原则上不予公示（{regime.natural_persons_article}）",
                f"natural persons' negative items are not published ({regime.natural_persons_article})")
        return result(False)
    if excluded:
        return result(False)
    if not period.published:
        why.add(f"{SEVERITY_LABELS[severity]}失信信息原则上不予公示（{period.article}）",
                f"{severity} items are not published ({period.article})")
        return result(False)

    min_months, max_months = period.min_months, period.max_months
    sector_min = [(regime.sector_min_months[s], s) for s in facts.sectors if s in regime.sector_min_months]
    if sector_min:
        months, sector = max(sector_min)
        if months > min_months:
            min_months = months
            why.add(f"{policy.sectors[sector].label_zh}领域最短公示期{months}个月（{regime.sector_min_article}）",
                    f"sector {sector}: minimum {months} months ({regime.sector_min_article})")
    until = add_months(start, max_months) - dt.timedelta(days=1)
    no_early = not period.early_repair or bool(types & set(regime.no_early_repair_types))
    repairable = None if no_early or min_months >= max_months else add_months(start, min_months)
    counted = "自决定之日起" if regime.period_from == "decision_date" else "自公示之日起"
    counted_en = "from the decision date" if regime.period_from == "decision_date" else "from publication"
    if no_early or min_months >= max_months:
        why.add(f"{SEVERITY_LABELS[severity]}失信信息{counted}公示{max_months}个月，期满自动停止，不得提前停止公示（"
                f"{regime.no_early_repair_article if types & set(regime.no_early_repair_types) else period.article}）",
                f"{severity}: published {max_months} months {counted_en}, no early repair")
    else:
        why.add(f"{SEVERITY_LABELS[severity]}失信信息{counted}最短公示{min_months}个月、最长{max_months}个月（{period.article}）",
                f"{severity}: minimum {min_months}, maximum {max_months} months {counted_en} ({period.article})")
    restricted = _duration_end(facts)
    if restricted is not None and not types & set(regime.duration_types):
        if restricted > until:  # a date that would extend publication, on a penalty that has no duration
            why.add(f"处罚有效期{_fmt(restricted)}不延长公示期：{'、'.join(PENALTY_TYPES.get(t, t) for t in types)}"
                    f"不是附期限的处罚（{regime.duration_article}）",
                    f"valid_until {_fmt(restricted)} ignored: {', '.join(types)} has no duration "
                    f"({regime.duration_article})")
        restricted = None
    if restricted is not None:
        if repairable is not None and restricted >= repairable:
            repairable = restricted + dt.timedelta(days=1)
            why.add(f"附带期限的处罚在{_fmt(restricted)}届满前不得提前终止公示（{regime.duration_article}）",
                    f"restriction until {_fmt(restricted)}: no repair before it ends ({regime.duration_article})")
        if regime.duration_extends_max and restricted > until:
            until = restricted
            why.add(f"限制期限超过最长公示期，公示至{_fmt(restricted)}（{regime.duration_article}）",
                    f"restriction longer than the maximum: published until {_fmt(restricted)}")
    if repairable is not None and repairable > until:
        repairable = None
    if shown_from > until:  # received after its maximum period: never shown
        why.add(f"归集时（{_fmt(shown_from)}）最长公示期已于{_fmt(until)}届满，不再公示",
                f"received {_fmt(shown_from)}, after the maximum period ended {_fmt(until)}: never shown")
        return replace(result(True, None, until), publish_from=None)
    why.add(f"公示期{_fmt(shown_from)}至{_fmt(until)}" + (f"，{_fmt(repairable)}起可申请信用修复" if repairable else ""),
            f"shown {_fmt(shown_from)} to {_fmt(until)}" + (f", repair from {_fmt(repairable)}" if repairable else ""))
    return result(True, repairable, until)


NO_DURATION = dt.date(2099, 12, 31)  # 处罚有效期 "长期" as departments send it


def _duration_end(facts: RecordFacts) -> dt.date | None:
    """The end of a penalty with a duration (处罚有效期), or None for "no duration": not given, on or before the
    decision date (departments fill in the decision date when a penalty has none), or 2099-12-31 (长期)."""
    end = facts.restriction_until
    if end is None or end <= facts.decision_date or end >= NO_DURATION:
        return None
    return end


def _publication_start(facts: RecordFacts, n: int | None, article: str, working_days: WorkingDays,
                       why: _Why) -> tuple[dt.date, bool]:
    """SAMR Order 45 art. 9, 13: a period counted from publication on the national enterprise credit publicity system
    (国家企业信用信息公示系统) starts on the day of that publication, due within N working days of the decision. The
    platform does not know the day: it counts from the earlier of its own receipt and decision date + N working days,
    so a record sent late is not shown for years longer than on the national system. Returns (start, provisional)."""
    received = max(facts.decision_date, facts.received_on)
    # n working days take at least n calendar days: a record received within them needs no calendar
    if n is None or received <= facts.decision_date + dt.timedelta(days=n):
        return received, False
    due = working_days(facts.decision_date, n)
    if received <= due.value:
        return received, False
    note = f"，{due.explain_zh()}" if due.provisional else ""
    why.add(f"应自决定之日起{n}个工作日内（{_fmt(due.value)}前）在国家企业信用信息公示系统公示（{article}），"
            f"平台{_fmt(received)}才归集，公示期自{_fmt(due.value)}起算（归集日与决定日加{n}个工作日之较早者）{note}",
            f"due on the national system within {n} working days of the decision ({article}), by "
            f"{_fmt(due.value)}; received {_fmt(received)}: the period counts from {_fmt(due.value)} (earlier of "
            f"receipt and decision + {n} working days{', provisional' if due.provisional else ''})")
    return due.value, due.provisional


def _fixed_period(facts: RecordFacts, rule: FixedClassPeriod, working_days: WorkingDays) -> PublicityDecision:
    """A class with one fixed period (``policy.yaml fixed_period_classes``): published ``months`` from publication,
    stopped automatically at the end, no early repair; not published where the class or natural persons are not."""
    why = _Why()
    why.add(f"{rule.name_zh}：{rule.note_zh or f'公示{rule.months}个月'}（{rule.article}）",
            f"{facts.class_code}: fixed period of {rule.months} months ({rule.article})")
    version = f"{rule.regime}@{rule.version}"

    def result(published: bool, shown_from: dt.date | None = None, until: dt.date | None = None,
               provisional: bool = False) -> PublicityDecision:
        return PublicityDecision(rule.severity, rule.regime, published, shown_from, None, until,
                                 "；".join(why.zh) + "。", "; ".join(why.en) + ".", version, provisional=provisional)

    if not facts.class_public:
        why.add("该信息类不向社会公开", "the information class is not public")
        return result(False)
    if facts.subject_kind == "natural_person" and not facts.public_for_natural_persons:
        why.add("涉及自然人的信息不向社会公示（信息类配置）", "natural persons: not published (class setting)")
        return result(False)
    shown_from = max(facts.decision_date, facts.received_on)
    start, provisional = _publication_start(facts, rule.publication_working_days, rule.publication_article,
                                            working_days, why)
    until = add_months(start, rule.months) - dt.timedelta(days=1)
    if shown_from > until:
        why.add(f"归集时（{_fmt(shown_from)}）公示期已于{_fmt(until)}届满，不再公示",
                f"received {_fmt(shown_from)}, after the period ended {_fmt(until)}: never shown")
        return replace(result(True, None, until), publish_from=None)
    why.add(f"自公示之日起公示{rule.months}个月，期满自动停止，不得提前停止公示；公示期{_fmt(shown_from)}至{_fmt(until)}",
            f"published {rule.months} months from publication, no early end; shown {_fmt(shown_from)} to "
            f"{_fmt(until)}")
    return result(True, shown_from, until, provisional)


def _disclosure(facts: RecordFacts, policy: Policy) -> PublicityDecision:
    rule = policy.disclosure
    published, zh, en = True, [f"双公示（{rule.short_zh}）：自归集之日起公示"], [f"{rule.code}: published from receipt"]
    if not facts.class_public:
        published = False
        zh.append("该信息类不向社会公开")
        en.append("class not public")
    elif facts.subject_kind == "natural_person" and not facts.public_for_natural_persons:
        published = False
        zh.append("涉及自然人的信息不向社会公示（信息类配置）")
        en.append("natural persons: not published (class setting)")
    elif facts.licence_status and facts.licence_status in rule.not_published_statuses:
        published = False
        zh.append("许可当前状态为无效，停止公示")
        en.append(f"licence status {facts.licence_status}: not published")
    shown_from = max(facts.decision_date, facts.received_on) if published else None
    return PublicityDecision(None, rule.code, published, shown_from, None, None, "；".join(zh) + "。",
                             "; ".join(en) + ".", f"{rule.code}@{rule.version}")


def _list_entry(entry: EntryPublicity, class_code: str) -> PublicityDecision:
    """A list-class record is shown as its entry is (名单公示, ``rules.lists.entry_publicity``): no repair date of its
    own (a list's early removal is the list's own procedure)."""
    return PublicityDecision(Severity(entry.severity) if entry.severity else None, f"list:{class_code}",
                             entry.published, entry.publish_from, None, entry.publish_until, entry.reason_zh,
                             entry.reason_en, entry.rule_version,
                             ended_by=entry.ended_by.value if entry.ended_by else None)


def _untrue_commitment(facts: RecordFacts, regime: Regime) -> PublicityDecision:
    """Order 36 art. 25: untruthfulness in a credit repair is published for a fixed period from the finding, never
    ended early; natural persons' items stay unpublished (art. 12 para. 3)."""
    rule = regime.untrue_commitment
    assert rule is not None
    lead_zh = f"信用修复中提供虚假材料或信用承诺严重不实（{rule.article}）"
    lead_en = f"untrue commitment or false materials in a credit repair ({rule.article})"
    if not facts.class_public or (facts.subject_kind == "natural_person" and not facts.public_for_natural_persons):
        return PublicityDecision(Severity.SERIOUS, regime.code, False, None, None, None,
                                 f"{lead_zh}；涉及自然人的失信信息原则上不予公示（{regime.natural_persons_article}）。",
                                 f"{lead_en}; natural persons: not published.", regime.rule_version)
    until = add_months(facts.decision_date, rule.months) - dt.timedelta(days=1)
    shown_from = max(facts.decision_date, facts.received_on)
    if shown_from > until:
        return PublicityDecision(Severity.SERIOUS, regime.code, True, None, None, until,
                                 f"{lead_zh}；归集时公示期已届满，不再公示。", f"{lead_en}; received after the period.",
                                 regime.rule_version)
    return PublicityDecision(
        Severity.SERIOUS, regime.code, True, shown_from, None, until,
        f"{lead_zh}：自认定之日起公示{rule.months}个月，不得提前终止公示；公示期{_fmt(shown_from)}至{_fmt(until)}。",
        f"{lead_en}: published {rule.months} months from the finding, no early end; shown {_fmt(shown_from)} to "
        f"{_fmt(until)}.", regime.rule_version)


def _favourability(decision: PublicityDecision) -> tuple:
    """Sort key: smaller is more favourable to the subject (not shown; shown shorter; repairable sooner)."""
    if not decision.published:
        return (0, dt.date.min, dt.date.min)
    return (1, decision.publish_until or dt.date.max, decision.repairable_from or decision.publish_until or dt.date.max)


def assess(facts: RecordFacts, rulebook: PublicityRulebook, *, as_of: dt.date,
           working_days: WorkingDays | None = None) -> PublicityDecision:
    """Severity, regime and publicity window of one record, as the rules in force on ``as_of`` say.

    Negative classes: the regime in force on the decision date (for the record's family), and under
    ``transition: most_favourable`` every later regime in force by ``as_of``; the outcome most favourable to the
    subject is kept (Legislation Law art. 104: no retroactive burden; Order 36 has no transitional clause).
    Other classes (licences): 双公示 from receipt.
    """
    policy = rulebook.policy
    if facts.list_publicity is not None:
        return _list_entry(facts.list_publicity, facts.class_code)
    if facts.nature != "negative":
        return _disclosure(facts, policy)
    if facts.class_code in policy.fixed_period_classes:
        return _fixed_period(facts, policy.fixed_period_classes[facts.class_code], working_days or _weekdays_only)
    if facts.class_code not in policy.regime_classes:
        return PublicityDecision(
            None, "unconfigured", False, None, None, None,
            f"信息类{facts.class_code}的公示规则尚未配置（policy.yaml regime_classes），暂不公示。",
            f"no publicity rule configured for class {facts.class_code} (policy.yaml regime_classes): not published.",
            f"unconfigured@{policy.version}")
    if facts.class_code in policy.declared_severity_classes:
        # not a penalty of a sector's publicity system: the general (NDRC) regimes decide
        facts = replace(facts, family="ndrc")
        own = rulebook.regime_for("ndrc", facts.decision_date)
        if facts.untrue_commitment and own.untrue_commitment is not None:
            return _untrue_commitment(facts, own)
        if facts.declared_severity is None:
            return PublicityDecision(
                None, own.code, False, None, None, None,
                f"认定单位未认定失信程度（轻微、一般、严重），暂不公示（{policy.declared_severity_article}）。",
                f"no severity declared by the identifying unit: not published ({policy.declared_severity_article}).",
                own.rule_version)
    own = rulebook.regime_for(facts.family, facts.decision_date)
    candidates = [own]
    if policy.transition == "most_favourable":
        for start in rulebook.starts():
            if facts.decision_date < start <= as_of:
                later = rulebook.regime_for(facts.family, start)
                if later not in candidates:
                    candidates.append(later)
    decisions = [_negative(facts, regime, policy, working_days or _weekdays_only) for regime in candidates]
    best = min(enumerate(decisions), key=lambda item: (_favourability(item[1]), item[0]))[1]
    considered = tuple(r.code for r in candidates)
    if len(decisions) > 1:
        other = "、".join(r.short_zh for r in candidates if r.code != best.regime)
        return replace(best, considered=considered,
                       reason_zh=f"按从旧兼从轻原则比较{other}，适用对当事人最有利的规定：{best.reason_zh}",
                       reason_en=f"most favourable of {', '.join(considered)}: {best.reason_en}")
    return replace(best, considered=considered)


def target_state(*, current: State | None, decision: PublicityDecision, record_revoked: bool,
                 today: dt.date) -> State:
    """Where a record should be on ``today``, from its decision's dates (a missed day changes nothing)."""
    if current == State.ARCHIVED:
        return State.ARCHIVED
    if record_revoked or decision.ended_by == "revoked":
        return State.REVOKED
    if decision.ended_by == "repaired" and current in (State.PUBLISHED, State.REPAIRED):
        return State.REPAIRED  # a list entry removed by credit repair (信用修复移出): publication and sharing stop
    if current == State.OBJECTION_HOLD and decision.publish_until and decision.publish_until < today:
        return State.EXPIRED
    if current in STICKY:
        return current
    if not decision.published:
        return State.WITHHELD
    if decision.publish_until is not None and decision.publish_until < today:
        return State.EXPIRED
    if decision.publish_from is None or decision.publish_from > today:
        return State.PENDING
    return State.PUBLISHED


def states_sharing(policy: Policy) -> Sequence[State]:
    """States in which the record is still shared with departments (共享) — all but ``stop_sharing_in``."""
    return [s for s in State if s not in policy.stop_sharing_in]
