"""``pubcredit report_signing_rotate``: change the report signing key and certificate (更换报告签章证书).

    pubcredit report_signing_rotate --key NEW_KEY.pem --cert NEW_CERT.pem   # a pair issued by the city's CA
    pubcredit report_signing_rotate --demo                                  # a new self-issued demo pair
    pubcredit report_signing_rotate --list                                  # every certificate and its time in use

The old certificate is kept (retired), so reports it signed still verify. After a rotation with ``--key/--cert``
point PUBCREDIT_REPORT_SIGNING_KEY/CERT at the new files and restart the web and worker processes.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pubcredit.audit.services import SystemActor
from pubcredit.reports import services, signing
from pubcredit.reports.models import SigningCertificate
from pubcredit.rules.errors import DomainError


class Command(BaseCommand):
    help = "更换报告签章密钥和证书；旧证书保留，其签署的报告仍可核验 (rotate the report signing key)"

    def add_arguments(self, parser):
        parser.add_argument("--key", help="the new private key (PEM)")
        parser.add_argument("--cert", help="the new certificate (PEM)")
        parser.add_argument("--demo", action="store_true", help="make and use a new self-issued demo pair")
        parser.add_argument("--list", action="store_true", help="list the certificates and when each was in use")

    def handle(self, *args, key, cert, demo, list, **options):  # noqa: A002 - the option's name
        if list:
            for row in SigningCertificate.objects.all():
                until = row.in_use_until.isoformat() if row.in_use_until else "在用"
                self.stdout.write(f"{row.sha256}  {row.in_use_from.isoformat()} — {until}  {row.subject}")
            return
        if demo == bool(key or cert) or bool(key) != bool(cert):
            raise CommandError("give --key and --cert, or --demo (or --list)")
        if demo:
            if signing._configured()[2] is False:
                raise CommandError("PUBCREDIT_REPORT_SIGNING_KEY/CERT are set: rotate with --key and --cert")
            key, cert = (str(p) for p in signing.demo_pair_create(Path(settings.VAR_DIR) / "report-signing",
                                                                    force=True))
            signing.reset()
        try:
            row = services.signing_rotate(cert_path=cert, key_path=key, actor=SystemActor("report_signing_rotate"))
        except DomainError as exc:
            raise CommandError(f"{exc.message_zh} ({exc.message_en})") from exc
        self.stdout.write(f"在用签章证书：{row.subject}\nSHA-256：{row.sha256}")
        if not demo:
            self.stdout.write(f"Now set PUBCREDIT_REPORT_SIGNING_KEY={key} and PUBCREDIT_REPORT_SIGNING_CERT={cert}, "
                              "then restart the web and worker processes.")
        else:
            self.stdout.write("Restart the web and worker processes to sign with the new pair.")
