"""Reads of supervision: libraries, tasks, the published view of a draw (一公开) and its verification, figures."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Count, Q, QuerySet

from pubcredit.accounts.choices import Role
from pubcredit.rules import clock
from pubcredit.rules.supervision import Verification, verify
from pubcredit.supervision.models import (
    DrawnObject, InspectionItem, InspectionObject, InspectionResult, InspectionTask, Inspector,
)
from pubcredit.supervision.rulebook import supervision_book

PUBLIC_STATUSES = ("committed", "drawing", "drawn", "closed")


def may_view(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_superuser or user.role in (Role.OPERATOR, Role.DISTRICT_OPERATOR) or user.department_id is not None)


def may_manage(user: Any) -> bool:
    """Departments maintain their own items, inspectors and tasks; credit-centre operators any."""
    return may_view(user) and (user.is_superuser or user.role == Role.OPERATOR or user.department_id is not None)


def is_operator(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False) or getattr(user, "role", "") == Role.OPERATOR)


def items(*, viewer: Any) -> QuerySet[InspectionItem]:
    found = InspectionItem.objects.select_related("department").order_by("department__code", "code")
    return found if is_operator(viewer) else found.filter(department_id=viewer.department_id)


def inspectors(*, viewer: Any) -> QuerySet[Inspector]:
    found = Inspector.objects.select_related("department").annotate(n_conflicts=Count("conflicts")) \
        .order_by("department__code", "staff_no")
    return found if is_operator(viewer) else found.filter(department_id=viewer.department_id)


def tasks(*, viewer: Any) -> QuerySet[InspectionTask]:
    found = InspectionTask.objects.select_related("department")
    if is_operator(viewer):
        return found
    return found.filter(Q(department_id=viewer.department_id) | Q(joint_departments=viewer.department_id)).distinct()


def task_get(*, viewer: Any, pk: int) -> InspectionTask | None:
    return tasks(viewer=viewer).filter(pk=pk).first()


def department_task(*, department: Any, code: str) -> InspectionTask | None:
    """A task the department leads or joins (what its API token may see and act on), or None."""
    return (InspectionTask.objects.select_related("department")
            .filter(Q(department=department) | Q(joint_departments=department), code=code).distinct().first())


def drawn_objects(task: InspectionTask) -> QuerySet[DrawnObject]:
    return task.drawn.select_related("subject").prefetch_related("inspectors", "results__item")


def overdue_results(*, task: InspectionTask | None = None) -> QuerySet[InspectionResult]:
    found = InspectionResult.objects.filter(published_at__isnull=True, publish_due__lt=clock.today())
    return found.filter(drawn_object__task=task) if task else found


def class_counts() -> dict[str, int]:
    names = {c: r.name_zh for c, r in supervision_book().classes.items()}
    counts = Counter(InspectionObject.objects.values_list("class_code", flat=True))
    return {names.get(code or "unevaluated", code): n for code, n in sorted(counts.items())}


def inspections_per_class(*, year: int) -> list[dict[str, Any]]:
    """Figures (internal): per class, objects in the library and objects drawn by random (graded) and other tasks
    in the year — showing that honest subjects were left alone."""
    names = {c: r.name_zh for c, r in supervision_book().classes.items()}
    library = Counter(code or "unevaluated" for code in InspectionObject.objects.values_list("class_code", flat=True))
    drawn = Counter()
    for code, capped in DrawnObject.objects.filter(task__year=year).values_list("class_code", "counts_against_cap"):
        drawn[(code or "unevaluated", capped)] += 1
    return [{"class_code": c, "name_zh": names[c], "objects": library[c], "random": drawn[(c, True)],
             "other": drawn[(c, False)]} for c in supervision_book().classes]


# --- public (一公开) ------------------------------------------------------------------------------------------------

def public_tasks() -> QuerySet[InspectionTask]:
    return InspectionTask.objects.filter(status__in=PUBLIC_STATUSES).select_related("department")


def public_task(code: str) -> InspectionTask | None:
    return public_tasks().filter(code=code).first()


def published_draw(task: InspectionTask) -> dict[str, Any]:
    """What anyone may download and recompute: the plan, the commitment, the frozen list, the seed once revealed
    and the drawn list. Never the class of a subject (evaluation results are internal): a line carries the ratio
    of its stratum only."""
    revealed = task.seed_revealed_at is not None
    return {
        "task": task.code, "name": task.name, "department": task.department.name,
        "joint_departments": [d.name for d in task.joint_departments.all()],
        "items": [{"code": i.code, "name": i.name, "kind": i.kind} for i in task.items.all()],
        "trigger": task.trigger, "base_ratio": format(task.base_ratio, "f"),
        "planned_date": task.planned_date.isoformat(), "rule_version": task.rule_version,
        "committed_at": task.committed_at.isoformat() if task.committed_at else None,
        "seed_commitment": task.seed_commitment, "candidates_hash": task.candidates_hash,
        "candidates": task.candidates,
        "seed": task.seed if revealed else None,
        "drawn": [d.key for d in task.drawn.order_by("position")] if revealed else [],
        "algorithm": "commitment = SHA-256(seed bytes); list hash = SHA-256(JSON of candidates sorted by key, "
                     "compact separators); per ratio stratum order by HMAC-SHA256(seed, key), take ceil(n*ratio/100); "
                     "drawn list ordered by HMAC",
    }


IMPORT_EXAMPLES = {
    "items": ["SC-01", "食品经营者经营行为检查", "食品", "一般检查事项", "否", "《中华人民共和国食品安全法》第一百一十条"],
    "inspectors": ["ZB0001", "张三", "食品、特种设备"],
}
IMPORT_NOTES = {
    "items": ["本部门内唯一，最长40字", "最长200字", "与检查人员的执法资格相对应，如：食品、特种设备",
              "一般检查事项 或 重点检查事项（也可填：一般、重点）", "是 或 否；填“是”时检查领域须为：{special}", "法律法规依据"],
    "inspectors": ["全市唯一", "检查人员姓名", "可填多个领域，用顿号或逗号分隔"],
}


def import_template(kind: str, columns: list[str]) -> bytes:
    """The XLSX template of a library import (批量导入模板): the header row the import reads (``columns``, from
    ``services.IMPORT_COLUMNS``), text cells so that codes keep every character, and a sheet explaining each column
    with an example."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    special = "、".join(supervision_book().special_domains.values())
    book = Workbook()
    sheet = book.active
    sheet.title = "抽查事项" if kind == "items" else "检查人员"
    sheet.append(columns)
    for index, cell in enumerate(sheet[1], start=1):
        cell.font = Font(bold=True)
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = 24
        for row in range(2, 502):
            sheet.cell(row=row, column=index).number_format = "@"
    notes = book.create_sheet("填写说明")
    notes.append(["列名", "填写说明", "示例"])
    for label, note, example in zip(columns, IMPORT_NOTES[kind], IMPORT_EXAMPLES[kind], strict=True):
        notes.append([label, note.format(special=special), example])
    notes.append(["", "第一行列名不可修改。有一行出错则整个文件不导入，并列出出错的行。", ""])
    for letter in "ABC":
        notes.column_dimensions[letter].width = 36
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def verify_published(data: dict[str, Any]) -> Verification:
    return verify(commitment=str(data.get("seed_commitment") or ""),
                  published_list_hash=str(data.get("candidates_hash") or ""), seed_hex=data.get("seed"),
                  candidates=data.get("candidates") or [], drawn_keys=data.get("drawn") or [])


