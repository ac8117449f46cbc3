"""Issued credit reports (公共信用信息报告) and natural persons' authorisations (个人查询授权).

A report keeps the data snapshot it was rendered from (``snapshot``), so it can be rendered again with the same
content at any time, and the signed PDF's bytes, so that what was handed out can be compared byte for byte.
"""

from __future__ import annotations

from django.db import models

from pubcredit.accounts.models import Department, EnterpriseAccount
from pubcredit.subjects.models import Subject

__all__ = ["Report", "PersonAuthorisation", "ReportBatch", "ReportKind", "SigningCertificate"]


class ReportKind(models.TextChoices):
    PUBLIC = "public", "公开版"
    QUERY = "query", "查询版"
    SPECIAL = "special", "专项信用报告（无违法违规记录证明版）"


class PersonAuthorisation(models.Model):
    """A natural person's signed authorisation (授权书) for one department to obtain the person's query report."""

    subject = models.ForeignKey(Subject, verbose_name="授权人", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Department, verbose_name="被授权部门", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField("授权范围（用途）", max_length=200)
    valid_from = models.DateField("授权起始日")
    valid_until = models.DateField("授权截止日（含）")
    document_ref = models.CharField("授权书编号", max_length=100)
    document_sha256 = models.CharField("授权书文件哈希", max_length=64)
    recorded_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "个人查询授权 (authorisation)"
        verbose_name_plural = verbose_name


class Report(models.Model):
    number = models.CharField("报告编号", max_length=32, unique=True)
    kind = models.CharField("报告类型", max_length=10, choices=ReportKind.choices)
    subject = models.ForeignKey(Subject, verbose_name="信用主体", on_delete=models.PROTECT, related_name="+")
    requester_label = models.CharField("申请人", max_length=200)
    department = models.ForeignKey(Department, verbose_name="申请部门", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField("用途", max_length=200)
    procedure = models.CharField("办理事项", max_length=200, blank=True)
    period_from = models.DateField("查询期间起", null=True, blank=True)
    period_to = models.DateField("查询期间止", null=True, blank=True)
    authorisation = models.ForeignKey(PersonAuthorisation, verbose_name="授权", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    # the enterprise account (企业用户) that asked for its own report on the public site (self-service)
    enterprise_account = models.ForeignKey(EnterpriseAccount, verbose_name="申请企业用户", null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField("出具时间")
    valid_until = models.DateField("有效期至")
    snapshot = models.JSONField("数据快照")
    content_hash = models.CharField("内容哈希", max_length=64)
    # fingerprint of the subject's data when issued: a later change makes "a newer report exists"
    data_fingerprint = models.CharField("主体数据指纹", max_length=64)
    pdf = models.BinaryField("已签名PDF")
    pdf_sha256 = models.CharField("PDF文件哈希", max_length=64, db_index=True)
    # the certificate that signed the file (SigningCertificate.sha256); empty for reports issued before rotation existed
    signing_certificate_sha256 = models.CharField("签章证书指纹", max_length=64, blank=True, default="")
    rulebook_version = models.TextField("规则版本")  # every catalogue file with its version: long

    class Meta:
        verbose_name = "公共信用信息报告 (report)"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["subject", "issued_at"], name="report_subject_issued_idx")]

    def __str__(self) -> str:
        return self.number


class ReportBatch(models.Model):
    """A department's bidder list (投标人名单) rendered on the worker into one ZIP of reports with a manifest."""

    department = models.ForeignKey(Department, verbose_name="申请部门", on_delete=models.PROTECT, related_name="+")
    requester_label = models.CharField("申请人", max_length=200)
    kind = models.CharField("报告类型", max_length=10, choices=ReportKind.choices)
    purpose = models.CharField("用途", max_length=200)
    procedure = models.CharField("办理事项", max_length=200)
    period_from = models.DateField("查询期间起", null=True, blank=True)
    period_to = models.DateField("查询期间止", null=True, blank=True)
    codes = models.JSONField("主体代码")
    created_at = models.DateTimeField("提交时间")
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    manifest = models.JSONField("清单", default=list)
    archive = models.BinaryField("ZIP", null=True, blank=True)

    class Meta:
        verbose_name = "批量报告 (report batch)"
        verbose_name_plural = verbose_name


class SigningCertificate(models.Model):
    """A report signing certificate (签章证书) the platform has used, with the time it was in use: reports signed
    while it was in use keep verifying after a rotation. Only the public certificate is stored, never the key."""

    sha256 = models.CharField("证书指纹（SHA-256）", max_length=64, unique=True)
    subject = models.CharField("证书主体", max_length=300)
    pem = models.TextField("证书（PEM）")
    not_valid_after = models.DateTimeField("证书有效期至")
    in_use_from = models.DateTimeField("启用时间")
    in_use_until = models.DateTimeField("停用时间", null=True, blank=True)
    current = models.BooleanField("在用", default=False)  # the certificate signing now (in_use_until is empty)

    class Meta:
        verbose_name = "报告签章证书 (report signing certificate)"
        verbose_name_plural = verbose_name
        ordering = ["-in_use_from"]
        constraints = [models.UniqueConstraint(fields=["current"], condition=models.Q(current=True),
                                               name="reports_one_signing_certificate_in_use",
                                               violation_error_message="同一时间只有一个签章证书在用。")]

    def __str__(self) -> str:
        return f"{self.subject} {self.sha256[:16]}"
