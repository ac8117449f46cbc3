"""Append-only, hash-chained audit trail (审计日志)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Now

__all__ = ["AuditCheckpoint", "AuditEvent", "AuditSeal"]


class AuditEvent(models.Model):
    """One audited action, written inside the caller's transaction with no chain position and no lock.

    The sealing job (:func:`pubcredit.audit.services.audit_chain_seal`) later gives it an :class:`AuditSeal`,
    whose hash covers this row and the previous link. Rows are never updated or deleted: database triggers
    (migrations 0002, 0003) refuse it.
    """

    event = models.PositiveIntegerField("事件类型")
    action = models.CharField("动作", max_length=50)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField("操作者", max_length=150)
    department_code = models.CharField("部门", max_length=32, blank=True)
    object_type = models.CharField("对象类型", max_length=50)
    object_id = models.CharField("对象", max_length=64, blank=True)
    reason = models.TextField("事由", blank=True)
    before_hash = models.CharField("变更前哈希", max_length=64, blank=True)
    after_hash = models.CharField("变更后哈希", max_length=64, blank=True)
    data = models.JSONField("附加数据", default=dict, blank=True)
    rule_version = models.CharField("规则版本", max_length=64, blank=True)
    created_at = models.DateTimeField("时间")
    # the database's own clock (never pinned): how long an event has waited for its seal
    appended_at = models.DateTimeField("写入时间", db_default=Now(), db_index=True)

    class Meta:
        verbose_name = "审计事件 (audit event)"
        verbose_name_plural = verbose_name
        ordering = ["id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["event", "created_at"], name="audit_event_time_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"


class AuditSeal(models.Model):
    """One link of the hash chain (审计链): the event at ``position`` and the hash over it and the previous link.

    Links are appended only by the sealing job, in the order it finds events committed; ``position`` runs
    1, 2, 3 … with no gap, so a removed link is seen as well as a removed or altered event. ``scheme`` says what the
    hash covers: 1 (links sealed before issue 19) the event's business columns; 2 every column of the event (its id,
    actor id and append time too) and the link's own position and seal time.
    """

    position = models.BigIntegerField("链位置", primary_key=True)
    event = models.OneToOneField(AuditEvent, on_delete=models.PROTECT, related_name="seal", verbose_name="审计事件")
    prev_hash = models.CharField("前一条哈希", max_length=64)
    hash = models.CharField("本条哈希", max_length=64, unique=True)
    sealed_at = models.DateTimeField("封存时间", db_default=Now())
    scheme = models.PositiveSmallIntegerField("哈希方案", default=2)

    class Meta:
        verbose_name = "审计链节 (audit seal)"
        verbose_name_plural = verbose_name
        ordering = ["position"]

    def __str__(self) -> str:
        return f"链位置 {self.position} → 事件 #{self.event_id}"


class AuditCheckpoint(models.Model):
    """A signed statement of the chain head (审计链签名检查点): "link ``position`` has hash ``head_hash``".

    Made by the sealing job when due and appended at once to a file outside the database
    (``PUBCREDIT_AUDIT_CHECKPOINT_FILE``); the copy here only tells the job when the last one was made. A database
    administrator who deletes the newest links or re-chains edited rows cannot produce a matching signature
    without the signing key, which is kept outside the database (docs/security.md, "Audit integrity").
    """

    position = models.BigIntegerField("链位置")
    head_hash = models.CharField("链头哈希", max_length=64)
    first_hash = models.CharField("首条哈希", max_length=64)
    made_at = models.DateTimeField("签署时间")
    key_id = models.CharField("密钥标识", max_length=64)
    signature = models.TextField("签名")

    class Meta:
        verbose_name = "审计链检查点 (audit checkpoint)"
        verbose_name_plural = verbose_name
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"检查点 链位置 {self.position} @ {self.made_at:%Y-%m-%d %H:%M}"
