"""A small city for random inspections: organisations in each credit class (written as evaluation results, as an
evaluation run would), two departments with items and inspectors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pubcredit.accounts.choices import Role
from pubcredit.accounts.services import user_create
from pubcredit.evaluation.models import EvaluationResult, EvaluationRun
from pubcredit.rules import clock
from pubcredit.subjects.models import Subject
from pubcredit.supervision import services
from tests.factories import uscc

CLASSES = {"honest": ("A", 5), "minor": ("B", 5), "general": ("C", 5), "serious": ("D", 5)}
CLASS_OF_N = {}


@pytest.fixture
def city(db, today, system_actor):
    """Twenty organisations, five per class (n 1–5 honest, 6–10 minor, 11–15 general, 16–20 serious), plus two
    never evaluated (21, 22); the object library built from them."""
    now = clock.now()
    run = EvaluationRun.objects.create(trigger="quarterly", as_of=dt.date(2026, 9, 30), period="2026Q3",
                                       scorecard_version="zibo-v1", status="done", requested_by="test", created_at=now)
    n = 0
    for class_code, (grade, count) in CLASSES.items():
        for _ in range(count):
            n += 1
            subject = Subject.objects.create(kind="legal_person", name=f"淄博抽查测试公司{n}", uscc=uscc(n),
                                             created_at=now, updated_at=now)
            EvaluationResult.objects.create(run=run, subject=subject, as_of=run.as_of, scorecard_version="zibo-v1",
                                            score=Decimal(900), grade=grade, class_code=class_code, evaluated_at=now)
    for m in (21, 22):
        Subject.objects.create(kind="legal_person", name=f"淄博未评价公司{m}", uscc=uscc(m), created_at=now,
                               updated_at=now)
    services.object_library_refresh(actor=system_actor)
    return {s.uscc: s for s in Subject.objects.all()}


@pytest.fixture
def libraries(db, department, district_department, system_actor):
    """Food items of the city bureau, a special-equipment item of the district bureau; six city inspectors
    (food), two district inspectors (special equipment); inspector 1 has a platform account."""
    food = services.item_create(department=department, code="SC-01", name="食品经营者经营行为检查", domain="食品",
                                kind="general", special_domain=False, legal_basis="《中华人民共和国食品安全法》",
                                actor=system_actor)
    equipment = services.item_create(department=district_department, code="TZ-01", name="特种设备使用单位检查",
                                     domain="特种设备", kind="key", special_domain=True,
                                     legal_basis="《中华人民共和国特种设备安全法》", actor=system_actor)
    account = user_create(username="inspector1", password="Inspector#2026", role=Role.BUSINESS_USER,
                          display_name="检查员一", department=department, actor=system_actor)
    food_inspectors = [services.inspector_create(department=department, staff_no=f"ZB{i:04d}", name=f"检查员{i}",
                                                 qualifications="食品", user=account if i == 1 else None,
                                                 actor=system_actor) for i in range(1, 7)]
    equipment_inspectors = [services.inspector_create(department=district_department, staff_no=f"ZD{i:04d}",
                                                      name=f"特检员{i}", qualifications=["特种设备"],
                                                      actor=system_actor) for i in range(1, 3)]
    return {"food": food, "equipment": equipment, "account": account, "food_inspectors": food_inspectors,
            "equipment_inspectors": equipment_inspectors}


@pytest.fixture
def run_worker(monkeypatch):
    from django.core.management import call_command

    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    monkeypatch.setattr("pubcredit.jobs.housekeeping.Housekeeping.start", lambda self: None)
    return lambda: call_command("worker", batch=True, interval=0)
