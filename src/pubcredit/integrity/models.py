"""Government integrity (政务诚信): the state-enterprise register, the arrears ledger (拖欠账款台账) with its evidence
and payments, and the functions granted inside this app (leaders, personnel offices)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from pubcredit.accounts.models import Department
from pubcredit.records.models import CreditRecord
from pubcredit.integrity.choices import (
    ArrearsStatus, ArticleKind, ArticleStatus, DebtorKind, IntegrityRole, RegisterKind)
from pubcredit.rules.integrity import CASE_STATUS_LABELS, REMOVAL_REASONS, STAFF_KINDS
from pubcredit.subjects.models import Subject

__all__ = ["StateEnterprise", "ArrearsComplaint", "ArrearsEvidence", "ArrearsPayment", "IntegrityGrant", "IntegrityFile",
           "IntegrityFileEntry", "IntegrityArticle", "GovernmentCase", "AccountabilityRecord", "CaseOffice"]


class StateEnterprise(models.Model):
    """国有企业名录: the state-owned flag a USCC cannot carry, kept by the credit centre with its basis; the same
    register flags 团体组织 that use fiscal funds (``kind`` fiscal_group, 条例第三十六条)."""

    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    kind = models.CharField("类别", max_length=16, choices=RegisterKind.choices, default=RegisterKind.STATE_ENTERPRISE)
    name = models.CharField("名称", max_length=200)
    basis = models.CharField("认定依据", max_length=300)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "国有企业名录 (state enterprise)"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.name}（{self.uscc}）"


class ArrearsComplaint(models.Model):
    """One firm's complaint that a 机关, 事业单位 or state enterprise owes it money (拖欠中小企业款项投诉)."""

    number = models.CharField("投诉编号", max_length=24, unique=True)
    status = models.CharField("办理状态", max_length=16, choices=ArrearsStatus.choices, default=ArrearsStatus.FILED)
    # the complainant (投诉人): a firm by its code; the contact is for the handling department only, never public
    complainant_uscc = models.CharField("投诉企业统一社会信用代码", max_length=18, db_index=True)
    complainant_name = models.CharField("投诉企业名称", max_length=200)
    contact_name = models.CharField("联系人", max_length=50)
    contact_phone = models.CharField("联系电话", max_length=30)
    # the debtor (被投诉人)
    debtor = models.ForeignKey(Subject, verbose_name="被投诉单位", on_delete=models.PROTECT, related_name="arrears")
    debtor_kind = models.CharField("被投诉单位类型", max_length=24, choices=DebtorKind.choices)
    contract_ref = models.CharField("合同名称或编号", max_length=200)
    claimed_amount = models.DecimalField("投诉金额（元）", max_digits=16, decimal_places=2)
    description = models.TextField("拖欠情况")
    filed_on = models.DateField("受理日期")
    # the handling department (处理投诉部门) and its verification
    handling_department = models.ForeignKey(Department, verbose_name="处理部门", null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="arrears_handled")
    assigned_on = models.DateField("转交日期", null=True, blank=True)
    # 第二十五条第二款: a longer handling period approved by the handling department's head (at most 90 days)
    verify_extended_to = models.DateField("延长后的处理期限", null=True, blank=True)
    extension_approved_by = models.CharField("批准延长的部门负责人", max_length=50, blank=True)
    extension_reason = models.CharField("延长理由", max_length=500, blank=True)
    verified_on = models.DateField("核实日期", null=True, blank=True)
    amount_owed = models.DecimalField("核实欠款金额（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    verification_note = models.TextField("核实情况", blank=True)
    plan_last_day = models.DateField("还款计划完成日期", null=True, blank=True)
    plan_note = models.TextField("还款计划", blank=True)
    planned_on = models.DateField("计划约定日期", null=True, blank=True)
    amount_paid = models.DecimalField("已还金额（元）", max_digits=16, decimal_places=2, default=0)
    cleared_on = models.DateField("清偿日期", null=True, blank=True)
    rulebook_version = models.CharField("规则版本", max_length=64)
    created_at = models.DateTimeField("创建时间")
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "拖欠账款投诉 (arrears complaint)"
        verbose_name_plural = verbose_name
        ordering = ["-filed_on", "-id"]
        constraints = [
            models.CheckConstraint(name="arrears_paid_within_owed",
                                   condition=models.Q(amount_owed__isnull=True, amount_paid=0)
                                   | models.Q(amount_paid__lte=models.F("amount_owed")),
                                   violation_error_message="已还金额不能超过核实欠款金额。"),
            models.CheckConstraint(name="arrears_claim_positive", condition=models.Q(claimed_amount__gt=0),
                                   violation_error_message="投诉金额应大于0。"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def outstanding(self):
        """尚欠金额: the verified amount less what has been paid (None before verification)."""
        return None if self.amount_owed is None else self.amount_owed - self.amount_paid


class ArrearsEvidence(models.Model):
    """An evidence file of a complaint (证明材料: contract, acceptance, invoice…), kept in the database."""

    complaint = models.ForeignKey(ArrearsComplaint, on_delete=models.PROTECT, related_name="evidence")
    filename = models.CharField("文件名", max_length=200)
    file_type = models.CharField("文件类型", max_length=16)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    content = models.BinaryField("内容")

    class Meta:
        verbose_name = "投诉证明材料 (evidence)"
        verbose_name_plural = verbose_name
        ordering = ["id"]


class ArrearsPayment(models.Model):
    """A payment the handling department recorded against a verified complaint (还款登记)."""

    complaint = models.ForeignKey(ArrearsComplaint, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField("还款金额（元）", max_digits=16, decimal_places=2)
    paid_on = models.DateField("还款日期")
    note = models.CharField("说明", max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "还款登记 (payment)"
        verbose_name_plural = verbose_name
        ordering = ["paid_on", "id"]
        constraints = [models.CheckConstraint(name="arrears_payment_positive", condition=models.Q(amount__gt=0),
                                              violation_error_message="还款金额应大于0。")]


class IntegrityGrant(models.Model):
    """A function inside this app granted to a staff user (领导 reads the ledger's figures; 人事部门 reads its own
    organisation's integrity files). Kept here, not as a platform role, so a user keeps their department role."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="integrity_grants")
    role = models.CharField("岗位", max_length=24, choices=IntegrityRole.choices)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField("授予时间")

    class Meta:
        verbose_name = "政务诚信岗位 (integrity grant)"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="integrity_grant_once")]


class IntegrityFile(models.Model):
    """诚信档案 of a civil servant or a judicial or law-enforcement officer, kept by their organisation's personnel
    office. The identity number is stored as the subjects app stores it: encrypted, a keyed lookup hash, masked."""

    organisation = models.ForeignKey(Department, verbose_name="所在单位", on_delete=models.PROTECT,
                                     related_name="integrity_files")
    staff_kind = models.CharField("人员类别", max_length=20, choices=list(STAFF_KINDS.items()))
    name = models.CharField("姓名", max_length=50)
    position = models.CharField("职务", max_length=100)
    id_hash = models.CharField("证件号码查找哈希", max_length=64, unique=True)
    id_encrypted = models.TextField("证件号码密文")
    id_masked = models.CharField("证件号码（脱敏）", max_length=24)
    created_at = models.DateTimeField("建档时间")

    class Meta:
        verbose_name = "诚信档案 (integrity file)"
        verbose_name_plural = verbose_name
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.id_masked}）"


class IntegrityFileEntry(models.Model):
    """One record of an integrity file: a commitment signed on appointment, a commendation, a sanction, a
    dishonesty record; its kind says whether it matters for appointment (rulebook/integrity/files.yaml)."""

    file = models.ForeignKey(IntegrityFile, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField("记录类别", max_length=32)
    title = models.CharField("事项", max_length=200)
    decided_on = models.DateField("日期")
    detail = models.TextField("内容", blank=True)
    removed_on = models.DateField("移出/撤销日期", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "诚信档案记录 (integrity file entry)"
        verbose_name_plural = verbose_name
        ordering = ["-decided_on", "-id"]


class IntegrityArticle(models.Model):
    """诚信宣传: news, typical cases (守信激励 / 失信惩戒), model units and campaign pages, published on the site only
    after a reviewer other than the author approved them."""

    kind = models.CharField("栏目", max_length=16, choices=ArticleKind.choices)
    # a piece of the 诚信宣传活动 column may belong to a dated campaign (rulebook/integrity/campaigns.yaml)
    campaign = models.CharField("宣传节点", max_length=40, blank=True, db_index=True)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文")
    status = models.CharField("状态", max_length=12, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    review_note = models.CharField("审核意见", max_length=500, blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "诚信宣传 (integrity publicity)"
        verbose_name_plural = verbose_name
        ordering = ["-published_on", "-id"]
        constraints = [models.CheckConstraint(
            name="article_published_after_review",
            condition=~models.Q(status="published") | models.Q(reviewer__isnull=False, published_on__isnull=False),
            violation_error_message="未经审核的稿件不能发布。")]


class GovernmentCase(models.Model):
    """政府失信案件: a 机关, 事业单位 or state enterprise identified as dishonest on a ground of
    ``rulebook/integrity/cases.yaml``, resting on one source (an arrears complaint past its plan, a 失信被执行人 entry,
    a record of a government class); rectified and removed within the rulebook's limits."""

    number = models.CharField("案件编号", max_length=24, unique=True)
    body = models.ForeignKey(Subject, verbose_name="失信单位", on_delete=models.PROTECT, related_name="government_cases")
    body_kind = models.CharField("单位类型", max_length=24, choices=DebtorKind.choices)
    ground = models.CharField("认定情形", max_length=32)
    source_type = models.CharField("依据类型", max_length=16)  # arrears | court_entry | record
    source_id = models.BigIntegerField("依据编号")
    source_reference = models.CharField("依据文号或编号", max_length=200)
    facts = models.TextField("认定事实")
    supervisor = models.CharField("上级机关或主管部门（通报对象）", max_length=200)
    serious = models.BooleanField("情节严重（向社会公示）", default=False)
    status = models.CharField("状态", max_length=12, choices=list(CASE_STATUS_LABELS.items()), default="open")
    identified_on = models.DateField("认定日期")
    # empty when a department system (API token) identified the case: the audit trail names the token
    identified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    rectify_due = models.DateField("整改期限")
    rectified_on = models.DateField("整改完成日期", null=True, blank=True)
    rectification_note = models.TextField("整改情况", blank=True)
    removed_on = models.DateField("移出日期", null=True, blank=True)
    removal_reason = models.CharField("移出事由", max_length=16, blank=True, choices=list(REMOVAL_REASONS.items()))
    removal_note = models.TextField("移出说明", blank=True)
    # the case as a credit record of class gov_dishonesty_case (政府失信认定信息): what reports and checks read
    record = models.ForeignKey(CreditRecord, verbose_name="信用记录", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    rulebook_version = models.CharField("规则版本", max_length=64)
    created_at = models.DateTimeField("创建时间")
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "政府失信案件 (government dishonesty case)"
        verbose_name_plural = verbose_name
        ordering = ["-identified_on", "-id"]
        constraints = [
            models.CheckConstraint(name="gov_case_removed_has_reason",
                                   condition=~models.Q(status="removed")
                                   | models.Q(removed_on__isnull=False) & ~models.Q(removal_reason=""),
                                   violation_error_message="移出的案件须有移出日期和事由。"),
        ]

    def __str__(self) -> str:
        return self.number


class AccountabilityRecord(models.Model):
    """问责记录: what was decided about a named person responsible for a case (条例第三十一条、第三十三条、第三十五条:
    负有责任的领导人员和直接责任人员). Staff read it; it is never public."""

    case = models.ForeignKey(GovernmentCase, on_delete=models.PROTECT, related_name="accountability")
    person_name = models.CharField("姓名", max_length=50)
    position = models.CharField("职务", max_length=100)
    responsibility = models.CharField("责任类型", max_length=16)
    measure = models.CharField("处理方式", max_length=24)
    decided_on = models.DateField("决定日期")
    deciding_body = models.CharField("决定机关", max_length=200)
    note = models.CharField("说明", max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "问责记录 (accountability record)"
        verbose_name_plural = verbose_name
        ordering = ["decided_on", "id"]


class CaseOffice(models.Model):
    """政府失信办理单位: a department whose system (its API token) handles government dishonesty cases through
    ``/api/v1/integrity/cases``, as the credit centre's operators and the district offices do in the workbench. A
    city department handles every body's cases, a district department the bodies registered in its district."""

    department = models.OneToOneField(Department, verbose_name="办理单位", on_delete=models.PROTECT,
                                      related_name="integrity_case_office")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField("授予时间")

    class Meta:
        verbose_name = "政府失信办理单位 (case office)"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.department.name
