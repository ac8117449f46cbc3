"""Credit subjects (信用主体): organisations by USCC, natural persons by an encrypted identity number."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from pubcredit.accounts.models import District
from pubcredit.subjects.choices import INDUSTRY_CHOICES, IdentifierKind, SubjectKind

__all__ = ["Subject", "SubjectName", "ConfirmedIdentifier"]


class Subject(models.Model):
    kind = models.CharField("主体类别", max_length=24, choices=SubjectKind.choices)
    name = models.CharField("名称", max_length=200, db_index=True)
    uscc = models.CharField("统一社会信用代码", max_length=18, null=True, blank=True, unique=True)
    # Natural persons (and individual businesses known only by the owner's ID): never stored in clear.
    id_hash = models.CharField("证件号码查找哈希", max_length=64, null=True, blank=True, unique=True)
    id_encrypted = models.TextField("证件号码密文", blank=True)
    id_masked = models.CharField("证件号码（脱敏）", max_length=24, blank=True)
    district = models.ForeignKey(District, verbose_name="所属区县", null=True, blank=True, on_delete=models.PROTECT)
    # 国民经济行业门类 (GB/T 4754-2017 section letter) from the registration data; null: not registered yet
    industry = models.CharField("行业门类", max_length=1, null=True, blank=True, choices=INDUSTRY_CHOICES)
    created_at = models.DateTimeField("创建时间")
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "信用主体 (subject)"
        verbose_name_plural = verbose_name
        constraints = [
            models.CheckConstraint(
                name="subject_has_identifier",
                condition=models.Q(uscc__isnull=False) | models.Q(id_hash__isnull=False),
                violation_error_message="信用主体必须有统一社会信用代码或证件号码。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.display_code}）"

    @property
    def display_code(self) -> str:
        """The code safe to show anywhere: the USCC, or the masked identity number."""
        return self.uscc or self.id_masked

    @property
    def is_natural_person(self) -> bool:
        return self.kind == SubjectKind.NATURAL_PERSON


class SubjectName(models.Model):
    """Name history (名称变更记录): every name a subject has been submitted under, with when it was first seen."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="names")
    name = models.CharField("名称", max_length=200)
    first_seen = models.DateTimeField("首次出现")

    class Meta:
        verbose_name = "主体名称历史 (name history)"
        verbose_name_plural = verbose_name
        ordering = ["first_seen", "id"]
        constraints = [models.UniqueConstraint(fields=["subject", "name"], name="subject_name_once")]


class ConfirmedIdentifier(models.Model):
    """An identifier an operator confirmed as really issued although it fails its checksum (校验位异常确认)."""

    kind = models.CharField("类型", max_length=16, choices=IdentifierKind.choices)
    # USCCs are public and kept in clear; identity numbers only as their lookup hash.
    value = models.CharField("代码或哈希", max_length=64)
    reason = models.TextField("确认依据")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField("确认时间")

    class Meta:
        verbose_name = "已确认代码 (confirmed identifier)"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="confirmed_identifier_once")]
