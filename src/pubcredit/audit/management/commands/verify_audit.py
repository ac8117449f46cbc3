from django.core.management.base import BaseCommand, CommandError

from pubcredit.audit.services import verify_chain


class Command(BaseCommand):
    help = ("Check the audit trail's sealed hash chain (审计链校验), name the first broken link, and report events "
            "left unsealed longer than PUBCREDIT_AUDIT_UNSEALED_LIMIT seconds.")

    def handle(self, *args, **options):
        report = verify_chain()
        if report.first_broken_id is not None:
            raise CommandError(f"audit chain broken at event #{report.first_broken_id}: {report.problem} "
                               f"({report.checked} events verified before it)")
        if report.unsealed_overdue:
            raise CommandError(f"audit chain intact ({report.checked} events verified) but {report.unsealed_overdue} "
                               f"events unsealed for too long, the oldest #{report.oldest_overdue_id}: "
                               f"is the worker running (pubcredit worker)?")
        self.stdout.write(f"audit chain intact: {report.checked} events verified, {report.unsealed} awaiting their seal")
