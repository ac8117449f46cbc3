"""Red and black lists (红黑名单): entries derived from list-class records, their changes, and the identification
cases of lists decided in the city. Rows change only through ``lists.services``."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from pubcredit.accounts.models import Department
from pubcredit.lists.choices import CaseStateChoice, ChangeKind, EntryStatusChoice, ListKindChoice, RemovalReasonChoice
from pubcredit.records.models import CreditRecord
from pubcredit.subjects.models import Subject

__all__ = ["ListEntry", "ListChange", "IdentificationCase"]


class ListEntry(models.Model):
    """One subject on one list by one decision (名单条目): derived from a record of a list class.

    ``planned_end`` is the last day in force (inclusive), None for no fixed term. ``removed_on`` is the day the entry
    left the list (for an expiry caught up late: the day after ``planned_end``); ``removed_at`` when the platform
    recorded it. Checks use status, dates and term, so an entry past its term never hits even before the daily job.
    """

    record = models.OneToOneField(CreditRecord, verbose_name="信用记录", on_delete=models.PROTECT,
                                  related_name="list_entry")
    list_code = models.CharField("名单", max_length=40)
    kind = models.CharField("类别", max_length=8, choices=ListKindChoice.choices)
    subject = models.ForeignKey(Subject, verbose_name="信用主体", on_delete=models.PROTECT, related_name="list_entries")
    department = models.ForeignKey(Department, verbose_name="推送部门", on_delete=models.PROTECT, related_name="+")
    identifying_unit = models.CharField("认定单位", max_length=200)
    decision_no = models.CharField("认定文书号", max_length=128)
    decision_date = models.DateField("认定日期")
    effective_date = models.DateField("生效日期")
    planned_end = models.DateField("计划移出日期（含）", null=True, blank=True)
    term_source = models.CharField("期限来源", max_length=8)  # given | rulebook | none
    term_reason = models.TextField("期限依据")
    legal_basis = models.TextField("列入依据", blank=True)
    # the record's enumerated and numeric facts that decide joint-punishment conditions (列入情形, 处罚种类, 罚款金额…)
    facts = models.JSONField("条件事实", default=dict, blank=True)
    status = models.CharField("状态", max_length=10, choices=EntryStatusChoice.choices,
                              default=EntryStatusChoice.IN_FORCE)
    removal_reason = models.CharField("移出事由", max_length=16, choices=RemovalReasonChoice.choices, blank=True)
    removal_note = models.TextField("移出说明", blank=True)
    removed_on = models.DateField("移出日期", null=True, blank=True)
    removed_at = models.DateTimeField("移出登记时间", null=True, blank=True)
    push_delay_working_days = models.IntegerField("推送用时（工作日）")
    push_deadline_working_days = models.PositiveSmallIntegerField("推送时限（工作日）")
    pushed_late = models.BooleanField("超期推送")
    record_version = models.PositiveIntegerField("依据记录版本")
    rule_version = models.CharField("名单规则版本", max_length=64)
    created_at = models.DateTimeField("列入登记时间")
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "名单条目 (list entry)"
        verbose_name_plural = verbose_name
        indexes = [
            models.Index(fields=["subject", "status"], name="list_entry_subject_idx"),
            models.Index(fields=["status", "planned_end"], name="list_entry_due_idx"),
            models.Index(fields=["department", "pushed_late"], name="list_entry_late_idx"),
            models.Index(fields=["list_code", "status"], name="list_entry_list_idx"),
            models.Index(fields=["updated_at"], name="list_entry_updated_idx"),  # the evaluation's incremental refresh
        ]
        constraints = [
            models.CheckConstraint(
                name="list_entry_removal_complete",
                condition=(models.Q(status="in_force", removed_on__isnull=True, removal_reason="")
                           | models.Q(status="removed", removed_on__isnull=False) & ~models.Q(removal_reason="")),
                violation_error_message="移出的名单条目须有移出日期和事由，在列的不能有。"),
        ]

    def __str__(self) -> str:
        return f"{self.list_code} {self.decision_no}"

    @property
    def in_force(self) -> bool:
        return self.status == EntryStatusChoice.IN_FORCE


class ListChange(models.Model):
    """A subject entered or left a list (名单变动流水), appended in commit order; ``id`` is the feed cursor.

    ``subject_key`` is the subject's USCC or ``id:<lookup hash>``, the key departments' watches use.
    """

    entry = models.ForeignKey(ListEntry, verbose_name="名单条目", on_delete=models.PROTECT, related_name="changes")
    subject = models.ForeignKey(Subject, verbose_name="信用主体", on_delete=models.PROTECT, related_name="+")
    subject_key = models.CharField("主体键", max_length=70)
    change = models.CharField("变动", max_length=8, choices=ChangeKind.choices)
    list_code = models.CharField("名单", max_length=40)
    kind = models.CharField("类别", max_length=8, choices=ListKindChoice.choices)
    reason = models.CharField("事由", max_length=16, blank=True)
    effective_on = models.DateField("生效日期")
    changed_at = models.DateTimeField("变动时间")

    class Meta:
        verbose_name = "名单变动 (list change)"
        verbose_name_plural = verbose_name
        ordering = ["id"]
        indexes = [models.Index(fields=["subject_key", "id"], name="list_change_key_idx")]


class IdentificationCase(models.Model):
    """A list decision made in the city (名单认定案件): legal-basis check, notice and defence, decision, push.

    The subject's identity is kept as given (a natural person's number encrypted, masked for display) until the push
    creates the record and the subject.
    """

    list_code = models.CharField("名单", max_length=40)
    department = models.ForeignKey(Department, verbose_name="认定单位", on_delete=models.PROTECT, related_name="+")
    state = models.CharField("状态", max_length=16, choices=CaseStateChoice.choices, default=CaseStateChoice.DRAFT)
    subject_name = models.CharField("当事人名称", max_length=200)
    subject_category = models.CharField("主体类别", max_length=24)
    subject_uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    id_encrypted = models.TextField("证件号码密文", blank=True)
    id_masked = models.CharField("证件号码（脱敏）", max_length=24, blank=True)
    grounds = models.TextField("认定事实和理由")
    cited_basis = models.TextField("认定依据（法律、法规条款）")
    finding_document = models.CharField("认定失信行为的生效文书", max_length=200)
    extra = models.JSONField("名单专有字段", default=dict, blank=True)
    basis_check = models.JSONField("依据审查结果", default=dict, blank=True)
    notice_no = models.CharField("告知书文号", max_length=128, blank=True)
    notified_on = models.DateField("告知送达日期", null=True, blank=True)
    defence_deadline = models.DateField("陈述申辩截止日", null=True, blank=True)
    defence = models.TextField("陈述申辩意见", blank=True)
    defence_received_on = models.DateField("收到陈述申辩日期", null=True, blank=True)
    defence_reply = models.TextField("陈述申辩采纳情况", blank=True)
    decision_no = models.CharField("认定决定书文号", max_length=128, blank=True)
    decision_date = models.DateField("认定日期", null=True, blank=True)
    effective_date = models.DateField("生效日期", null=True, blank=True)
    planned_end = models.DateField("计划移出日期", null=True, blank=True)
    removal_conditions = models.TextField("移出条件和程序", blank=True)
    remedies = models.TextField("救济途径", blank=True)
    drop_reason = models.TextField("不予认定理由", blank=True)
    record = models.ForeignKey(CreditRecord, verbose_name="推送后的信用记录", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    rule_version = models.CharField("名单规则版本", max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("立案时间")
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "名单认定案件 (identification case)"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        indexes = [models.Index(fields=["department", "state"], name="list_case_department_idx")]

    def __str__(self) -> str:
        return f"{self.list_code} {self.subject_name}"

    @property
    def subject_code(self) -> str:
        return self.subject_uscc or self.id_masked
