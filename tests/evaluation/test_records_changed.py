"""The evaluation's subscriber to the records-changed event (docs/architecture.md "Records changed"): on commit it
makes sure an incremental refresh is queued, restarting a broken refresh chain; it never makes a second chain."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from pubcredit.catalog.registry import get_class
from pubcredit.evaluation import services
from pubcredit.evaluation.tasks import REFRESH_TASK_PATH
from pubcredit.records.services import records_submit
from pubcredit.rules import clock
from tests.factories import at, frame, penalty

pytestmark = pytest.mark.django_db


def submit(department, actor, n):
    with clock.pinned(at("2026-11-19").date()):
        records_submit(info_class=get_class("admin_penalty"), frame=frame([penalty(n)]), department=department,
                       actor=actor, received_at=at("2026-11-19"))


def waiting():
    return DBTaskResult.objects.filter(task_path=REFRESH_TASK_PATH, status="READY").count()


def test_a_committed_change_queues_one_refresh_once_the_chain_was_started(department, system_actor,
                                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(department, system_actor, 1)
    assert waiting() == 0  # no refresh ever ran: the full runs' business, no chain to keep
    services.evaluation_refresh_changed(actor=system_actor)  # the first refresh sets the watermark
    with django_capture_on_commit_callbacks(execute=True):
        submit(department, system_actor, 2)
    assert waiting() == 1
    with django_capture_on_commit_callbacks(execute=True):
        submit(department, system_actor, 3)
    assert waiting() == 1  # the round already waiting will see it


def test_nothing_is_queued_before_the_commit(department, system_actor, django_capture_on_commit_callbacks):
    services.evaluation_refresh_changed(actor=system_actor)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit(department, system_actor, 1)
    assert waiting() == 0 and len(callbacks) == 1
