"""双随机、一公开 (random inspections) under graded supervision: "一单两库" — the inspection items (抽查事项清单),
the object library (检查对象名录库, built from subjects and their evaluation class, never typed in) and the
inspector library (执法检查人员名录库) — and the tasks, their verifiable draws, the inspectors drawn and the
results. The rules live in ``rules/supervision.py`` and ``rulebook/supervision/rules.yaml``."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from pubcredit.accounts.models import Department, District
from pubcredit.records.models import CreditRecord
from pubcredit.rules.supervision import ITEM_KIND_LABELS, RESULT_LABELS, STATUS_LABELS
from pubcredit.subjects.models import Subject

__all__ = ["DrawnObject", "InspectionItem", "InspectionObject", "InspectionResult", "InspectionTask", "Inspector",
           "InspectorAssignment", "InspectorConflict"]


class InspectionItem(models.Model):
    """抽查事项: one line of a department's item list."""

    department = models.ForeignKey(Department, verbose_name="实施部门", on_delete=models.PROTECT,
                                   related_name="inspection_items")
    code = models.CharField("事项编码", max_length=40)
    name = models.CharField("抽查事项", max_length=200)
    domain = models.CharField("检查领域", max_length=40)  # matches inspectors' qualifications
    kind = models.CharField("事项类别", max_length=10, choices=list(ITEM_KIND_LABELS.items()))
    special_domain = models.BooleanField("特殊领域（疫苗、药品、特种设备、危险化学品）", default=False)
    legal_basis = models.TextField("检查依据")
    active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField("创建时间")

    class Meta:
        verbose_name = "抽查事项 (inspection item)"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["department", "code"], name="supervision_item_code_once",
                                               violation_error_message="本部门已有该事项编码")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class InspectionObject(models.Model):
    """检查对象名录库: one organisation or individual business from the social credit database, with its class
    from the latest evaluation (or none) and the licences it holds; refreshed, never typed in."""

    subject = models.OneToOneField(Subject, verbose_name="信用主体", on_delete=models.PROTECT,
                                   related_name="inspection_object")
    key = models.CharField("主体标识（统一社会信用代码）", max_length=18, unique=True)
    class_code = models.CharField("信用类别", max_length=12, blank=True)  # blank: never evaluated
    class_name_zh = models.CharField("信用类别名称", max_length=12, default="未评价")
    scorecard_version = models.CharField("评价模型版本", max_length=64, blank=True)
    district = models.ForeignKey(District, verbose_name="所属区县", null=True, blank=True, on_delete=models.PROTECT)
    licences = models.JSONField("持有许可", default=list)
    refreshed_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "检查对象 (inspection object)"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.key} {self.class_name_zh}"


class Inspector(models.Model):
    """执法检查人员: staff of a department with their qualifications (检查领域)."""

    department = models.ForeignKey(Department, verbose_name="所属部门", on_delete=models.PROTECT,
                                   related_name="inspectors")
    staff_no = models.CharField("执法证号", max_length=40, unique=True)
    name = models.CharField("姓名", max_length=50)
    qualifications = models.JSONField("执法资格（检查领域）", default=list)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="平台账号", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="inspector_profiles")
    active = models.BooleanField("在岗", default=True)
    created_at = models.DateTimeField("创建时间")

    class Meta:
        verbose_name = "执法检查人员 (inspector)"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.name}（{self.staff_no}）"


class InspectorConflict(models.Model):
    """A declared conflict of interest (利害关系申报): the inspector is never drawn for this subject (回避)."""

    inspector = models.ForeignKey(Inspector, verbose_name="检查人员", on_delete=models.CASCADE,
                                  related_name="conflicts")
    subject = models.ForeignKey(Subject, verbose_name="利害关系主体", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("利害关系", max_length=200)
    declared_at = models.DateTimeField("申报时间")

    class Meta:
        verbose_name = "利害关系申报 (declared conflict)"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["inspector", "subject"], name="supervision_conflict_once",
                                               violation_error_message="已申报过该主体")]


