from django.core.management.base import BaseCommand, CommandError

from pubcredit.accounts.choices import DepartmentKind
from pubcredit.accounts.services import department_create
from pubcredit.audit.services import SystemActor
from pubcredit.rules.errors import DomainError


class Command(BaseCommand):
    help = "Register a department (部门): --code C --name N --uscc U [--district D] [--financial-institution]"

    def add_arguments(self, parser):
        parser.add_argument("--code", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--uscc", required=True, help="the department's unified social credit code")
        parser.add_argument("--district", help="district code or name; omit for a city-level department")
        parser.add_argument("--financial-institution", action="store_true",
                            help="a financial institution (金融机构, 信易贷) rather than a government department")

    def handle(self, *args, **opts):
        try:
            department = department_create(code=opts["code"], name=opts["name"], uscc=opts["uscc"],
                                           district=opts["district"], actor=SystemActor("cli:create_department"),
                                           kind=DepartmentKind.FINANCIAL_INSTITUTION if opts["financial_institution"]
                                           else DepartmentKind.GOVERNMENT)
        except DomainError as exc:
            raise CommandError(f"{exc.message_zh} ({exc.code}: {exc.message_en})") from exc
        self.stdout.write(f"created department {department.code} {department.name} ({department.get_level_display()}, "
                          f"{department.get_kind_display()})")
