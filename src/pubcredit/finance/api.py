"""信易贷 and 信易+ API. Token auth (``Authorization: Bearer pc_…``): the token's department asks.

- ``GET /api/v1/finance/profiles/{uscc}``: a financial institution reads an enterprise's credit profile, only within
  the enterprise's authorisation in force and only its scope; otherwise 403 saying why. Every request is kept and
  shown to the enterprise.
- ``GET /api/v1/finance/authorisations``: the institution's authorisations, with their state today.
- ``GET /api/v1/incentives/scenarios``: the 信易+ scenarios (rulebook/incentives/scenarios.yaml).
- ``POST /api/v1/incentives/eligibility``: may a subject have a scenario's benefit → yes/no, every condition, the
  benefit; kept and audited like a check.
- ``POST /api/v1/incentives/answers/{answer_id}/feedback``: the provider reports whether it gave the benefit.

docs/finance.md explains each field.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from pubcredit.api import DepartmentToken
from pubcredit.api_common import ErrorOut
from pubcredit.finance import selectors, services
from pubcredit.finance.rulebook import incentive_book, incentive_version
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from pubcredit.rules.incentives import KIND_LABELS

router = Router(tags=["finance"], auth=DepartmentToken())
incentive_router = Router(tags=["incentives"], auth=DepartmentToken())

# refusals of a read that are a matter of permission (403), not of a malformed request
FORBIDDEN_CODES = {"finance.not_a_financial_institution"}


class FinanceBasicOut(Schema):
    uscc: str
    name: str
    kind: str | None = Field(description="legal_person / individual_business; null when the platform holds nothing")
    kind_zh: str
    district: str | None
    known: bool = Field(description="whether the platform holds any information about this enterprise")


class FinanceSectionOut(Schema):
    code: str = Field(description="scope item (rulebook/finance/profile.yaml), e.g. admin_penalty")
    name_zh: str
    source: str = Field(description="records / lists / monthly / evaluation")
    items: list[dict[str, Any]] = Field(description="records (with publicity_state) or list entries in force")
    series: list[dict[str, Any]] = Field(description="monthly classes: one point per month, oldest first (month YYYY-MM)")
    evaluation: dict[str, Any] | None = Field(description="evaluation_class: grade, class_code, class_name_zh, as_of")


class FinanceProfileOut(Schema):
    uscc: str
    as_of: dt.datetime
    authorisation_id: str = Field(description="the authorisation this read was made under")
    purpose: str
    purpose_zh: str
    authorised_until: dt.date
    read_id: str = Field(description="this read, as the enterprise sees it in its read log")
    basic: FinanceBasicOut
    sections: list[FinanceSectionOut] = Field(description="only the sections within the authorisation's scope")


class FinanceAuthorisationOut(Schema):
    authorisation_id: str
    uscc: str
    enterprise_name: str
    scope: list[str]
    purpose: str
    purpose_zh: str
    starts_on: dt.date
    ends_on: dt.date
    state: str = Field(description="pending / in_force / expired / revoked")
    state_zh: str


class FinanceProfileQuery(Schema):
    sections: str | None = Field(None, description="comma-separated scope items; default: the whole authorised scope")
    reference: str | None = Field(None, description="the institution's own reference, e.g. a loan application number")


@router.get("/profiles/{uscc}", response={200: FinanceProfileOut, 403: ErrorOut}, url_name="finance_profile")
def profile(request, uscc: str, query: Query[FinanceProfileQuery]):
    """信易贷信用信息查询: the enterprise's profile within its authorisation in force (basic information always; each
    authorised section: records with their publicity state, list entries in force, monthly payment series, the
    evaluation class), with ``as_of`` and ``authorisation_id``. 403 with the reason's code when there is no
    authorisation (``finance.not_authorised``), it was revoked, has ended or not started, a section asked for is
    outside its scope (``finance.outside_scope``), or the token is not a financial institution's."""
    try:
        answer = services.profile_read(institution=request.department, uscc=uscc, sections=query.sections,
                                       reference=query.reference or "", actor=request.actor)
    except DomainError as exc:
        if exc.code in FORBIDDEN_CODES:
            return Status(403, exc.as_dict())
        raise
    if answer.profile is None:
        d = answer.decision
        return Status(403, {"code": d.code, "message": d.message_zh, "message_en": d.message_en, "fields": []})
    return Status(200, answer.profile)


@router.get("/authorisations", response=list[FinanceAuthorisationOut], url_name="finance_authorisations")
def authorisations(request, uscc: str | None = None):
    """The authorisations enterprises granted to this institution (newest first), each with its state today."""
    today = clock.today()
    out = []
    for a in selectors.authorisations_for_institution(institution=request.department, uscc=uscc)[:500]:
        state, label = selectors.state_of(a, today)
        out.append({"authorisation_id": str(a.authorisation_id), "uscc": a.uscc, "enterprise_name": a.enterprise_name,
                    "scope": a.scope, "purpose": a.purpose, "purpose_zh": a.get_purpose_display(),
                    "starts_on": a.starts_on, "ends_on": a.ends_on, "state": state, "state_zh": label})
    return out


class LoanProductIn(Schema):
    name: str
    description: str = ""
    amount_min: float = Field(ge=0, description="万元")
    amount_max: float = Field(ge=0, description="万元")
    term_months_min: int = Field(ge=1, le=600)
    term_months_max: int = Field(ge=1, le=600)
    rate_min: float = Field(ge=0, le=100, description="annual rate, %")
    rate_max: float = Field(ge=0, le=100)
    conditions: list[dict[str, Any]] = Field(default=[], description=(
        "each {kind: no_black_list | min_evaluation_class (value) | red_lists_any (lists) | continuous_months "
        "(class_code, months, statuses)}"))


