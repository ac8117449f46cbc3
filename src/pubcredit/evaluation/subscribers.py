"""What the evaluation does when records change (subscribed in ``EvaluationConfig.ready``, on commit): make sure an
incremental refresh (增量刷新) is queued. The refresh chain (``tasks.refresh_changed``) normally has its next round
waiting already and this does nothing; if the chain was broken (a failed round), the next committed write restarts it
instead of the next business day's daily job. Before the first refresh set its watermark there is no chain to keep."""

from __future__ import annotations

from pubcredit.evaluation.models import RefreshWatermark
from pubcredit.evaluation.services import WATERMARK
from pubcredit.evaluation.tasks import _refresh_waiting, refresh_changed
from pubcredit.records.events import RecordsChanged, records_changed


def queue_refresh(event: RecordsChanged) -> None:
    if event.changed_ids and RefreshWatermark.objects.filter(name=WATERMARK).exists() and not _refresh_waiting():
        refresh_changed.enqueue()


def connect() -> None:
    records_changed.subscribe(queue_refresh, name="evaluation.queue_refresh", on_commit=True)
