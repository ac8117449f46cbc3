"""``GET /api/v1/checks/{check_id}`` (replay what was answered, and why) and ``POST …/feedback`` (应惩必惩)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import Http404
from ninja import Schema

from pubcredit.sanctions import selectors, services
from pubcredit.sanctions.api.checks import CheckOut, router


class FeedbackIn(Schema):
    measure_code: str | None = None
    applied: bool | None = None
    note: str | None = ""


class FeedbackOut(Schema):
    check_id: str
    measure_code: str
    applied: bool
    note: str
    recorded_at: dt.datetime
    feedback_complete: bool


class ReplayEntryOut(Schema):
    entry_id: int
    list_code: str
    decision_no: str
    identifying_unit: str
    since: dt.date
    until: dt.date | None
    status_now: str
    removal_reason: str | None
    removed_on: dt.date | None
    removed_at: dt.datetime | None
    rule_version: str
    answered: bool


class FeedbackItemOut(Schema):
    measure_code: str
    applied: bool
    note: str
    by: str
    at: dt.datetime


class ClauseOut(Schema):
    clause_zh: str
    holds: bool | None  # null: the fact was missing
    outcome_zh: str  # 满足 / 不满足 / 事实缺失，待核实
    fact: str | None
    value: Any = None


class MeasureDecisionOut(Schema):
    code: str
    name: str = ""
    version: str
    applies: Literal["yes", "verify", "no"]  # no: left out of the answer
    applies_zh: str
    condition_zh: str
    decided_by: list[ClauseOut]  # the clauses that decided it (for "no": the one that failed)


class EntryConditionsOut(Schema):
    entry_id: int
    list_code: str
    list_name: str = ""
    measures: list[MeasureDecisionOut]  # every measure of the list in the scenario, in force that day


class ExplanationOut(Schema):
    entries_in_force: list[ReplayEntryOut]  # as they stood at the check, with what happened to them since
    measures: list[dict]  # the measures answered, as the measure list held them then
    conditions: list[EntryConditionsOut] = []  # per hit, which condition decided each measure (checks since issue 11)
    consistent: bool


class ReplayOut(CheckOut):
    feedback: list[FeedbackItemOut]
    feedback_complete: bool
    explanation: ExplanationOut


def _check_or_404(request, check_id: str):
    check = selectors.check_for_department(department=request.department, check_id=check_id)
    if check is None:
        raise Http404("check not found")
    return check


@router.get("/{check_id}", response=ReplayOut, by_alias=True, url_name="check")
def check_read(request, check_id: str):
    """Replay a check: what was answered, the entries the platform held in force at that moment (and what happened
    to them since: a later removal does not change the answer), the measures as they stood, and the feedback."""
    check = _check_or_404(request, check_id)
    replay = selectors.check_replay(check)
    return {**replay.answer, "feedback": replay.feedback, "feedback_complete": check.feedback_complete,
            "explanation": {"entries_in_force": replay.entries, "measures": replay.measures,
                            "conditions": check.explanation or [], "consistent": replay.consistent}}


@router.post("/{check_id}/feedback", response=FeedbackOut, url_name="check_feedback")
def check_feedback(request, check_id: str, body: FeedbackIn):
    """Record, for one measure of the check, whether it was applied and why (应惩必惩). ``note`` is required when
    ``applied`` is false. Posting again for the same measure corrects the earlier feedback."""
    check = _check_or_404(request, check_id)
    feedback = services.check_feedback_record(check=check, measure_code=body.measure_code, applied=body.applied,
                                              note=body.note, actor=request.actor)
    check.refresh_from_db(fields=["feedback_complete"])
    return {"check_id": str(check.check_id), "measure_code": feedback.measure_code, "applied": feedback.applied,
            "note": feedback.note, "recorded_at": feedback.created_at, "feedback_complete": check.feedback_complete}
