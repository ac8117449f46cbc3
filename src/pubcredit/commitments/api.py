"""Commitments API (信用承诺接口). Token auth: the token's department asks.

- ``POST /api/v1/commitments/eligibility``: may a subject use 告知承诺 for a matter → yes/no with reasons, legal
  bases and the rulebook versions; kept and audited like a check (docs/commitments.md).

Commitments themselves are submitted as records of class ``credit_commitment`` (``POST /api/v1/records/
credit_commitment``, files, the workbench form), like every record.
"""

from __future__ import annotations

from typing import Any

from ninja import Router, Schema

from pubcredit.api import DepartmentToken
from pubcredit.commitments import services
from pubcredit.sanctions.choices import CheckChannel

router = Router(tags=["commitments"], auth=DepartmentToken())


class EligibilityIn(Schema):
    subject: dict[str, Any]
    matter: str
    reference: str = ""


class CommitmentEligibilityReasonOut(Schema):
    code: str
    effect: str
    effect_zh: str
    message: str
    message_en: str
    legal_basis: str
    measure_code: str
    list_code: str
    entry_id: int | None


class CommitmentEligibilityOut(Schema):
    answer_id: str
    check_id: str
    subject_code: str
    subject_name: str
    matter: str
    matter_name: str
    eligible: bool
    eligible_zh: str
    reasons: list[CommitmentEligibilityReasonOut]
    rulebook_version: str
    measures_version: str
    as_of: str


def answer_out(answer) -> dict[str, Any]:
    from pubcredit.commitments.rulebook import commitment_book

    matter = commitment_book().matters.get(answer.matter)
    return {"answer_id": str(answer.answer_id), "check_id": str(answer.check_id), "subject_code": answer.subject_code,
            "subject_name": answer.subject_name, "matter": answer.matter,
            "matter_name": matter.name_zh if matter else answer.matter, "eligible": answer.eligible,
            "eligible_zh": "可以适用告知承诺制" if answer.eligible else "不适用告知承诺制", "reasons": answer.reasons,
            "rulebook_version": answer.rulebook_version, "measures_version": answer.measures_version,
            "as_of": answer.as_of.isoformat()}


@router.post("/eligibility", response=CommitmentEligibilityOut, url_name="commitment_eligibility")
def eligibility(request, body: EligibilityIn):
    """告知承诺适用性核查: ``subject`` is ``{"uscc": …}`` or ``{"id_number": …}``; ``matter`` a matter code of
    ``rulebook/commitments/rules.yaml`` (e.g. ``food_business_license``). ``eligible: false`` when the matter does
    not allow 告知承诺, when a mandatory measure excluding it applies to one of the subject's list entries (e.g.
    SAMR Order 44 第十五条第（三）项), or when the subject breached a commitment recently; each reason has its
    ``effect`` (``refuse`` or ``caution``), message and legal basis. The underlying check is kept (``check_id``)."""
    answer = services.eligibility_check(department=request.department, subject=body.subject, matter=body.matter,
                                        reference=body.reference, actor=request.actor, channel=CheckChannel.API)
    return answer_out(answer)
