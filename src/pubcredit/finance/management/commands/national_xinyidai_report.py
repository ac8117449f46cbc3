import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from pubcredit.audit.services import SystemActor
from pubcredit.finance.services import national_report_send
from pubcredit.rules.errors import DomainError


class Command(BaseCommand):
    help = ("Send the city's 信易贷 report for one month (--month YYYY-MM) to the national 信易贷 platform now "
            "(PUBCREDIT_NATIONAL_XINYIDAI_URL) and record the attempt; the daily job does this for the previous month")

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")

    def handle(self, *args, **opts):
        try:
            month = dt.date.fromisoformat(f"{opts['month']}-01")
        except ValueError as exc:
            raise CommandError(f"月份格式应为YYYY-MM：{opts['month']}") from exc
        try:
            report = national_report_send(month=month, actor=SystemActor("cli:national_xinyidai_report"))
        except DomainError as exc:
            raise CommandError(f"{exc.message_zh} ({exc.code}: {exc.message_en})") from exc
        self.stdout.write(f"{report.month:%Y-%m}: {report.get_outcome_display()} ({report.outcome}), HTTP "
                          f"{report.http_status or '—'} {report.error}".rstrip())
        if report.outcome != report.Outcome.SENT:
            raise CommandError("not accepted by the national platform; the attempt is recorded")
