import os
from getpass import getpass

from django.core.management.base import BaseCommand, CommandError

from pubcredit.audit.services import SystemActor
from pubcredit.finance.services import bank_officer_create
from pubcredit.rules.errors import DomainError


class Command(BaseCommand):
    help = ("Open a login for an officer of a financial institution (金融机构用户), who works in the institution's own "
            "console /finance/bank/ only: --username U --institution CODE [--display-name P]; the password is asked "
            "for (or PUBCREDIT_NEW_PASSWORD)")

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--institution", required=True, help="the financial institution's department code")
        parser.add_argument("--display-name", default="", help="the person's name")

    def handle(self, *args, **opts):
        password = os.environ.get("PUBCREDIT_NEW_PASSWORD") or getpass("密码 (password): ")
        try:
            user = bank_officer_create(username=opts["username"], password=password, institution=opts["institution"],
                                       display_name=opts["display_name"], actor=SystemActor("cli:create_bank_officer"))
        except DomainError as exc:
            raise CommandError(f"{exc.message_zh} ({exc.code}: {exc.message_en})") from exc
        self.stdout.write(f"created bank officer {user.username} of {user.department.name} ({user.department.code})")
