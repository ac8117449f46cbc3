"""Credit commitments (信用承诺) and 告知承诺制 as pure rules: the rulebook's shape, content templates, the status
moves of a commitment, when its verification (核查) is overdue, and whether a subject may use 告知承诺 for a matter.

No Django here: the commitments app reads the facts (a check's hits, the subject's breaches) and passes them in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from pubcredit.rules.calendar import WorkCalendar
from pubcredit.rules.errors import DomainError, Problem

TYPE_LABELS = {"approval_substitute": "审批替代型", "voluntary": "主动型", "industry_self_discipline": "行业自律型",
               "credit_repair": "信用修复型"}
STATUS_LABELS = {"in_force": "履约中", "fulfilled": "已履约", "breached": "已违诺", "expired": "已到期",
                 "withdrawn": "已撤回"}
# A commitment is made in force; every other status ends it. Skipping a step (已履约 → 已违诺) is refused: a
# fulfilled commitment found untrue later is corrected by the accepting department, not moved on.
MOVES: dict[str, frozenset[str]] = {"in_force": frozenset({"fulfilled", "breached", "expired", "withdrawn"}),
                                    "fulfilled": frozenset(), "breached": frozenset(), "expired": frozenset(),
                                    "withdrawn": frozenset()}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Matter(_Strict):
    name_zh: str
    department_zh: str
    notification_commitment: bool  # may the commitment replace documents (告知承诺制) for this matter
    basis_zh: str
    verification_working_days: int | None = Field(default=None, gt=0)


class CommitmentRulebook(_Strict):
    version: str
    recent_breach_years: int = Field(gt=0)
    recent_breach_basis: str
    verification_grace_working_days: int = Field(ge=0)
    matters: dict[str, Matter] = Field(min_length=1)
    templates: dict[str, dict[str, str]]

    def matter(self, code: Any, *, field_name: str = "matter") -> Matter:
        found = self.matters.get(code) if isinstance(code, str) else None
        if found is None:
            known = "、".join(f"{c}（{m.name_zh}）" for c, m in self.matters.items())
            raise DomainError("commitment.unknown_matter", f"未知的承诺事项：{code}（可用：{known}）",
                              f"unknown matter {code!r}", field_name)
        return found

    def template(self, commitment_type: str, matter_code: str, *, subject_name: str = "") -> str:
        """The content template for a type and matter (the matter's own, else the type's default), filled in."""
        by_type = self.templates.get(commitment_type, {})
        text = by_type.get(matter_code) or by_type.get("default", "")
        matter = self.matters.get(matter_code)
        return text.replace("{subject_name}", subject_name or "＿＿＿＿").replace(
            "{matter_name}", matter.name_zh if matter else matter_code)


def parse_rulebook(data: Any, *, catalogue_matters: Iterable[str], catalogue_types: Iterable[str]) -> CommitmentRulebook:
    """Parse ``rulebook/commitments/rules.yaml``; the matters and template types must be the catalogue's codes."""
    book = CommitmentRulebook.model_validate(data)
    problems = []
    if set(book.matters) != set(catalogue_matters):
        problems.append(f"matters {sorted(book.matters)} differ from the catalogue's {sorted(catalogue_matters)}")
    unknown_types = set(book.templates) - set(catalogue_types)
    if unknown_types:
        problems.append(f"templates for unknown types {sorted(unknown_types)}")
    missing = [t for t in catalogue_types if "default" not in book.templates.get(t, {})]
    if missing:
        problems.append(f"no default template for {missing}")
    if problems:
        raise ValueError("; ".join(problems))
    return book


def move_problem(current: str, new: str) -> Problem | None:
    """A commitment's status may only move from 履约中 to an end (``MOVES``); anything else is a problem."""
    if new in MOVES.get(current, frozenset()):
        return None
    return Problem("commitment.status_move",
                   f"承诺状态不能由“{STATUS_LABELS.get(current, current)}”变为“{STATUS_LABELS.get(new, new)}”"
                   "（仅履约中的承诺可变为已履约、已违诺、已到期或已撤回）",
                   f"a commitment cannot move from {current} to {new}", "status")


