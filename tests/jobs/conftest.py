import pytest
from django.core.management import call_command


@pytest.fixture
def run_worker(monkeypatch):
    """``pubcredit worker --batch`` in the test process, inside the test's transaction.

    The task loop calls ``close_old_connections`` between jobs, which closes a connection whose autocommit differs
    from the settings, i.e. the test's (PostgreSQL; SQLite's in-memory test database ignores it): kept open here.
    """
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    # no housekeeping thread: it would use a connection of its own, outside the test's transaction (the rounds
    # before and after the batch still run, in the test's connection)
    monkeypatch.setattr("pubcredit.jobs.housekeeping.Housekeeping.start", lambda self: None)
    return lambda: call_command("worker", batch=True, interval=0)