def published_results(task: InspectionTask) -> QuerySet[InspectionResult]:
    return (InspectionResult.objects.filter(drawn_object__task=task, published_at__isnull=False)
            .select_related("drawn_object__subject", "item").order_by("drawn_object__position", "item__code"))


def figures(*, year: int) -> dict[str, Any]:
    """The year's inspections per department (lead) and district, the share of joint tasks and overdue result
    publications (internal figures)."""
    drawn = DrawnObject.objects.filter(task__year=year)
    by_department = list(drawn.values("task__department__name").annotate(n=Count("id")).order_by("-n"))
    by_district = list(drawn.values("subject__district__name").annotate(n=Count("id")).order_by("-n"))
    tasks_of_year = InspectionTask.objects.filter(year=year).exclude(status="draft")
    joint = tasks_of_year.filter(joint_departments__isnull=False).distinct().count()
    total = tasks_of_year.count()
    return {
        "by_department": [(r["task__department__name"], r["n"]) for r in by_department],
        "by_district": [(r["subject__district__name"] or "未登记区县", r["n"]) for r in by_district],
        "tasks": total, "joint_tasks": joint, "joint_percent": round(100 * joint / total) if total else None,
        "objects_drawn": drawn.count(),
        "results": InspectionResult.objects.filter(drawn_object__task__year=year).count(),
        "overdue": overdue_results().filter(drawn_object__task__year=year).count(),
    }
