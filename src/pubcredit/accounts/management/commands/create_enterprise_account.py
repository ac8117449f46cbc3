import os
from getpass import getpass

from django.core.management.base import BaseCommand, CommandError

from pubcredit.accounts.services import enterprise_account_create
from pubcredit.audit.services import SystemActor
from pubcredit.rules.errors import DomainError


class Command(BaseCommand):
    help = ("Open an enterprise account (企业用户) on the public site for one enterprise: --username U --uscc C "
            "--name N [--display-name P] [--phone T]; the password is asked for (or PUBCREDIT_NEW_PASSWORD)")

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--uscc", required=True, help="the enterprise's unified social credit code")
        parser.add_argument("--name", required=True, help="the enterprise's name")
        parser.add_argument("--display-name", default="", help="the person's name")
        parser.add_argument("--phone", default="")

    def handle(self, *args, **opts):
        password = os.environ.get("PUBCREDIT_NEW_PASSWORD") or getpass("密码 (password): ")
        try:
            account = enterprise_account_create(
                username=opts["username"], password=password, uscc=opts["uscc"], enterprise_name=opts["name"],
                display_name=opts["display_name"], contact_phone=opts["phone"],
                actor=SystemActor("cli:create_enterprise_account"))
        except DomainError as exc:
            raise CommandError(f"{exc.message_zh} ({exc.code}: {exc.message_en})") from exc
        self.stdout.write(f"created enterprise account {account.user.username} for {account.enterprise_name} "
                          f"({account.uscc})")
