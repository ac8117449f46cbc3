"""Signing key rotation (更换签章证书, issue 16): several certificates with their time in use; a report signed with
an old key still verifies; a retired key no longer signs; the rotation command."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError

from pubcredit.audit.models import AuditEvent
from pubcredit.reports import services, signing
from pubcredit.reports.models import Report, SigningCertificate
from tests.reports.test_reports import issue_public


def rotate_demo():
    call_command("report_signing_rotate", "--demo", stdout=open("/dev/null", "w"))


@pytest.mark.django_db
def test_a_report_signed_before_a_rotation_still_verifies(site):
    old = issue_public(site[1])
    old_cert = SigningCertificate.objects.get(current=True)
    rotate_demo()
    new = issue_public(site[1])
    rows = list(SigningCertificate.objects.order_by("in_use_from", "id"))
    assert [r.sha256 for r in rows] == [old_cert.sha256, rows[1].sha256] and rows[0].sha256 != rows[1].sha256
    assert not rows[0].current and rows[0].in_use_until is not None and rows[1].current
    for report, cert in ((old, rows[0]), (new, rows[1])):
        verdict = services.report_file_verify(bytes(report.pdf), number=report.number)
        assert verdict.genuine, verdict.message_zh
        assert verdict.as_dict()["signer_certificate_sha256"] == cert.sha256
    assert AuditEvent.objects.filter(action="report.signing_rotate").count() >= 2  # first use, then the rotation


@pytest.mark.django_db
def test_a_process_holding_a_retired_key_refuses_to_sign(site, settings, tmp_path):
    issue_public(site[1])
    old_key_dir = tmp_path / "old-pair"
    old_key_dir.mkdir()
    demo = settings.VAR_DIR / "report-signing"
    for name in ("key.pem", "cert.pem"):
        (old_key_dir / name).write_bytes((demo / name).read_bytes())
    rotate_demo()
    # a process not restarted after the rotation: it still has the old pair
    for name in ("key.pem", "cert.pem"):
        (demo / name).write_bytes((old_key_dir / name).read_bytes())
    signing.reset()
    with pytest.raises(ImproperlyConfigured, match="retired"):
        issue_public(site[1])


@pytest.mark.django_db
def test_a_file_signed_by_another_platform_certificate_than_registered_is_not_genuine(site):
    report = issue_public(site[1])
    assert report.signing_certificate_sha256 == SigningCertificate.objects.get(current=True).sha256
    Report.objects.filter(pk=report.pk).update(signing_certificate_sha256="0" * 64)
    verdict = services.report_file_verify(bytes(report.pdf))
    assert not verdict.genuine and "签章证书不一致" in verdict.message_zh


@pytest.mark.django_db
def test_rotation_with_a_ca_pair_refuses_a_mismatched_or_known_pair(tmp_path, site):
    first = signing.demo_pair_create(tmp_path / "a")
    second = signing.demo_pair_create(tmp_path / "b")
    with pytest.raises(CommandError, match="不匹配"):
        call_command("report_signing_rotate", "--key", str(first[0]), "--cert", str(second[1]))
    with pytest.raises(CommandError, match="--key and --cert"):
        call_command("report_signing_rotate", "--key", str(first[0]))
    call_command("report_signing_rotate", "--key", str(first[0]), "--cert", str(first[1]),
                 stdout=open("/dev/null", "w"))
    with pytest.raises(CommandError, match="已登记过"):
        call_command("report_signing_rotate", "--key", str(first[0]), "--cert", str(first[1]))
    current = SigningCertificate.objects.get(current=True)
    assert current.sha256 == signing.certificate_sha256(signing.load_certificate_pem((first[1]).read_text()))


@pytest.mark.django_db
def test_a_file_signed_by_a_key_never_registered_is_not_genuine(site, tmp_path):
    from pyhanko.sign import signers

    report = issue_public(site[1])
    key, cert = signing.demo_pair_create(tmp_path / "stranger")
    forged = signing.sign_pdf(services.render.report_pdf(report.snapshot), reason="x",
                              signing_signer=signers.SimpleSigner.load(str(key), str(cert)))
    verdict = services.report_file_verify(forged)
    assert not verdict.genuine and not verdict.signature.trusted
