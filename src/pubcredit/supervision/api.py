"""双随机、一公开 API (no token, the public site's limits): the published data of a draw and its recomputation.

- ``GET /api/v1/inspections/{code}/draw``: the plan, the commitment, the frozen candidate list and its hash, and
  once drawn the seed and the drawn list (what ``/public/inspections/{code}/draw.json`` gives);
- ``POST /api/v1/inspections/verify``: recompute a draw from such data (possibly altered) and say whether it
  matches, check by check.

With a department's API token (``Authorization: Bearer …``), for the department's own systems (the lead department
or a joint one; another department's task is 404):

- ``POST /api/v1/inspections/tasks``: plan a task (items by code, joint departments by code, trigger, object filter,
  base ratio, date) — field-level errors as on the workbench form;
- ``GET /api/v1/inspections/tasks/{code}``: the task, its drawn objects with their inspectors (执法证号) and results;
- ``PUT /api/v1/inspections/tasks/{code}/inspectors``: narrow the inspectors (refused once the draw started);
- ``POST /api/v1/inspections/tasks/{code}/commit``: publish the commitment (seed hash, frozen list hash);
- ``POST /api/v1/inspections/tasks/{code}/draw``: start the draw on the worker;
- ``POST /api/v1/inspections/tasks/{code}/results``: results by the assigned inspectors (all or nothing);
- ``POST /api/v1/inspections/tasks/{code}/publish``: publish the entered results (一公开).

No ``from __future__ import annotations``: the rate-limit wrapper must keep real annotations for Ninja to see the
body schema.
"""


from typing import Any

from django.http import Http404
from ninja import Router, Schema, Status

from pubcredit.accounts.models import Department
from pubcredit.api import DepartmentToken
from pubcredit.ratelimit import rate_limited
from pubcredit.rules.errors import DomainError
from pubcredit.rules.supervision import RESULT_LABELS
from pubcredit.supervision import selectors, services
from pubcredit.supervision.models import InspectionItem, Inspector

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


# --- the department's own systems (API token) ------------------------------------------------------------------

class InspectionTaskIn(Schema):
    name: str
    items: list[str]  # item codes (事项编码) of the department or of a joint department
    joint_departments: list[str] = []  # department codes
    trigger: str = "random"  # random 随机抽查 / complaint 投诉举报 / referral 转办交办 / higher_level 上级安排部署
    object_filter: dict[str, Any] = {}  # districts, classes, keys (USCCs), licence_contains
    base_ratio: str  # percent, greater than 0 and at most 100
    planned_date: str  # YYYY-MM-DD, not before today


class InspectionInspectorsIn(Schema):
    staff_nos: list[str]  # 执法证号 of active inspectors of the task's departments


class InspectionResultIn(Schema):
    key: str  # the drawn subject's USCC
    item: str  # item code
    outcome: str  # no_problem / corrected / referred / not_found / problem_pending
    inspected_on: str  # YYYY-MM-DD
    notes: str = ""  # 情况说明, required for a negative outcome
    staff_no: str  # the assigned inspector of the token's department who inspected


class InspectionResultsIn(Schema):
    results: list[InspectionResultIn]


class InspectionResultOut(Schema):
    item: str
    outcome: str
    outcome_zh: str
    inspected_on: str
    publish_due: str
    published: bool
    record_id: int | None


class InspectionObjectOut(Schema):
    key: str
    name: str
    position: int
    inspectors: list[str]  # 执法证号
    results: list[InspectionResultOut]


class InspectionTaskOut(Schema):
    code: str
    name: str
    status: str
    status_zh: str
    department: str
    joint_departments: list[str]
    items: list[str]
    trigger: str
    base_ratio: str
    planned_date: str
    rule_version: str
    seed_commitment: str
    candidates_hash: str
    candidates: int
    committed_at: str | None
    drawn_at: str | None
    draw_error: str
    objects: list[InspectionObjectOut]
    public_url: str


class InspectionResultsEnteredOut(Schema):
    entered: int
    records: list[int]  # credit records made from negative results (抽查检查结果信息)


class InspectionPublishedOut(Schema):
    published: int


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _task_out(task) -> dict[str, Any]:
    objects = []
    if task.status in ("drawn", "closed"):
        for obj in selectors.drawn_objects(task):
            objects.append({"key": obj.key, "name": obj.subject.name, "position": obj.position,
                            "inspectors": sorted(i.staff_no for i in obj.inspectors.all()),
                            "results": [{"item": r.item.code, "outcome": r.outcome,
                                         "outcome_zh": RESULT_LABELS.get(r.outcome, r.outcome),
                                         "inspected_on": r.inspected_on.isoformat(),
                                         "publish_due": r.publish_due.isoformat(), "published": bool(r.published_at),
                                         "record_id": r.record_id}
                                        for r in sorted(obj.results.all(), key=lambda r: r.item.code)]})
    return {"code": task.code, "name": task.name, "status": task.status, "status_zh": task.status_zh,
            "department": task.department.code,
            "joint_departments": sorted(task.joint_departments.values_list("code", flat=True)),
            "items": sorted(task.items.values_list("code", flat=True)), "trigger": task.trigger,
            "base_ratio": format(task.base_ratio, "f"), "planned_date": task.planned_date.isoformat(),
            "rule_version": task.rule_version, "seed_commitment": task.seed_commitment,
            "candidates_hash": task.candidates_hash, "candidates": len(task.candidates or []),
            "committed_at": _iso(task.committed_at), "drawn_at": _iso(task.drawn_at), "draw_error": task.draw_error,
            "objects": objects, "public_url": f"/public/inspections/{task.code}/"}


