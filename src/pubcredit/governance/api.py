"""Department scorecards (部门考核) for dashboards and leaders' systems, read with a staff session.

- ``GET /api/v1/governance/scorecards?month=YYYY-MM``: the month's cards of every department in the viewer's scope,
  the district sums and the city (or district) sum, each figure with its counts, share, target and status;
- ``GET /api/v1/governance/scorecards/rows?month=&scope=&figure=``: the rows behind one figure (as many as the
  figure's failing count).

City operators see the city; district operators their district; anyone else 403. docs/governance.md explains.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Query, Router, Schema
from ninja.security import django_auth

from pubcredit.api_common import ErrorOut
from pubcredit.governance import selectors

__all__ = ["router"]

router = Router(tags=["governance"], auth=django_auth)

MONTH = r"^[0-9]{4}-(0[1-9]|1[0-2])$"


class GovernanceFigureOut(Schema):
    key: str
    name: str
    total: int = Field(description="rows counted for the figure in the month")
    failing: int = Field(description="rows counted against the department (the drill-down rows)")
    value: float | None = Field(description="the shown share, 0–1 (share_ok or share_failing); null without rows")
    shown_as: Literal["share_ok", "share_failing"]
    target: float
    points: float | None
    status: Literal["green", "red", "none"]


class GovernanceCardOut(Schema):
    scope: str = Field(description="department code, 'district:<code>' or 'city'")
    name: str
    kind: Literal["department", "district", "city"]
    score: float | None = Field(description="0–100 over the figures with data")
    frozen: bool
    as_of: dt.date | None
    figures: list[GovernanceFigureOut]


class GovernanceBoardOut(Schema):
    month: str
    frozen: bool = Field(description="every card of the month is frozen (the month has ended)")
    cards: list[GovernanceCardOut]


class GovernanceRowOut(Schema):
    department: str
    object_type: str
    object_id: int
    reference: str
    detail: str
    day: dt.date | None


class GovernanceRowsOut(Schema):
    month: str
    scope: str
    figure: str
    failing: int
    rows: list[GovernanceRowOut]


class GovernanceMonthQuery(Schema):
    month: str | None = Field(None, pattern=MONTH, description="YYYY-MM; default this month")


class GovernanceRowsQuery(Schema):
    month: str = Field(pattern=MONTH)
    scope: str = Field(min_length=1, max_length=64, description="department code, 'district:<code>' or 'city'")
    figure: str = Field(min_length=1, max_length=40)


def _card(row, kind: str) -> dict:
    return {"scope": row.code, "name": row.name, "kind": kind, "score": row.score, "frozen": row.frozen,
            "as_of": row.as_of, "figures": [{"key": c.key, "name": c.name_zh, "total": c.total, "failing": c.failing,
                                             "value": c.value, "shown_as": c.shown_as, "target": c.target,
                                             "points": c.points, "status": c.status} for c in row.cells]}


@router.get("/scorecards", response={200: GovernanceBoardOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut,
                                     422: ErrorOut}, summary="部门考核 (department scorecards of a month)")
def scorecards(request, query: Query[GovernanceMonthQuery]):
    """The month's scorecards: departments (lowest score first), district sums and the city sum. Operators only."""
    month = selectors.parse_month(query.month)
    board = selectors.month_board(viewer=request.user, month=month)
    cards = ([_card(board.city, "city")] if board.city else []) + [_card(r, "district") for r in board.districts] \
        + [_card(r, "department") for r in board.departments]
    return {"month": month.strftime("%Y-%m"), "frozen": board.frozen, "cards": cards}


@router.get("/scorecards/rows", response={200: GovernanceRowsOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut,
                                          404: ErrorOut, 422: ErrorOut},
            summary="考核明细 (the rows behind one figure)")
def scorecard_rows(request, query: Query[GovernanceRowsQuery]):
    """The rows counted against one figure of one card: exactly ``failing`` rows. Unknown figure → 400
    ``governance.unknown_figure``; no card for the scope and month → 404 ``governance.not_found``."""
    drill = selectors.figure_rows(viewer=request.user, month=selectors.parse_month(query.month), figure=query.figure,
                                  scope_code=query.scope)
    return {"month": drill.month.strftime("%Y-%m"), "scope": query.scope, "figure": drill.figure,
            "failing": drill.failing,
            "rows": [{"department": i.scorecard.department.name, "object_type": i.object_type,
                      "object_id": i.object_id, "reference": i.reference, "detail": i.detail, "day": i.day}
                     for i in drill.rows]}
