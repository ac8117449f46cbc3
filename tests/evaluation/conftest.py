import pytest

from pubcredit.catalog.registry import get_class
from pubcredit.evaluation import rulebook
from pubcredit.records.services import records_submit
from pubcredit.rules import clock
from tests.factories import at, frame, penalty, person_penalty
from tests.lists.helpers import samr_row, submit_list


@pytest.fixture(autouse=True)
def _fresh_scorecards():
    rulebook.reload()
    yield
    rulebook.reload()


@pytest.fixture
def city(db, department, system_actor, today):
    """Three organisations and a person: 1 has a licence-revocation penalty (严重), 2 is on the SAMR serious list,
    3 is clean; the person has a penalty (natural persons are never graded)."""
    with clock.pinned(at("2026-11-18").date()):
        result = records_submit(info_class=get_class("admin_penalty"), frame=frame([
            penalty(1, penalty_types="吊销许可证件", penalty_content="吊销许可证", fine_amount=None),
            penalty(3, decision_date="2023-01-05", valid_until="2024-01-05"),  # older than the 36-month decay
            person_penalty(4),
        ]), department=department, actor=system_actor, received_at=at("2026-11-18"))
        assert result.rejected == [], result.rejected
    submit_list("samr_serious_violation", [samr_row(2)], department, system_actor, when="2026-11-18")
    from pubcredit.subjects.models import Subject

    return {s.uscc or "person": s for s in Subject.objects.all()}


@pytest.fixture
def run_worker(monkeypatch):
    """``pubcredit worker --batch`` in the test process, inside the test's transaction (as tests/jobs/conftest.py)."""
    from django.core.management import call_command

    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    monkeypatch.setattr("pubcredit.jobs.housekeeping.Housekeeping.start", lambda self: None)
    return lambda: call_command("worker", batch=True, interval=0)
