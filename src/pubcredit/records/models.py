"""Credit records (信用记录) and their append-only versions: the city social credit database (社会信用库)."""

from __future__ import annotations

from django.db import models

from pubcredit.accounts.models import Department
from pubcredit.records.choices import RecordStatus, SubmissionChannel
from pubcredit.subjects.models import Subject

__all__ = ["CreditRecord", "RecordVersion"]


class CreditRecord(models.Model):
    """One credit fact (a licence, a penalty…) identified by its class's business key.

    ``fields`` mirrors the current version for fast reads; the versions are the history and are never changed.
    Natural persons' identity numbers appear in ``fields`` masked only (the clear value is encrypted on the version).
    """

    class_code = models.CharField("信息类", max_length=40)
    subject = models.ForeignKey(Subject, verbose_name="信用主体", on_delete=models.PROTECT, related_name="records")
    department = models.ForeignKey(Department, verbose_name="报送部门", on_delete=models.PROTECT, related_name="records")
    # keyed hash of the business key (e.g. decision number + subject code): identity without exposing ID numbers
    key_hash = models.CharField("业务主键哈希", max_length=64)
    decision_no = models.CharField("决定文书号", max_length=128, db_index=True)
    decision_date = models.DateField("决定日期", db_index=True)
    received_at = models.DateTimeField("首次归集时间")
    updated_at = models.DateTimeField("最近更新时间")
    version = models.PositiveIntegerField("当前版本", default=1)
    fields = models.JSONField("规范化字段（当前版本）", default=dict)
    content_hash = models.CharField("内容哈希", max_length=64)
    status = models.CharField("状态", max_length=10, choices=RecordStatus.choices, default=RecordStatus.ACTIVE)
    status_reason = models.TextField("状态原因", blank=True)
    # timeliness (及时性): working days from the decision to first receipt, against the class's deadline
    delay_working_days = models.IntegerField("报送用时（工作日）")
    on_time = models.BooleanField("按时报送")
    rulebook_version = models.CharField("规则版本", max_length=64)

    class Meta:
        verbose_name = "信用记录 (credit record)"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["class_code", "key_hash"], name="record_business_key_once",
                                    violation_error_message="同一信息类下业务主键重复。"),
        ]
        indexes = [
            models.Index(fields=["subject", "class_code"], name="record_subject_class_idx"),
            models.Index(fields=["department", "received_at"], name="record_department_received_idx"),
            # the evaluation's incremental refresh (增量刷新) reads what changed since its watermark, every minute
            models.Index(fields=["updated_at"], name="record_updated_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.class_code} {self.decision_no}"


class RecordVersion(models.Model):
    """One received version of a record, kept for ever ("what did the platform know on date D")."""

    record = models.ForeignKey(CreditRecord, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField("版本")
    received_at = models.DateTimeField("归集时间")
    channel = models.CharField("渠道", max_length=10, choices=SubmissionChannel.choices)
    batch_ref = models.CharField("批次", max_length=64, blank=True)
    actor_label = models.CharField("报送者", max_length=150)
    original = models.JSONField("原始内容（脱敏）", default=dict)
    fields = models.JSONField("规范化字段（脱敏）", default=dict)
    sensitive_encrypted = models.TextField("敏感字段密文", blank=True)
    content_hash = models.CharField("内容哈希", max_length=64)
    rulebook_version = models.CharField("规则版本", max_length=64)

    class Meta:
        verbose_name = "信用记录版本 (record version)"
        verbose_name_plural = verbose_name
        ordering = ["record_id", "version"]
        constraints = [models.UniqueConstraint(fields=["record", "version"], name="record_version_once")]