def check_move(current: str, new: str) -> None:
    """``move_problem`` as a clear error, for the services."""
    problem = move_problem(current, new)
    if problem is not None:
        raise DomainError.from_problems([problem])


# --- submissions through every channel (file, set-based file chunk, API, form) ----------------------------------


@dataclass(frozen=True)
class StoredCommitment:
    """What a submission meets when its business key is already stored: the current version's values."""

    status: str | None
    commitment_type: str | None
    matter: str | None
    approval_no: str | None


@dataclass(frozen=True)
class SubmittedCommitment:
    """One row of a submission, normalised by the catalogue (codes, not labels); ``key``: its business key's hash."""

    row: int
    key: str
    decision_no: str
    commitment_type: str
    matter: str
    approval_no: str | None
    status: str


def submission_problems(rows: Iterable[SubmittedCommitment], *, stored: Mapping[str, StoredCommitment],
                        approvals_taken: Mapping[str, Iterable[tuple[str, str]]],
                        book: CommitmentRulebook) -> dict[int, list[Problem]]:
    """The rules of commitments a row must keep whatever channel it comes by, beyond the catalogue's checks:

    - 审批替代型 only for a matter that allows 告知承诺 (国办发〔2020〕42号, the matters as data), checked when the
      commitment is made or its type or matter changes (a later rulebook change does not block verifying it);
    - one approval, one commitment: an approval number held by another stored commitment (``approvals_taken``:
      approval → [(key, 承诺书编号)]) or by an earlier row of the same submission is refused, when made or changed;
    - a stored commitment's status moves only as ``MOVES`` allows (已履约 → 已违诺 is refused); the same status again
      (a correction) is no move, and a new commitment may arrive in any status (history sent late).
    """
    out: dict[int, list[Problem]] = {}
    claimed: dict[str, SubmittedCommitment] = {}
    for row in rows:
        problems: list[Problem] = []
        before = stored.get(row.key)
        changes_matter = before is None or (before.commitment_type, before.matter) != (row.commitment_type, row.matter)
        matter = book.matters.get(row.matter)
        if row.commitment_type == "approval_substitute" and matter is not None and changes_matter \
                and not matter.notification_commitment:
            problems.append(Problem("commitment.matter_not_allowed",
                                    f"事项“{matter.name_zh}”不适用告知承诺制，不能作出审批替代型承诺（{matter.basis_zh}）",
                                    f"matter {row.matter} does not allow notification-and-commitment", "matter"))
        if row.approval_no and (before is None or before.approval_no != row.approval_no):
            holder = next(((key, no) for key, no in approvals_taken.get(row.approval_no, ()) if key != row.key), None)
            earlier = claimed.get(row.approval_no)
            if holder is not None:
                problems.append(Problem("commitment.duplicate_approval",
                                        f"审批办件“{row.approval_no}”已有信用承诺（{holder[1]}），同一审批只能作出一份承诺",
                                        f"approval {row.approval_no} already has a commitment", "approval_no"))
            elif earlier is not None and earlier.key != row.key:
                problems.append(Problem("commitment.duplicate_approval",
                                        f"审批办件“{row.approval_no}”已由第{earlier.row}行的承诺（{earlier.decision_no}）"
                                        "使用，同一审批只能作出一份承诺",
                                        f"approval {row.approval_no} is used by row {earlier.row}", "approval_no"))
        if before is not None and before.status and before.status != row.status:
            problem = move_problem(before.status, row.status)
            if problem is not None:
                problems.append(problem)
        if problems:
            out[row.row] = problems
        elif row.approval_no:
            claimed.setdefault(row.approval_no, row)
    return out


def verification_due(verification_date: dt.date, calendar: WorkCalendar, grace_working_days: int) -> dt.date:
    """The last day to record the verification: the verification date, moved to the next working day when it falls
    on a rest day or holiday, plus the grace in working days."""
    due = verification_date
    while not calendar.is_working_day(due):
        due += dt.timedelta(days=1)
    if grace_working_days:
        due = calendar.add_working_days(due, grace_working_days).value
    return due


