"""Hand-built rows of other systems for the governance tests (ORM fixtures: each app tests its own services)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pubcredit.rules import clock
from pubcredit.subjects.models import Subject
from pubcredit.supervision.models import DrawnObject, InspectionItem, InspectionResult, InspectionTask
from tests.factories import uscc

TZ = clock.PLATFORM_TZ


def inspection_task(department, code: str, *, trigger: str = "random", drawn_on: dt.date | None = None,
                    planned: dt.date = dt.date(2026, 9, 20)) -> InspectionTask:
    now = clock.now()
    item, _ = InspectionItem.objects.get_or_create(
        department=department, code=f"{department.code}-SC", defaults={
            "name": "食品经营者经营行为检查", "domain": "食品", "kind": "general", "legal_basis": "食品安全法",
            "created_at": now})
    task = InspectionTask.objects.create(
        code=code, name=f"{code} 抽查", department=department, trigger=trigger, base_ratio=Decimal("5"),
        planned_date=planned, year=planned.year, status="drawn", rule_version="test", created_by="test",
        created_at=now,
        drawn_at=dt.datetime.combine(drawn_on, dt.time(10), TZ) if drawn_on else None)
    task.items.add(item)
    return task


def drawn(task: InspectionTask, n: int, *, class_code: str = "honest", graded: bool = True) -> DrawnObject:
    subject, _ = Subject.objects.get_or_create(uscc=uscc(n), defaults={
        "kind": "legal_person", "name": f"淄博抽查对象公司{n}", "created_at": clock.now(), "updated_at": clock.now()})
    return DrawnObject.objects.create(task=task, subject=subject, key=subject.uscc, position=n, order_key=f"{n:064d}",
                                      ratio=Decimal("5"), class_code=class_code, counts_against_cap=graded)


def inspection_result(task: InspectionTask, n: int, *, inspected: dt.date, due: dt.date,
                      published: dt.date | None) -> InspectionResult:
    return InspectionResult.objects.create(
        drawn_object=drawn(task, n), item=task.items.get(), outcome="no_problem", inspected_on=inspected,
        publish_due=due, published_at=dt.datetime.combine(published, dt.time(16), TZ) if published else None,
        entered_by="test", entered_at=clock.now(), rule_version="test")
