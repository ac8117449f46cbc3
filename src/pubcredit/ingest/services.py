"""The collection pipeline (信息归集): files, API calls and forms → validated, versioned records.

One path for every channel: read → map headers → validate (the catalogue's plan) → resolve subjects → upsert
versions. Rows are committed in chunks; each chunk's records, audit events, rejected rows and the batch's progress
share one transaction, so a process killed at any moment leaves whole chunks only, and running the same file
again resumes the unfinished batch after its last committed chunk.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import os
import socket
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl
from django.db import connection, transaction

from pubcredit.accounts.models import Department, User
from pubcredit.audit import services as audit
from pubcredit.catalog.headers import HeaderMapping, map_headers
from pubcredit.bulk import bulk_insert, copy_frame
from pubcredit.catalog.plan import FIRST_ROW, KEY_HASH, SeenKeys, has_class_checks, records_to_frame
from pubcredit.catalog.registry import get_class
from pubcredit.catalog.schema import InfoClass
from pubcredit.ingest import setwise
from pubcredit.ingest.choices import BatchStatus, RejectionStatus
from pubcredit.ingest.models import Batch, BatchKey, RejectedRow
from pubcredit.prefetch import read_ahead
from pubcredit.ingest.readers import open_source
from pubcredit.lists.rulebook import is_list
from pubcredit.lists.services import list_entries_sync
from pubcredit.records.choices import SubmissionChannel
from pubcredit.records import services as records_services
from pubcredit.records.services import SubmitResult
from pubcredit.rules import clock, identifiers
from pubcredit.rules.errors import DomainError, Problem
from pubcredit.subjects import crypto
from pubcredit.subjects.services import confirmed_identifiers

logger = logging.getLogger(__name__)

CHUNK_ROWS = 5000
SUMMARY_LIST_LIMIT = 1000  # rows listed in a batch summary; the full list is in the rejection download
Progress = Callable[[Batch], None]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _new_summary(batch: Batch) -> dict[str, Any]:
    return {"batch_id": batch.pk, "class_code": batch.class_code, "status": batch.status, "received": 0,
            "accepted": 0, "created": 0, "updated": 0, "unchanged": 0, "rejected": [], "rejected_count": 0,
            "warnings": [], "warning_count": 0, "on_time": 0, "late": 0, "refused": None}


@transaction.atomic
def batch_create(*, info_class: InfoClass, department: Department, channel: str, actor: Any,
                 filename: str = "", file_sha256: str = "") -> Batch:
    batch = Batch.objects.create(
        class_code=info_class.code, department=department, channel=channel, filename=filename[:255],
        file_sha256=file_sha256, received_at=clock.now(), actor_label=audit.actor_label(actor),
        created_by=actor if isinstance(actor, User) else None,
    )
    batch.summary = _new_summary(batch)
    batch.save(update_fields=["summary"])
    return batch


# --- who is reading a batch's file (issue 19) --------------------------------------------------------------------
# ``summary["attempt"]`` names the process reading the batch's file: its host and pid, when it started, the rows
# done when it started, and a heartbeat per committed chunk. It tells a batch still being imported (a second upload
# of the same file answers ``batch.running``) from one whose process died (the upload resumes it), and a file that
# killed its reader before it committed a chunk (a poison file) from one interrupted mid-way: a poison file is
# refused (``file.crashed``) and never read again. A reader that died before the file gave it a first chunk was
# killed by the file (opening or parsing it); one that died later without committing a chunk may have been killed
# from outside (a resumed import re-reads its committed rows first, a fresh one writes its first chunk), so the
# file is refused only when that happens ``POISON_STRIKES`` times in a row (``yielded`` and ``strikes``).
ATTEMPT = "attempt"
STALE_ATTEMPT_SECONDS = 15 * 60  # another host's reader silent this long is taken for dead
POISON_STRIKES = 2


def _attempt_mark(batch: Batch, *, reading: bool, strikes: int = 0) -> None:
    batch.summary[ATTEMPT] = {"host": socket.gethostname(), "pid": os.getpid(), "reading": reading,
                              "rows_done": batch.rows_done, "beat": clock.now().isoformat(), "strikes": strikes}


def _attempt_yielded(batch: Batch) -> None:
    """The file gave this attempt its first chunk: committed at once, before that chunk is written."""
    attempt = batch.summary.get(ATTEMPT)
    if attempt is not None and not attempt.get("yielded"):
        attempt["yielded"] = True
        batch.save(update_fields=["summary"])


def _attempt_alive(attempt: dict | None) -> bool:
    """Whether the process that marked the attempt is still there (same host: by its pid; else by its heartbeat)."""
    if not attempt:
        return False
    if attempt.get("host") != socket.gethostname():
        try:
            beat = datetime.fromisoformat(attempt.get("beat", ""))
        except ValueError:
            return False
        return (clock.now() - beat).total_seconds() < STALE_ATTEMPT_SECONDS
    try:
        os.kill(int(attempt.get("pid", 0)), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, ValueError, OverflowError):
        return True
    return int(attempt.get("pid", 0)) > 0


def _attempt_interrupted(batch: Batch) -> None:
    """The reader was stopped from outside: the batch stays resumable, and nobody is reading it any more."""
    attempt = {**(batch.summary.get(ATTEMPT) or {}), "pid": 0, "host": socket.gethostname(), "interrupted": True}
    try:
        Batch.objects.filter(pk=batch.pk, status__in=[BatchStatus.RECEIVED, BatchStatus.PROCESSING]).update(
            summary={**Batch.objects.get(pk=batch.pk).summary, ATTEMPT: attempt})
    except Exception:  # noqa: BLE001 -- the process is going away; a dead pid tells the same next time
        logger.warning("could not mark batch %s as interrupted", batch.pk)


def _crashed_refusal(earlier: Batch) -> DomainError:
    return DomainError(
        "file.crashed",
        f"该文件在批次{earlier.pk}中读取时导致处理进程中断，为保护平台不再自动读取。请检查文件（例如 Excel 中远处只设了格式的"
        "空单元格、异常庞大的工作表），删除多余内容、拆分或另存为 CSV 后重新上传；如需帮助请联系信用中心",
        f"this file stopped its reader in batch {earlier.pk}: it is not read again; clean it up, split it or save it "
        "as CSV and send that", "file")


def _refuse(batch: Batch, error: DomainError) -> Batch:
    batch.status = BatchStatus.REFUSED
    batch.refused_code, batch.refused_message = error.code, error.message_zh
    batch.finished_at = clock.now()
    batch.summary = {**{k: v for k, v in batch.summary.items() if k != ATTEMPT}, "status": batch.status,
                     "refused": error.as_dict()}
    with transaction.atomic():
        batch.save(update_fields=["status", "refused_code", "refused_message", "finished_at", "summary"])
        BatchKey.objects.filter(batch=batch).delete()  # refused mid-file: the batch is not resumed
    return batch


def _mask_cells(cells: dict[str, Any], sensitive_headers: set[str]) -> tuple[dict[str, Any], str]:
    """Cells with natural persons' identity numbers masked, and the clear cells encrypted when any were masked."""
    if not sensitive_headers or not any(cells.get(h) for h in sensitive_headers):
        return cells, ""
    shown = {h: identifiers.mask_resident_id(str(v)) if h in sensitive_headers and v else v for h, v in cells.items()}
    return shown, crypto.encrypt(json.dumps(cells, ensure_ascii=False))


