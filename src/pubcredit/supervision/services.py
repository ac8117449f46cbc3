"""Writes of graded supervision (信用分级分类监管) and 双随机、一公开: the item and inspector libraries, the object
library's refresh from the social credit database, tasks, their committed and verifiable draws, results and their
publication. Every write is audited; the draw itself is all or nothing (nothing half-drawn)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections import Counter
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery

from pubcredit.accounts.models import Department, District
from pubcredit.audit import services as audit
from pubcredit.audit.events import Event
from pubcredit.catalog.registry import get_class
from pubcredit.evaluation.models import EvaluationResult
from pubcredit.records.models import CreditRecord
from pubcredit.records.services import record_submit_one
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError, Problem
from pubcredit.rules.supervision import (
    ITEM_KIND_LABELS, NEGATIVE_RESULTS, RESULT_LABELS, TRANSITIONS, Candidate, InspectorFact, assign_inspectors,
    candidates_hash, commit_seed, draw, eligibility, SEED_BYTES,
)
from pubcredit.subjects.choices import SubjectKind
from pubcredit.subjects.models import Subject
from pubcredit.supervision.models import (
    DrawnObject, InspectionItem, InspectionObject, InspectionResult, InspectionTask, Inspector, InspectorAssignment,
    InspectorConflict,
)
from pubcredit.supervision.rulebook import RESULT_CLASS, book_version, supervision_book
from pubcredit.workdays.selectors import add_working_days

INSPECTED_KINDS = (SubjectKind.LEGAL_PERSON, SubjectKind.INDIVIDUAL_BUSINESS)
FILTER_KEYS = {"districts", "classes", "keys", "licence_contains"}


def _fail(code: str, zh: str, en: str, field: str | None = None) -> DomainError:
    return DomainError(f"supervision.{code}", zh, en, field)


def _text(value: Any, field: str, label: str, *, max_length: int, required: bool = True) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise _fail("required", f"请填写{label}", f"{field} is required", field)
    if len(text) > max_length:
        raise _fail("too_long", f"{label}不能超过{max_length}个字符", f"{field} is longer than {max_length}", field)
    return text


def _move(task: InspectionTask, event: str) -> str:
    new = TRANSITIONS.get((task.status, event))
    if new is None:
        raise _fail("wrong_state", f"任务{task.code}当前为“{task.status_zh}”，不能执行该操作",
                    f"task {task.code} is {task.status}; {event} is not allowed", "status")
    return new


# --- libraries ----------------------------------------------------------------------------------------------------

@transaction.atomic
def item_create(*, department: Department, code: Any, name: Any, domain: Any, kind: Any, special_domain: bool,
                legal_basis: Any, actor: Any) -> InspectionItem:
    """Add an inspection item (抽查事项) to a department's list. A special-domain item must be in one of the
    rulebook's special domains (疫苗、药品、特种设备、危险化学品)."""
    code = _text(code, "code", "事项编码", max_length=40)
    name = _text(name, "name", "抽查事项名称", max_length=200)
    domain = _text(domain, "domain", "检查领域", max_length=40)
    basis = _text(legal_basis, "legal_basis", "检查依据", max_length=2000)
    if kind not in ITEM_KIND_LABELS:
        raise _fail("unknown_kind", "事项类别须为“一般检查事项”或“重点检查事项”", f"unknown item kind {kind!r}", "kind")
    special_names = set(supervision_book().special_domains.values())
    if special_domain and domain not in special_names:
        raise _fail("not_special", f"特殊领域事项的检查领域须为：{'、'.join(sorted(special_names))}",
                    f"a special-domain item must be in {sorted(special_names)}", "domain")
    if InspectionItem.objects.filter(department=department, code=code).exists():
        raise _fail("duplicate_item", f"本部门已有事项编码 {code}", f"item code {code} exists", "code")
    item = InspectionItem.objects.create(department=department, code=code, name=name, domain=domain, kind=kind,
                                         special_domain=bool(special_domain), legal_basis=basis,
                                         created_at=clock.now())
    audit.record(Event.SUPERVISION_CHANGED, actor=actor, object_type="inspection_item", object_id=item.pk,
                 after={"code": code, "name": name, "domain": domain, "kind": kind, "special": item.special_domain},
                 data={"action": "item_create"})
    return item


def _qualifications(value: Any) -> list[str]:
    if isinstance(value, str):
        value = value.replace("，", ",").replace("、", ",").split(",")
    found = sorted({str(v).strip() for v in (value or []) if str(v).strip()})
    if not found:
        raise _fail("no_qualification", "请至少填写一个执法资格（检查领域）", "at least one qualification",
                    "qualifications")
    return found


