"""``pubcredit verify_report FILE``: signature and registry check of a report PDF; exit 0 only when genuine."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pubcredit.reports.services import registration, report_file_verify


class Command(BaseCommand):
    help = "核验报告PDF：签名（本平台证书、未改动、覆盖全文）与登记文件一致 (verify a report PDF)"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--number", default="", help="the report number the file claims to be")

    def handle(self, *args, file, number, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在：{file}")
        verdict = report_file_verify(path.read_bytes(), number=number)
        self.stdout.write(verdict.message_zh)
        if verdict.signature.certificate_sha256:
            self.stdout.write(f"签章证书：{verdict.signature.signer}（SHA-256 {verdict.signature.certificate_sha256}）")
        if verdict.report is not None:
            info = registration(verdict.report.number).as_dict()
            self.stdout.write(f"登记：{info['number']} {info['kind_label']} {info['subject_name']} "
                              f"出具于 {info['issued_at']} 用途 {info['purpose']} 内容哈希 {info['content_hash']}")
        if not verdict.genuine:
            raise CommandError(verdict.message_en)
