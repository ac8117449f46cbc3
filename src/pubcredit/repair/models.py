"""Credit repair applications (信用修复申请) and objections (异议申诉). Rows change only through ``repair.services``."""

from __future__ import annotations

from django.db import models

from pubcredit.accounts.models import Department
from pubcredit.lists.models import ListEntry
from pubcredit.records.models import CreditRecord
from pubcredit.repair.choices import (
    ApplicationKindChoice, ApplicationStateChoice, EvidenceKindChoice, EvidenceScanChoice, NoticeEmailChoice, NoticeRecipientChoice,
    ObjectionStateChoice, ReorganisationApplicantChoice)
from pubcredit.subjects.models import Subject

__all__ = ["RepairApplication", "Objection", "Notice", "Evidence"]

# open: a step is due, or (shielded) a bankruptcy reorganisation's shielding awaits the plan's outcome
OPEN_APPLICATION = ["received", "incomplete", "accepted", "extended", "shielded"]
OPEN_OBJECTION = ["received", "accepted"]


class RepairApplication(models.Model):
    """One application to repair one negative item; decided by the identifying unit (认定单位, ``department``)."""

    record = models.ForeignKey(CreditRecord, verbose_name="失信信息", on_delete=models.PROTECT, related_name="+")
    list_entry = models.ForeignKey(ListEntry, verbose_name="名单条目", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    subject = models.ForeignKey(Subject, verbose_name="申请主体", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Department, verbose_name="认定单位", on_delete=models.PROTECT, related_name="+")
    authority = models.CharField("认定单位名称", max_length=200)
    state = models.CharField("办理状态", max_length=16, choices=ApplicationStateChoice.choices)
    kind = models.CharField("申请类别", max_length=16, choices=ApplicationKindChoice.choices, default="repair")
    # 破产重整 (Order 36 art. 20): who applies, the court's ruling approving the plan, and the ruling that ended it
    applicant_role = models.CharField("申请人身份", max_length=16, choices=ReorganisationApplicantChoice.choices,
                                      blank=True, default="")
    court_ruling_no = models.CharField("批准重整计划（认可和解协议）裁定书文号", max_length=100, blank=True, default="")
    outcome_ruling_no = models.CharField("执行完毕或终止执行的裁定书文号", max_length=100, blank=True, default="")
    shielded_on = models.DateField("临时屏蔽日期", null=True, blank=True)
    contact_name_encrypted = models.TextField("联系人（密文）")
    contact_phone_encrypted = models.TextField("联系电话（密文）")
    contact_email_encrypted = models.TextField("电子邮箱（密文）", blank=True, default="")
    proof_description = models.TextField("纠正失信行为、履行义务的证明材料说明")
    commitment_text = models.TextField("信用承诺书（签署文本）", blank=True)  # none for a reorganisation (art. 20)
    received_on = models.DateField("接收日期")
    accept_due = models.DateField("受理期限")
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    decide_due = models.DateField("办理期限", null=True, blank=True)
    answer_due = models.DateField("平台反馈期限")
    deadline_provisional = models.BooleanField("期限暂定", default=False)
    complex_reason = models.TextField("延期理由（案情复杂）", blank=True)
    notice_text = models.TextField("一次性补正告知", blank=True)
    decision_reason = models.TextField("决定理由", blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    fraud_block_until = models.DateField("不得申请修复至", null=True, blank=True)
    # the platform-made record of the fraud (信用修复弄虚作假信息, Order 36 art. 25), made with the revocation
    fraud_record = models.ForeignKey(CreditRecord, verbose_name="弄虚作假信用记录", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    regime = models.CharField("适用规定", max_length=40)
    accept_working_days = models.PositiveSmallIntegerField("受理时限（工作日）")
    decide_working_days = models.PositiveSmallIntegerField("办理时限（工作日）")
    extension_working_days = models.PositiveSmallIntegerField("可延长（工作日）")
    rule_version = models.CharField("规则版本", max_length=64)
    created_at = models.DateTimeField("创建时间")
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "信用修复申请 (repair application)"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        indexes = [models.Index(fields=["department", "state"], name="repair_app_queue_idx")]
        constraints = [
            models.UniqueConstraint(fields=["record"], condition=models.Q(state__in=OPEN_APPLICATION),
                                    name="repair_one_open_application",
                                    violation_error_message="该信息已有办理中的信用修复申请。"),
        ]

    def __str__(self) -> str:
        return f"修复申请 {self.pk} ({self.state})"


class Objection(models.Model):
    """One objection (异议申诉) to a record: content, period, or a refused repair (NDRC Order 36 art. 18)."""

    record = models.ForeignKey(CreditRecord, verbose_name="信用信息", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Department, verbose_name="认定单位", on_delete=models.PROTECT, related_name="+")
    state = models.CharField("办理状态", max_length=20, choices=ObjectionStateChoice.choices)
    objector_name_encrypted = models.TextField("异议人（密文）")
    objector_contact_encrypted = models.TextField("联系方式（密文）")
    objector_email_encrypted = models.TextField("电子邮箱（密文）", blank=True, default="")
    # keyed hash of the objector's name and contact: one open objection per objector and record (docs/repair.md)
    objector_key = models.CharField("异议人识别码", max_length=64, blank=True, default="")
    grounds = models.TextField("异议事项与理由")
    held_publicity = models.BooleanField("已暂停公示", default=False)
    received_on = models.DateField("接收日期")
    forward_due = models.DateField("推送期限")  # Order 36 art. 18: the platform forwards within 1 WD
    # 《企业经营异常名录管理办法》第十五条: the unit decides on acceptance within 5 WD (art. 18 sets no such limit)
    accept_due = models.DateField("受理期限", null=True, blank=True)
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    verify_due = models.DateField("核查期限", null=True, blank=True)
    extension_reason = models.TextField("延长核查期限的理由", blank=True, default="")
    limits_article = models.CharField("适用期限依据", max_length=100, blank=True, default="")
    deadline_provisional = models.BooleanField("期限暂定", default=False)
    decision_reason = models.TextField("处理结果与理由", blank=True)
    decided_on = models.DateField("处理日期", null=True, blank=True)
    corrected_version = models.PositiveIntegerField("更正后记录版本", null=True, blank=True)
    rule_version = models.CharField("规则版本", max_length=64)
    created_at = models.DateTimeField("创建时间")
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "异议申诉 (objection)"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        indexes = [models.Index(fields=["department", "state"], name="repair_obj_queue_idx")]
        constraints = [
            models.UniqueConstraint(fields=["record", "objector_key"],
                                    condition=models.Q(state__in=OPEN_OBJECTION) & ~models.Q(objector_key=""),
                                    name="repair_one_open_objection_per_objector",
                                    violation_error_message="您对该信息的异议正在办理中。"),
        ]

    def __str__(self) -> str:
        return f"异议 {self.pk} ({self.state})"


class Notice(models.Model):
    """A notice of one step of a case (办理进度通知) to the applicant or objector (by e-mail when the site has mail
    and the person gave an address) or to the identifying unit (its workbench inbox, and its handlers' e-mail)."""

    recipient = models.CharField("通知对象", max_length=12, choices=NoticeRecipientChoice.choices)
    department = models.ForeignKey(Department, verbose_name="认定单位", on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(RepairApplication, verbose_name="信用修复申请", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="notices")
    objection = models.ForeignKey(Objection, verbose_name="异议申诉", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="notices")
    step = models.CharField("办理环节", max_length=20)
    subject_line = models.CharField("标题", max_length=200)
    message = models.TextField("通知内容")
    email_to_encrypted = models.TextField("收件地址（密文）", blank=True, default="")
    email_status = models.CharField("邮件状态", max_length=16, choices=NoticeEmailChoice.choices)
    email_error = models.CharField("邮件发送错误", max_length=300, blank=True, default="")
    created_at = models.DateTimeField("通知时间")
    sent_at = models.DateTimeField("邮件发送时间", null=True, blank=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = "办理进度通知 (repair notice)"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        indexes = [models.Index(fields=["department", "recipient", "read_at"], name="repair_notice_inbox_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(application__isnull=False, objection__isnull=True)
                | models.Q(application__isnull=True, objection__isnull=False),
                name="repair_notice_one_case", violation_error_message="通知须对应一件申请或一件异议。"),
        ]

    def __str__(self) -> str:
        return f"通知 {self.pk} ({self.step})"



class Evidence(models.Model):
    """A proof file (证明材料/佐证材料) of an application or objection: PDF, JPG or PNG, its type checked by content,
    stored outside the web root under its SHA-256, with what the virus-scan hook said of it."""

    application = models.ForeignKey(RepairApplication, verbose_name="信用修复申请", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="evidence")
    objection = models.ForeignKey(Objection, verbose_name="异议申诉", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="evidence")
    kind = models.CharField("文件类型", max_length=8, choices=EvidenceKindChoice.choices)
    original_name = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    stored_path = models.CharField("存储位置（相对证明材料目录）", max_length=200)
    scan_status = models.CharField("病毒扫描", max_length=12, choices=EvidenceScanChoice.choices)
    scan_detail = models.CharField("扫描说明", max_length=300, blank=True, default="")
    scanned_at = models.DateTimeField("扫描时间", null=True, blank=True)
    created_at = models.DateTimeField("上传时间")

    class Meta:
        verbose_name = "证明材料 (evidence file)"
        verbose_name_plural = verbose_name
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(application__isnull=False, objection__isnull=True)
                | models.Q(application__isnull=True, objection__isnull=False),
                name="repair_evidence_one_case", violation_error_message="证明材料须对应一件申请或一件异议。"),
        ]

    def __str__(self) -> str:
        return f"证明材料 {self.pk} ({self.original_name})"
