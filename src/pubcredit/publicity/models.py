"""Publicity state of every credit record (公示状态), the change feed for downstream systems, its consumers and
the daily runs. Rows change only through ``publicity.services``."""

from __future__ import annotations

from django.db import models

from pubcredit.accounts.models import Department
from pubcredit.publicity.choices import PublicityStateChoice, SeverityChoice
from pubcredit.records.models import CreditRecord
from pubcredit.subjects.models import Subject

__all__ = ["PublicityState", "ChangeFeedEntry", "FeedConsumer", "TickRun"]


class PublicityState(models.Model):
    """Where one record stands in its publicity lifecycle, with the rule's verdict and the rule version used.

    ``class_code``, ``decision_date``, ``subject`` and ``department`` repeat the record's so that the public site's
    listings and subject pages read one indexed table.
    """

    record = models.OneToOneField(CreditRecord, verbose_name="信用记录", primary_key=True, on_delete=models.PROTECT,
                                  related_name="publicity")
    state = models.CharField("公示状态", max_length=16, choices=PublicityStateChoice.choices)
    severity = models.CharField("失信程度", max_length=8, choices=SeverityChoice.choices, blank=True)
    regime = models.CharField("适用规定", max_length=40)
    published = models.BooleanField("应予公示")  # the rule's verdict; ``state`` says whether it is shown today
    publish_from = models.DateField("公示起始日", null=True, blank=True)
    repairable_from = models.DateField("可申请修复日", null=True, blank=True)
    publish_until = models.DateField("公示截止日（含）", null=True, blank=True)
    ended_on = models.DateField("停止公示日", null=True, blank=True)
    # a date rests on a year whose holiday schedule is not loaded (the bound favourable to the subject was taken):
    # the daily job re-assesses it until the schedule is loaded
    provisional = models.BooleanField("日期暂定", default=False)
    shared = models.BooleanField("共享中", default=True)
    reason_zh = models.TextField("依据与理由")
    reason_en = models.TextField("reason (English)")
    rule_version = models.CharField("规定版本", max_length=64)
    rulebook_version = models.CharField("规则库版本", max_length=64)
    record_version = models.PositiveIntegerField("评估时记录版本")
    assessed_on = models.DateField("评估日期")
    class_code = models.CharField("信息类", max_length=40)
    decision_date = models.DateField("决定日期")
    subject = models.ForeignKey(Subject, verbose_name="信用主体", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Department, verbose_name="报送部门", on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "公示状态 (publicity state)"
        verbose_name_plural = verbose_name
        indexes = [
            models.Index(fields=["class_code", "state", "decision_date", "record"], name="publicity_listing_idx"),
            models.Index(fields=["class_code", "state", "department", "decision_date"], name="publicity_dept_idx"),
            models.Index(fields=["subject", "state"], name="publicity_subject_idx"),
            models.Index(fields=["state", "publish_from"], name="publicity_due_idx"),
            models.Index(fields=["state", "publish_until"], name="publicity_until_idx"),
            models.Index(fields=["state", "ended_on"], name="publicity_ended_idx"),
            models.Index(fields=["assessed_on"], name="publicity_assessed_idx"),
            models.Index(fields=["updated_at"], name="publicity_updated_idx"),  # the evaluation's incremental refresh
        ]
        constraints = [
            models.CheckConstraint(
                name="publicity_window_ordered",
                condition=models.Q(publish_from__isnull=True) | models.Q(publish_until__isnull=True)
                | models.Q(publish_from__lte=models.F("publish_until")),
                violation_error_message="公示起始日不能晚于公示截止日。"),
        ]

    def __str__(self) -> str:
        return f"{self.record_id} {self.state}"

    @property
    def is_shown(self) -> bool:
        return self.state == PublicityStateChoice.PUBLISHED


class ChangeFeedEntry(models.Model):
    """One publicity change, appended in commit order; ``id`` is the cursor downstream systems resume from."""

    record = models.ForeignKey(CreditRecord, verbose_name="信用记录", on_delete=models.PROTECT, related_name="+")
    event = models.CharField("事件", max_length=16)  # publish / expire / withhold / repair … (TRANSITIONS) or assess
    state = models.CharField("公示状态", max_length=16, choices=PublicityStateChoice.choices)
    previous_state = models.CharField("原状态", max_length=16, blank=True)
    shown = models.BooleanField("公开展示")
    shared = models.BooleanField("共享中")
    severity = models.CharField("失信程度", max_length=8, blank=True)
    publish_from = models.DateField(null=True, blank=True)
    repairable_from = models.DateField(null=True, blank=True)
    publish_until = models.DateField(null=True, blank=True)
    effective_on = models.DateField("生效日期")  # the day the change holds from (a caught-up expiry: its real day)
    class_code = models.CharField("信息类", max_length=40)
    decision_no = models.CharField("决定文书号", max_length=128)
    subject_code = models.CharField("主体代码（脱敏）", max_length=24)
    rule_version = models.CharField("规定版本", max_length=64)
    changed_at = models.DateTimeField("变更时间")

    class Meta:
        verbose_name = "公示变更流水 (change feed)"
        verbose_name_plural = verbose_name
        ordering = ["id"]


class FeedConsumer(models.Model):
    """A downstream system reading the change feed with its department's token: how far it has read."""

    department = models.OneToOneField(Department, verbose_name="部门", on_delete=models.PROTECT,
                                      related_name="feed_consumer")
    acknowledged_cursor = models.BigIntegerField("已确认游标", default=0)  # the ``since`` it last asked with
    delivered_cursor = models.BigIntegerField("已下发游标", default=0)  # the last cursor handed to it
    token_prefix = models.CharField("最近令牌", max_length=12, blank=True)
    reads = models.PositiveBigIntegerField("读取次数", default=0)
    first_seen_at = models.DateTimeField("首次读取")
    last_seen_at = models.DateTimeField("最近读取")

    class Meta:
        verbose_name = "变更流水订阅方 (feed consumer)"
        verbose_name_plural = verbose_name
        ordering = ["department__code"]


class TickRun(models.Model):
    """One run of ``pubcredit tick`` (daily publicity job): for operators, and to notice rulebook changes."""

    day = models.DateField("业务日期")
    started_at = models.DateTimeField("开始")
    finished_at = models.DateTimeField("结束")
    rulebook_version = models.CharField("规则库版本", max_length=64)
    counts = models.JSONField("变更数", default=dict)
    actor_label = models.CharField("执行者", max_length=150)

    class Meta:
        verbose_name = "公示日常任务 (tick run)"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
