"""Evaluation runs and their results (公共信用综合评价结果). Rows change only through ``evaluation.services``.

A result is what the platform knew on the run's evaluation date, scored with one scorecard version; results are
never overwritten: a new run adds rows. Internal to government: never shown on the public site, and not in itself a
basis for punishment.
"""

from __future__ import annotations

from django.db import models

from pubcredit.evaluation.choices import CreditClassChoice, RunStatus, RunTrigger
from pubcredit.subjects.models import Subject

__all__ = ["EvaluationRun", "EvaluationResult", "RefreshWatermark"]


class EvaluationRun(models.Model):
    """One evaluation of every organisation (or of a few subjects) on one date with one scorecard version."""

    trigger = models.CharField("方式", max_length=12, choices=RunTrigger.choices)
    as_of = models.DateField("评价基准日")
    period = models.CharField("评价期", max_length=16)  # 2026Q3 for a quarter, the date otherwise
    scorecard_version = models.CharField("评价模型版本", max_length=64)
    status = models.CharField("状态", max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    subject_ids = models.JSONField("限定主体", null=True, blank=True)  # None: every evaluated subject
    total = models.PositiveIntegerField("待评价主体数", default=0)
    done = models.PositiveIntegerField("已评价主体数", default=0)
    task_result_id = models.UUIDField("后台任务", null=True, blank=True)
    requested_by = models.CharField("发起人", max_length=150)
    created_at = models.DateTimeField("发起时间")
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    # per item: {"item_code": {"name_zh", "subjects", "points"}}, added partition by partition (the figures page)
    item_figures = models.JSONField("加减分项统计", default=dict, blank=True)

    class Meta:
        verbose_name = "评价批次 (evaluation run)"
        verbose_name_plural = verbose_name
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.period} {self.scorecard_version}"


class EvaluationResult(models.Model):
    """One subject's score, grade and class in one run, with every item line (the explanation) and the overrides."""

    run = models.ForeignKey(EvaluationRun, verbose_name="评价批次", on_delete=models.PROTECT, related_name="results")
    subject = models.ForeignKey(Subject, verbose_name="信用主体", on_delete=models.PROTECT,
                                related_name="evaluations")
    as_of = models.DateField("评价基准日")
    scorecard_version = models.CharField("评价模型版本", max_length=64)
    score = models.DecimalField("得分", max_digits=8, decimal_places=2)
    grade = models.CharField("等级", max_length=2)
    class_code = models.CharField("类别", max_length=8, choices=CreditClassChoice.choices)
    items = models.JSONField("加减分明细", default=list)
    overrides = models.JSONField("直接认定", default=list)
    evaluated_at = models.DateTimeField("评价时间")

    class Meta:
        verbose_name = "评价结果 (evaluation result)"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["run", "subject"], name="evaluation_result_once_per_run",
                                    violation_error_message="同一评价批次中主体只有一条结果。"),
        ]
        indexes = [models.Index(fields=["subject", "-evaluated_at"], name="evaluation_subject_latest_idx")]

    def __str__(self) -> str:
        return f"{self.subject_id} {self.grade}"

    @property
    def class_name_zh(self) -> str:
        return CreditClassChoice(self.class_code).label


class RefreshWatermark(models.Model):
    """How far the incremental refresh (增量刷新) has looked for changed records and entries: one row."""

    name = models.CharField("名称", max_length=32, unique=True)
    checked_until = models.DateTimeField("已检查至")
    refreshed_at = models.DateTimeField("最近刷新时间")

    class Meta:
        verbose_name = "增量刷新进度 (refresh watermark)"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.name} {self.checked_until:%Y-%m-%d %H:%M:%S}"
