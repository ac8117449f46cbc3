import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from pubcredit.accounts.services import department_get
from pubcredit.audit.services import SystemActor
from pubcredit.catalog.registry import get_class
from pubcredit.ingest.choices import BatchStatus
from pubcredit.ingest.services import batch_import_file
from pubcredit.rules.errors import DomainError


class Command(BaseCommand):
    help = ("Import a department's file (CSV in UTF-8/GB18030, XLSX, JSON lines) into the social credit database. "
            "Prints the batch summary as JSON on its last line. Running it again on the same file resumes an "
            "interrupted import; a finished file is reported as unchanged.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--class", dest="class_code", required=True, help="information class code, e.g. admin_penalty")
        parser.add_argument("--department", required=True, help="code of the submitting department")
        parser.add_argument("--chunk-rows", type=int, default=5000, help="rows committed per transaction")

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"file not found: {path}")
        try:
            department = department_get(opts["department"])
            get_class(opts["class_code"])
        except DomainError as exc:
            raise CommandError(f"{exc.message_zh} ({exc.code}: {exc.message_en})") from exc
        console = Console(stderr=True)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=False) as bar:
            task = bar.add_task(f"导入 {path.name}", total=None)

            def progress(batch):
                bar.update(task, completed=batch.rows_done, total=batch.total_rows)

            try:
                batch = batch_import_file(path=path, class_code=opts["class_code"], department=department,
                                          actor=SystemActor("cli:import_records", department.code),
                                          progress=progress, chunk_rows=opts["chunk_rows"])
            except DomainError as exc:  # the same file still being imported by another process (batch.running)
                raise CommandError(f"{exc.message_zh} ({exc.code}: {exc.message_en})") from exc
        self.stdout.write(json.dumps(batch.summary, ensure_ascii=False))
        if batch.status == BatchStatus.REFUSED:
            raise CommandError(f"file refused: {batch.refused_message} ({batch.refused_code})")
