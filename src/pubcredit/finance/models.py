"""信易贷 and 信易+ tables: enterprises' authorisations of financial institutions, every read made under them (or
refused), and the answers of 信易+ eligibility checks with the providers' feedback of use.

The enterprise is named by its USCC (as its ``EnterpriseAccount``), not by a subject key: an enterprise the platform
holds no record of may still authorise, and the profile is resolved when a bank reads it."""

from __future__ import annotations

import uuid

from django.db import models

from pubcredit.accounts.models import Department, User
from pubcredit.finance.choices import ApplicationStatus, Industry, Purpose, ReadOutcome, RepaymentProblemKind
from pubcredit.accounts.models import District

__all__ = ["Authorisation", "PersonAuthorisation", "ProfileRead", "IncentiveAnswer", "IncentiveUse", "LoanProduct",
           "LoanApplication", "RepaymentProblem", "NationalReport"]


class Authorisation(models.Model):
    """An enterprise's authorisation (企业授权) of one financial institution to read its credit profile: the scope
    (profile sections), the purpose and the term (both days inclusive); revocable at any time."""

    authorisation_id = models.UUIDField("授权编号", default=uuid.uuid4, unique=True, editable=False)
    uscc = models.CharField("授权企业统一社会信用代码", max_length=18, db_index=True)
    enterprise_name = models.CharField("授权企业名称", max_length=200)
    institution = models.ForeignKey(Department, verbose_name="被授权金融机构", on_delete=models.PROTECT,
                                    related_name="finance_authorisations")
    scope = models.JSONField("授权范围（信息项代码）", default=list)
    purpose = models.CharField("授权用途", max_length=20, choices=Purpose.choices)
    purpose_note = models.CharField("用途说明", max_length=200, blank=True)
    starts_on = models.DateField("授权起始日")
    ends_on = models.DateField("授权截止日（含）")
    granted_by = models.ForeignKey(User, verbose_name="授权人", on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField("授权时间")
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(User, verbose_name="撤销人", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    revoke_reason = models.CharField("撤销原因", max_length=200, blank=True)
    profile_version = models.CharField("授权范围规则版本", max_length=80)

    class Meta:
        verbose_name = "信易贷授权 (authorisation)"
        verbose_name_plural = verbose_name
        ordering = ["-granted_at", "-id"]
        indexes = [models.Index(fields=["institution", "uscc"], name="finance_auth_inst_uscc_idx")]
        constraints = [
            models.CheckConstraint(name="finance_auth_term_order", condition=models.Q(ends_on__gte=models.F("starts_on")),
                                   violation_error_message="授权截止日不能早于起始日。"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_name} → {self.institution}"


class ProfileRead(models.Model):
    """One request of a financial institution for an enterprise's profile (查询记录), served or refused: what the
    enterprise sees as "who read my data, when, for what"."""

    read_id = models.UUIDField("查询编号", default=uuid.uuid4, unique=True, editable=False)
    uscc = models.CharField("被查询企业统一社会信用代码", max_length=18, db_index=True)
    institution = models.ForeignKey(Department, verbose_name="查询金融机构", on_delete=models.PROTECT, related_name="+")
    authorisation = models.ForeignKey(Authorisation, verbose_name="依据授权", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="reads")
    actor_label = models.CharField("查询者", max_length=200)
    read_at = models.DateTimeField("查询时间")
    outcome = models.CharField("结果", max_length=10, choices=ReadOutcome.choices)
    refusal_code = models.CharField("拒绝原因代码", max_length=60, blank=True)
    refusal_reason = models.CharField("拒绝原因", max_length=300, blank=True)
    sections = models.JSONField("查询的信息项", default=list)
    reference = models.CharField("金融机构业务编号", max_length=200, blank=True)
    # a natural person's profile (``uscc`` is then blank): the masked identity number, the authorisation relied on
    person_masked = models.CharField("被查询自然人证件号码（脱敏）", max_length=24, blank=True)
    person_authorisation = models.ForeignKey("PersonAuthorisation", verbose_name="依据自然人授权", null=True, blank=True,
                                             on_delete=models.PROTECT, related_name="reads")

    class Meta:
        verbose_name = "信易贷查询记录 (profile read)"
        verbose_name_plural = verbose_name
        ordering = ["-read_at", "-id"]


class IncentiveAnswer(models.Model):
    """One answer of ``POST /api/v1/incentives/eligibility`` (信易+激励适用性核查), kept as a check keeps its answer."""

    answer_id = models.UUIDField("答复编号", default=uuid.uuid4, unique=True, editable=False)
    department = models.ForeignKey(Department, verbose_name="查询单位", on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField("查询人", max_length=200)
    scenario = models.CharField("激励场景", max_length=64)
    subject_code = models.CharField("主体代码（自然人已脱敏）", max_length=64)
    subject_name = models.CharField("主体名称", max_length=200, blank=True)
    reference = models.CharField("业务编号", max_length=200, blank=True)
    eligible = models.BooleanField("可以享受")
    reasons = models.JSONField("理由", default=list)
    benefit = models.TextField("激励内容")
    rulebook_version = models.CharField("信易+规则版本", max_length=80)
    as_of = models.DateTimeField("核查时间")

    class Meta:
        verbose_name = "信易+激励核查 (incentive eligibility answer)"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["scenario", "as_of"], name="finance_incentive_scen_idx")]


class IncentiveUse(models.Model):
    """The provider's feedback (使用反馈): whether the benefit was given, and why not."""

    answer = models.ForeignKey(IncentiveAnswer, verbose_name="核查答复", on_delete=models.PROTECT, related_name="uses")
    used = models.BooleanField("已给予激励")
    note = models.CharField("说明", max_length=2000, blank=True)
    actor_label = models.CharField("反馈人", max_length=200)
    created_at = models.DateTimeField("反馈时间")

    class Meta:
        verbose_name = "信易+使用反馈 (incentive use)"
        verbose_name_plural = verbose_name


class LoanProduct(models.Model):
    """A financial institution's loan product (信贷产品) with its conditions as data (rules.finance.ProductCondition),
    which an enterprise's qualification is explained against."""

    product_id = models.UUIDField("产品编号", default=uuid.uuid4, unique=True, editable=False)
    institution = models.ForeignKey(Department, verbose_name="金融机构", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("产品名称", max_length=100)
    description = models.CharField("产品说明", max_length=1000, blank=True)
    amount_min = models.DecimalField("最低额度（万元）", max_digits=12, decimal_places=2)
    amount_max = models.DecimalField("最高额度（万元）", max_digits=12, decimal_places=2)
    term_months_min = models.PositiveSmallIntegerField("最短期限（月）")
    term_months_max = models.PositiveSmallIntegerField("最长期限（月）")
    rate_min = models.DecimalField("最低年利率（%）", max_digits=5, decimal_places=2)
    rate_max = models.DecimalField("最高年利率（%）", max_digits=5, decimal_places=2)
    conditions = models.JSONField("准入条件", default=list)
    published_at = models.DateTimeField("发布时间")
    updated_at = models.DateTimeField("最近修改时间", null=True, blank=True)
    withdrawn_at = models.DateTimeField("下架时间", null=True, blank=True)
    withdraw_reason = models.CharField("下架原因", max_length=200, blank=True)

    class Meta:
        verbose_name = "信贷产品 (loan product)"
        verbose_name_plural = verbose_name
        ordering = ["institution__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "name"], name="finance_product_name_once",
                                    violation_error_message="同一金融机构的产品名称不能重复。"),
        ]

    def __str__(self) -> str:
        return self.name


class PersonAuthorisation(models.Model):
    """A natural person's signed authorisation (个人授权书) for one financial institution to read the person's credit
    profile. Persons have no accounts: the bank registers the signed document it holds (its reference and SHA-256
    kept, as reports keep theirs), with the scope, purpose and term the document states; revocable when the person
    withdraws it."""

    authorisation_id = models.UUIDField("授权编号", default=uuid.uuid4, unique=True, editable=False)
    # the person by identity number, never in clear (a person the platform holds nothing about may still authorise)
    id_hash = models.CharField("证件号码查找哈希", max_length=64, db_index=True)
    id_masked = models.CharField("证件号码（脱敏）", max_length=24)
    person_name = models.CharField("授权人姓名", max_length=100)
    institution = models.ForeignKey(Department, verbose_name="被授权金融机构", on_delete=models.PROTECT, related_name="+")
    scope = models.JSONField("授权范围（信息项代码）", default=list)
    purpose = models.CharField("授权用途", max_length=20, choices=Purpose.choices)
    purpose_note = models.CharField("用途说明", max_length=200, blank=True)
    starts_on = models.DateField("授权起始日")
    ends_on = models.DateField("授权截止日（含）")
    document_ref = models.CharField("授权书编号", max_length=100)
    document_sha256 = models.CharField("授权书文件哈希", max_length=64)
    recorded_at = models.DateTimeField("登记时间")
    recorded_by_label = models.CharField("登记人", max_length=200)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoke_reason = models.CharField("撤销原因", max_length=200, blank=True)
    profile_version = models.CharField("授权范围规则版本", max_length=80)

    class Meta:
        verbose_name = "信易贷自然人授权 (person authorisation)"
        verbose_name_plural = verbose_name
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(name="finance_person_auth_term_order",
                                   condition=models.Q(ends_on__gte=models.F("starts_on")),
                                   violation_error_message="授权截止日不能早于起始日。"),
        ]


class LoanApplication(models.Model):
    """An enterprise's application for a loan product (贷款申请) on the public site. Applying grants the
    institution an authorisation (``authorisation``) to read the profile for it; the bank then records the outcome
    (approved amount or refusal with its reason), the disbursement (and whether it is the enterprise's first loan,
    首贷) and later repayment problems."""

    application_id = models.UUIDField("申请编号", default=uuid.uuid4, unique=True, editable=False)
    product = models.ForeignKey(LoanProduct, verbose_name="信贷产品", on_delete=models.PROTECT, related_name="applications")
    institution = models.ForeignKey(Department, verbose_name="金融机构", on_delete=models.PROTECT, related_name="+")
    uscc = models.CharField("申请企业统一社会信用代码", max_length=18, db_index=True)
    enterprise_name = models.CharField("申请企业名称", max_length=200)
    district = models.ForeignKey(District, verbose_name="所属区县", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    industry = models.CharField("所属行业（门类）", max_length=1, choices=Industry.choices)
    amount_requested = models.DecimalField("申请金额（万元）", max_digits=12, decimal_places=2)
    term_months = models.PositiveSmallIntegerField("申请期限（月）")
    note = models.CharField("申请说明", max_length=500, blank=True)
    authorisation = models.OneToOneField(Authorisation, verbose_name="随申请授权", on_delete=models.PROTECT,
                                         related_name="application")
    applied_by = models.ForeignKey(User, verbose_name="申请人", on_delete=models.PROTECT, related_name="+")
    applied_at = models.DateTimeField("申请时间")
    status = models.CharField("办理状态", max_length=12, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.SUBMITTED)
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decided_by_label = models.CharField("审批人", max_length=200, blank=True)
    approved_amount = models.DecimalField("批准金额（万元）", max_digits=12, decimal_places=2, null=True, blank=True)
    refusal_reason = models.CharField("未获批准原因", max_length=500, blank=True)
    disbursed_on = models.DateField("放款日", null=True, blank=True)
    disbursed_amount = models.DecimalField("放款金额（万元）", max_digits=12, decimal_places=2, null=True, blank=True)
    first_loan = models.BooleanField("首贷（首次获得银行贷款）", null=True, blank=True)

    class Meta:
        verbose_name = "信易贷贷款申请 (loan application)"
        verbose_name_plural = verbose_name
        ordering = ["-applied_at", "-id"]
        indexes = [models.Index(fields=["institution", "status"], name="finance_app_inst_status_idx"),
                   models.Index(fields=["applied_at"], name="finance_app_applied_idx")]


class RepaymentProblem(models.Model):
    """A repayment problem the bank reports on a disbursed loan (贷后还款异常): overdue or non-performing."""

    application = models.ForeignKey(LoanApplication, verbose_name="贷款申请", on_delete=models.PROTECT,
                                    related_name="repayment_problems")
    kind = models.CharField("异常类型", max_length=20, choices=RepaymentProblemKind.choices)
    occurred_on = models.DateField("发生日")
    amount = models.DecimalField("涉及金额（万元）", max_digits=12, decimal_places=2)
    note = models.CharField("说明", max_length=500, blank=True)
    recorded_at = models.DateTimeField("报告时间")
    recorded_by_label = models.CharField("报告人", max_length=200)

    class Meta:
        verbose_name = "信易贷还款异常 (repayment problem)"
        verbose_name_plural = verbose_name
        ordering = ["occurred_on", "id"]


class NationalReport(models.Model):
    """One attempt to send the city's monthly 信易贷 report (products and figures, no personal data) to the national
    信易贷 platform (全国中小企业融资综合信用服务平台), sent or failed; a failed month is tried again the next day."""

    class Outcome(models.TextChoices):
        SENT = "sent", "已报送"
        FAILED = "failed", "报送失败"

    month = models.DateField("报送月份（该月1日）", db_index=True)
    attempted_at = models.DateTimeField("报送时间")
    url = models.CharField("接收地址", max_length=500)
    schema = models.CharField("报文格式", max_length=80)
    payload_sha256 = models.CharField("报文哈希", max_length=64)
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices)
    http_status = models.PositiveSmallIntegerField("响应状态码", null=True, blank=True)
    response_excerpt = models.CharField("响应摘要", max_length=500, blank=True)
    error = models.CharField("失败原因", max_length=500, blank=True)
    actor_label = models.CharField("报送者", max_length=200)

    class Meta:
        verbose_name = "全国信易贷平台报送 (national report)"
        verbose_name_plural = verbose_name
        ordering = ["-attempted_at", "-id"]
