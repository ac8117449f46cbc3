"""Governance tables: daily department scorecards (frozen at month end) with the rows behind every figure, and the
policy's task ledger with the units' progress reports."""

from __future__ import annotations

from django.db import models

from pubcredit.accounts.models import Department
from pubcredit.rules.governance import RECURRENCE_LABELS, TASK_STATUS_LABELS

__all__ = ["DepartmentScorecard", "ScorecardItem", "PolicyTask", "ProgressReport", "ProgressAttachment"]


class DepartmentScorecard(models.Model):
    """One department's scorecard for one calendar month (考核月), recomputed daily until the month ends, then
    frozen: late data never changes a frozen card. ``figures`` holds per figure key: total, failing, value, target,
    weight, points, status."""

    department = models.ForeignKey(Department, verbose_name="部门", on_delete=models.PROTECT, related_name="+")
    month = models.DateField("考核月（首日）")
    as_of = models.DateField("数据截至")
    computed_at = models.DateTimeField("计算时间")
    frozen = models.BooleanField("已冻结", default=False)
    score = models.FloatField("得分", null=True, blank=True)
    figures = models.JSONField("各项指标", default=dict)
    sharing_status = models.CharField("实时共享判定", max_length=16, blank=True)
    rule_version = models.CharField("考核规则版本", max_length=64)

    class Meta:
        verbose_name = "部门考核月度得分 (department scorecard)"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["department", "month"], name="scorecard_department_month_once",
                                               violation_error_message="同一部门同一考核月只有一张考核表。")]
        indexes = [models.Index(fields=["month", "department"], name="scorecard_month_idx")]

    def __str__(self) -> str:
        return f"{self.department_id} {self.month:%Y-%m}"


class ScorecardItem(models.Model):
    """One row counted against a figure (a late record, an unanswered check…): the drill-down behind the figure.
    Only references and dates are kept, no personal data: the page links to the row in its own app."""

    scorecard = models.ForeignKey(DepartmentScorecard, on_delete=models.CASCADE, related_name="items")
    figure = models.CharField("指标", max_length=40)
    object_type = models.CharField("对象类型", max_length=24)
    object_id = models.BigIntegerField("对象编号")
    reference = models.CharField("文号或编号", max_length=200, blank=True)
    detail = models.CharField("说明", max_length=300, blank=True)
    day = models.DateField("相关日期", null=True, blank=True)

    class Meta:
        verbose_name = "考核明细 (scorecard row)"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["scorecard", "figure"], name="scorecard_item_figure_idx")]


class PolicyTask(models.Model):
    """A task or safeguard of the policy (淄政办字〔2021〕31号), loaded from the rulebook and edited in the console."""

    code = models.CharField("编号", max_length=8, unique=True)
    kind = models.CharField("类别", max_length=10, choices=[("task", "主要任务"), ("safeguard", "保障措施")])
    section = models.CharField("所属部分", max_length=100)
    title = models.CharField("任务", max_length=200)
    summary = models.TextField("任务内容")
    lead_units = models.JSONField("牵头单位", default=list)
    co_units = models.JSONField("配合单位", default=list, blank=True)
    deadline = models.DateField("完成时限", null=True, blank=True)
    recurrence = models.CharField("调度周期", max_length=10, blank=True, choices=list(RECURRENCE_LABELS.items()))
    indicators = models.JSONField("关联指标", default=list, blank=True)
    status = models.CharField("状态", max_length=12, choices=[(k.value, v) for k, v in TASK_STATUS_LABELS.items()],
                              default="not_started")
    source_version = models.CharField("来源版本", max_length=32)
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "政策任务 (policy task)"
        verbose_name_plural = verbose_name
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ProgressReport(models.Model):
    """A responsible unit's progress on a task for one period (调度进展), kept for ever."""

    task = models.ForeignKey(PolicyTask, on_delete=models.PROTECT, related_name="reports")
    unit = models.CharField("报送单位", max_length=100)
    period = models.DateField("调度期（首日）")
    text = models.TextField("进展情况")
    actor_label = models.CharField("报送人", max_length=150)
    created_at = models.DateTimeField("报送时间")

    class Meta:
        verbose_name = "任务进展 (progress report)"
        verbose_name_plural = verbose_name
        ordering = ["-period", "-created_at"]
        indexes = [models.Index(fields=["task", "period"], name="progress_task_period_idx")]


class ProgressAttachment(models.Model):
    """A file sent with a progress report (进展附件): kept by its SHA-256 outside the web root, scanned on the worker
    (governance/attachments.py), downloaded by those who may read the task."""

    report = models.ForeignKey(ProgressReport, verbose_name="进展报送", on_delete=models.PROTECT,
                               related_name="attachments")
    kind = models.CharField("文件类型", max_length=8, choices=[("pdf", "PDF"), ("jpeg", "JPG"), ("png", "PNG"),
                                                            ("docx", "Word"), ("xlsx", "Excel")])
    original_name = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    stored_path = models.CharField("存储位置（相对附件目录）", max_length=200)
    scan_status = models.CharField("病毒扫描", max_length=12, choices=[
        ("pending", "待扫描"), ("clean", "未发现病毒"), ("infected", "发现病毒（已删除）"), ("error", "扫描出错"),
        ("not_scanned", "未扫描")])
    scan_detail = models.CharField("扫描说明", max_length=300, blank=True, default="")
    scanned_at = models.DateTimeField("扫描时间", null=True, blank=True)
    created_at = models.DateTimeField("上传时间")

    class Meta:
        verbose_name = "进展附件 (progress report attachment)"
        verbose_name_plural = verbose_name
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def downloadable(self) -> bool:
        return self.scan_status != "infected"
