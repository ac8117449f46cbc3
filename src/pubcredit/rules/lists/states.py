"""The list entry's and the identification case's states, events and transition tables (名单状态, 认定程序), and
the errors of ``rules.lists``. Part of ``rules.lists``.
"""

from __future__ import annotations

from enum import StrEnum

from pubcredit.rules.errors import Problem


class ListKind(StrEnum):
    BLACK = "black"  # 黑名单 (失信)
    RED = "red"  # 红名单 (守信)


class EntryStatus(StrEnum):
    IN_FORCE = "in_force"  # 在列
    REMOVED = "removed"  # 已移出


class RemovalReason(StrEnum):
    EXPIRED = "expired"  # 期满移出
    REPAIRED = "repaired"  # 信用修复移出 (提前移出 / 提前停止公布)
    REVOKED = "revoked"  # 撤销 (纠错, 决定被撤销, 荣誉被撤销)
    COURT_DELETED = "court_deleted"  # 法院删除 (履行完毕等, 法释〔2017〕7号 第十条)


class EntryEvent(StrEnum):
    EXPIRE = "expire"
    REPAIR = "repair"
    REVOKE = "revoke"
    COURT_DELETE = "court_delete"


REMOVAL_EVENTS: dict[RemovalReason, EntryEvent] = {
    RemovalReason.EXPIRED: EntryEvent.EXPIRE,
    RemovalReason.REPAIRED: EntryEvent.REPAIR,
    RemovalReason.REVOKED: EntryEvent.REVOKE,
    RemovalReason.COURT_DELETED: EntryEvent.COURT_DELETE,
}

# (status, event) → (new status, removal reason). Anything else is refused: a removed entry stays removed (a new
# listing is a new decision, hence a new record and a new entry).
ENTRY_TRANSITIONS: dict[tuple[EntryStatus, EntryEvent], tuple[EntryStatus, RemovalReason]] = {
    (EntryStatus.IN_FORCE, EntryEvent.EXPIRE): (EntryStatus.REMOVED, RemovalReason.EXPIRED),
    (EntryStatus.IN_FORCE, EntryEvent.REPAIR): (EntryStatus.REMOVED, RemovalReason.REPAIRED),
    (EntryStatus.IN_FORCE, EntryEvent.REVOKE): (EntryStatus.REMOVED, RemovalReason.REVOKED),
    (EntryStatus.IN_FORCE, EntryEvent.COURT_DELETE): (EntryStatus.REMOVED, RemovalReason.COURT_DELETED),
}


class CaseState(StrEnum):
    DRAFT = "draft"  # 立案
    BASIS_CHECKED = "basis_checked"  # 依据审查通过
    NOTIFIED = "notified"  # 已告知（陈述申辩期）
    DECIDED = "decided"  # 已作出认定决定
    PUSHED = "pushed"  # 已推送平台
    DROPPED = "dropped"  # 不予认定 / 终止


class CaseEvent(StrEnum):
    CHECK_BASIS = "check_basis"
    NOTIFY = "notify"
    RECORD_DEFENCE = "record_defence"
    DECIDE = "decide"
    PUSH = "push"
    DROP = "drop"


CASE_TRANSITIONS: dict[tuple[CaseState, CaseEvent], CaseState] = {
    (CaseState.DRAFT, CaseEvent.CHECK_BASIS): CaseState.BASIS_CHECKED,
    (CaseState.BASIS_CHECKED, CaseEvent.NOTIFY): CaseState.NOTIFIED,
    (CaseState.NOTIFIED, CaseEvent.RECORD_DEFENCE): CaseState.NOTIFIED,
    (CaseState.NOTIFIED, CaseEvent.DECIDE): CaseState.DECIDED,
    (CaseState.BASIS_CHECKED, CaseEvent.DECIDE): CaseState.DECIDED,  # only lists without prior notice (red lists)
    (CaseState.DECIDED, CaseEvent.PUSH): CaseState.PUSHED,
    (CaseState.DRAFT, CaseEvent.DROP): CaseState.DROPPED,
    (CaseState.BASIS_CHECKED, CaseEvent.DROP): CaseState.DROPPED,
    (CaseState.NOTIFIED, CaseEvent.DROP): CaseState.DROPPED,
}


class ListRulebookError(ValueError):
    """A list rulebook file that cannot be used as it is."""


class TransitionError(ValueError):
    """An event that the state machine does not allow in the current state."""

    def __init__(self, state: str, event: str, problem: Problem):
        super().__init__(problem.message_en)
        self.state, self.event, self.problem = state, event, problem
