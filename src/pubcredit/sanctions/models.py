"""Joint reward and punishment (联合奖惩): operator versions of measures, checks and their hits and feedback, batch
screenings, and departments' watches. Rows change only through ``sanctions.services``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from pubcredit.accounts.models import Department
from pubcredit.lists.models import ListEntry
from pubcredit.sanctions.choices import CheckChannel, IdentifierKindChoice, MeasureKind
from pubcredit.subjects.models import Subject

__all__ = ["MeasureVersion", "CheckBatch", "Check", "CheckHit", "CheckFeedback", "Watch", "WatchCursor"]


class MeasureVersion(models.Model):
    """An operator's version of a measure (措施清单维护), over the seed in ``rulebook/measures/``.

    The newest version of a code replaces the seed's versions of that code from the moment it is saved; ``data`` is
    the whole measure as the pure rule reads it (``rules.sanctions.Measure``), checked before it is saved.
    """

    code = models.CharField("措施代码", max_length=80)
    number = models.PositiveIntegerField("版本号")
    kind = models.CharField("类别", max_length=8, choices=MeasureKind.choices)
    data = models.JSONField("措施内容")
    reason = models.TextField("修改说明")
    actor_label = models.CharField("操作者", max_length=150)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("保存时间")

    class Meta:
        verbose_name = "奖惩措施版本 (measure version)"
        verbose_name_plural = verbose_name
        ordering = ["code", "number"]
        constraints = [models.UniqueConstraint(fields=["code", "number"], name="measure_version_once",
                                               violation_error_message="同一措施的版本号重复。")]

    def __str__(self) -> str:
        return f"{self.code} v{self.number}"


class CheckBatch(models.Model):
    """A department's screening of a whole case list (批量核查): one check per row, a downloadable result."""

    department = models.ForeignKey(Department, verbose_name="部门", on_delete=models.PROTECT, related_name="+")
    scenario = models.CharField("业务场景", max_length=32)
    filename = models.CharField("文件名", max_length=255, blank=True)
    channel = models.CharField("渠道", max_length=8, choices=CheckChannel.choices)
    actor_label = models.CharField("操作者", max_length=150)
    total = models.PositiveIntegerField("行数", default=0)
    checked = models.PositiveIntegerField("已核查", default=0)
    hit_subjects = models.PositiveIntegerField("命中主体数", default=0)
    errors = models.JSONField("无法核查的行", default=list, blank=True)  # [{"row", "code", "message", "reference"}]
    created_at = models.DateTimeField("核查时间")

    class Meta:
        verbose_name = "批量核查 (batch screening)"
        verbose_name_plural = verbose_name
        ordering = ["-id"]


class Check(models.Model):
    """One check of one subject by one department in one scenario (联合奖惩核查), and what it answered.

    ``hits`` is the answer as given (entries, terms and measures with their legal basis); ``rulebook_version`` names
    the list rules and measure list in force. Nothing here changes after the check except the feedback flags.
    """

    check_id = models.UUIDField("核查编号", unique=True)
    # no index of its own: the department-first indexes below serve it (one index less to write per check)
    department = models.ForeignKey(Department, verbose_name="核查部门", on_delete=models.PROTECT, related_name="+",
                                   db_index=False)
    channel = models.CharField("渠道", max_length=8, choices=CheckChannel.choices)
    actor_label = models.CharField("操作者", max_length=150)
    batch = models.ForeignKey(CheckBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="checks",
                              db_index=False)  # indexed below for batch rows only
    batch_row = models.PositiveIntegerField("批量行号", null=True, blank=True)
    scenario = models.CharField("业务场景", max_length=32)
    reference = models.CharField("业务编号", max_length=200, blank=True)
    identifier_kind = models.CharField("代码类型", max_length=10, choices=IdentifierKindChoice.choices)
    subject = models.ForeignKey(Subject, verbose_name="信用主体", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    subject_kind = models.CharField("主体类别", max_length=24, blank=True)
    subject_code = models.CharField("主体代码（脱敏）", max_length=24)
    subject_name = models.CharField("主体名称", max_length=200, blank=True)
    as_of = models.DateTimeField("核查时间")
    as_of_date = models.DateField("核查日期")
    rulebook_version = models.TextField("规则版本")
    hits = models.JSONField("命中结果", default=list)
    # per hit, every measure of its list in the scenario and the condition that decided it (incl. those not applied)
    explanation = models.JSONField("适用条件判定", default=list, blank=True)
    # the measures the subject's evaluation grade triggered (公共信用综合评价等级, ``GradeHit.as_dict()``); null: the
    # scenario has no grade measure, the subject was never evaluated, or is a natural person (never graded)
    grade_hit = models.JSONField("综合评价等级命中", null=True, blank=True)
    hit_count = models.PositiveSmallIntegerField("命中名单数", default=0)
    measure_count = models.PositiveSmallIntegerField("适用措施数", default=0)
    feedback_required = models.BooleanField("须反馈", default=False)
    feedback_complete = models.BooleanField("已反馈", default=False)

    class Meta:
        verbose_name = "联合奖惩核查 (check)"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["department", "as_of_date"], name="check_department_day_idx"),
            models.Index(fields=["department", "feedback_required", "feedback_complete"], name="check_feedback_idx"),
            models.Index(fields=["as_of_date"], name="check_day_idx"),
            # most checks come one by one through the API: only batch rows enter this index
            models.Index(fields=["batch", "batch_row"], name="check_batch_row_idx", condition=Q(batch__isnull=False)),
        ]

    def __str__(self) -> str:
        return str(self.check_id)

    def answered_measures(self) -> list[dict]:
        """Every measure answered: those of each list hit, then those the evaluation grade triggered."""
        measures = [m for h in self.hits for m in h["measures"]]
        return measures + list((self.grade_hit or {}).get("measures", []))