def _problem_rows(items: list[dict]) -> list[dict]:
    """Summary rows keep the public shape ``{"row", "errors": [{"field", "code", "message"}]}``."""
    return [{"row": item["row"], "errors": [{k: e.get(k) for k in ("field", "code", "message")} for e in item["errors"]]}
            for item in items]


def _merge(batch: Batch, result: SubmitResult) -> None:
    s = batch.summary
    for key in ("received", "accepted", "created", "updated", "unchanged", "on_time", "late"):
        s[key] += getattr(result, key)
    s["rejected_count"] += len(result.rejected)
    s["warning_count"] += len(result.warnings)
    room = SUMMARY_LIST_LIMIT - len(s["rejected"])
    s["rejected"].extend(_problem_rows(result.rejected[:max(room, 0)]))
    room = SUMMARY_LIST_LIMIT - len(s["warnings"])
    s["warnings"].extend(_problem_rows(result.warnings[:max(room, 0)]))


def _quarantine(batch: Batch, result: SubmitResult, originals: dict[int, tuple[dict, str]]) -> None:
    """Keep rejected rows; resolve earlier rejections that are now accepted, supersede those rejected again.

    An earlier rejection is matched by its business key, or by its decision number when the fix changed the key
    (a corrected USCC check character makes another key for the same decision).
    """
    now = clock.now()
    open_rows = RejectedRow.objects.filter(department=batch.department, class_code=batch.class_code,
                                           status=RejectionStatus.OPEN)

    def close(status: str, keys: list[str], decision_nos: list[str]) -> None:
        for field_name, values in (("key_hash__in", keys), ("decision_no__in", decision_nos)):
            for i in range(0, len(values), 500):
                open_rows.filter(**{field_name: values[i:i + 500]}).update(
                    status=status, resolved_at=now, resolved_by_batch=batch)

    if open_rows.exists():  # most departments have none open: one read instead of an update per 500 keys
        close(RejectionStatus.RESOLVED, result.accepted_keys, sorted(result.accepted_decision_nos))
        close(RejectionStatus.SUPERSEDED, [k for k in result.rejected_keys.values() if k],
              sorted(set(result.rejected_decision_nos.values())))
    RejectedRow.objects.bulk_create([
        RejectedRow(batch=batch, class_code=batch.class_code, department=batch.department, row_no=item["row"],
                    key_hash=result.rejected_keys.get(item["row"], ""),
                    decision_no=result.rejected_decision_nos.get(item["row"], "")[:128],
                    cells=originals.get(item["row"], ({}, ""))[0],
                    cells_encrypted=originals.get(item["row"], ({}, ""))[1], errors=item["errors"])
        for item in result.rejected
    ], batch_size=1000)


