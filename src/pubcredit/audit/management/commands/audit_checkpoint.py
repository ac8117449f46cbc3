from django.core.management.base import BaseCommand

from pubcredit.audit.services import SEAL_ROUND, audit_chain_seal, audit_checkpoint_make


class Command(BaseCommand):
    help = ("Seal what is waiting and sign a checkpoint of the audit chain head now (审计链签名检查点), appended to "
            "PUBCREDIT_AUDIT_CHECKPOINT_FILE; the worker does this by itself every PUBCREDIT_AUDIT_CHECKPOINT_EVERY "
            "seconds. Run it before a backup.")

    def handle(self, *args, **options):
        while audit_chain_seal(full=True) >= SEAL_ROUND:
            pass
        checkpoint = audit_checkpoint_make()
        if checkpoint is None:
            self.stdout.write("audit chain empty: nothing to sign")
            return
        self.stdout.write(f"checkpoint signed: position {checkpoint.position}, head {checkpoint.head_hash[:16]}…, "
                          f"key {checkpoint.key_id}")
