"""Demo credit commitments (演示信用承诺) for ``pubcredit seed_demo``: 告知承诺 for approvals at the market regulator
and the housing bureau, voluntary commitments, a few verified on time, one overdue, and two breaches (one with a
declared severity, one untrue repair commitment), all through the commitments services.

Deterministic for a seed; a few dozen commitments, so ``seed_demo`` stays quick.
"""

from __future__ import annotations

import datetime as dt
import random

from pubcredit.accounts.models import Department
from pubcredit.commitments.services import commitment_accept, commitment_breach_record, commitment_verify
from pubcredit.demo.records import SubjectFactory
from pubcredit.rules import clock

# (department code, matter, type, approval prefix)
_PLANS = [("SCJGJ", "食品经营许可", "审批替代型", "SP"), ("ZJJ", "建筑工程施工许可", "审批替代型", "JZ"),
          ("SCJGJ", "食品经营许可", "主动型", None), ("WJW", "公共场所卫生许可", "审批替代型", "WS")]


def seed_commitments(*, subjects: int, seed: int, actor, count: int = 40) -> dict[str, int]:
    """``count`` commitments of organisations among the first ``subjects``; returns counts by outcome."""
    rng = random.Random(seed * 7919 + 17)
    factory = SubjectFactory(seed)
    today = clock.today()
    departments = {d.code: d for d in Department.objects.filter(code__in={p[0] for p in _PLANS})}
    totals = {"accepted": 0, "verified": 0, "breached": 0}
    organisations = [i for i in range(subjects) if factory(i).kind == "legal_person"][:count]
    for n, index in enumerate(organisations, start=1):
        subject = factory(index)
        code, matter, kind, prefix = _PLANS[n % len(_PLANS)]
        department = departments.get(code)
        if department is None:
            continue
        made = today - dt.timedelta(days=rng.randint(20, 200))
        values = {
            "subject_name": subject.name, "subject_category": "法人及非法人组织", "subject_uscc": subject.uscc,
            "decision_no": f"{department.name[:2]}承诺〔{made.year}〕{n}号", "commitment_type": kind, "matter": matter,
            "decision_date": made.isoformat(), "term_end": (made + dt.timedelta(days=365)).isoformat(),
        }
        if prefix:
            values["approval_no"] = f"{prefix}-{made.year}-{n:04d}"
            values["verification_date"] = (made + dt.timedelta(days=rng.choice((14, 30, 60)))).isoformat()
        record = commitment_accept(department=department, values=values, actor=actor)
        totals["accepted"] += 1
        due = values.get("verification_date")
        if due and dt.date.fromisoformat(due) < today and n % 5:
            # most commitments due are verified on time; every fifth is left overdue (逾期未核查)
            commitment_verify(record=record, department=department, verified_on=due, fulfilled=True,
                              note="现场核查，与承诺一致", actor=actor)
            totals["verified"] += 1
        elif n in (5, 10):
            commitment_breach_record(
                record=record, department=department, decided_on=(made + dt.timedelta(days=15)).isoformat(),
                evidence="现场核查发现实际条件与承诺不符，限期整改未完成（核查笔录见附件）",
                severity="general", serious_untrue=n == 10, actor=actor)
            totals["breached"] += 1
    return totals
