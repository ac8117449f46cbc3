"""Credit repair (信用修复) and objections (异议处理): who may apply for what, from when, and the procedures' time limits.

Pure: plain facts about one negative item (a credit record with its publicity state, or a list entry) in, an
:class:`Eligibility` out — eligible now, or from which day, or why not, and who decides (the identifying unit,
失信信息认定单位, "谁认定、谁修复", NDRC Order 36 art. 13). The procedure's figures are data
(``rulebook/repair/procedure.yaml``), each with its article. The workflows of applications and objections are
state tables (``APPLICATION_TRANSITIONS``, ``REORGANISATION_TRANSITIONS`` for the bankruptcy reorganisation shielding
of Order 36 art. 20, ``OBJECTION_TRANSITIONS``) applied by ``repair.services``.

Readings (docs/repair.md explains them):

- The minimum period comes from the publicity state's ``repairable_from`` (NDRC Order 36 art. 12 para. 2, art. 14(1);
  SAMR Order 107 art. 11), which already holds a penalty with a duration (art. 12 para. 3) and the items that can never
  end early (``None``: SAMR licence revocation, minor 3-month items).
- Lists with their own removal rules: the court list is deleted only by the court (法释〔2017〕7号 第十条); the tax list
  after 6 months of publication, not when listed twice within 5 years (令第54号 第十八条、第二十二条); SAMR lists by
  Order 107 art. 12/13.
- After a grant revoked for fraud the original item cannot be repaired for 3 years (Order 36 art. 25).
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

__all__ = [
    "RepairRulebook", "RepairRulebookError", "Regime", "ListRule", "ItemFacts", "Reason", "Eligibility",
    "assess_eligibility", "parse_rulebook", "Limits", "limits_for", "AppState", "AppEvent", "APPLICATION_TRANSITIONS",
    "APP_STATE_LABELS", "ObjState", "ObjEvent", "OBJECTION_TRANSITIONS", "OBJ_STATE_LABELS", "InvalidMove",
    "app_transition", "obj_transition", "add_months", "add_years", "ObjectionLimits", "objection_limits",
    "REORGANISATION_TRANSITIONS", "reorganisation_transition", "reorganisation_refusal",
]


class RepairRulebookError(ValueError):
    """A repair rulebook file that cannot be used as it is."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Regime(_Strict):
    """One repair regime (NDRC Order 36, SAMR Order 107): time limits in working days with their articles."""

    instrument_zh: str
    effective_from: dt.date
    minimum_article: str
    conditions_article: str
    accept_working_days: int = Field(gt=0, le=30)
    accept_article: str
    decide_working_days: int = Field(gt=0, le=60)
    decide_article: str
    complex_extension_working_days: int = Field(ge=0, le=30)
    platform_answer_working_days: int = Field(gt=0, le=30)
    objection_forward_working_days: int = Field(gt=0, le=10)
    objection_verify_working_days: int = Field(gt=0, le=60)
    objection_article: str
    fraud_block_years: int = Field(gt=0, le=10)
    fraud_article: str
    materials_zh: tuple[str, ...] = Field(min_length=1)
    materials_article: str
    # 破产重整临时屏蔽 (Order 36 art. 20: within 10 WD of receipt; SAMR 107 art. 22: within 7 WD)
    reorganisation_working_days: int = Field(gt=0, le=30)
    reorganisation_article: str
    # the 信用承诺书 the applicant signs (Order 36 art. 14(3), art. 15(2); SAMR 107 art. 14 守信承诺书); placeholders:
    # COMMITMENT_PLACEHOLDERS
    commitment_title: str
    commitment_template: str

    def commitment(self, *, subject_name: str, uscc: str, decision_no: str) -> str:
        """The commitment text for one item, from the rulebook's template."""
        return self.commitment_template.format(subject_name=subject_name, uscc=uscc, decision_no=decision_no,
                                               instrument=self.instrument_zh, fraud_article=self.fraud_article,
                                               fraud_block_years=self.fraud_block_years).strip()


COMMITMENT_PLACEHOLDERS = ("subject_name", "uscc", "decision_no", "instrument", "fraud_article", "fraud_block_years")


