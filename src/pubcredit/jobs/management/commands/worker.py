"""``pubcredit worker``: run background jobs (后台任务) from the database queue until stopped.

The task loop is django-tasks-db's worker; beside it a housekeeping thread keeps the heartbeat, hands back jobs of
workers that died, enqueues the daily jobs when due and seals the audit chain (pubcredit.jobs.housekeeping).
Ctrl-C / SIGTERM: the running task finishes, then the worker stops (a second Ctrl-C stops it at once; the job is
then handed back to the next worker).
"""

from __future__ import annotations

import logging
import resource
import signal

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from pubcredit.jobs.housekeeping import Housekeeping


def cap_address_space(megabytes: int) -> None:
    """Lower this process's address-space limit (RLIMIT_AS) to ``megabytes`` (0: leave it): an allocation past it
    fails inside the job, and a reader that aborts takes only this worker down; its job goes to the next worker,
    which refuses the file as a poison file (docs/security.md)."""
    if megabytes <= 0:
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))


class Command(BaseCommand):
    help = ("Run background jobs: uploads, the daily tick (enqueued by the worker itself when due) and audit sealing. "
            "Run one or more; a job of a killed worker is picked up by another.")

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between looks at an empty queue")
        parser.add_argument("--batch", action="store_true", help="run the jobs waiting now, then exit (tests, drills)")
        parser.add_argument("--worker-id", default="", help="unique name of this worker (default: random)")

    def handle(self, *args, interval: float, batch: bool, worker_id: str, **options):
        logging.getLogger("django_tasks_db").setLevel(logging.INFO if options["verbosity"] > 1 else logging.WARNING)
        worker_id = worker_id or get_random_string(24)
        cap_address_space(settings.PUBCREDIT_WORKER_MEMORY_MB)
        housekeeping = Housekeeping(worker_id)
        housekeeping.run_once()  # heartbeat and hand-backs before the first claim
        self.stdout.write(f"pubcredit worker {worker_id} running (Ctrl-C to stop)")
        worker = Worker(queue_names=["*"], interval=interval, batch=batch, backend_name="default",
                        startup_delay=False, max_tasks=None, worker_id=worker_id, excluded_queue_names=[])
        previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
        worker.configure_signals()
        housekeeping.start()  # also in a batch run: a long job must keep beating, or another worker takes it over
        try:
            worker.run()
        finally:
            if batch:
                housekeeping.run_once()  # seal what the batch wrote before exiting
            housekeeping.stop()
            for sig, handler in previous.items():  # when called in-process (tests), leave the caller's handlers
                signal.signal(sig, handler)
