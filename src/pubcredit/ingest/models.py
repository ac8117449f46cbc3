"""Submission batches (归集批次) and the quarantine of rejected rows (退回数据)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from pubcredit.accounts.models import Department
from pubcredit.ingest.choices import BatchStatus, RejectionStatus
from pubcredit.records.choices import SubmissionChannel

__all__ = ["Batch", "BatchKey", "RejectedRow"]


class Batch(models.Model):
    """One submission: a file, an API call or a form entry, with its running summary.

    Rows are committed in chunks; ``rows_done`` moves in the same transaction as each chunk, so a batch killed
    mid-way resumes after its last committed chunk (same file, department and class → same batch).
    """

    class_code = models.CharField("信息类", max_length=40)
    department = models.ForeignKey(Department, verbose_name="报送部门", on_delete=models.PROTECT, related_name="batches")
    channel = models.CharField("渠道", max_length=10, choices=SubmissionChannel.choices)
    filename = models.CharField("文件名", max_length=255, blank=True)
    file_sha256 = models.CharField("文件哈希", max_length=64, blank=True, db_index=True)
    status = models.CharField("状态", max_length=12, choices=BatchStatus.choices, default=BatchStatus.RECEIVED)
    refused_code = models.CharField("退回代码", max_length=64, blank=True)
    refused_message = models.TextField("退回原因", blank=True)
    total_rows = models.IntegerField("总行数", null=True, blank=True)
    rows_done = models.IntegerField("已处理行数", default=0)
    summary = models.JSONField("批次汇总", default=dict)
    received_at = models.DateTimeField("接收时间")
    started_at = models.DateTimeField("开始处理", null=True, blank=True)
    finished_at = models.DateTimeField("处理完成", null=True, blank=True)
    actor_label = models.CharField("报送者", max_length=150)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = "归集批次 (batch)"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["department", "received_at"], name="batch_department_time_idx")]

    def __str__(self) -> str:
        return f"批次{self.pk} {self.class_code} {self.filename}"


class RejectedRow(models.Model):
    """A row the platform refused, kept with its reasons until the provider sends it again correctly."""

    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="rejections")
    class_code = models.CharField("信息类", max_length=40)
    department = models.ForeignKey(Department, verbose_name="报送部门", on_delete=models.PROTECT, related_name="+")
    row_no = models.IntegerField("行号")  # as the provider counts: first data row under the header is 1
    # keyed hash of the business key when it could be read: a later accepted row with it resolves this one
    key_hash = models.CharField("业务主键哈希", max_length=64, blank=True, db_index=True)
    # a fix may change the key itself (a wrong check character in the USCC): the document number still matches
    decision_no = models.CharField("决定文书号", max_length=128, blank=True)
    cells = models.JSONField("原始单元格（脱敏）", default=dict)
    cells_encrypted = models.TextField("原始单元格密文", blank=True)  # only when the row holds sensitive cells
    errors = models.JSONField("错误", default=list)
    status = models.CharField("状态", max_length=12, choices=RejectionStatus.choices, default=RejectionStatus.OPEN)
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)
    resolved_by_batch = models.ForeignKey(Batch, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "退回数据 (rejected row)"
        verbose_name_plural = verbose_name
        ordering = ["batch_id", "row_no"]
        indexes = [models.Index(fields=["department", "class_code", "status"], name="rejection_open_idx")]


class BatchKey(models.Model):
    """A business key a batch in progress has used (its 64-bit hash) and the row that first used it.

    Duplicates within a file are found against the earlier chunks' keys here, not in the import's memory: memory
    stays the same however long the file is, and a resumed batch need not read its committed rows again. Written
    in each chunk's transaction; deleted when the batch ends.
    """

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="+", db_index=False)
    key_hash = models.BigIntegerField("业务主键哈希")  # the plan's UInt64 hash, stored as the same 64 bits signed
    first_row = models.IntegerField("首次出现行号")

    class Meta:
        verbose_name = "批次业务主键 (batch key)"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["batch", "key_hash"], name="batch_key_once")]