_KEY_FIELDS = ("batch_id", "key_hash", "first_row")


def _earlier_keys(batch: Batch) -> SeenKeys:
    """The plan's look-up of business keys used by the batch's committed chunks (``BatchKey``), by the hashes of
    the chunk it validates: only those hashes are read, so the import holds no key of earlier chunks."""
    def lookup(hashes: pl.Series) -> pl.DataFrame:
        signed = hashes.reinterpret(signed=True).to_list()  # bigint columns are signed: same 64 bits
        found: list[tuple[int, int]] = []
        if connection.vendor == "postgresql":  # one query with an array (IN lists of 1000 cost 23 µs a row to send)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT key_hash, first_row FROM {BatchKey._meta.db_table} "
                               "WHERE batch_id = %s AND key_hash = ANY(%s::bigint[])", [batch.pk, signed])
                found = cursor.fetchall()
        else:
            for i in range(0, len(signed), 1000):
                found += BatchKey.objects.filter(batch=batch, key_hash__in=signed[i:i + 1000]).values_list(
                    "key_hash", "first_row")
        return pl.DataFrame(found, schema={KEY_HASH: pl.Int64, FIRST_ROW: pl.Int64}, orient="row").with_columns(
            pl.col(KEY_HASH).reinterpret(signed=False))
    return lookup


def _keys_keep(batch: Batch, keys: pl.DataFrame | None) -> None:
    """Store the business keys a chunk used first, in the chunk's transaction."""
    if keys is None or not keys.height:
        return
    if connection.vendor == "postgresql":  # one COPY of the frame's text, no Python object per key
        with connection.cursor() as cursor:
            copy_frame(cursor.cursor, BatchKey._meta.db_table, keys.select(
                batch_id=pl.lit(batch.pk, dtype=pl.Int64), key_hash=pl.col(KEY_HASH).reinterpret(signed=True),
                first_row=pl.col(FIRST_ROW)))
        return
    rows = keys.select(pl.col(KEY_HASH).reinterpret(signed=True), FIRST_ROW).iter_rows()
    bulk_insert(BatchKey, ({"batch_id": batch.pk, "key_hash": h, "first_row": r} for h, r in rows), _KEY_FIELDS)


def records_submit(*, prepared: setwise.Prepared | None = None, **chunk: Any) -> SubmitResult:
    """Write one validated chunk: set-based for bulk loads on PostgreSQL (``setwise``, issue 18), row by row
    everywhere else (``records.services.records_submit``); same arguments and result either way. ``prepared``: the
    set-based path's validation and row hashes, made while the chunk before was written (:class:`_AheadPreparer`)."""
    if setwise.applies(chunk["info_class"], channel=chunk["channel"]):
        result = setwise.chunk_submit(**chunk, prepared=prepared)
        # the bulk exception (docs/architecture.md): setwise decides publicity itself and publishes no records-changed
        # event, so the list entries of its chunk are derived here, as the event's subscriber does on the row path
        if is_list(chunk["info_class"].code):
            list_entries_sync(result.record_ids, actor=chunk["actor"])  # 红黑名单: entries follow their records
        return result
    return records_services.records_submit(**chunk)


