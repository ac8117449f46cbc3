"""Batch rendering on the worker (批量出具报告): a department's bidder list becomes one ZIP."""

from __future__ import annotations

from django_tasks import task

from pubcredit.reports.services import report_batch_render


@task()
def render_batch(batch_id: int, actor_label: str) -> None:
    report_batch_render(batch_id, actor_label=actor_label)