class ListRule(_Strict):
    """A list's own removal rule (名单移出规则) where it differs from the regime's."""

    channel: Literal["platform", "court", "none"]
    authority_zh: str
    basis_zh: str = ""
    minimum_months: int | None = Field(default=None, ge=0)
    minimum_article: str = ""
    repeat_window_years: int | None = Field(default=None, gt=0)
    repeat_max_listings: int | None = Field(default=None, gt=0)
    repeat_article: str = ""
    accept_working_days: int | None = Field(default=None, gt=0)
    accept_article: str = ""
    decide_working_days: int | None = Field(default=None, gt=0)
    decide_article: str = ""
    complex_extension_working_days: int = Field(default=0, ge=0)
    materials_zh: tuple[str, ...] = ()
    # a list with its own objection procedure (经营异常名录: 《企业经营异常名录管理办法》第十五条): within
    # ``objection_window_days`` calendar days of publication, accept within / verify within these working days
    objection_window_days: int | None = Field(default=None, gt=0)
    objection_accept_working_days: int | None = Field(default=None, gt=0)
    objection_verify_working_days: int | None = Field(default=None, gt=0)
    objection_article: str = ""
    # a list whose own rule names another commitment (重大税收违法失信主体: 诚信纳税承诺书, 令第54号 第十九条): its title
    # and template (the regime's placeholders, ``instrument`` the list's instrument); empty: the regime's commitment
    commitment_title: str = ""
    commitment_template: str = ""
    instrument_zh: str = ""


class RepairRulebook(_Strict):
    version: str
    regimes: dict[Literal["ndrc_order_36", "samr_order_107"], Regime]
    lists: dict[str, ListRule]

    def regime_for(self, publicity_regime: str) -> Regime:
        """SAMR items (their publicity regime is a SAMR order) follow Order 107; everything else Order 36."""
        return self.regimes["samr_order_107" if publicity_regime.startswith("samr") else "ndrc_order_36"]

    def commitment_for(self, regime_id: str, list_code: str = "") -> tuple[str, Callable[..., str]]:
        """The commitment an applicant signs for an item: the list's own (its title and template) where its rule
        names one, else the regime's. Returns the title and a function of (subject_name, uscc, decision_no)."""
        regime = self.regimes[regime_id]
        rule = self.lists.get(list_code) if list_code else None
        if rule is None or not rule.commitment_template:
            return regime.commitment_title, regime.commitment

        def text(*, subject_name: str, uscc: str, decision_no: str) -> str:
            return rule.commitment_template.format(
                subject_name=subject_name, uscc=uscc, decision_no=decision_no,
                instrument=rule.instrument_zh or regime.instrument_zh, fraud_article=regime.fraud_article,
                fraud_block_years=regime.fraud_block_years).strip()
        return rule.commitment_title, text


