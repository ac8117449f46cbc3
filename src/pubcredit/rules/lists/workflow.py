"""The transitions of entries and identification cases, and the identification procedure's checks: legal basis
(合法性审查), defence deadline (陈述申辩期), late push. Part of ``rules.lists``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pubcredit.rules.calendar import Deadline, HolidayEnvelope, WorkCalendar, deadline
from pubcredit.rules.errors import Problem
from pubcredit.rules.lists.rulebook import INTERIM_LEVELS, ListSpec, LOCAL_LEVELS, NATIONAL_LEVELS
from pubcredit.rules.lists.states import (CASE_TRANSITIONS, CaseEvent, CaseState, ENTRY_TRANSITIONS, EntryEvent,
                                          EntryStatus, RemovalReason, TransitionError)


def _transition_problem(kind: str, state: str, event: str) -> Problem:
    return Problem(f"{kind}.transition", f"当前状态（{state}）不能执行该操作（{event}）",
                   f"{event} is not allowed in state {state}", "status")


def entry_transition(status: str, event: EntryEvent) -> tuple[EntryStatus, RemovalReason]:
    """Apply :data:`ENTRY_TRANSITIONS`; a disallowed event raises :class:`TransitionError`."""
    try:
        return ENTRY_TRANSITIONS[(EntryStatus(status), event)]
    except (KeyError, ValueError):
        raise TransitionError(status, event, _transition_problem("list_entry", status, event)) from None


def case_transition(state: str, event: CaseEvent, spec: ListSpec) -> CaseState:
    """Apply :data:`CASE_TRANSITIONS`; deciding without prior notice is only allowed where the list needs none."""
    try:
        new = CASE_TRANSITIONS[(CaseState(state), event)]
    except (KeyError, ValueError):
        raise TransitionError(state, event, _transition_problem("identification", state, event)) from None
    if (state, event) == (CaseState.BASIS_CHECKED, CaseEvent.DECIDE) and spec.procedure and spec.procedure.prior_notice:
        raise TransitionError(state, event, Problem(
            "identification.notice_required", "该名单须先告知当事人并听取陈述申辩，才能作出认定决定（国办发〔2020〕49号）",
            "this list needs prior notice and a chance to state a defence before the decision", "status"))
    return new


# --- identification ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BasisCheck:
    """Outcome of the legal-basis check (合法性审查) before a list decision."""

    ok: bool
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    matched: tuple[str, ...]  # the list's bases the case cites
    rule_version: str

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "problems": [p.as_dict() for p in self.problems],
                "warnings": [p.as_dict() for p in self.warnings], "matched": list(self.matched),
                "rule_version": self.rule_version}


def _normalise(text: str) -> str:
    return "".join(ch for ch in text if ch not in " 　《》<>()（）〔〕[]【】").lower()


def basis_check(spec: ListSpec, *, cited_basis: str, finding_document: str, grounds: str, on: dt.date) -> BasisCheck:
    """国办发〔2020〕49号 §(四)(六): a listing rests on law, administrative regulation or central documents (department
    rules as an interim basis; a list applied only locally on a local regulation), is found on a legally effective
    document (生效法律文书或行政决定), states its grounds, and cites the list's own basis."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    if not spec.in_force(on):
        problems.append(Problem("identification.list_not_in_force", f"名单规则{spec.rule_version}在{on.isoformat()}不在有效期内",
                                f"{spec.rule_version} is not in force on {on.isoformat()}", "list_code"))
    levels = {b.level for b in spec.legal_basis}
    allowed = LOCAL_LEVELS if spec.scope == "local" else NATIONAL_LEVELS
    if not levels & allowed:
        if spec.scope == "national" and levels & INTERIM_LEVELS:
            warnings.append(Problem("identification.interim_basis", "该名单仅以部门规章为依据（过渡期依据，国办发〔2020〕49号）",
                                    "the list rests on a department rule only (an interim basis)", "legal_basis"))
        else:
            need = "地方性法规" if spec.scope == "local" else "法律、行政法规或党中央、国务院政策文件"
            problems.append(Problem("identification.basis_level", f"名单设定依据的层级不足：须有{need}",
                                    f"the list's basis is below the required level ({spec.scope})", "legal_basis"))
    if not cited_basis.strip():
        problems.append(Problem("identification.basis_required", "须写明认定所依据的法律、法规条款",
                                "the legal basis of the listing is required", "cited_basis"))
    cited = _normalise(cited_basis)
    matched = tuple(b.text() for b in spec.legal_basis if _normalise(b.instrument) and _normalise(b.instrument) in cited)
    if cited_basis.strip() and not matched:
        listed = "；".join(b.text() for b in spec.legal_basis)
        problems.append(Problem("identification.basis_mismatch", f"所引依据不是该名单的设定依据（应引用：{listed}）",
                                "the cited basis is not one of the list's bases", "cited_basis"))
    if not finding_document.strip():
        problems.append(Problem("identification.finding_document_required",
                                "须有认定失信行为的生效法律文书或行政决定（判决书、处罚决定书等）文号",
                                "a legally effective document finding the conduct is required", "finding_document"))
    if not grounds.strip():
        problems.append(Problem("identification.grounds_required", "须写明认定的事实和理由",
                                "the facts and grounds are required", "grounds"))
    return BasisCheck(not problems, tuple(problems), tuple(warnings), matched, spec.rule_version)


def defence_deadline(spec: ListSpec, notified_on: dt.date, calendar: WorkCalendar,
                     envelope: HolidayEnvelope | None = None) -> dt.date | None:
    """Last day for the subject's statement and defence (陈述申辩): N working days after the notice was served.
    With ``envelope``, a period running into a year with no holiday schedule takes its latest possible end
    (:func:`defence_deadline_bound`)."""
    if envelope is not None:
        bound = defence_deadline_bound(spec, notified_on, calendar, envelope)
        return bound.value if bound else None
    if spec.procedure is None or not spec.procedure.prior_notice:
        return None
    return calendar.add_working_days(notified_on, spec.procedure.defence_working_days).value


def defence_deadline_bound(spec: ListSpec, notified_on: dt.date, calendar: WorkCalendar,
                           envelope: HolidayEnvelope) -> Deadline | None:
    """The defence deadline never shorter for the subject than the real one (``rules.calendar.deadline``, favour
    ``later``); ``provisional`` when it runs into a year with no holiday schedule: the decision waits for it."""
    if spec.procedure is None or not spec.procedure.prior_notice:
        return None
    return deadline(calendar, notified_on, spec.procedure.defence_working_days, envelope, favour="later")


def push_is_late(delay_working_days: int, deadline_working_days: int) -> bool:
    """淄政办字〔2021〕31号 第八项: a list entry reaches the platform within N (7) working days of its decision."""
    return delay_working_days > deadline_working_days
