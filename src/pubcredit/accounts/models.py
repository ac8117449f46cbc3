"""Districts, departments, staff users and department API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from pubcredit.accounts.choices import DepartmentKind, DepartmentLevel, DistrictKind, Role

__all__ = ["District", "Department", "User", "ApiToken", "EnterpriseAccount"]


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