def parse_rulebook(data: Mapping[str, Any]) -> RepairRulebook:
    try:
        book = RepairRulebook.model_validate(data)
    except ValidationError as exc:
        raise RepairRulebookError("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()))
    if set(book.regimes) != {"ndrc_order_36", "samr_order_107"}:
        raise RepairRulebookError("regimes must define ndrc_order_36 and samr_order_107")
    for code, regime in book.regimes.items():
        try:
            regime.commitment(subject_name="", uscc="", decision_no="")
        except (KeyError, IndexError, ValueError) as exc:
            raise RepairRulebookError(f"regimes.{code}.commitment_template: unknown placeholder {exc} "
                                      f"(known: {', '.join(COMMITMENT_PLACEHOLDERS)})") from None
    for code, rule in book.lists.items():
        if bool(rule.commitment_title) != bool(rule.commitment_template):
            raise RepairRulebookError(f"lists.{code}: commitment_title and commitment_template go together")
        if rule.commitment_template:
            try:
                book.commitment_for("ndrc_order_36", code)[1](subject_name="", uscc="", decision_no="")
            except (KeyError, IndexError, ValueError) as exc:
                raise RepairRulebookError(f"lists.{code}.commitment_template: unknown placeholder {exc} "
                                          f"(known: {', '.join(COMMITMENT_PLACEHOLDERS)})") from None
        if rule.channel == "platform" and (rule.minimum_months is None or rule.decide_working_days is None
                                           or rule.accept_working_days is None):
            raise RepairRulebookError(f"lists.{code}: a platform list needs minimum_months, accept and decide days")
    return book


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day ``months`` later (the month's last day when it has no such day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


def add_years(day: dt.date, years: int) -> dt.date:
    return add_months(day, 12 * years)


@dataclass(frozen=True)
class ItemFacts:
    """One negative item as the services see it (plain values)."""

    kind: Literal["record", "list_entry"]
    authority: str  # 认定单位: the deciding authority of the record, the identifying unit of the entry
    publicity_regime: str = ""  # PublicityState.regime ("ndrc_order_36@2026.1", "samr_order_107@…", "list:<code>")
    state: str | None = None  # PublicityState.state; None: not yet assessed
    repairable_from: dt.date | None = None
    publish_until: dt.date | None = None
    duration_until: dt.date | None = None  # 处罚有效期 of a penalty with a duration (after the decision date)
    record_revoked: bool = False
    list_code: str = ""
    list_in_force: bool = True
    list_effective: dt.date | None = None  # the day the entry took effect (published, 令第54号 第十八条)
    listings_in_window: int = 1  # this subject's entries on this list within the repeat window, this one included
    obligations_performed: bool | None = None  # False: the record says obligations are unperformed
    fraud_block_until: dt.date | None = None  # last day of the 3-year bar after a grant revoked for fraud


@dataclass(frozen=True)
class Reason:
    code: str
    message_zh: str
    message_en: str
    until: dt.date | None = None  # a reason that lifts by itself on a day: the last day it holds


@dataclass(frozen=True)
class Limits:
    """The time limits that apply to one application, in working days, with their articles."""

    accept: int
    accept_article: str
    decide: int
    decide_article: str
    complex_extension: int
    platform_answer: int
    materials_zh: tuple[str, ...]


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    eligible_from: dt.date | None  # eligible: the first eligible day; not yet: the day it will be; never: None
    reasons: tuple[Reason, ...]
    authority: str
    limits: Limits | None
    regime: str
    rule_version: str
    conditions_zh: tuple[str, ...] = field(default=())  # what the applicant must still show (proof, commitment)


def limits_for(book: RepairRulebook, facts: ItemFacts) -> Limits | None:
    regime = book.regime_for(facts.publicity_regime)
    rule = book.lists.get(facts.list_code) if facts.list_code else None
    if rule is not None and rule.channel != "platform":
        return None
    if rule is not None:
        return Limits(rule.accept_working_days or regime.accept_working_days, rule.accept_article,
                      rule.decide_working_days or regime.decide_working_days, rule.decide_article,
                      rule.complex_extension_working_days, regime.platform_answer_working_days,
                      rule.materials_zh or regime.materials_zh)
    return Limits(regime.accept_working_days, regime.accept_article, regime.decide_working_days,
                  regime.decide_article, regime.complex_extension_working_days, regime.platform_answer_working_days,
                  regime.materials_zh)


def _d(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


_CLOSED = {
    "revoked": ("item.revoked", "该信息已撤销，无需修复", "the item was revoked: nothing to repair"),
    "repaired": ("item.repaired", "该信息已完成信用修复", "the item is already repaired"),
    "expired": ("item.expired", "公示期已满，已自动停止公示，无需申请修复", "the maximum period ended: publication stopped"),
    "archived": ("item.archived", "该信息已归档，无需修复", "the item is archived"),
    "withheld": ("item.not_published", "该信息依规定不予公示，无需申请修复",
                 "the item is not published under the rules: nothing to repair"),
    "objection_hold": ("item.under_objection", "该信息异议核查中，核查结束后方可申请修复",
                       "an objection is being verified: apply once it is decided"),
}


def assess_eligibility(facts: ItemFacts, book: RepairRulebook, *, as_of: dt.date) -> Eligibility:
    """Whether the subject may apply for repair of one item on ``as_of`` (NDRC Order 36 art. 12, 14, 25; SAMR Order
    107 art. 11–13; 令第54号 第十八条、第二十二条; 法释〔2017〕7号 第十条)."""
    regime = book.regime_for(facts.publicity_regime)
    regime_id = "samr_order_107" if regime is book.regimes["samr_order_107"] else "ndrc_order_36"
    rule = book.lists.get(facts.list_code) if facts.list_code else None
    authority = rule.authority_zh if rule is not None and rule.channel != "platform" else facts.authority
    reasons: list[Reason] = []
    never = False

    def verdict() -> Eligibility:
        blocking = [r for r in reasons if not r.code.startswith("eligible.")]
        if blocking:
            lifts = None if never or any(r.until is None for r in blocking) else \
                max(r.until for r in blocking) + dt.timedelta(days=1)
            return Eligibility(False, lifts, tuple(reasons), authority, limits_for(book, facts), regime_id,
                               book.version)
        limits = limits_for(book, facts)
        return Eligibility(True, eligible_from, tuple(reasons), authority, limits, regime_id, book.version,
                           (*(limits.materials_zh if limits else ()), f"公开作出信用承诺（{regime.conditions_article}）"))

    eligible_from: dt.date | None = None
    if facts.record_revoked:
        reasons.append(Reason(*_CLOSED["revoked"]))
        never = True
        return verdict()
    if facts.kind == "list_entry" and not facts.list_in_force:
        reasons.append(Reason("entry.removed", "该名单条目已移出，无需修复", "the entry has left the list"))
        never = True
        return verdict()
    if rule is not None and rule.channel == "court":
        reasons.append(Reason("list.court_only", f"失信被执行人名单由人民法院删除，不经本平台修复（{rule.basis_zh}）",
                              "the court list is deleted only by the court (SPC interpretation 2017 No. 7 art. 10)"))
        never = True
        return verdict()
    if rule is not None and rule.channel == "none":
        reasons.append(Reason("list.not_negative", rule.basis_zh, "a red list: nothing to repair"))
        never = True
        return verdict()
    if facts.state in _CLOSED and not (facts.kind == "list_entry" and facts.state in ("expired", "withheld")):
        reasons.append(Reason(*_CLOSED[facts.state]))
        never = facts.state != "objection_hold"
        return verdict()

    if rule is not None:  # a list with its own minimum, counted from the day the entry took effect (published)
        effective = facts.list_effective or as_of
        eligible_from = add_months(effective, rule.minimum_months or 0)
        if eligible_from > as_of:
            reasons.append(Reason(
                "minimum_period.running", f"名单公布未满{rule.minimum_months}个月，{_d(eligible_from)}起方可申请"
                f"（{rule.minimum_article}）", f"listed less than {rule.minimum_months} months: apply from "
                f"{_d(eligible_from)}", eligible_from - dt.timedelta(days=1)))
        if rule.repeat_max_listings is not None and facts.listings_in_window > rule.repeat_max_listings:
            never = True
            reasons.append(Reason(
                "list.repeat_listing", f"{rule.repeat_window_years}年内被确定为失信主体两次以上，不予提前停止公布"
                f"（{rule.repeat_article}）", f"listed {facts.listings_in_window} times within "
                f"{rule.repeat_window_years} years: no early stop"))
    else:
        if facts.repairable_from is None:
            never = True
            reasons.append(Reason(
                "penalty.no_early_end", f"该处罚信息不得提前终止公示，{_d(facts.publish_until)}期满后自动停止公示"
                f"（{regime.minimum_article}）" if facts.publish_until else "该信息不得提前终止公示",
                "this item cannot end early: it stops at the end of its maximum period"))
        else:
            eligible_from = facts.repairable_from
            if eligible_from > as_of:
                # the publicity rule put repairable_from at the duration's end: say so (not the minimum period)
                on_duration = facts.duration_until is not None and abs((facts.duration_until - eligible_from).days) <= 1
                if on_duration:
                    reasons.append(Reason(
                        "duration.running", f"附期限的处罚至{_d(facts.duration_until)}届满，届满前不得提前终止公示"
                        "（国家发展改革委令第36号第十二条第三款）", f"a penalty with a duration runs until "
                        f"{_d(facts.duration_until)}", eligible_from - dt.timedelta(days=1)))
                else:
                    reasons.append(Reason(
                        "minimum_period.running", f"最短公示期未满，{_d(eligible_from)}起方可申请信用修复"
                        f"（{regime.minimum_article}）", f"minimum period running: apply from {_d(eligible_from)}",
                        eligible_from - dt.timedelta(days=1)))
    if facts.fraud_block_until is not None and facts.fraud_block_until >= as_of:
        reasons.append(Reason(
            "fraud.blocked", f"曾以虚假材料等方式取得信用修复并被撤销，{_d(facts.fraud_block_until)}前不得申请修复"
            f"（{regime.fraud_article}）", f"a grant was revoked for fraud: no repair until "
            f"{_d(facts.fraud_block_until)}", facts.fraud_block_until))
        eligible_from = max(eligible_from or as_of, facts.fraud_block_until + dt.timedelta(days=1))
    if facts.obligations_performed is False:
        never = True
        reasons.append(Reason("obligations.not_performed", f"尚未完全履行相关义务，履行后方可申请（{regime.conditions_article}）",
                              "obligations are not fully performed"))
    if not any(not r.code.startswith("eligible.") for r in reasons):
        reasons.append(Reason("eligible.now", f"已满足申请条件，{_d(eligible_from)}起可申请信用修复",
                              f"eligible since {_d(eligible_from)}"))
    return verdict()


# ------------------------------------------------------------------------------------------------------------
# Workflows as tables (DESIGN: state machines are tables; one service per transition applies and audits them)


class InvalidMove(ValueError):
    def __init__(self, state: str, event: str):
        super().__init__(f"no transition from {state} on {event!r}")
        self.state, self.event = state, event


class AppState(StrEnum):
    """信用修复申请的办理状态."""

    RECEIVED = "received"  # 已接收（已推送认定单位）
    INCOMPLETE = "incomplete"  # 已一次性告知补正
    ACCEPTED = "accepted"  # 已受理
    EXTENDED = "extended"  # 已延长办理期限（案情复杂）
    GRANTED = "granted"  # 准予修复
    REFUSED = "refused"  # 不予修复
    NOT_ACCEPTED = "not_accepted"  # 不予受理
    WITHDRAWN = "withdrawn"  # 申请人撤回
    REVOKED = "revoked"  # 准予决定因弄虚作假被撤销
    SHIELDED = "shielded"  # 破产重整：临时屏蔽中（重整计划或和解协议执行期间）
    RESTORED = "restored"  # 破产重整：计划未执行成功，已恢复公示


APP_STATE_LABELS = {
    AppState.RECEIVED: "待受理", AppState.INCOMPLETE: "待补正", AppState.ACCEPTED: "已受理", AppState.EXTENDED: "已延期办理",
    AppState.GRANTED: "准予修复", AppState.REFUSED: "不予修复", AppState.NOT_ACCEPTED: "不予受理",
    AppState.WITHDRAWN: "已撤回", AppState.REVOKED: "修复决定已撤销", AppState.SHIELDED: "临时屏蔽中",
    AppState.RESTORED: "重整未成功·已恢复公示",
}


class AppEvent(StrEnum):
    ACCEPT = "accept"
    NOTICE = "notice"  # 一次性告知补正
    SUPPLEMENT = "supplement"  # applicant supplied what was missing
    NOT_ACCEPT = "not_accept"
    EXTEND = "extend"
    GRANT = "grant"
    REFUSE = "refuse"
    WITHDRAW = "withdraw"
    REVOKE = "revoke"
    SHIELD = "shield"  # 破产重整：临时屏蔽
    FILE_COMPLETION = "file_completion"  # 破产重整：申请人提交执行完毕的裁定书
    RESTORE = "restore"  # 破产重整：计划未执行成功，恢复公示
    COMPLETE = "complete"  # 破产重整：计划执行完毕，信用修复


APPLICATION_TRANSITIONS: dict[tuple[AppState, AppEvent], AppState] = {
    (AppState.RECEIVED, AppEvent.ACCEPT): AppState.ACCEPTED,  # Order 36 art. 16 para. 2
    (AppState.RECEIVED, AppEvent.NOTICE): AppState.INCOMPLETE,  # one-time notice of everything missing
    (AppState.RECEIVED, AppEvent.NOT_ACCEPT): AppState.NOT_ACCEPTED,
    (AppState.INCOMPLETE, AppEvent.SUPPLEMENT): AppState.RECEIVED,  # the accept limit runs again from the supplement
    (AppState.ACCEPTED, AppEvent.EXTEND): AppState.EXTENDED,  # art. 16 para. 3: +10 WD, complex case
    (AppState.ACCEPTED, AppEvent.GRANT): AppState.GRANTED,
    (AppState.ACCEPTED, AppEvent.REFUSE): AppState.REFUSED,
    (AppState.EXTENDED, AppEvent.GRANT): AppState.GRANTED,
    (AppState.EXTENDED, AppEvent.REFUSE): AppState.REFUSED,
    (AppState.RECEIVED, AppEvent.WITHDRAW): AppState.WITHDRAWN,
    (AppState.INCOMPLETE, AppEvent.WITHDRAW): AppState.WITHDRAWN,
    (AppState.ACCEPTED, AppEvent.WITHDRAW): AppState.WITHDRAWN,
    (AppState.EXTENDED, AppEvent.WITHDRAW): AppState.WITHDRAWN,
    (AppState.GRANTED, AppEvent.REVOKE): AppState.REVOKED,  # art. 25 / SAMR 107 art. 23: obtained by fraud
}
OPEN_APP_STATES = frozenset({AppState.RECEIVED, AppState.INCOMPLETE, AppState.ACCEPTED, AppState.EXTENDED})


# Bankruptcy reorganisation (破产重整, NDRC Order 36 art. 20; SAMR Order 107 art. 22): an application with the court's
# ruling approving the plan is shielded within the limit; the plan fails → publication restored; the plan completed
# (the court's ruling confirming it) → the shielding becomes a repair.
REORGANISATION_TRANSITIONS: dict[tuple[AppState, AppEvent], AppState] = {
    (AppState.RECEIVED, AppEvent.SHIELD): AppState.SHIELDED,  # art. 20 para. 1: within 10 WD of receipt
    (AppState.RECEIVED, AppEvent.NOTICE): AppState.INCOMPLETE,  # e.g. the ruling is missing or unreadable
    (AppState.INCOMPLETE, AppEvent.SUPPLEMENT): AppState.RECEIVED,
    (AppState.RECEIVED, AppEvent.NOT_ACCEPT): AppState.NOT_ACCEPTED,
    (AppState.RECEIVED, AppEvent.WITHDRAW): AppState.WITHDRAWN,
    (AppState.INCOMPLETE, AppEvent.WITHDRAW): AppState.WITHDRAWN,
    (AppState.SHIELDED, AppEvent.FILE_COMPLETION): AppState.SHIELDED,  # art. 20 para. 3: the completion ruling
    (AppState.SHIELDED, AppEvent.RESTORE): AppState.RESTORED,  # art. 20 para. 2: plan not carried out
    (AppState.SHIELDED, AppEvent.COMPLETE): AppState.GRANTED,  # art. 20 para. 3: plan completed → repaired
    (AppState.GRANTED, AppEvent.REVOKE): AppState.REVOKED,  # art. 25: obtained by fraud
}


def reorganisation_transition(state: str, event: str) -> AppState:
    try:
        return REORGANISATION_TRANSITIONS[(AppState(state), AppEvent(event))]
    except (KeyError, ValueError):
        raise InvalidMove(state, event) from None


def reorganisation_refusal(facts: ItemFacts, book: RepairRulebook, *, as_of: dt.date) -> Reason | None:
    """Why an item cannot be shielded for a bankruptcy reorganisation (NDRC Order 36 art. 20), or ``None``.

    Art. 20 sets no minimum period and no "no early end" exception: any published negative item of the enterprise
    may be shielded (minimum necessary: the items the applicant names). Not: an item not published now (nothing to
    shield), a court list entry (only the court deletes, 法释〔2017〕7号 第十条), a red list, or an item whose grant was
    revoked for fraud within 3 years (art. 25: "原失信信息3年内不得申请信用修复")."""
    rule = book.lists.get(facts.list_code) if facts.list_code else None
    if rule is not None and rule.channel == "court":
        return Reason("list.court_only", f"该名单由{rule.authority_zh}删除，不经平台屏蔽", "only the court deletes this list")
    if rule is not None and rule.channel == "none":
        return Reason("list.not_negative", "守信激励名单不涉及信用修复", "a red list: nothing to shield")
    if facts.kind == "list_entry" and not facts.list_in_force:
        return Reason("entry.removed", "该名单条目已移出", "the entry was removed")
    if facts.state != "published":
        return Reason("item.not_published", "该信息当前未公示，无需屏蔽", "the item is not published now")
    if facts.fraud_block_until is not None and as_of <= facts.fraud_block_until:
        regime = book.regime_for(facts.publicity_regime)
        return Reason("fraud.blocked", f"因弄虚作假被撤销修复决定，{_d(facts.fraud_block_until)}前不得申请信用修复"
                      f"（{regime.fraud_article}）", "repair barred for 3 years after fraud", facts.fraud_block_until)
    return None


def app_transition(state: str, event: str) -> AppState:
    try:
        return APPLICATION_TRANSITIONS[(AppState(state), AppEvent(event))]
    except (KeyError, ValueError):
        raise InvalidMove(state, event) from None


class ObjState(StrEnum):
    """异议申诉的办理状态."""

    RECEIVED = "received"  # 已接收（1个工作日内推送认定单位）
    ACCEPTED = "accepted"  # 已受理，核查中（信息标注“异议处理中”）
    CORRECTED = "corrected"  # 异议成立，已更正（新版本）
    WITHDRAWN_RECORD = "withdrawn_record"  # 异议成立，信息撤销
    DISMISSED = "dismissed"  # 异议不成立，维持原信息


OBJ_STATE_LABELS = {
    ObjState.RECEIVED: "待受理", ObjState.ACCEPTED: "核查中", ObjState.CORRECTED: "异议成立·已更正",
    ObjState.WITHDRAWN_RECORD: "异议成立·已撤销信息", ObjState.DISMISSED: "异议不成立·维持",
}


class ObjEvent(StrEnum):
    ACCEPT = "accept"
    EXTEND = "extend"  # 延长核查期限, told in advance (Order 36 art. 18, last sentence)
    CORRECT = "correct"
    WITHDRAW_RECORD = "withdraw_record"
    DISMISS = "dismiss"


OBJECTION_TRANSITIONS: dict[tuple[ObjState, ObjEvent], ObjState] = {
    (ObjState.RECEIVED, ObjEvent.ACCEPT): ObjState.ACCEPTED,  # Order 36 art. 18
    (ObjState.RECEIVED, ObjEvent.DISMISS): ObjState.DISMISSED,  # not accepted, with reasons
    (ObjState.ACCEPTED, ObjEvent.CORRECT): ObjState.CORRECTED,
    (ObjState.ACCEPTED, ObjEvent.WITHDRAW_RECORD): ObjState.WITHDRAWN_RECORD,
    (ObjState.ACCEPTED, ObjEvent.DISMISS): ObjState.DISMISSED,
    (ObjState.ACCEPTED, ObjEvent.EXTEND): ObjState.ACCEPTED,
}
OPEN_OBJ_STATES = frozenset({ObjState.RECEIVED, ObjState.ACCEPTED})


@dataclass(frozen=True)
class ObjectionLimits:
    """The limits of one objection in working days: ``forward`` — to push it to the identifying unit (Order 36 art.
    18); ``accept`` — under a list's own procedure, for the unit to decide on acceptance (``None``: art. 18 sets no
    acceptance limit); ``verify`` — from acceptance."""

    forward: int
    verify: int
    article: str
    list_rule: bool = False  # the list's own objection procedure applies
    accept: int | None = None


def objection_limits(book: RepairRulebook, *, publicity_regime: str, list_code: str = "",
                     list_effective: dt.date | None = None, received_on: dt.date) -> ObjectionLimits:
    """Which objection limits apply. An objection to an abnormal-list entry (经营异常名录) made within 30 days of its
    publication follows 《企业经营异常名录管理办法》第十五条 (accept within 5, verify within 20 working days); the day of
    publication is not counted (民法典第二百零一条), so the 30th day after it is the last. Later, or for any other item,
    Order 36 art. 18 applies (the city platform's general objection route: forward 1, verify 7)."""
    regime = book.regime_for(publicity_regime)
    rule = book.lists.get(list_code) if list_code else None
    if (rule is not None and rule.objection_window_days is not None and list_effective is not None
            and rule.objection_accept_working_days and rule.objection_verify_working_days
            and received_on <= list_effective + dt.timedelta(days=rule.objection_window_days)):
        return ObjectionLimits(regime.objection_forward_working_days, rule.objection_verify_working_days,
                               rule.objection_article, True, rule.objection_accept_working_days)
    return ObjectionLimits(regime.objection_forward_working_days, regime.objection_verify_working_days,
                           regime.objection_article)


def obj_transition(state: str, event: str) -> ObjState:
    try:
        return OBJECTION_TRANSITIONS[(ObjState(state), ObjEvent(event))]
    except (KeyError, ValueError):
        raise InvalidMove(state, event) from None