def verification_overdue(verification_date: dt.date | None, verified_on: dt.date | None, *, today: dt.date,
                         calendar: WorkCalendar, grace_working_days: int) -> bool:
    """Flagged when the verification was not recorded by its due day (``verification_due``)."""
    if verification_date is None or verified_on is not None:
        return False
    return today > verification_due(verification_date, calendar, grace_working_days)


@dataclass(frozen=True)
class Reason:
    """One ground of the eligibility answer. ``effect``: ``refuse`` (告知承诺 not available) or ``caution`` (the
    officer decides: a discretionary measure, or one whose conditions need verifying)."""

    code: str
    effect: str
    message_zh: str
    message_en: str
    legal_basis: str = ""
    measure_code: str = ""
    list_code: str = ""
    entry_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "effect": self.effect, "effect_zh": "不予适用" if self.effect == "refuse" else "提示",
                "message": self.message_zh, "message_en": self.message_en, "legal_basis": self.legal_basis,
                "measure_code": self.measure_code, "list_code": self.list_code, "entry_id": self.entry_id}


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reasons: tuple[Reason, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        return {"eligible": self.eligible, "eligible_zh": "可以适用告知承诺制" if self.eligible else "不适用告知承诺制",
                "reasons": [r.as_dict() for r in self.reasons]}


@dataclass(frozen=True)
class Breach:
    """A breach of a commitment on the subject's record (a commitment_breach record in force)."""

    decision_no: str
    decided_on: dt.date


def eligibility(*, matter_code: str, book: CommitmentRulebook, hits: Iterable[Mapping[str, Any]],
                list_names: Mapping[str, str], breaches: Iterable[Breach], today: dt.date) -> Eligibility:
    """May the subject use 告知承诺 for the matter?

    ``hits`` are a check's answer in the ``commitment_approval`` scenario (``sanctions.check_run``): the measure list
    itself says which measures take 告知承诺 away (those whose scenarios include it). Refused when the matter does
    not allow it (as data), when such a punishment applies to one of the subject's list entries with force M
    (``applies: yes``), or when the subject breached a commitment within ``recent_breach_years``. Such a punishment
    with force D or C, or one only "to verify", is a caution for the officer (过惩相当)."""
    matter = book.matter(matter_code)
    reasons: list[Reason] = []
    if not matter.notification_commitment:
        reasons.append(Reason("matter.not_allowed", "refuse", f"事项“{matter.name_zh}”不适用告知承诺制",
                              f"matter {matter_code} does not allow notification-and-commitment", matter.basis_zh))
    for hit in hits:
        list_name = list_names.get(hit["list_code"], hit["list_code"])
        for m in hit["measures"]:
            if m["kind"] != "punish":
                continue
            binding = m["force"] == "M" and m["applies"] == "yes"
            why = "" if binding else ("（需核实适用条件）" if m["applies"] == "verify" else "（由部门依法裁量）")
            reasons.append(Reason(
                "list.measure", "refuse" if binding else "caution",
                f"主体在“{list_name}”中（自{hit['since']}起），适用措施“{m['name']}”{why}",
                f"on list {hit['list_code']} since {hit['since']}: measure {m['code']} "
                f"({'applies' if binding else 'for the officer to decide'})",
                m["legal_basis"], m["code"], hit["list_code"], hit.get("entry_id")))
    since = _years_before(today, book.recent_breach_years)
    for breach in sorted(breaches, key=lambda b: b.decided_on, reverse=True):
        if breach.decided_on >= since:
            reasons.append(Reason("commitment.recent_breach", "refuse",
                                  f"主体于{breach.decided_on.isoformat()}被认定违背信用承诺（{breach.decision_no}），"
                                  f"{book.recent_breach_years}年内不适用告知承诺制",
                                  f"breached a commitment on {breach.decided_on.isoformat()} ({breach.decision_no}); "
                                  f"no notification-and-commitment for {book.recent_breach_years} years",
                                  book.recent_breach_basis))
    return Eligibility(not any(r.effect == "refuse" for r in reasons), tuple(reasons))


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