def _own_task(request, code: str):
    task = selectors.department_task(department=request.department, code=code)
    if task is None:
        raise DomainError("supervision.not_found", "本部门没有该抽查任务", "no such task of the department", "code")
    return task


@router.post("/tasks", auth=DepartmentToken(), response={201: InspectionTaskOut}, url_name="inspection_task_create")
def task_create(request, body: InspectionTaskIn):
    """Plan a task (抽查任务) led by the token's department. ``items`` are item codes of the department or of one of
    the ``joint_departments``; every problem is named by its field, nothing is created while one remains."""
    departments = {request.department.code: request.department}
    departments |= {d.code: d for d in Department.objects.filter(code__in=body.joint_departments)}
    unknown = sorted(set(body.joint_departments) - set(departments))
    if unknown:
        raise DomainError("supervision.joint_department", f"联合部门不存在：{'、'.join(unknown)}",
                          f"unknown joint departments {unknown}", "joint_departments")
    found: dict[str, list[int]] = {}
    for pk, code in InspectionItem.objects.filter(department__in=departments.values(), code__in=body.items,
                                                  active=True).values_list("pk", "code"):
        found.setdefault(code, []).append(pk)
    item_ids = []
    for code in body.items:
        matches = found.get(code, [])
        if len(matches) != 1:  # unknown, or the same code in two of the task's departments
            raise DomainError("supervision.item_department", f"抽查事项{code}不是牵头部门或联合部门的有效事项（或编码重复）",
                              f"item {code} is not one active item of the task's departments", "items")
        item_ids.append(matches[0])
    task = services.task_create(department=request.department, name=body.name, item_ids=item_ids,
                                joint_department_ids=[d.pk for d in departments.values()], trigger=body.trigger,
                                object_filter=body.object_filter, base_ratio=body.base_ratio,
                                planned_date=body.planned_date, actor=request.actor)
    return Status(201, _task_out(task))


@router.get("/tasks/{code}", auth=DepartmentToken(), response=InspectionTaskOut, url_name="inspection_task")
def task_get(request, code: str):
    """A task the token's department leads or joins: state, commitment, drawn objects, inspectors and results."""
    return _task_out(_own_task(request, code))


@router.put("/tasks/{code}/inspectors", auth=DepartmentToken(), response=InspectionTaskOut,
            url_name="inspection_task_inspectors")
def task_inspectors(request, code: str, body: InspectionInspectorsIn):
    """Name the inspectors the draw may choose from (执法证号); refused once the draw has started."""
    task = _own_task(request, code)
    found = dict(Inspector.objects.filter(staff_no__in=body.staff_nos).values_list("staff_no", "pk"))
    unknown = sorted(set(body.staff_nos) - set(found))
    if unknown:
        raise DomainError("supervision.inspector_department", f"检查人员不存在：{'、'.join(unknown)}",
                          f"unknown staff numbers {unknown}", "staff_nos")
    return _task_out(services.task_inspectors_set(task=task, inspector_ids=list(found.values()), actor=request.actor))


@router.post("/tasks/{code}/commit", auth=DepartmentToken(), response=InspectionTaskOut,
             url_name="inspection_task_commit")
def task_commit(request, code: str):
    """Publish the commitment (公布抽取承诺): the seed's SHA-256 and the frozen candidate list's hash."""
    return _task_out(services.task_commit(task=_own_task(request, code), actor=request.actor))


@router.post("/tasks/{code}/draw", auth=DepartmentToken(), response=InspectionTaskOut,
             url_name="inspection_task_draw")
def task_draw(request, code: str):
    """Start the draw (开始抽取): it runs on the worker; read the task again for its result."""
    return _task_out(services.task_draw_start(task=_own_task(request, code), actor=request.actor))


@router.post("/tasks/{code}/results", auth=DepartmentToken(), response=InspectionResultsEnteredOut,
             url_name="inspection_task_results")
def task_results(request, code: str, body: InspectionResultsIn):
    """Results (谁检查、谁录入) by inspectors of the token's department assigned to the objects; all or nothing,
    every faulty result named (``results.N.field``). A negative result becomes a credit record."""
    entered = services.results_enter_batch(task=_own_task(request, code), department=request.department,
                                           rows=[r.dict() for r in body.results], actor=request.actor)
    return {"entered": len(entered), "records": [r.record_id for r in entered if r.record_id]}


@router.post("/tasks/{code}/publish", auth=DepartmentToken(), response=InspectionPublishedOut,
             url_name="inspection_task_publish")
def task_publish(request, code: str):
    """Publish (一公开) the task's entered, unpublished results on the public task page."""
    return {"published": services.results_publish(task=_own_task(request, code), actor=request.actor)}
