from django.core.management.base import BaseCommand, CommandError

from pubcredit.audit.services import SystemActor
from pubcredit.rules.errors import DomainError
from pubcredit.workdays.services import calendar_load_file


class Command(BaseCommand):
    help = ("Load holidays and make-up working days (节假日与调休) from FILE: CSV with columns date,kind,name "
            "(kind: holiday/workday, 休/班 or 节假日/调休) or a YAML list of {date, kind, name}. "
            "One bad line rejects the whole file.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of a .csv, .yaml or .yml file")

    def handle(self, *args, **opts):
        try:
            count = calendar_load_file(path=opts["file"], actor=SystemActor("cli:load_calendar"))
        except DomainError as exc:
            details = "".join(f"\n  - {p.message_zh} ({p.code}, {p.field})" for p in exc.problems[1:])
            raise CommandError(f"{exc.message_zh} ({exc.code}: {exc.message_en}){details}") from exc
        self.stdout.write(f"loaded {count} calendar days from {opts['file']}")