@transaction.atomic
def inspector_create(*, department: Department, staff_no: Any, name: Any, qualifications: Any,
                     user: Any = None, actor: Any) -> Inspector:
    """Add an inspector (执法检查人员) with the domains they are qualified for."""
    staff_no = _text(staff_no, "staff_no", "执法证号", max_length=40)
    name = _text(name, "name", "姓名", max_length=50)
    quals = _qualifications(qualifications)
    if Inspector.objects.filter(staff_no=staff_no).exists():
        raise _fail("duplicate_inspector", f"执法证号 {staff_no} 已登记", f"staff number {staff_no} exists", "staff_no")
    if user is not None and getattr(user, "department_id", None) not in (None, department.pk):
        raise _fail("user_department", "平台账号须属于同一部门", "the account belongs to another department", "user")
    inspector = Inspector.objects.create(department=department, staff_no=staff_no, name=name, qualifications=quals,
                                         user=user, created_at=clock.now())
    audit.record(Event.SUPERVISION_CHANGED, actor=actor, object_type="inspector", object_id=inspector.pk,
                 after={"staff_no": staff_no, "qualifications": quals}, data={"action": "inspector_create"})
    return inspector


@transaction.atomic
def conflict_declare(*, inspector: Inspector, subject_key: Any, reason: Any, actor: Any) -> InspectorConflict:
    """Record a declared conflict of interest (利害关系): the inspector is never drawn for the subject (回避)."""
    key = _text(subject_key, "subject_key", "统一社会信用代码", max_length=18).upper()
    reason = _text(reason, "reason", "利害关系", max_length=200)
    subject = Subject.objects.filter(uscc=key).first()
    if subject is None:
        raise _fail("unknown_subject", f"未找到统一社会信用代码为 {key} 的主体", f"no subject {key}", "subject_key")
    conflict, created = InspectorConflict.objects.get_or_create(
        inspector=inspector, subject=subject, defaults={"reason": reason, "declared_at": clock.now()})
    if created:
        audit.record(Event.SUPERVISION_CHANGED, actor=actor, object_type="inspector", object_id=inspector.pk,
                     after={"conflict": key}, reason=reason, data={"action": "conflict_declare"})
    return conflict


def _licences_by_subject(subject_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, set[str]] = {}
    rows = CreditRecord.objects.filter(class_code="admin_license", subject_id__in=subject_ids,
                                       status="active").values_list("subject_id", "fields")
    for subject_id, fields in rows:
        name = (fields or {}).get("license_doc_name") or (fields or {}).get("certificate_name")
        if name:
            found.setdefault(subject_id, set()).add(str(name))
    return {k: sorted(v) for k, v in found.items()}


@transaction.atomic
def object_library_refresh(*, actor: Any, batch: int = 2000) -> int:
    """Build the object library (检查对象名录库) from the social credit database: every organisation and
    individual business with a USCC, its district, its licences (行政许可 records) and its class from the latest
    evaluation (evaluation.current_class, read in bulk here). Returns the number of objects."""
    latest = EvaluationResult.objects.filter(subject=OuterRef("pk")).order_by("-evaluated_at", "-id")
    subjects = (Subject.objects.filter(kind__in=INSPECTED_KINDS, uscc__isnull=False)
                .annotate(class_code=Subquery(latest.values("class_code")[:1]),
                          scorecard=Subquery(latest.values("scorecard_version")[:1]))
                .order_by("pk"))
    names = {c: r.name_zh for c, r in supervision_book().classes.items()}
    now, total, last = clock.now(), 0, 0
    while True:
        chunk = list(subjects.filter(pk__gt=last)[:batch])
        if not chunk:
            break
        last = chunk[-1].pk
        licences = _licences_by_subject([s.pk for s in chunk])
        existing = {o.subject_id: o for o in InspectionObject.objects.filter(subject__in=chunk)}
        new, changed = [], []
        for subject in chunk:
            values = {"key": subject.uscc, "class_code": subject.class_code or "",
                      "class_name_zh": names.get(subject.class_code or "unevaluated", "未评价"),
                      "scorecard_version": subject.scorecard or "", "district_id": subject.district_id,
                      "licences": licences.get(subject.pk, []), "refreshed_at": now}
            obj = existing.get(subject.pk)
            if obj is None:
                new.append(InspectionObject(subject=subject, **values))
            else:
                for k, v in values.items():
                    setattr(obj, k, v)
                changed.append(obj)
        InspectionObject.objects.bulk_create(new)
        InspectionObject.objects.bulk_update(changed, ["key", "class_code", "class_name_zh", "scorecard_version",
                                                       "district_id", "licences", "refreshed_at"])
        total += len(chunk)
    audit.record(Event.SUPERVISION_CHANGED, actor=actor, object_type="inspection_object_library", object_id="all",
                 after={"objects": total}, data={"action": "object_library_refresh"})
    return total


