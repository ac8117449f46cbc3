"""Background import of an uploaded file (文件导入), run by ``pubcredit worker``.

Thin: the service does the work. A worker killed mid-way leaves whole chunks only; the job goes back to the queue
and the next run resumes the batch after its last committed chunk (docs/collection.md, docs/architecture.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django_tasks import TaskContext, task

from pubcredit.ingest.choices import BatchStatus
from pubcredit.ingest.models import Batch
from pubcredit.ingest.services import CHUNK_ROWS, batch_import_file
from pubcredit.jobs.services import actor_from_task, job_progress_set


class ImportFailed(RuntimeError):
    """An import that ended refused as ``file.failed`` (an unexpected error, not the file's content)."""


@task(takes_context=True)
def import_file(context: TaskContext, *, batch_id: int, path: str, actor: dict[str, Any],
                chunk_rows: int = CHUNK_ROWS) -> dict[str, Any]:
    """Import the spooled upload into its batch; the file is deleted once the batch is done or refused.

    A failed run keeps the file, so an operator's re-run (jobs page) can resume the batch."""
    batch = Batch.objects.select_related("department").get(pk=batch_id)
    result_id = context.task_result.id
    label = f"批次 {batch.pk}：{batch.filename}"

    def progress(current: Batch) -> None:
        job_progress_set(result_id=result_id, done=current.rows_done, total=current.total_rows, label=label)

    job_progress_set(result_id=result_id, done=batch.rows_done, total=batch.total_rows, label=label)
    batch = batch_import_file(path=path, class_code=batch.class_code, department=batch.department,
                              actor=actor_from_task(actor), filename=batch.filename, channel=batch.channel,
                              progress=progress, chunk_rows=chunk_rows, batch=batch)
    progress(batch)
    if batch.status == BatchStatus.REFUSED and batch.refused_code == "file.failed":
        # the import broke on something other than the file's content: the job fails, the file stays, and an
        # operator's re-run resumes the batch after its last committed chunk
        raise ImportFailed(f"batch {batch.pk}: {batch.refused_message}")
    Path(path).unlink(missing_ok=True)
    return {"batch": batch.pk, "status": batch.status}
