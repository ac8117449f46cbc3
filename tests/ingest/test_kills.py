"""A killed import is resumed, whatever moment the kill came at, and a poison file is still refused (issue 18: "survive
a kill at any point"; issue 19: a file that kills its reader is never read again). A reader that dies after the file
gave it a first chunk without committing one (a resumed import re-reading its committed rows, a fresh one writing its
first chunk) is taken for killed from outside once; dying that way twice in a row makes the file a poison file."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pubcredit.ingest import services
from pubcredit.ingest.models import Batch
from pubcredit.ingest.services import POISON_STRIKES, batch_import_file, batch_receive_file
from tests.ingest.files import penalties, table, write_csv

pytestmark = pytest.mark.django_db


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _died(batch: Batch, *, rows_done: int, yielded: bool, strikes: int = 0) -> None:
    """What a reader killed by SIGKILL leaves: an attempt that was reading, by a process now gone."""
    batch.summary["attempt"] = {**batch.summary["attempt"], "reading": True, "pid": _dead_pid(),
                                "rows_done": rows_done, "yielded": yielded, "strikes": strikes}
    batch.rows_done = rows_done
    batch.save(update_fields=["summary", "rows_done"])


def test_a_reader_killed_while_rereading_its_committed_rows_is_resumed(tmp_path, department, system_actor, today):
    path = write_csv(tmp_path / "p.csv", table(penalties(9)))
    batch = batch_receive_file(path=path, class_code="admin_penalty", department=department, actor=system_actor)
    _died(batch, rows_done=3, yielded=True)  # a chunk committed earlier; this attempt died before the next one
    resumed = batch_import_file(path=path, class_code="admin_penalty", department=department, actor=system_actor,
                                chunk_rows=3)
    assert resumed.pk == batch.pk and resumed.status == "done" and resumed.rows_done == 9


def test_a_fresh_import_killed_while_writing_its_first_chunk_is_resumed(tmp_path, department, system_actor, today):
    path = write_csv(tmp_path / "p.csv", table(penalties(6)))
    batch = batch_receive_file(path=path, class_code="admin_penalty", department=department, actor=system_actor)
    _died(batch, rows_done=0, yielded=True)
    resumed = batch_import_file(path=path, class_code="admin_penalty", department=department, actor=system_actor,
                                chunk_rows=3)
    assert resumed.pk == batch.pk and resumed.status == "done" and resumed.rows_done == 6
    assert resumed.summary["received"] == 6


def test_a_file_that_kills_its_reader_past_its_first_chunk_time_after_time_is_refused(tmp_path, department,
                                                                                     system_actor, today):
    path = write_csv(tmp_path / "p.csv", table(penalties(6)))
    batch = batch_receive_file(path=path, class_code="admin_penalty", department=department, actor=system_actor)
    _died(batch, rows_done=3, yielded=True, strikes=POISON_STRIKES - 1)  # the earlier attempt died there too
    again = batch_import_file(path=path, class_code="admin_penalty", department=department, actor=system_actor,
                              chunk_rows=3)
    assert (again.status, again.refused_code) == ("refused", "file.crashed") and again.rows_done == 3


def test_the_first_chunk_is_marked_given_before_it_is_written(tmp_path, department, system_actor, today,
                                                             monkeypatch):
    """Committed first, so that a kill during the first chunk's write leaves a resumable batch."""
    seen = []
    real = services.records_submit

    def watching(**kwargs):
        stored = Batch.objects.get(pk=int(kwargs["batch_ref"]))
        seen.append((stored.rows_done, stored.summary["attempt"].get("yielded"), stored.summary["attempt"]["strikes"]))
        return real(**kwargs)

    monkeypatch.setattr(services, "records_submit", watching)
    path = write_csv(tmp_path / "p.csv", table(penalties(6)))
    done = batch_import_file(path=path, class_code="admin_penalty", department=department, actor=system_actor,
                             chunk_rows=3)
    assert done.status == "done" and seen == [(0, True, 0), (3, True, 0)]
    assert "attempt" not in done.summary  # a finished batch keeps no reader
