"""Districts, departments, staff users and department API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from pubcredit.accounts.choices import DepartmentKind, DepartmentLevel, DistrictKind, Role

__all__ = ["District", "Department", "User", "ApiToken", "EnterpriseAccount", "EnterpriseRegistration"]


class District(models.Model):
    """A county-level district or functional zone (区县/功能区) of the city."""

    code = models.CharField("代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=50, unique=True)
    kind = models.CharField("类型", max_length=10, choices=DistrictKind.choices)
    # GB/T 2260 division code; zones without one of their own leave it blank.
    division_code = models.CharField("行政区划代码", max_length=6, blank=True, db_index=True)

    class Meta:
        verbose_name = "区县 (district)"
        verbose_name_plural = verbose_name
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A government department (部门), the source of credit data and a user of checks."""

    code = models.CharField("部门代码", max_length=32, unique=True)
    name = models.CharField("部门名称", max_length=100)
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    level = models.CharField("层级", max_length=10, choices=DepartmentLevel.choices)
    district = models.ForeignKey(District, verbose_name="所属区县", null=True, blank=True, on_delete=models.PROTECT)
    kind = models.CharField("单位类型", max_length=24, choices=DepartmentKind.choices, default=DepartmentKind.GOVERNMENT)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "部门 (department)"
        verbose_name_plural = verbose_name
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="department_district_level",
                condition=models.Q(level="city") | models.Q(district__isnull=False),
                violation_error_message="区县级部门必须指定所属区县。",
            )
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A staff account. ``role`` says what it may do, ``department``/``district`` where."""

    role = models.CharField("角色", max_length=20, choices=Role.choices, blank=True)
    department = models.ForeignKey(Department, verbose_name="部门", null=True, blank=True, on_delete=models.PROTECT)
    district = models.ForeignKey(District, verbose_name="区县", null=True, blank=True, on_delete=models.PROTECT)
    display_name = models.CharField("姓名", max_length=50, blank=True)

    class Meta:
        verbose_name = "用户 (user)"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return self.display_name or self.username


class ApiToken(models.Model):
    """A department's API token (接口令牌). Only a hash is stored; the secret is shown once."""

    department = models.ForeignKey(Department, verbose_name="部门", on_delete=models.PROTECT, related_name="tokens")
    prefix = models.CharField("前缀", max_length=12, unique=True)
    secret_hash = models.CharField("令牌哈希", max_length=64)
    label = models.CharField("用途", max_length=100, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌 (API token)"
        verbose_name_plural = verbose_name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def __str__(self) -> str:
        return f"{self.department.code}:{self.prefix}"


class EnterpriseAccount(models.Model):
    """An enterprise's login on the public site (企业用户): a ``User`` of role ``enterprise`` acting for the one
    credit subject whose USCC this names. Several people of one enterprise may each have an account; an account
    never acts for another USCC. The subject is named by its code, not a foreign key: accounts sit below subjects
    (DESIGN.md §3), and an enterprise with no record yet may still hold an account."""

    user = models.OneToOneField(User, verbose_name="用户", on_delete=models.PROTECT, related_name="enterprise_account")
    uscc = models.CharField("统一社会信用代码", max_length=18, db_index=True)
    enterprise_name = models.CharField("企业名称", max_length=200)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)
    created_at = models.DateTimeField("开户时间")
    created_by_label = models.CharField("开户人", max_length=150)

    class Meta:
        verbose_name = "企业用户 (enterprise account)"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.enterprise_name}（{self.uscc}）"


class EnterpriseRegistration(models.Model):
    """An enterprise's self-registration on the public site (企业用户注册), waiting for the platform's confirmation.

    Nothing can log in until it is confirmed: the registrant gives the enterprise's USCC, its legal representative
    (法定代表人) and a contact; the platform sends a confirmation code (确认码) to that contact — an operator of the
    credit centre who has checked the registration tells it (shown once on the workbench), or a pluggable notifier
    sends it — and the registrant enters it with the chosen password. Only then is the ``EnterpriseAccount`` opened.
    The code is kept as a keyed hash; the password as Django's password hash."""

    class State(models.TextChoices):
        PENDING = "pending", "待核验"
        CODE_SENT = "code_sent", "已发送确认码"
        CONFIRMED = "confirmed", "已开通"
        REJECTED = "rejected", "不予开通"

    uscc = models.CharField("统一社会信用代码", max_length=18, db_index=True)
    enterprise_name = models.CharField("企业名称", max_length=200)
    legal_representative = models.CharField("法定代表人", max_length=50)
    contact_name = models.CharField("联系人", max_length=50)
    contact_phone = models.CharField("联系电话", max_length=20)
    username = models.CharField("用户名", max_length=150)
    password_hash = models.CharField("密码哈希", max_length=128)
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.PENDING)
    code_hash = models.CharField("确认码哈希", max_length=64, blank=True, default="")
    code_expires_at = models.DateTimeField("确认码有效期至", null=True, blank=True)
    code_channel = models.CharField("确认码发送方式", max_length=100, blank=True, default="")
    code_failures = models.PositiveSmallIntegerField("确认码错误次数", default=0)
    reject_reason = models.CharField("不予开通理由", max_length=300, blank=True, default="")
    decided_by_label = models.CharField("核验人", max_length=150, blank=True, default="")
    account = models.OneToOneField(EnterpriseAccount, verbose_name="企业用户", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="registration")
    created_at = models.DateTimeField("注册时间")
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = "企业用户注册 (enterprise registration)"
        verbose_name_plural = verbose_name
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["username"], condition=models.Q(state__in=["pending", "code_sent"]),
                                    name="enterprise_registration_open_username",
                                    violation_error_message="该用户名已有待核验的注册申请。"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_name}（{self.uscc}）注册{self.pk}"
