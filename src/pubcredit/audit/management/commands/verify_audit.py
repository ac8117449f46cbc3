from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pubcredit.audit import checkpoints
from pubcredit.audit.services import verify_chain


class Command(BaseCommand):
    help = ("Check the audit trail (审计链校验): recompute the sealed hash chain, hold it against every signed checkpoint "
            "(the export file and the database's copies), name the last good checkpoint and the first bad link, and "
            "report events left unsealed longer than PUBCREDIT_AUDIT_UNSEALED_LIMIT seconds.")

    def add_arguments(self, parser):
        parser.add_argument("--checkpoints", type=Path, default=None,
                            help="checkpoint file to hold the chain against (default PUBCREDIT_AUDIT_CHECKPOINT_FILE), "
                                 "e.g. the copy kept off the server when checking a restored backup")
        parser.add_argument("--public-key", type=Path, default=None,
                            help="PEM public key or certificate that verifies the checkpoints (default: the signing "
                                 "key's own), for an auditor who does not hold the signing key")

    def handle(self, *args, **options):
        public_key = checkpoints.public_key_load(options["public_key"]) if options["public_key"] else None
        report = verify_chain(export=options["checkpoints"] or True, public_key=public_key)
        good = (f"last good checkpoint at position {report.last_good_checkpoint}"
                if report.last_good_checkpoint is not None else "no checkpoint matches")
        if report.first_broken_id is not None or report.checkpoint_problem:
            found = "; ".join(filter(None, [
                report.first_broken_id is not None and f"link at event #{report.first_broken_id}: {report.problem}",
                report.checkpoint_problem]))
            raise CommandError(f"audit chain broken: first bad link at position {report.first_bad_position}; {good} "
                               f"({report.checkpoints_checked} checkpoints, {report.checked} links verified); {found}")
        if report.unsealed_overdue:
            raise CommandError(f"audit chain intact ({report.checked} events verified) but {report.unsealed_overdue} "
                               f"events unsealed for too long, the oldest #{report.oldest_overdue_id}: "
                               f"is the worker running (pubcredit worker)?")
        self.stdout.write(f"audit chain intact: {report.checked} events verified, {report.unsealed} awaiting their "
                          f"seal; {report.checkpoints_checked} checkpoints, "
                          + (good if report.checkpoints_checked else "none made yet"))