class InspectionTask(models.Model):
    """抽查任务: items, an object filter, a base ratio, a date and the joint departments; its draw is committed
    to (seed commitment and frozen list hash) before it runs and can be recomputed by anyone after."""

    code = models.CharField("任务编号", max_length=32, unique=True)
    name = models.CharField("任务名称", max_length=200)
    department = models.ForeignKey(Department, verbose_name="牵头部门", on_delete=models.PROTECT,
                                   related_name="lead_inspection_tasks")
    joint_departments = models.ManyToManyField(Department, verbose_name="联合部门", blank=True, related_name="+")
    items = models.ManyToManyField(InspectionItem, verbose_name="抽查事项", related_name="tasks")
    trigger = models.CharField("启动方式", max_length=16, default="random")
    object_filter = models.JSONField("检查对象范围", default=dict)
    base_ratio = models.DecimalField("基础抽查比例（%）", max_digits=5, decimal_places=2)
    planned_date = models.DateField("计划检查日期")
    year = models.PositiveIntegerField("年度")
    status = models.CharField("状态", max_length=12, choices=list(STATUS_LABELS.items()), default="draft")
    rule_version = models.CharField("分级规则版本", max_length=80)
    rule_snapshot = models.JSONField("分级规则（当时）", default=dict)
    inspector_pool = models.ManyToManyField(Inspector, verbose_name="指定检查人员范围", blank=True, related_name="+")
    seed_commitment = models.CharField("种子承诺值（SHA-256）", max_length=64, blank=True)
    seed = models.CharField("随机种子", max_length=64, blank=True)  # shown only once revealed
    seed_revealed_at = models.DateTimeField("种子公开时间", null=True, blank=True)
    candidates = models.JSONField("冻结的候选名单", default=list)
    candidates_hash = models.CharField("候选名单哈希（SHA-256）", max_length=64, blank=True)
    excluded = models.JSONField("未纳入候选的原因（内部）", default=dict)
    committed_at = models.DateTimeField("承诺公布时间", null=True, blank=True)
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)
    draw_error = models.TextField("抽取失败原因", blank=True)
    task_result_id = models.UUIDField("后台任务", null=True, blank=True)
    created_by = models.CharField("创建人", max_length=150)
    created_at = models.DateTimeField("创建时间")

    class Meta:
        verbose_name = "抽查任务 (inspection task)"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(base_ratio__gt=0, base_ratio__lte=100),
                                              name="supervision_ratio_range",
                                              violation_error_message="抽查比例须大于0且不超过100%")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def status_zh(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


class DrawnObject(models.Model):
    """One subject drawn by a task: visited once for every item of the task (进一次门、查多项事)."""

    task = models.ForeignKey(InspectionTask, verbose_name="抽查任务", on_delete=models.PROTECT, related_name="drawn")
    subject = models.ForeignKey(Subject, verbose_name="检查对象", on_delete=models.PROTECT, related_name="+")
    key = models.CharField("主体标识", max_length=18)
    position = models.PositiveIntegerField("抽取顺序")
    order_key = models.CharField("排序值 HMAC-SHA256", max_length=64)
    ratio = models.DecimalField("所在层抽查比例（%）", max_digits=5, decimal_places=2)
    class_code = models.CharField("抽取时信用类别（内部）", max_length=12, blank=True)
    counts_against_cap = models.BooleanField("计入年度随机检查次数")
    inspectors = models.ManyToManyField(Inspector, through="InspectorAssignment", related_name="drawn_objects")

    class Meta:
        verbose_name = "抽取对象 (drawn object)"
        verbose_name_plural = verbose_name
        ordering = ["task", "position"]
        constraints = [models.UniqueConstraint(fields=["task", "subject"], name="supervision_drawn_once_per_task",
                                               violation_error_message="同一任务中一个主体只检查一次")]


class InspectorAssignment(models.Model):
    drawn_object = models.ForeignKey(DrawnObject, on_delete=models.PROTECT)
    inspector = models.ForeignKey(Inspector, on_delete=models.PROTECT)

    class Meta:
        verbose_name = "检查人员分派 (assignment)"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["drawn_object", "inspector"],
                                               name="supervision_assignment_once")]


class InspectionResult(models.Model):
    """检查结果 per object and item; published (一公开) within the rulebook's working days."""

    drawn_object = models.ForeignKey(DrawnObject, verbose_name="检查对象", on_delete=models.PROTECT,
                                     related_name="results")
    item = models.ForeignKey(InspectionItem, verbose_name="抽查事项", on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField("检查结果", max_length=20, choices=list(RESULT_LABELS.items()))
    notes = models.TextField("情况说明", blank=True)
    inspected_on = models.DateField("检查日期")
    publish_due = models.DateField("应公示日期")
    published_at = models.DateTimeField("公示时间", null=True, blank=True)
    record = models.ForeignKey(CreditRecord, verbose_name="生成的信用记录", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    entered_by = models.CharField("录入人", max_length=150)
    entered_at = models.DateTimeField("录入时间")
    rule_version = models.CharField("规则版本", max_length=80)

    class Meta:
        verbose_name = "检查结果 (inspection result)"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["drawn_object", "item"], name="supervision_result_once",
                                               violation_error_message="该对象该事项已录入结果")]

    @property
    def outcome_zh(self) -> str:
        return RESULT_LABELS.get(self.outcome, self.outcome)