class _AheadPreparer:
    """The set-based path's per-chunk work that reads no database (``setwise.chunk_prepare``: the catalogue's plan,
    keyed hashes, payload JSON), done in the read-ahead thread while the chunk before is written (issue 18): the
    importing thread then mostly waits for PostgreSQL, which works on the other core. Only the importing thread
    reads the database: it hands the thread the allowlist of confirmed identifiers, read again after each commit
    (so a chunk is validated against the list as it stood one chunk earlier than on the row path). A chunk whose
    preparation fails is prepared again by the importing thread, which raises its error as before."""

    def __init__(self, info_class: InfoClass, batch: Batch):
        self.info_class, self.received_at, self.resume_after = info_class, batch.received_at, batch.rows_done
        # a class check an app registered may read the database (credit commitments do): prepared where written
        self.active = setwise.applies(info_class, channel=batch.channel) and not has_class_checks(info_class.code)
        self.allowlist = confirmed_identifiers() if self.active else None

    def refresh(self) -> None:
        if self.active:
            self.allowlist = confirmed_identifiers()

    def __call__(self, chunks: Iterable[tuple[pl.DataFrame, list, int]]
                 ) -> Iterator[tuple[pl.DataFrame, list, int, setwise.Prepared | None]]:
        for frame, cells, first_row in chunks:
            prepared = None
            if (self.active and first_row + frame.height - 1 > self.resume_after
                    and setwise.applies(self.info_class, channel=SubmissionChannel.FILE, vendor=False)
                    and "_received_at" not in frame.columns):  # rows with their own receipt times: prepared there
                try:
                    prepared = setwise.chunk_prepare(info_class=self.info_class, frame=frame,
                                                     received_at=self.received_at, first_row_number=first_row,
                                                     allowlist=self.allowlist, originals=[c[0] for c in cells])
                except Exception:  # noqa: BLE001 -- prepared again where the chunk is written, and raised there
                    prepared = None
            yield frame, cells, first_row, prepared


def _run(batch: Batch, info_class: InfoClass, chunks: Iterable[tuple], *,
         actor: Any, file_warnings: list[Problem], progress: Progress | None,
         late_warnings: Callable[[], list[Problem]] = lambda: [], preparer: _AheadPreparer | None = None) -> Batch:
    """Submit chunks (frame with field-key columns, the masked original cells, first row number, and optionally
    the chunk as ``setwise.chunk_prepare`` made it ahead) in order."""
    resume_after = batch.rows_done
    batch.status, batch.started_at = BatchStatus.PROCESSING, batch.started_at or clock.now()
    if not resume_after and file_warnings:
        batch.summary["warnings"].extend({"row": None, "errors": [p.as_dict()]} for p in file_warnings)
        batch.summary["warning_count"] += len(file_warnings)
    batch.save(update_fields=["status", "started_at", "summary"])
    earlier_keys = _earlier_keys(batch)
    for frame, cells, first_row, *ahead in chunks:
        _attempt_yielded(batch)
        last_row = first_row + frame.height - 1
        if last_row <= resume_after:
            continue  # committed before the process stopped, its business keys with it
        originals = {first_row + i: c for i, c in enumerate(cells)}
        with transaction.atomic():
            result = records_submit(info_class=info_class, frame=frame, department=batch.department, actor=actor,
                                    channel=batch.channel, received_at=batch.received_at, batch_ref=str(batch.pk),
                                    first_row_number=first_row, originals=[c[0] for c in cells],
                                    seen_keys=earlier_keys, prepared=ahead[0] if ahead else None)
            _keys_keep(batch, result.plan_keys)
            _quarantine(batch, result, originals)
            _merge(batch, result)
            batch.rows_done = last_row
            if ATTEMPT in batch.summary:
                batch.summary[ATTEMPT]["beat"] = clock.now().isoformat()
            batch.save(update_fields=["rows_done", "summary"])
        if preparer is not None:
            preparer.refresh()
        if progress:
            progress(batch)
    extra = late_warnings()
    batch.summary["warnings"].extend({"row": None, "errors": [p.as_dict()]} for p in extra)
    batch.summary["warning_count"] += len(extra)
    batch.status, batch.finished_at = BatchStatus.DONE, clock.now()
    batch.total_rows = batch.rows_done
    batch.summary["status"] = batch.status
    batch.summary.pop(ATTEMPT, None)
    with transaction.atomic():
        batch.save(update_fields=["status", "finished_at", "total_rows", "summary"])
        BatchKey.objects.filter(batch=batch).delete()  # a finished batch is never resumed
    return batch


