"""Reading checks (联合奖惩核查), their replay, and batch screenings (批量核查), scoped per viewer."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from pubcredit.accounts.access import is_city_operator
from pubcredit.accounts.models import Department
from pubcredit.lists.selectors import entries_in_force_at
from pubcredit.sanctions.models import Check, CheckBatch, CheckFeedback
from pubcredit.sanctions.rulebook import measure_book_at
from pubcredit.sanctions.selectors.access import check_scope


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (ValueError, TypeError):
        return None


def check_for_department(*, department: Department, check_id: Any) -> Check | None:
    """A check made by ``department`` (API: a department reads only its own checks)."""
    pk = _uuid(check_id)
    return None if pk is None else Check.objects.filter(check_id=pk, department=department).first()


def check_get(*, viewer, check_id: Any) -> Check | None:
    pk = _uuid(check_id)
    if pk is None:
        return None
    return Check.objects.filter(check_scope(viewer)).select_related("department", "batch").filter(check_id=pk).first()


def check_list(*, viewer, awaiting: bool = False, scenario: str = "") -> QuerySet[Check]:
    qs = Check.objects.filter(check_scope(viewer)).select_related("department")
    if awaiting:
        qs = qs.filter(feedback_required=True, feedback_complete=False)
    if scenario:
        qs = qs.filter(scenario=scenario)
    return qs.order_by("-id")


def checks_for_department(*, department: Department) -> QuerySet[Check]:
    return Check.objects.filter(department=department).order_by("-id")


def awaiting_feedback(*, department: Department) -> QuerySet[Check]:
    """The department's checks with measures not yet reported on (待反馈)."""
    return Check.objects.filter(department=department, feedback_required=True, feedback_complete=False).order_by("-id")


def feedback_latest(check: Check) -> dict[str, CheckFeedback]:
    """The latest feedback per measure code."""
    out: dict[str, CheckFeedback] = {}
    for item in check.feedback.order_by("id"):
        out[item.measure_code] = item
    return out


def check_answer(check: Check) -> dict[str, Any]:
    """The check as answered (the API's response body)."""
    return {
        "check_id": str(check.check_id),
        "subject": {"found": check.subject_id is not None, "kind": check.subject_kind or None,
                    "name": check.subject_name or None, "code": check.subject_code},
        "scenario": check.scenario, "reference": check.reference, "as_of": check.as_of,
        "rulebook_version": check.rulebook_version, "hits": check.hits,
        "grade_hit": check.grade_hit,  # the evaluation grade's measures (null: none), since issue 14
    }


@dataclass
class Replay:
    """Why a check answered what it did: the entries in force at that moment (as they stand now, with any later
    removal), the measure list then, and the feedback since."""

    answer: dict[str, Any]
    entries: list[dict[str, Any]]
    measures: list[dict[str, Any]]
    feedback: list[dict[str, Any]]
    consistent: bool  # re-deriving the entries in force at that moment gives the entries answered


def check_replay(check: Check) -> Replay:
    moment = check.as_of
    entries = entries_in_force_at(subject_id=check.subject_id, moment=moment) if check.subject_id else []
    answered = {h["entry_id"] for h in check.hits}
    entry_rows = [{
        "entry_id": e.pk, "list_code": e.list_code, "decision_no": e.decision_no, "identifying_unit": e.identifying_unit,
        "since": e.effective_date, "until": e.planned_end, "status_now": e.status,
        "removal_reason": e.removal_reason or None, "removed_on": e.removed_on, "removed_at": e.removed_at,
        "rule_version": e.rule_version, "answered": e.pk in answered,
    } for e in entries]
    codes = {m["code"] for m in check.answered_measures()}
    book = measure_book_at(moment)
    day = check.as_of_date
    measures = []
    for code in sorted(codes):
        measure = book.current(code, day)
        if measure is not None:
            measures.append({**measure.as_data(), "mandatory": measure.mandatory,
                             "source": "operator" if code in book.overridden else "seed"})
    feedback = [{"measure_code": f.measure_code, "applied": f.applied, "note": f.note, "by": f.actor_label,
                 "at": f.created_at} for f in check.feedback.order_by("id")]
    return Replay(check_answer(check), entry_rows, measures, feedback, {e.pk for e in entries} == answered)


def batch_for_department(*, department: Department, batch_id: int) -> CheckBatch | None:
    return CheckBatch.objects.filter(pk=batch_id, department=department).first()


def batch_get(*, viewer, batch_id: int) -> CheckBatch | None:
    scope = Q() if is_city_operator(viewer) else Q(department_id=getattr(viewer, "department_id", None) or -1)
    return CheckBatch.objects.filter(scope).filter(pk=batch_id).select_related("department").first()


def batch_rows(batch: CheckBatch) -> list[dict[str, Any]]:
    """The batch result, one row per input row in order: checked rows with their hits, refused rows with the reason."""
    rows: dict[int, dict[str, Any]] = {}
    for check in batch.checks.order_by("batch_row"):
        rows[check.batch_row] = {"row": check.batch_row, "reference": check.reference, "check_id": str(check.check_id),
                                 "subject": {"found": check.subject_id is not None, "name": check.subject_name or None,
                                             "code": check.subject_code, "kind": check.subject_kind or None},
                                 "hits": check.hits, "grade_hit": check.grade_hit, "error": None}
    for error in batch.errors:
        rows[error["row"]] = {"row": error["row"], "reference": error.get("reference", ""), "check_id": None,
                              "subject": None, "hits": [], "error": {k: error.get(k) for k in ("code", "field", "message")}}
    return [rows[k] for k in sorted(rows)]



def usual_scenario(*, viewer) -> str:
    """The scenario of the viewer's latest check (a bidding clerk checks for bidding), so the form offers it first."""
    if not getattr(viewer, "is_authenticated", False):
        return ""
    return (Check.objects.filter(check_scope(viewer), actor_label=f"user:{viewer.username}")
            .order_by("-id").values_list("scenario", flat=True).first() or "")
