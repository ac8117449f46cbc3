"""The publicity state machine (公示状态) and the severity classes (失信程度): pure, from the regulations
(``domain/rules.md`` §1; Order 36 art. 3 and 19 for repair and revocation). Part of ``rules.publicity``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal


class Severity(StrEnum):
    MINOR = "minor"  # 轻微
    GENERAL = "general"  # 一般
    SERIOUS = "serious"  # 严重


SEVERITY_LABELS = {Severity.MINOR: "轻微", Severity.GENERAL: "一般", Severity.SERIOUS: "严重"}
_RANK = {Severity.MINOR: 0, Severity.GENERAL: 1, Severity.SERIOUS: 2}

# 处罚类别 codes of the catalogue (rulebook/catalog/admin_penalty.yaml, Administrative Penalty Law 2021 art. 9)
PENALTY_TYPES = {
    "warning": "警告", "public_criticism": "通报批评", "fine": "罚款", "confiscate_illegal_gains": "没收违法所得",
    "confiscate_illegal_property": "没收非法财物", "suspend_license": "暂扣许可证件", "lower_qualification": "降低资质等级",
    "revoke_license": "吊销许可证件", "restrict_business": "限制开展生产经营活动", "order_suspension": "责令停产停业",
    "order_closure": "责令关闭", "restrict_employment": "限制从业", "administrative_detention": "行政拘留", "other": "其他",
}
PenaltyType = Literal["warning", "public_criticism", "fine", "confiscate_illegal_gains", "confiscate_illegal_property",
                      "suspend_license", "lower_qualification", "revoke_license", "restrict_business",
                      "order_suspension", "order_closure", "restrict_employment", "administrative_detention", "other"]
SubjectKind = Literal["legal_person", "individual_business", "natural_person"]
SUBJECT_LABELS = {"legal_person": "法人及非法人组织", "individual_business": "个体工商户", "natural_person": "自然人"}


class State(StrEnum):
    """Publicity state of one record (公示状态)."""

    PENDING = "pending"  # 待公示: assessed, publication starts later
    PUBLISHED = "published"  # 公示中
    WITHHELD = "withheld"  # 不予公示: the rules say it is not published (minor, natural person, warning only…)
    REPAIRED = "repaired"  # 已信用修复: publication ended early after repair (信用修复)
    EXPIRED = "expired"  # 公示期满: the maximum period ended
    REVOKED = "revoked"  # 已撤销: the decision was revoked or changed (Order 36 art. 19)
    OBJECTION_HOLD = "objection_hold"  # 异议暂停: held while an objection is verified
    ARCHIVED = "archived"  # 已归档: lifecycle over; kept in the database, never shown or shared


STATE_LABELS = {
    State.PENDING: "待公示", State.PUBLISHED: "公示中", State.WITHHELD: "不予公示", State.REPAIRED: "已信用修复",
    State.EXPIRED: "公示期满", State.REVOKED: "已撤销", State.OBJECTION_HOLD: "异议核查中", State.ARCHIVED: "已归档",
}

# The state machine, as a table: (state, event) → new state. Only these moves exist; services apply them.
TRANSITIONS: dict[tuple[State, str], State] = {
    (State.PENDING, "due"): State.PUBLISHED,  # publish_from reached
    (State.PENDING, "expire"): State.EXPIRED,  # the whole window passed before publication (catch-up)
    (State.PENDING, "withhold"): State.WITHHELD,
    (State.PENDING, "revoke"): State.REVOKED,
    (State.PUBLISHED, "expire"): State.EXPIRED,  # publish_until passed
    (State.PUBLISHED, "withhold"): State.WITHHELD,  # a correction or a more favourable regime: not published
    (State.PUBLISHED, "schedule"): State.PENDING,  # a correction moved publication later
    (State.PUBLISHED, "repair"): State.REPAIRED,  # 信用修复 granted (Order 36 art. 3)
    (State.PUBLISHED, "hold"): State.OBJECTION_HOLD,  # 异议申诉 under verification (Order 36 art. 18)
    (State.PUBLISHED, "revoke"): State.REVOKED,  # penalty revoked (Order 36 art. 19; SAMR Order 45 art. 11)
    (State.OBJECTION_HOLD, "resume"): State.PUBLISHED,  # objection rejected
    (State.OBJECTION_HOLD, "expire"): State.EXPIRED,
    (State.OBJECTION_HOLD, "revoke"): State.REVOKED,
    (State.WITHHELD, "due"): State.PUBLISHED,  # a correction made it publishable
    (State.WITHHELD, "schedule"): State.PENDING,
    (State.WITHHELD, "expire"): State.EXPIRED,
    (State.WITHHELD, "revoke"): State.REVOKED,
    (State.EXPIRED, "reinstate"): State.PUBLISHED,  # a correction extended the period
    (State.EXPIRED, "withhold"): State.WITHHELD,
    (State.EXPIRED, "schedule"): State.PENDING,
    (State.EXPIRED, "revoke"): State.REVOKED,
    (State.EXPIRED, "archive"): State.ARCHIVED,
    (State.REPAIRED, "unrepair"): State.PUBLISHED,  # repair revoked for fraud (Order 36 art. 25; SAMR 107 art. 23)
    (State.REPAIRED, "revoke"): State.REVOKED,
    (State.REPAIRED, "archive"): State.ARCHIVED,
    (State.REVOKED, "archive"): State.ARCHIVED,
}
# States only their own workflow leaves (repair, objection, revocation): reassessment never moves them.
STICKY = frozenset({State.REPAIRED, State.OBJECTION_HOLD, State.REVOKED, State.ARCHIVED})
# Events tried, in order, to reach a target state from the current one.
_EVENTS_TO = {
    State.PUBLISHED: ("due", "reinstate", "resume", "unrepair"), State.EXPIRED: ("expire",),
    State.WITHHELD: ("withhold",), State.REVOKED: ("revoke",), State.PENDING: ("schedule",),
    State.ARCHIVED: ("archive",), State.REPAIRED: ("repair",), State.OBJECTION_HOLD: ("hold",),
}


class InvalidTransition(ValueError):
    def __init__(self, state: State, event: str):
        super().__init__(f"no transition from {state} on {event!r}")
        self.state, self.event = state, event


def transition(state: State, event: str) -> State:
    """The state after ``event``; :class:`InvalidTransition` when the table has no such move."""
    try:
        return TRANSITIONS[(State(state), event)]
    except KeyError:
        raise InvalidTransition(State(state), event) from None


def event_for(current: State, target: State) -> str | None:
    """The event that moves ``current`` to ``target`` (``None``: same state, or no legal move)."""
    if current == target:
        return None
    for event in _EVENTS_TO[target]:
        if TRANSITIONS.get((current, event)) == target:
            return event
    return None
