"""``pubcredit report_signing_demo``: make the self-issued demo signing pair under var/report-signing/."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from pubcredit.reports.signing import demo_pair_create


class Command(BaseCommand):
    help = "生成演示用报告签章密钥和自签证书 (demo signing key and certificate; never for production)"

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="replace an existing pair")

    def handle(self, *args, force, **options):
        key, cert = demo_pair_create(Path(settings.VAR_DIR) / "report-signing", force=force)
        self.stdout.write(f"key: {key}\ncert: {cert}")