def _sensitive_headers(info_class: InfoClass, mapping: HeaderMapping) -> set[str]:
    return {h for h, key in mapping.columns.items() if info_class.field(key).sensitive}


def _file_chunks(source, header: list[str], mapping: HeaderMapping, sensitive: set[str],
                 chunk_rows: int) -> Iterator[tuple[pl.DataFrame, list, int]]:
    columns = [(i, h) for i, h in enumerate(header) if h]
    mapped = [(i, key) for i, h in columns if (key := mapping.columns.get(h))]
    first_row = 1
    for chunk in source.chunks(chunk_rows):
        frame = pl.DataFrame({key: [row[i] if i < len(row) else None for row in chunk] for i, key in mapped},
                             schema={key: pl.String for _, key in mapped})
        cells = [_mask_cells({h: (row[i] if i < len(row) else None) for i, h in columns}, sensitive) for row in chunk]
        yield frame, cells, first_row
        first_row += len(chunk)


def estimate_rows(path: Path, source) -> int | None:
    """Data rows in a text file, counted by line ends (for progress only); None for workbooks."""
    if source.file_format == "xlsx":
        return None
    lines = 0
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            lines += block.count(b"\n")
    return max(lines - source.title_rows - (1 if source.file_format == "csv" else 0), 0)


def batch_receive_file(*, path: Path | str, class_code: str, department: Department, actor: Any,
                       filename: str | None = None, channel: str = SubmissionChannel.FILE) -> Batch:
    """Register a received file as a batch (接收): the unfinished batch of the same file is resumed, not repeated;
    while a live process still reads it, a second upload is refused (``batch.running``, 409)."""
    info_class = get_class(class_code)
    path = Path(path)
    digest = file_sha256(path)
    unfinished = Batch.objects.filter(department=department, class_code=info_class.code, file_sha256=digest,
                                      status__in=[BatchStatus.RECEIVED, BatchStatus.PROCESSING]).order_by("-id").first()
    if unfinished is not None and _attempt_alive(unfinished.summary.get(ATTEMPT)):
        raise DomainError("batch.running",
                          f"同一文件正在批次{unfinished.pk}中导入，请在该批次页面查看进度，完成后再决定是否重新上传",
                          f"the same file is being imported in batch {unfinished.pk}: follow that batch", "file")
    if unfinished is not None:
        return unfinished
    batch = batch_create(info_class=info_class, department=department, channel=channel, actor=actor,
                         filename=filename or path.name, file_sha256=digest)
    _attempt_mark(batch, reading=False)  # received: the import that follows (here or in a thread) takes it over
    batch.save(update_fields=["summary"])
    return batch


def _attempt_begin(batch: Batch) -> DomainError | None:
    """Mark this process as the batch's reader (committed before the file is opened), or the refusal of a poison
    file: one whose earlier reader died before committing a chunk, in this batch or in an earlier one."""
    earlier = (Batch.objects.filter(department=batch.department, class_code=batch.class_code,
                                    file_sha256=batch.file_sha256, status=BatchStatus.REFUSED,
                                    refused_code="file.crashed").exclude(pk=batch.pk).order_by("id").first()
               if batch.file_sha256 else None)
    if earlier is not None:
        return _crashed_refusal(earlier)
    previous = batch.summary.get(ATTEMPT) or {}
    strikes = 0
    if (previous.get("reading") and not previous.get("interrupted") and previous.get("rows_done") == batch.rows_done
            and not _attempt_alive(previous)):  # the last reader died without committing a chunk
        strikes = previous.get("strikes", 0) + 1
        if not previous.get("yielded") or strikes >= POISON_STRIKES:
            return _crashed_refusal(batch)
    _attempt_mark(batch, reading=True, strikes=strikes)
    batch.save(update_fields=["summary"])
    return None