class LoanProductOut(Schema):
    product_id: str
    institution: str
    institution_name: str
    name: str
    description: str
    amount_min: float
    amount_max: float
    term_months_min: int
    term_months_max: int
    rate_min: float
    rate_max: float
    conditions: list[dict[str, Any]]
    published_at: dt.datetime


def product_out(p) -> dict[str, Any]:
    return {"product_id": str(p.product_id), "institution": p.institution.code, "institution_name": p.institution.name,
            "name": p.name, "description": p.description, "amount_min": float(p.amount_min),
            "amount_max": float(p.amount_max), "term_months_min": p.term_months_min,
            "term_months_max": p.term_months_max, "rate_min": float(p.rate_min), "rate_max": float(p.rate_max),
            "conditions": p.conditions, "published_at": p.published_at}


@router.post("/products", response={201: LoanProductOut, 403: ErrorOut}, url_name="finance_product_publish")
def product_publish(request, body: LoanProductIn):
    """发布信贷产品 (financial institutions): amount, term and rate ranges and the conditions as data; a condition
    naming an unknown class or list is refused with its index (``conditions[i]``)."""
    try:
        product = services.loan_product_publish(institution=request.department, actor=request.actor,
                                                **body.dict())
    except DomainError as exc:
        if exc.code in FORBIDDEN_CODES:
            return Status(403, exc.as_dict())
        raise
    return Status(201, product_out(product))


@router.get("/products", response=list[LoanProductOut], url_name="finance_products")
def product_list(request):
    """Every published loan product (信贷产品), by institution."""
    return [product_out(p) for p in selectors.products()[:500]]


# --- 信易+ -----------------------------------------------------------------------------------------------------------


class IncentiveScenarioOut(Schema):
    code: str
    name_zh: str
    family_zh: str
    provider_zh: str
    subject_kinds: list[str]
    subject_kinds_zh: list[str]
    eligibility: dict[str, Any]
    benefit_zh: str
    basis_zh: str


class IncentiveEligibilityIn(Schema):
    subject: dict[str, Any] = Field(description='{"uscc": …} or {"id_number": …}, as the check API')
    scenario: str
    reference: str = ""


class IncentiveReasonOut(Schema):
    code: str
    passed: bool
    message: str
    message_en: str


class IncentiveEligibilityOut(Schema):
    answer_id: str
    scenario: str
    scenario_name: str
    subject_code: str = Field(description="USCC, or the masked identity number")
    subject_name: str
    eligible: bool
    eligible_zh: str
    reasons: list[IncentiveReasonOut] = Field(description="every condition, passed or not")
    benefit: str
    provider: str
    basis: str
    rulebook_version: str
    as_of: dt.datetime


class IncentiveFeedbackIn(Schema):
    used: bool
    note: str = ""


class IncentiveFeedbackOut(Schema):
    answer_id: str
    used: bool
    note: str
    recorded_at: dt.datetime


@incentive_router.get("/scenarios", response=list[IncentiveScenarioOut], url_name="incentive_scenarios")
def scenarios(request):
    """信易+场景清单: each scenario's provider, subject kinds, conditions, benefit and policy basis."""
    return [{**s.model_dump(), "subject_kinds_zh": [KIND_LABELS[k] for k in s.subject_kinds],
             "eligibility": s.eligibility.model_dump()} for s in incentive_book().scenarios]


@incentive_router.post("/eligibility", response=IncentiveEligibilityOut, url_name="incentive_eligibility")
def eligibility(request, body: IncentiveEligibilityIn):
    """信易+激励适用性核查: ``scenario`` a code of ``GET /incentives/scenarios``. ``eligible: false`` when any condition
    fails (a black-list entry in force, the evaluation class, a missing red list, a natural person's negative record
    in force); each condition is in ``reasons``. Kept (``answer_id``) and audited."""
    answer = services.incentive_eligibility_check(department=request.department, subject=body.subject,
                                                  scenario=body.scenario, reference=body.reference, actor=request.actor)
    found = incentive_book().get(answer.scenario)
    return {"answer_id": str(answer.answer_id), "scenario": answer.scenario, "scenario_name": found.name_zh,
            "subject_code": answer.subject_code, "subject_name": answer.subject_name, "eligible": answer.eligible,
            "eligible_zh": "符合条件，可享受激励" if answer.eligible else "不符合条件", "reasons": answer.reasons,
            "benefit": answer.benefit, "provider": found.provider_zh, "basis": found.basis_zh,
            "rulebook_version": answer.rulebook_version or incentive_version(), "as_of": answer.as_of}


@incentive_router.post("/answers/{answer_id}/feedback", response=IncentiveFeedbackOut, url_name="incentive_feedback")
def feedback(request, answer_id: uuid.UUID, body: IncentiveFeedbackIn):
    """使用反馈: whether the benefit was given (``used``); ``note`` is required when it was not."""
    answer = selectors.answer_get(answer_id=answer_id)
    if answer is None:
        raise Http404
    use = services.incentive_use_record(answer=answer, department=request.department, used=body.used, note=body.note,
                                        actor=request.actor)
    return {"answer_id": str(answer.answer_id), "used": use.used, "note": use.note, "recorded_at": use.created_at}