class CheckHit(models.Model):
    """A list entry a check hit (the entry as it stood then is in ``Check.hits``)."""

    check_row = models.ForeignKey(Check, on_delete=models.PROTECT, related_name="hit_rows", db_column="check_id")
    entry = models.ForeignKey(ListEntry, on_delete=models.PROTECT, related_name="+")
    list_code = models.CharField("名单", max_length=40)

    class Meta:
        verbose_name = "核查命中 (check hit)"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["check_row", "entry"], name="check_hit_once")]


class CheckFeedback(models.Model):
    """What the department did with one measure of a check (应惩必惩 反馈): applied or not, and why. A later row for
    the same measure corrects an earlier one; all are kept."""

    check_row = models.ForeignKey(Check, on_delete=models.PROTECT, related_name="feedback", db_column="check_id")
    measure_code = models.CharField("措施代码", max_length=80)
    applied = models.BooleanField("已实施")
    note = models.TextField("说明", blank=True)
    actor_label = models.CharField("反馈人", max_length=150)
    created_at = models.DateTimeField("反馈时间")

    class Meta:
        verbose_name = "措施实施反馈 (feedback)"
        verbose_name_plural = verbose_name
        ordering = ["id"]
        indexes = [models.Index(fields=["check_row", "measure_code"], name="check_feedback_measure_idx")]


class Watch(models.Model):
    """A department follows a subject (关注): it is told when the subject enters or leaves a list.

    ``subject_key`` is the USCC or ``id:<lookup hash>`` (a subject not yet on the platform can be watched too).
    """

    department = models.ForeignKey(Department, verbose_name="部门", on_delete=models.PROTECT, related_name="+")
    subject_key = models.CharField("主体键", max_length=70)
    subject_code = models.CharField("主体代码（脱敏）", max_length=24)
    label = models.CharField("名称或备注", max_length=200, blank=True)
    active = models.BooleanField("有效", default=True)
    actor_label = models.CharField("添加人", max_length=150)
    created_at = models.DateTimeField("关注时间")
    ended_at = models.DateTimeField("取消时间", null=True, blank=True)

    class Meta:
        verbose_name = "关注主体 (watch)"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        indexes = [models.Index(fields=["department", "active", "subject_key"], name="watch_department_idx")]
        constraints = [models.UniqueConstraint(fields=["department", "subject_key"], condition=models.Q(active=True),
                                               name="watch_active_once",
                                               violation_error_message="该主体已在关注列表中。")]


class WatchCursor(models.Model):
    """How far a department has read its watch inbox (最近已读的名单变动编号)."""

    department = models.OneToOneField(Department, on_delete=models.PROTECT, related_name="+")
    read_cursor = models.BigIntegerField("已读至", default=0)
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "关注提醒已读位置 (watch cursor)"
        verbose_name_plural = verbose_name