# --- tasks --------------------------------------------------------------------------------------------------------

def _ratio(value: Any) -> Decimal:
    try:
        ratio = Decimal(str(value).strip().rstrip("%"))
    except (InvalidOperation, AttributeError):
        raise _fail("ratio", "抽查比例须为数字（百分比）", "the ratio must be a number (percent)", "base_ratio") from None
    if not ratio.is_finite() or ratio <= 0 or ratio > 100:
        raise _fail("ratio", "抽查比例须大于0且不超过100%", "the ratio must be within (0, 100] percent", "base_ratio")
    return ratio.quantize(Decimal("0.01"))


def _date(value: Any, field: str, label: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise _fail("date", f"{label}须为日期（如 2026-12-01）", f"{field} must be a date", field) from None


def _filter(value: Any) -> dict[str, Any]:
    value = dict(value or {})
    unknown = set(value) - FILTER_KEYS
    if unknown:
        raise _fail("filter_key", f"未知的对象范围条件：{'、'.join(sorted(unknown))}", f"unknown filter keys {sorted(unknown)}",
                    "object_filter")
    clean: dict[str, Any] = {}
    for key in ("districts", "classes", "keys"):
        items = value.get(key) or []
        if isinstance(items, str):
            items = items.replace("，", ",").replace("\n", ",").split(",")
        elif not isinstance(items, list | tuple):
            raise _fail("filter_value", "对象范围条件须为列表或以逗号分隔的文字", f"{key} must be a list or text",
                        f"object_filter.{key}")
        items = sorted({str(i).strip().upper() if key == "keys" else str(i).strip() for i in items if str(i).strip()})
        if items:
            clean[key] = items
    if "districts" in clean:
        known = set(District.objects.filter(code__in=clean["districts"]).values_list("code", flat=True))
        if set(clean["districts"]) - known:
            raise _fail("filter_district", f"未知的区县：{'、'.join(sorted(set(clean['districts']) - known))}",
                        "unknown district", "object_filter.districts")
    if "classes" in clean:
        known = set(supervision_book().classes)
        if set(clean["classes"]) - known:
            raise _fail("filter_class", f"未知的信用类别：{'、'.join(sorted(set(clean['classes']) - known))}",
                        "unknown class", "object_filter.classes")
    if str(value.get("licence_contains") or "").strip():
        clean["licence_contains"] = str(value["licence_contains"]).strip()
    return clean


def _next_code(year: int) -> str:
    prefix = f"SJ{year}"
    taken = InspectionTask.objects.filter(code__startswith=prefix).count()
    return f"{prefix}{taken + 1:04d}"


@transaction.atomic
def task_create(*, department: Department, name: Any, item_ids: Iterable[Any], joint_department_ids: Iterable[Any] = (),
                trigger: Any = "random", object_filter: Any = None, base_ratio: Any, planned_date: Any,
                actor: Any) -> InspectionTask:
    """Define an inspection task (抽查任务): items of the lead and joint departments, an object filter, a base
    ratio (0–100 %), a date, the trigger (随机抽查 is graded by class; complaints, referrals and higher-level
    arrangements are not). Every problem of the input is named by its field."""
    book = supervision_book()
    problems: list[Problem] = []

    def attempt(fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except DomainError as exc:
            problems.extend(exc.problems)
            return None

    name = attempt(lambda: _text(name, "name", "任务名称", max_length=200))
    ratio = attempt(lambda: _ratio(base_ratio))
    day = attempt(lambda: _date(planned_date, "planned_date", "计划检查日期"))
    if trigger not in book.triggers:
        problems.append(Problem("supervision.trigger", f"启动方式须为：{'、'.join(t.name_zh for t in book.triggers.values())}",
                                f"unknown trigger {trigger!r}", "trigger"))
    clean_filter = attempt(lambda: _filter(object_filter))
    joint_ids = {int(i) for i in joint_department_ids if str(i).strip()} - {department.pk}
    joints = list(Department.objects.filter(pk__in=joint_ids))
    if len(joints) != len(joint_ids):
        problems.append(Problem("supervision.joint_department", "联合部门不存在", "unknown joint department",
                                "joint_department_ids"))
    departments = {department.pk} | {d.pk for d in joints}
    wanted = {int(i) for i in item_ids if str(i).strip()}
    items = list(InspectionItem.objects.filter(pk__in=wanted, active=True))
    if not wanted:
        problems.append(Problem("supervision.no_items", "请至少选择一个抽查事项", "choose at least one item", "item_ids"))
    elif len(items) != len(wanted) or any(i.department_id not in departments for i in items):
        problems.append(Problem("supervision.item_department", "抽查事项须为牵头部门或联合部门的有效事项",
                                "items must belong to the task's departments", "item_ids"))
    if day is not None and day < clock.today():
        problems.append(Problem("supervision.past_date", "计划检查日期不能早于今天", "the date is in the past",
                                "planned_date"))
    if problems:
        raise DomainError.from_problems(problems)
    task = InspectionTask.objects.create(
        code=_next_code(day.year), name=name, department=department, trigger=trigger, object_filter=clean_filter,
        base_ratio=ratio, planned_date=day, year=day.year, rule_version=book_version(),
        rule_snapshot=book.model_dump(mode="json"), created_by=audit.actor_label(actor), created_at=clock.now())
    task.joint_departments.set(joints)
    task.items.set(items)
    audit.record(Event.SUPERVISION_TASK, actor=actor, object_type="inspection_task", object_id=task.pk,
                 after={"code": task.code, "ratio": str(ratio), "trigger": trigger, "filter": clean_filter},
                 rule_version=task.rule_version, data={"action": "create"})
    return task


def task_departments(task: InspectionTask) -> set[int]:
    return {task.department_id} | set(task.joint_departments.values_list("pk", flat=True))


@transaction.atomic
def task_inspectors_set(*, task: InspectionTask, inspector_ids: Iterable[Any], actor: Any) -> InspectionTask:
    """Name the inspectors a task may draw from (default: every active inspector of its departments). Refused
    once the draw has started: nobody is added to a task after its draw."""
    task = InspectionTask.objects.select_for_update().get(pk=task.pk)
    if task.status not in ("draft", "committed"):
        raise _fail("after_draw", "抽取后不能再增加检查人员", "inspectors cannot be added after the draw", "inspector_ids")
    wanted = {int(i) for i in inspector_ids}
    inspectors = list(Inspector.objects.filter(pk__in=wanted, active=True, department_id__in=task_departments(task)))
    if len(inspectors) != len(wanted):
        raise _fail("inspector_department", "检查人员须为本任务部门的在岗人员",
                    "inspectors must be active staff of the task's departments", "inspector_ids")
    task.inspector_pool.set(inspectors)
    audit.record(Event.SUPERVISION_TASK, actor=actor, object_type="inspection_task", object_id=task.pk,
                 after={"inspectors": sorted(i.staff_no for i in inspectors)}, data={"action": "inspectors_set"})
    return task


def _is_special(task: InspectionTask) -> bool:
    """A task is a special-domain one (outside class rules and caps) when every item is in a special domain."""
    items = list(task.items.all())
    return bool(items) and all(i.special_domain for i in items)


def _counts_against_cap(task: InspectionTask) -> bool:
    return supervision_book().triggers[task.trigger].graded and not _is_special(task)


def random_draws_in_year(year: int, exclude_task: int | None = None) -> Counter:
    """Subjects' random (graded) inspections drawn in a calendar year (the yearly cap counts these)."""
    rows = (DrawnObject.objects.filter(task__year=year, counts_against_cap=True)
            .exclude(task_id=exclude_task).values("subject_id").annotate(n=Count("id")))
    return Counter({r["subject_id"]: r["n"] for r in rows})


def _objects(task: InspectionTask):
    spec = task.object_filter or {}
    objects = InspectionObject.objects.select_related("subject")
    if spec.get("districts"):
        objects = objects.filter(district__code__in=spec["districts"])
    if spec.get("classes"):
        classes = [c for c in spec["classes"] if c != "unevaluated"]
        q = Q(class_code__in=classes)
        if "unevaluated" in spec["classes"]:
            q |= Q(class_code="")
        objects = objects.filter(q)
    if spec.get("keys"):
        objects = objects.filter(key__in=spec["keys"])
    if spec.get("licence_contains"):
        needle = spec["licence_contains"]
        return [o for o in objects.order_by("key") if any(needle in name for name in o.licences)]
    return list(objects.order_by("key"))


@transaction.atomic
def task_commit(*, task: InspectionTask, actor: Any) -> InspectionTask:
    """Freeze the candidate list and publish the commitment (一公开, before the draw): the class rules decide who
    may be drawn and at which ratio (rulebook version recorded); a fresh random seed is made and only its SHA-256
    is published with the list's hash. Refused when the filter selects nobody."""
    task = InspectionTask.objects.select_for_update().get(pk=task.pk)
    new_status = _move(task, "commit")
    book = supervision_book()
    objects = _objects(task)
    if not objects:
        raise _fail("nobody_selected", "检查对象范围内没有任何主体，请调整范围（区县、信用类别、主体名单或许可）",
                    "the object filter selects nobody", "object_filter")
    special = _is_special(task)
    capped = _counts_against_cap(task)
    drawn_this_year = random_draws_in_year(task.year, exclude_task=task.pk) if capped else Counter()
    candidates, classes, reasons = [], {}, Counter()
    for obj in objects:
        verdict = eligibility(class_code=obj.class_code or None, trigger=task.trigger, special_domain=special,
                              base_ratio=task.base_ratio, random_draws_this_year=drawn_this_year[obj.subject_id],
                              book=book)
        if verdict.eligible and verdict.ratio > 0:
            candidates.append(Candidate(obj.key, verdict.ratio))
            classes[obj.key] = obj.class_code
        else:
            reasons[verdict.reason_zh] += 1
    if not candidates:
        raise _fail("nobody_eligible", "范围内的主体按分级分类规则均不应被抽取（诚信守法“非请勿扰”或已达年度随机检查上限）",
                    "every selected subject is excluded by the class rules", "object_filter")
    if capped:
        _refuse_pending_overlap(task, {c.key for c in candidates})
    seed = secrets.token_hex(SEED_BYTES)
    task.seed, task.seed_commitment = seed, commit_seed(seed)
    task.candidates = [c.as_dict() for c in sorted(candidates, key=lambda c: c.key)]
    task.candidates_hash = candidates_hash(candidates)
    task.excluded = {"classes": classes, "reasons": dict(reasons), "selected": len(objects)}
    task.status, task.committed_at = new_status, clock.now()
    task.rule_version, task.rule_snapshot = book_version(), book.model_dump(mode="json")
    task.save()
    audit.record(Event.SUPERVISION_TASK, actor=actor, object_type="inspection_task", object_id=task.pk,
                 before={"status": "draft"}, after={"status": new_status, "commitment": task.seed_commitment,
                                                    "candidates_hash": task.candidates_hash,
                                                    "candidates": len(candidates)},
                 rule_version=task.rule_version, data={"action": "commit", "excluded": dict(reasons)})
    return task


def _refuse_pending_overlap(task: InspectionTask, keys: set[str]) -> None:
    """Two graded tasks of a year may not both hold a capped subject undrawn: the second would break the yearly
    cap whichever draws last, and a frozen list cannot change. Draw the first before committing the second."""
    book = supervision_book()
    for other in InspectionTask.objects.filter(year=task.year, status__in=("committed", "drawing")).exclude(pk=task.pk):
        if not _counts_against_cap(other):
            continue
        capped = {k for k, c in (other.excluded.get("classes") or {}).items()
                  if book.class_rule(c or None).yearly_random_cap is not None}
        overlap = keys & capped
        if overlap:
            raise _fail("pending_overlap", f"任务{other.code}已公布承诺但尚未抽取，其候选中有{len(overlap)}户受年度随机检查次数限制；请先完成该任务的抽取",
                        f"task {other.code} holds {len(overlap)} capped candidates undrawn", "object_filter")


@transaction.atomic
def task_draw_start(*, task: InspectionTask, actor: Any, enqueue: bool = True) -> InspectionTask:
    """Start the draw: the task goes to 抽取中 and the draw runs on the worker after commit."""
    task = InspectionTask.objects.select_for_update().get(pk=task.pk)
    task.status = _move(task, "start_draw")
    task.draw_error = ""
    task.save(update_fields=["status", "draw_error"])
    audit.record(Event.SUPERVISION_TASK, actor=actor, object_type="inspection_task", object_id=task.pk,
                 before={"status": "committed"}, after={"status": task.status}, data={"action": "start_draw"})
    if enqueue:
        transaction.on_commit(lambda: _enqueue(task.pk))
    return task


def _enqueue(task_id: int) -> None:
    from pubcredit.supervision.tasks import draw_task

    result = draw_task.enqueue(task_id=task_id)
    InspectionTask.objects.filter(pk=task_id).update(task_result_id=result.id)


def _inspector_facts(task: InspectionTask) -> list[InspectorFact]:
    pool = task.inspector_pool.all()
    if not pool.exists():
        pool = Inspector.objects.filter(department_id__in=task_departments(task))
    conflicts: dict[int, set[str]] = {}
    for inspector_id, key in InspectorConflict.objects.filter(inspector__in=pool).values_list("inspector_id",
                                                                                             "subject__uscc"):
        conflicts.setdefault(inspector_id, set()).add(key)
    return [InspectorFact(i.staff_no, str(i.department_id), frozenset(i.qualifications),
                          frozenset(conflicts.get(i.pk, ()))) for i in pool.filter(active=True)]


def task_draw_execute(*, task_id: int, actor: Any,
                      progress: Callable[[int, int], None] | None = None) -> InspectionTask:
    """Run the draw (双随机): check the seed against its commitment, draw objects by the frozen list, draw at
    least two inspectors per object, reveal the seed — in one transaction. On any problem nothing is drawn, the
    task returns to 待抽取 with the reason (audited), and the DomainError is raised."""
    try:
        return _draw(task_id=task_id, actor=actor, progress=progress)
    except DomainError as exc:
        with transaction.atomic():
            task = InspectionTask.objects.select_for_update().get(pk=task_id)
            if task.status == "drawing":
                task.status = _move(task, "failed")
                task.draw_error = "；".join(p.message_zh for p in exc.problems)[:2000]
                task.save(update_fields=["status", "draw_error"])
                audit.record(Event.SUPERVISION_TASK, actor=actor, object_type="inspection_task", object_id=task.pk,
                             before={"status": "drawing"}, after={"status": task.status}, reason=task.draw_error,
                             data={"action": "draw_failed", "code": exc.code})
        raise


def _draw(*, task_id: int, actor: Any, progress: Callable[[int, int], None] | None) -> InspectionTask:
    """Compute first (read only, progress reported per 100 objects), then write everything in one transaction
    that re-checks the state under a lock; a failure in either phase leaves nothing drawn."""
    task = InspectionTask.objects.get(pk=task_id)
    if task.status == "drawn":
        return task  # a job run twice draws once
    _move(task, "drawn")
    if commit_seed(task.seed) != task.seed_commitment:
        raise _fail("seed_mismatch", "随机种子与事先公布的承诺值不一致，拒绝抽取", "the seed does not match its commitment",
                    "seed")
    candidates = [Candidate(c["key"], Decimal(c["ratio"])) for c in task.candidates]
    if candidates_hash(candidates) != task.candidates_hash:
        raise _fail("list_changed", "候选名单与事先公布的哈希不一致，拒绝抽取", "the candidate list changed", "candidates")
    drawn = draw(task.seed, candidates)
    domains = sorted({i.domain for i in task.items.all()})
    facts = _inspector_facts(task)
    departments = [str(d) for d in task_departments(task)]
    per_object = supervision_book().inspectors_per_object
    teams, problems, total = {}, [], len(drawn)
    for n, d in enumerate(drawn, start=1):
        try:
            teams[d.key] = assign_inspectors(task.seed, d.key, domains, departments, facts, per_object)
        except DomainError as exc:
            problems.extend(exc.problems)
        if progress and (n % 100 == 0 or n == total):
            progress(n, total)
    if problems:
        raise DomainError.from_problems(problems)
    return _draw_write(task_id=task_id, seed=task.seed, drawn=drawn, teams=teams, actor=actor)


@transaction.atomic
def _draw_write(*, task_id: int, seed: str, drawn: list, teams: dict[str, list[str]], actor: Any) -> InspectionTask:
    task = InspectionTask.objects.select_for_update().get(pk=task_id)
    if task.status == "drawn":
        return task
    new_status = _move(task, "drawn")
    if task.seed != seed:  # changed between the two phases
        raise _fail("seed_mismatch", "随机种子在抽取过程中被改动，拒绝抽取", "the seed changed during the draw", "seed")
    keys, subjects = [d.key for d in drawn], {}
    for i in range(0, len(keys), 5000):  # SQLite's limit on query parameters
        subjects |= {o.key: o.subject for o in InspectionObject.objects.filter(key__in=keys[i:i + 5000])
                     .select_related("subject")}
    by_staff = {i.staff_no: i for i in Inspector.objects.filter(staff_no__in={k for t in teams.values() for k in t})}
    capped, classes = _counts_against_cap(task), task.excluded.get("classes") or {}
    for d in drawn:
        obj = DrawnObject.objects.create(task=task, subject=subjects[d.key], key=d.key, position=d.position,
                                         order_key=d.order_key, ratio=d.ratio, class_code=classes.get(d.key, ""),
                                         counts_against_cap=capped)
        InspectorAssignment.objects.bulk_create([InspectorAssignment(drawn_object=obj, inspector=by_staff[k])
                                                 for k in teams[d.key]])
    task.status, task.drawn_at, task.seed_revealed_at = new_status, clock.now(), clock.now()
    task.save(update_fields=["status", "drawn_at", "seed_revealed_at"])
    audit.record(Event.SUPERVISION_TASK, actor=actor, object_type="inspection_task", object_id=task.pk,
                 before={"status": "drawing"}, after={"status": new_status, "drawn": len(drawn), "seed": task.seed},
                 rule_version=task.rule_version, data={"action": "drawn"})
    return task


# --- results ------------------------------------------------------------------------------------------------------

@transaction.atomic
def result_enter(*, drawn_object: DrawnObject, item: InspectionItem, outcome: Any, inspected_on: Any,
                 notes: Any = "", actor: Any, inspector: Inspector | None = None) -> InspectionResult:
    """Enter a result (谁检查、谁录入) for one object and item: only an inspector assigned to the object may — the
    actor's own inspector account, or ``inspector`` named by a department's system (API token) that the caller has
    checked is of the token's department; the publication deadline is the rulebook's working days after the
    inspection; a negative result becomes a ``spot_check_result`` credit record through the records service
    (evaluation, publicity, repair read it)."""
    task = drawn_object.task
    if task.status != "drawn":
        raise _fail("not_drawn", "任务尚未抽取或已完成，不能录入结果", "the task is not drawn", "task")
    assignments = InspectorAssignment.objects.filter(drawn_object=drawn_object, inspector__active=True)
    if inspector is None:
        assigned = assignments.filter(inspector__user_id=getattr(actor, "pk", None)).exists()
        entered_by = audit.actor_label(actor)
    else:
        assigned = assignments.filter(inspector=inspector).exists()
        entered_by = f"{audit.actor_label(actor)}（{inspector.name} {inspector.staff_no}）"[:150]
    if not assigned:
        raise _fail("not_assigned", "只有被抽中检查该对象的检查人员才能录入结果", "only an assigned inspector may enter a result",
                    "actor")
    if not task.items.filter(pk=item.pk).exists():
        raise _fail("item_not_in_task", "该事项不属于本任务", "the item is not part of the task", "item")
    if outcome not in RESULT_LABELS:
        raise _fail("outcome", f"检查结果须为：{'、'.join(RESULT_LABELS.values())}", f"unknown outcome {outcome!r}",
                    "outcome")
    day = _date(inspected_on, "inspected_on", "检查日期")
    if day > clock.today() or (task.drawn_at and day < task.drawn_at.date()):
        raise _fail("inspected_on", "检查日期须在抽取之后、不晚于今天", "the inspection date is out of range", "inspected_on")
    notes = _text(notes, "notes", "情况说明", max_length=4000, required=outcome in NEGATIVE_RESULTS)
    if InspectionResult.objects.filter(drawn_object=drawn_object, item=item).exists():
        raise _fail("duplicate_result", "该对象该事项已录入结果", "a result exists", "item")
    book = supervision_book()
    due = add_working_days(day, book.publication_working_days).value
    record = _negative_record(task, drawn_object, item, outcome, day, notes, actor) if outcome in NEGATIVE_RESULTS \
        else None
    result = InspectionResult.objects.create(drawn_object=drawn_object, item=item, outcome=outcome, notes=notes,
                                             inspected_on=day, publish_due=due, record=record,
                                             entered_by=entered_by, entered_at=clock.now(),
                                             rule_version=book_version())
    audit.record(Event.SUPERVISION_RESULT, actor=actor, object_type="inspection_result", object_id=result.pk,
                 after={"outcome": outcome, "task": task.code, "subject": drawn_object.key, "item": item.code,
                        "record": record.pk if record else None}, rule_version=result.rule_version,
                 data={"action": "enter"})
    return result


def _negative_record(task, drawn_object, item, outcome, day, notes, actor) -> CreditRecord:
    subject = drawn_object.subject
    department = item.department
    values = {"subject_name": subject.name, "subject_category": subject.kind, "subject_uscc": subject.uscc,
              "decision_no": f"{task.code}-{drawn_object.position}-{item.code}", "decision_date": day.isoformat(),
              "task_code": task.code, "item_name": item.name, "outcome": outcome, "facts": notes,
              "inspecting_unit": department.name, "source_name": department.name, "source_uscc": department.uscc}
    submitted = record_submit_one(info_class=get_class(RESULT_CLASS), values=values, department=department,
                                  actor=actor)
    return CreditRecord.objects.get(pk=submitted.record_ids[0])


@transaction.atomic
def results_enter_batch(*, task: InspectionTask, department: Department, rows: list[dict[str, Any]],
                        actor: Any) -> list[InspectionResult]:
    """Results sent by a department's own system (API token): each row names the object (``key``, its USCC), the
    item (``item``, its code), ``outcome``, ``inspected_on``, ``notes`` and the assigned inspector of the department
    who inspected (``staff_no``, 执法证号). All or nothing: every faulty row is named (``results.N.field``) and
    nothing is entered while one is faulty."""
    if not rows:
        raise _fail("no_results", "请至少提交一条检查结果", "no results given", "results")
    objects = {o.key: o for o in task.drawn.select_related("subject", "task")}
    items = {i.code: i for i in task.items.all()}
    staff = {i.staff_no: i for i in Inspector.objects.filter(department=department, active=True)}
    problems: list[Problem] = []
    entered: list[InspectionResult] = []
    for n, row in enumerate(rows):
        def refuse(code: str, zh: str, en: str, field: str) -> None:
            problems.append(Problem(f"supervision.{code}", f"第{n + 1}条：{zh}", f"result {n}: {en}",
                                    f"results.{n}.{field}"))
        drawn_object = objects.get(str(row.get("key") or "").strip().upper())
        item = items.get(str(row.get("item") or "").strip())
        inspector = staff.get(str(row.get("staff_no") or "").strip())
        if drawn_object is None:
            refuse("not_drawn_object", "该主体不是本任务抽中的检查对象", "the subject was not drawn by the task", "key")
        if item is None:
            refuse("item_not_in_task", "该事项不属于本任务", "the item is not part of the task", "item")
        if inspector is None:
            refuse("not_assigned", "执法证号不是本部门在岗的检查人员", "no active inspector of the department with "
                   "that staff number", "staff_no")
        if drawn_object is None or item is None or inspector is None:
            continue
        try:
            with transaction.atomic():
                entered.append(result_enter(drawn_object=drawn_object, item=item, outcome=row.get("outcome"),
                                            inspected_on=row.get("inspected_on"), notes=row.get("notes") or "",
                                            actor=actor, inspector=inspector))
        except DomainError as exc:
            for p in exc.problems:
                refuse(p.code.removeprefix("supervision."), p.message_zh, p.message_en, p.field or "")
    if problems:
        raise DomainError.from_problems(problems)
    return entered


@transaction.atomic
def results_publish(*, task: InspectionTask, actor: Any) -> int:
    """Publish (一公开) every entered, unpublished result of the task on the public site."""
    now = clock.now()
    pending = InspectionResult.objects.filter(drawn_object__task=task, published_at__isnull=True)
    count = pending.update(published_at=now)
    if count:
        audit.record(Event.SUPERVISION_RESULT, actor=actor, object_type="inspection_task", object_id=task.pk,
                     after={"published": count}, data={"action": "publish"})
    return count


# --- XLSX import of the libraries ---------------------------------------------------------------------------------

IMPORT_COLUMNS = {
    "items": {"事项编码": "code", "抽查事项": "name", "检查领域": "domain", "事项类别": "kind", "特殊领域": "special_domain",
              "检查依据": "legal_basis"},
    "inspectors": {"执法证号": "staff_no", "姓名": "name", "执法资格": "qualifications"},
}
_KIND_BY_LABEL = {label: code for code, label in ITEM_KIND_LABELS.items()} | {"一般": "general", "重点": "key"}


def _sheet_rows(data: bytes) -> list[list[Any]]:
    import io

    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    except Exception as exc:  # calamine raises its own error types for a file that is not a workbook
        raise _fail("not_xlsx", "无法读取该文件，请上传 XLSX 工作簿", f"not a readable workbook: {exc}", "file") from None


@transaction.atomic
def library_import(*, department: Department, kind: str, data: bytes, actor: Any) -> int:
    """Import items (抽查事项) or inspectors (检查人员) of the department from an XLSX sheet whose first row holds
    the Chinese column names (IMPORT_COLUMNS). All or nothing: every faulty row is named (第N行) and nothing is
    added while one is faulty. Returns the number added."""
    columns = IMPORT_COLUMNS.get(kind)
    if columns is None:
        raise _fail("import_kind", "只能导入抽查事项或检查人员", f"unknown import kind {kind!r}", "kind")
    rows = _sheet_rows(data)
    if not rows:
        raise _fail("empty_file", "文件没有内容", "the sheet is empty", "file")
    header = [str(h).strip() for h in rows[0]]
    missing = [label for label in columns if label not in header]
    if missing:
        raise _fail("missing_columns", f"缺少列：{'、'.join(missing)}（第一行应为：{'、'.join(columns)}）",
                    f"missing columns {missing}", "file")
    index = {columns[label]: header.index(label) for label in columns}
    problems: list[Problem] = []
    added = 0
    for n, row in enumerate(rows[1:], start=2):
        values = {key: (row[i] if i < len(row) else "") for key, i in index.items()}
        if all(str(v).strip() == "" for v in values.values()):
            continue
        try:
            if kind == "items":
                values["kind"] = _KIND_BY_LABEL.get(str(values["kind"]).strip(), str(values["kind"]).strip())
                values["special_domain"] = str(values["special_domain"]).strip() in ("是", "1", "True", "true")
                item_create(department=department, actor=actor, **values)
            else:
                inspector_create(department=department, actor=actor, **values)
            added += 1
        except DomainError as exc:
            problems.extend(Problem(p.code, f"第{n}行：{p.message_zh}", f"row {n}: {p.message_en}", f"rows.{n}.{p.field}")
                            for p in exc.problems)
    if problems:
        raise DomainError.from_problems(problems)
    if not added:
        raise _fail("empty_file", "文件没有数据行", "no data rows", "file")
    return added
