"""``GET /api/v1/measures``: the measure list in force (联合奖惩措施清单), with legal bases."""

from __future__ import annotations

import datetime as dt

from ninja import Query, Router, Schema

from pubcredit.api import DepartmentToken
from pubcredit.sanctions import selectors

measure_router = Router(tags=["measures (联合奖惩措施清单)"], auth=DepartmentToken())


class MeasureQuery(Schema):
    list_code: str = ""
    scenario: str = ""
    kind: str = ""


class LegalBasisOut(Schema):
    instrument: str
    article: str


class MeasureListOut(Schema):
    code: str
    name_zh: str
    kind: str
    lists: list[str]
    grades: list[str]  # evaluation grades that trigger it (公共信用综合评价等级), [] for a list measure
    scenarios: list[str]
    implementing: list[str]
    implemented_by: str  # checking_department, or the only authority that carries it out
    force: str
    mandatory: bool  # force M; on an entry it binds only where its conditions hold and the department carries it out
    conditions: dict  # {subject_kinds, all, any, verify_zh}; {} = applies to every entry of its lists
    condition_zh: str
    legal_basis: list[LegalBasisOut]
    sources: list[str]
    verification: str
    note_zh: str
    version: str
    effective_from: dt.date
    effective_to: dt.date | None
    in_force: bool
    source: str  # seed | operator


@measure_router.get("", response=list[MeasureListOut], url_name="measures")
def measure_index(request, query: Query[MeasureQuery]):
    """The measure list (联合奖惩措施清单): every version with its legal basis and citation; ``in_force`` today."""
    return [{**row.measure.as_data(), "mandatory": row.measure.mandatory, "in_force": row.in_force, "source": row.source,
             "condition_zh": row.measure.condition_text()}
            for row in selectors.measure_rows(list_code=query.list_code, scenario=query.scenario, kind=query.kind)]
