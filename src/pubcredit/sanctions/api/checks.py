"""``POST /api/v1/checks`` (check one subject, 应查必查) and ``GET /api/v1/checks`` (the department's checks), with
the check answer's schemas that the batch and replay operations reuse."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Query, Router, Schema
from ninja.errors import AuthenticationError

from pubcredit.rules.errors import DomainError
from pubcredit.sanctions import selectors, services
from pubcredit.sanctions.api.auth import CheckToken
from pubcredit.sanctions.choices import CheckChannel

router = Router(tags=["checks (联合奖惩核查)"], auth=CheckToken())


class CheckIn(Schema):
    subject: dict[str, Any] | None = None  # {"uscc": "9137…"} or {"id_number": "3703…"}
    scenario: str | None = None
    reference: str | None = ""  # the caller's case number (业务编号)


class MeasureOut(Schema):
    code: str
    name: str
    kind: Literal["punish", "reward"]
    mandatory: bool  # binding on the checking department: force M, applies "yes", carried out by the department
    force: str  # M mandatory · D discretionary · C conditional on the department's own law
    legal_basis: str
    implementing: list[str]
    version: str
    applies: Literal["yes", "verify"] = "yes"  # verify: a fact that decides its condition is missing; never mandatory
    condition_zh: str = ""  # the measure's condition in words ("" = applies to every entry of the list)
    note: str = ""  # the measure's note (note_zh)
    implemented_by: str = "checking_department"  # or registration_authority | market_regulator | tax_authority | court
    information: bool = False  # carried out only by that authority: information for the checking department


class HitOut(Schema):
    list_code: str
    list_name: str
    list_kind: str  # black | red
    entry_id: int
    decision_no: str
    identifying_unit: str
    since: dt.date
    until: dt.date | None  # last day in force; null: no fixed term
    measures: list[MeasureOut]


class SubjectOut(Schema):
    found: bool  # false: the platform holds no information on this subject
    kind: str | None
    name: str | None
    code: str  # USCC, or the masked identity number


class GradeHitOut(Schema):
    """The measures the subject's public credit comprehensive evaluation grade (公共信用综合评价等级) triggers in this
    scenario. Internal to government; the evaluation is not in itself a basis for punishment."""

    grade: str  # A+ A B C C- D D-
    class_: str = Field(..., alias="class")  # honest | minor | general | serious
    class_name_zh: str  # 诚信守法 / 轻微失信 / 一般失信 / 严重失信
    as_of: dt.date  # the evaluation date of the result read
    model_version: str  # the scorecard version
    measures: list[MeasureOut]


class CheckOut(Schema):
    check_id: str
    subject: SubjectOut
    scenario: str
    reference: str
    as_of: dt.datetime
    rulebook_version: str
    hits: list[HitOut]
    # null: no measure of the scenario is triggered by a grade, the subject was never evaluated, or is a natural
    # person (never graded)
    grade_hit: GradeHitOut | None = None


class CheckSummaryOut(Schema):
    check_id: str
    scenario: str
    reference: str
    subject_code: str
    subject_name: str
    as_of: dt.datetime
    hit_count: int
    measure_count: int
    feedback_complete: bool


class ListQuery(Schema):
    awaiting_feedback: bool = False
    limit: int = 200


@router.post("", response=CheckOut, by_alias=True, url_name="checks",
             auth=CheckToken(defer_revocation=True))
def check_create(request, body: CheckIn):
    """Check one subject before a business decision (应查必查). ``subject`` is ``{"uscc": …}`` or ``{"id_number": …}``;
    ``scenario`` one of government_procurement, bidding, administrative_approval, fiscal_funding, honors,
    market_access, qualification_review, financing, supervision. Unknown scenario (``check.unknown_scenario``) or
    malformed identifier (``check.malformed_identifier``) → 400 naming the field. A clean subject gets ``hits: []``.
    Each hit lists the measures for that list in this scenario whose conditions hold (``applies: yes``) or cannot be
    decided on the facts held (``applies: verify``, never mandatory), mandatory first, with the legal basis, the
    condition in words (``condition_zh``) and the note; measures whose condition fails are left out (the replay
    says why)."""
    token_id = getattr(request, "token_to_verify", None)
    try:
        check = services.check_run(department=request.department, subject=body.subject, scenario=body.scenario,
                                   reference=body.reference, actor=request.actor, channel=CheckChannel.API,
                                   token_id=token_id)
    except services.TokenRevoked:
        CheckToken.forget(token_id)
        raise AuthenticationError from None
    except DomainError:
        # refused before the facts read: a revoked token still hears 401, not what was wrong with its request
        if token_id is not None and not CheckToken.still_active(token_id):
            CheckToken.forget(token_id)
            raise AuthenticationError from None
        raise
    return selectors.check_answer(check)


@router.get("", response=list[CheckSummaryOut], url_name="check_list")
def check_list(request, query: Query[ListQuery]):
    """The department's recent checks (``awaiting_feedback=true``: those with measures not yet reported on)."""
    qs = (selectors.awaiting_feedback(department=request.department) if query.awaiting_feedback
          else selectors.checks_for_department(department=request.department))
    return [{"check_id": str(c.check_id), "scenario": c.scenario, "reference": c.reference,
             "subject_code": c.subject_code, "subject_name": c.subject_name, "as_of": c.as_of,
             "hit_count": c.hit_count, "measure_count": c.measure_count, "feedback_complete": c.feedback_complete}
            for c in qs[:max(1, min(query.limit, 1000))]]