def batch_import_file(*, path: Path | str, class_code: str, department: Department, actor: Any,
                      filename: str | None = None, channel: str = SubmissionChannel.FILE,
                      progress: Progress | None = None, chunk_rows: int = CHUNK_ROWS, batch: Batch | None = None) -> Batch:
    """Import a department's file (CSV/XLSX/JSON lines) as one batch; resumes an unfinished batch of the same file.

    ``batch`` is the one :func:`batch_receive_file` registered (pages receive first, then import in the background).
    """
    info_class = get_class(class_code)
    path = Path(path)
    batch = batch or batch_receive_file(path=path, class_code=class_code, department=department, actor=actor,
                                        filename=filename, channel=channel)
    if (poison := _attempt_begin(batch)) is not None:
        return _refuse(batch, poison)
    try:
        return _import(batch, path, info_class, filename=filename, actor=actor, progress=progress,
                       chunk_rows=chunk_rows)
    except Exception as exc:  # noqa: BLE001 -- whatever broke, the batch ends refused with its reason, never stuck
        logger.exception("import of batch %s (%s) failed", batch.pk, filename or path.name)
        batch.refresh_from_db()  # the summary in memory may count a chunk whose transaction rolled back
        return _refuse(batch, DomainError(
            "file.failed", f"处理该文件时出错（{type(exc).__name__}），已处理的{batch.rows_done}行保留；请检查文件后重新上传，"
            "问题持续请联系信用中心", f"the import failed after row {batch.rows_done}: {type(exc).__name__}", "file"))
    except BaseException:  # stopped from outside (SIGTERM's SystemExit, Ctrl-C): resumable, not a poison file
        _attempt_interrupted(batch)
        raise


def _import(batch: Batch, path: Path, info_class: InfoClass, *, filename: str | None, actor: Any,
            progress: Progress | None, chunk_rows: int) -> Batch:
    try:
        source = open_source(path, info_class, filename=filename)
        mapping = map_headers(info_class, [h for h in source.header if h])
        mapping.raise_if_missing()
    except DomainError as exc:
        return _refuse(batch, exc)
    if source.title_rows == 0 and not source.header:
        return _refuse(batch, DomainError("file.empty", "文件为空", "the file is empty", "file"))
    warnings = [w for w in (mapping.unknown_problem(),) if w]
    if source.title_rows:
        warnings.append(Problem("file.title_rows", f"已跳过表头上方的{source.title_rows}行标题",
                                f"skipped {source.title_rows} title row(s) above the header", None))
    if batch.total_rows is None:
        batch.total_rows = estimate_rows(path, source)
        # the provider's column order, for the rejection exports (JSON columns do not keep key order)
        batch.summary["columns"] = [h for h in source.header if h]
        batch.save(update_fields=["total_rows", "summary"])
    # the next chunk is read and prepared while the current one is written (issue 18); every database read and
    # write stays in this thread
    preparer = _AheadPreparer(info_class, batch)
    chunks = read_ahead(preparer(_file_chunks(source, source.header, mapping, _sensitive_headers(info_class, mapping),
                                              chunk_rows)))
    try:
        batch = _run(batch, info_class, chunks, actor=actor, file_warnings=warnings, progress=progress,
                     late_warnings=source.read_warnings, preparer=preparer)
    except DomainError as exc:  # unreadable part further down the file: the chunks before it stay committed
        return _refuse(batch, exc)
    except csv.Error as exc:
        return _refuse(batch, DomainError("file.csv", f"CSV 格式错误（第{batch.rows_done + 1}行之后）：{exc}",
                                          f"malformed CSV after row {batch.rows_done}: {exc}", "file"))
    if batch.summary["received"] == 0 and batch.summary["rejected_count"] == 0:
        batch.summary["warnings"].append({"row": None, "errors": [{
            "field": None, "code": "file.no_rows", "message": "文件只有表头，没有数据行"}]})
        batch.summary["warning_count"] += 1
        batch.save(update_fields=["summary"])
    return batch


def batch_submit_records(*, class_code: str, records: list[dict[str, Any]], department: Department, actor: Any,
                         channel: str = SubmissionChannel.API) -> Batch:
    """Records from a department system or a form (``{field key or alias: value}``), as one batch."""
    info_class = get_class(class_code)
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise DomainError("records.not_a_list", "records 应为对象数组", "records must be a list of objects", "records")
    batch = batch_create(info_class=info_class, department=department, channel=channel, actor=actor)
    frame, mapping = records_to_frame(info_class, records)
    batch.summary["columns"] = list(dict.fromkeys(str(k) for r in records for k in r))
    sensitive = _sensitive_headers(info_class, mapping)
    cells = [_mask_cells({str(k): v for k, v in r.items()}, sensitive) for r in records]
    warnings = [w for w in (mapping.unknown_problem(),) if w]
    chunks = ((frame.slice(i, CHUNK_ROWS), cells[i:i + CHUNK_ROWS], i + 1) for i in range(0, max(frame.height, 1), CHUNK_ROWS))
    return _run(batch, info_class, chunks, actor=actor, file_warnings=warnings, progress=None)
