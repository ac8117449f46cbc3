"""What every worker process does beside running tasks (日常维护), in its own thread every few seconds:

heartbeat, hand back the jobs of workers that stopped beating, enqueue the daily jobs when due, seal the audit chain.
It runs in a thread because a task (a long import) keeps the worker's main loop busy for minutes, and the audit
chain must not wait for it (unsealed events are reported after a minute).
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection

from pubcredit.audit.services import SystemActor
from pubcredit.audit.tasks import seal_audit_chain
from pubcredit.jobs import services
from pubcredit.rules import clock

logger = logging.getLogger(__name__)


class Housekeeping:
    def __init__(self, worker_id: str) -> None:
        self.worker_id = worker_id
        self.actor = SystemActor(f"worker:{worker_id[:32]}")
        self.started_at = clock.wall_now()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="pubcredit-housekeeping", daemon=True)

    def run_once(self) -> None:
        """One round; each step on its own, so one failing (a locked SQLite file) does not stop the others."""
        steps = [
            lambda: services.worker_beat(worker_id=self.worker_id, started_at=self.started_at),
            lambda: services.jobs_requeue_orphaned(actor=self.actor, own_worker_id=self.worker_id),
            lambda: services.daily_jobs_enqueue_due(actor=self.actor),
            lambda: seal_audit_chain.call(),
        ]
        for step in steps:
            try:
                step()
            except Exception:  # noqa: BLE001 -- logged; the next round tries again
                logger.exception("worker housekeeping step failed")

    def _loop(self) -> None:
        try:
            while not self.stopped.wait(settings.PUBCREDIT_WORKER_HOUSEKEEPING_EVERY):
                close_old_connections()
                self.run_once()
        finally:
            connection.close()

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()
        if self.thread.is_alive():
            self.thread.join(timeout=10)
        try:
            services.worker_gone(worker_id=self.worker_id)
        except Exception:  # noqa: BLE001 -- the stale limit hands its jobs on anyway
            logger.exception("could not sign the worker off")
