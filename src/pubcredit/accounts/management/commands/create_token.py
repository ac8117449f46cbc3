from django.core.management.base import BaseCommand, CommandError

from pubcredit.accounts.services import department_get, token_create
from pubcredit.audit.services import SystemActor
from pubcredit.rules.errors import DomainError


class Command(BaseCommand):
    help = "Issue an API token for a department and print it (only the token; it is shown once)."

    def add_arguments(self, parser):
        parser.add_argument("--department", required=True, help="department code")
        parser.add_argument("--label", default="", help="what the token is for")

    def handle(self, *args, **opts):
        try:
            department = department_get(opts["department"])
        except DomainError as exc:
            raise CommandError(f"{exc.message_zh} ({exc.code}: {exc.message_en})") from exc
        issued = token_create(department=department, label=opts["label"], actor=SystemActor("cli:create_token"))
        self.stdout.write(issued.plaintext)
