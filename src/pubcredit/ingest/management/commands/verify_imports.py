from django.core.management.base import BaseCommand, CommandError

from pubcredit.ingest.setwise import chunks_verify


class Command(BaseCommand):
    help = ("Check the rows written by bulk imports against their chunk audit events (分块审计校验): every record "
            "version and change-feed row a chunk appended must still hash to the digest its event keeps. The events "
            "themselves are checked by verify_audit.")

    def add_arguments(self, parser):
        parser.add_argument("--batch", help="only this batch's chunks (batch id)")

    def handle(self, *args, **opts):
        checked, problems = chunks_verify(batch_ref=opts["batch"])
        for p in problems:
            self.stderr.write(f"batch {p.batch}, rows {p.first_row}-{p.last_row} (audit event #{p.event_id}): {p.problem}")
        if problems:
            raise CommandError(f"{len(problems)} of {checked} bulk-import chunks no longer match their audit events")
        self.stdout.write(f"bulk-import chunks intact: {checked} verified")
