"""Evaluation endpoints for department systems (公共信用综合评价接口). Token auth; internal to government.

- ``GET /api/v1/subjects/{uscc}/evaluation``: the subject's current score, grade, class, scorecard version,
  evaluation date, item lines and overrides;
- ``GET /api/v1/subjects/{uscc}/evaluation/history``: every result, newest evaluation date first.
A result is not in itself a basis for punishment. Natural persons are never evaluated.
"""

from __future__ import annotations

import datetime as dt

from ninja import Field, Router, Schema

from pubcredit.api import DepartmentToken
from pubcredit.evaluation import selectors
from pubcredit.evaluation.models import EvaluationResult
from pubcredit.rules.errors import DomainError

router = Router(tags=["evaluation (公共信用综合评价)"], auth=DepartmentToken())


class ItemLineOut(Schema):
    item_code: str
    item_name_zh: str
    category: str
    source_kind: str  # record | list | item (cap adjustment) | category (cap adjustment)
    source_id: int | None
    points: float
    decay_factor: float | None
    repeat: bool
    repaired: bool
    note_zh: str


class EvaluationOut(Schema):
    score: float
    grade: str
    class_: str = Field(..., alias="class")
    class_name_zh: str
    model_version: str
    as_of: dt.date
    evaluated_at: dt.datetime
    items: list[ItemLineOut]
    overrides: list[str]


def _out(result: EvaluationResult) -> dict:
    return {"score": float(result.score), "grade": result.grade, "class": result.class_code,
            "class_name_zh": result.class_name_zh, "model_version": result.scorecard_version,
            "as_of": result.as_of, "evaluated_at": result.evaluated_at, "items": result.items,
            "overrides": result.overrides}


def _subject(uscc: str):
    subject = selectors.subject_by_uscc(uscc=uscc)
    if subject is None:
        raise DomainError("subject.not_found", "未找到该统一社会信用代码的主体", "no subject with this USCC", "uscc")
    return subject


@router.get("/{uscc}/evaluation", response=EvaluationOut, by_alias=True, url_name="subject_evaluation")
def subject_evaluation(request, uscc: str):
    """The subject's current evaluation with its explanation (every item line sums to the score)."""
    result = selectors.latest_result(subject=_subject(uscc))
    if result is None:
        raise DomainError("evaluation.not_found", "该主体尚无评价结果（自然人不参与评价）",
                          "the subject has not been evaluated (natural persons never are)", "uscc")
    return _out(result)


@router.get("/{uscc}/evaluation/history", response=list[EvaluationOut], by_alias=True,
            url_name="subject_evaluation_history")
def subject_evaluation_history(request, uscc: str):
    """Every evaluation of the subject, newest evaluation date first (history by quarter)."""
    return [_out(r) for r in selectors.result_history(subject=_subject(uscc))]
