"""双随机、一公开 API (no token, the public site's limits): the published data of a draw and its recomputation.

- ``GET /api/v1/inspections/{code}/draw``: the plan, the commitment, the frozen candidate list and its hash, and
  once drawn the seed and the drawn list (what ``/public/inspections/{code}/draw.json`` gives);
- ``POST /api/v1/inspections/verify``: recompute a draw from such data (possibly altered) and say whether it
  matches, check by check.

No ``from __future__ import annotations``: the rate-limit wrapper must keep real annotations for Ninja to see the
body schema.
"""


from typing import Any

from django.http import Http404
from ninja import Router, Schema

from pubcredit.ratelimit import rate_limited
from pubcredit.supervision import selectors

router = Router(tags=["inspections"])


class InspectionCandidateOut(Schema):
    key: str  # 统一社会信用代码
    ratio: str  # the stratum's ratio in percent, two decimals


class InspectionItemBriefOut(Schema):
    code: str
    name: str
    kind: str  # general (一般检查事项) / key (重点检查事项)


class InspectionDrawOut(Schema):
    task: str
    name: str
    department: str
    joint_departments: list[str]
    items: list[InspectionItemBriefOut]
    trigger: str
    base_ratio: str
    planned_date: str
    rule_version: str
    committed_at: str | None
    seed_commitment: str  # SHA-256 of the seed's bytes, published before the draw
    candidates_hash: str  # SHA-256 of the compact JSON of the candidates sorted by key
    candidates: list[InspectionCandidateOut]
    seed: str | None  # revealed after the draw
    drawn: list[str]  # USCCs in draw order
    algorithm: str


class InspectionVerifyIn(Schema):
    seed_commitment: str
    candidates_hash: str
    seed: str | None = None
    candidates: list[dict[str, Any]]
    drawn: list[str] = []


class InspectionCheckOut(Schema):
    name: str
    ok: bool
    detail: str


class InspectionVerificationOut(Schema):
    matches: bool
    matches_zh: str
    checks: list[InspectionCheckOut]


@router.get("/{code}/draw", response=InspectionDrawOut, url_name="inspection_draw")
@rate_limited("page", as_json=True)
def draw(request, code: str):
    """The published data of a task's draw (一公开); 404 for a task without a published commitment."""
    task = selectors.public_task(code)
    if task is None:
        raise Http404("no such task")
    return selectors.published_draw(task)


@router.post("/verify", response=InspectionVerificationOut, url_name="inspection_verify")
@rate_limited("page", as_json=True)
def verify(request, body: InspectionVerifyIn):
    """Recompute a draw from published data: the list's hash, the seed's SHA-256 against the commitment, and the
    drawn list from seed and list. ``matches`` is false as soon as one check fails."""
    result = selectors.verify_published(body.dict())
    return {"matches": result.matches, "matches_zh": "一致" if result.matches else "不一致",
            "checks": [{"name": n, "ok": ok, "detail": d} for n, ok, d in result.checks]}
