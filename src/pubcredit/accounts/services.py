"""Every write to accounts: departments, users and API tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from pubcredit.accounts.choices import DepartmentKind, DepartmentLevel, Role
from pubcredit.accounts.models import ApiToken, Department, District, EnterpriseAccount, User
from pubcredit.audit import services as audit
from pubcredit.audit.events import Event
from pubcredit.rules import clock, identifiers
from pubcredit.rules.errors import DomainError

TOKEN_PREFIX = "pc"


def _token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def district_get(code_or_name: str) -> District:
    district = District.objects.filter(code=code_or_name).first() or District.objects.filter(name=code_or_name).first()
    if district is None:
        known = ", ".join(District.objects.values_list("code", flat=True))
        raise DomainError("district.unknown", f"未知区县：{code_or_name}（可用：{known}）",
                          f"unknown district {code_or_name!r} (known: {known})", "district")
    return district


@transaction.atomic
def department_create(*, code: str, name: str, uscc: str, district: str | None = None,
                      kind: str = DepartmentKind.GOVERNMENT, actor: Any) -> Department:
    """Register a department (部门). A district makes it a district-level department; ``kind`` says whether it is a
    government department or a financial institution (金融机构, see ``financial_institution_create``)."""
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise DomainError("department.required", "部门代码和名称不能为空", "code and name are required", "code")
    check = identifiers.check_uscc(uscc)
    if not check.ok:
        raise DomainError.from_problems([p for p in check.problems if p.code.startswith("uscc")] or check.problems)
    if Department.objects.filter(code=code).exists():
        raise DomainError("department.duplicate_code", f"部门代码已存在：{code}", f"department code {code} exists", "code")
    if Department.objects.filter(uscc=check.value).exists():
        raise DomainError("department.duplicate_uscc", "该统一社会信用代码已登记为其他部门",
                          "USCC already used by another department", "uscc")
    if kind not in DepartmentKind.values:
        raise DomainError("department.kind", f"未知单位类型：{kind}", f"unknown department kind {kind!r}", "kind")
    district_obj = district_get(district) if district else None
    department = Department(
        code=code, name=name, uscc=check.value, district=district_obj, kind=kind,
        level=DepartmentLevel.DISTRICT if district_obj else DepartmentLevel.CITY,
    )
    department.full_clean()
    department.save()
    after = {"code": code, "name": name, "uscc": check.value, "district": district_obj and district_obj.code}
    if kind != DepartmentKind.GOVERNMENT:
        after["kind"] = kind
    audit.record(Event.DEPARTMENT_CREATED, actor=actor, object_type="department", object_id=code, after=after)
    return department


def financial_institution_create(*, code: str, name: str, uscc: str, district: str | None = None,
                                 actor: Any) -> Department:
    """Register a financial institution (金融机构, 信易贷): a department of its own kind, with API tokens like any
    department, that reads an enterprise's data only within that enterprise's authorisation."""
    return department_create(code=code, name=name, uscc=uscc, district=district,
                             kind=DepartmentKind.FINANCIAL_INSTITUTION, actor=actor)


def department_get(code: str) -> Department:
    department = Department.objects.select_related("district").filter(code=code).first()
    if department is None:
        raise DomainError("department.unknown", f"未知部门代码：{code}", f"unknown department {code!r}", "department")
    return department


@transaction.atomic
def user_create(*, username: str, password: str, role: str, display_name: str = "",
                department: Department | None = None, district: District | None = None,
                is_superuser: bool = False, actor: Any) -> User:
    """Create a staff account with its role and scope."""
    if role and role not in Role.values:
        raise DomainError("user.role", f"未知角色：{role}", f"unknown role {role!r}", "role")
    if role == Role.ENTERPRISE:
        raise DomainError("user.enterprise_role", "企业用户须通过开通企业用户办理（须指定统一社会信用代码）",
                          "enterprise accounts are made by enterprise_account_create", "role")
    if role in (Role.PROVIDER, Role.BUSINESS_USER, Role.REVIEWER) and department is None:
        raise DomainError("user.department_required", "该角色必须属于一个部门", "this role needs a department", "department")
    if role == Role.DISTRICT_OPERATOR and district is None:
        raise DomainError("user.district_required", "区县操作员必须指定区县", "a district operator needs a district", "district")
    if district is None and department is not None:
        district = department.district
    user = User(username=username, role=role, display_name=display_name, department=department,
                district=district, is_staff=is_superuser, is_superuser=is_superuser)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(Event.USER_CREATED, actor=actor, object_type="user", object_id=username,
                 after={"username": username, "role": role, "department": department and department.code})
    return user


@transaction.atomic
def enterprise_account_create(*, username: str, password: str, uscc: str, enterprise_name: str,
                              display_name: str = "", contact_phone: str = "", actor: Any) -> EnterpriseAccount:
    """Open an enterprise account (开通企业用户): a public-site login acting for the enterprise with ``uscc``.

    The USCC is checked (GB 32100) and kept normalised; the user has role ``enterprise``, no department, and may not
    log in to the staff workbench. Who the person is and that they act for the enterprise is verified before this
    call (at the counter, or by the city's unified identity service); this service records the result."""
    check = identifiers.check_uscc(uscc)
    if not check.ok:
        raise DomainError.from_problems([p for p in check.problems if p.code.startswith("uscc")] or check.problems)
    enterprise_name = (enterprise_name or "").strip()
    if not enterprise_name:
        raise DomainError("enterprise_account.name_required", "企业名称不能为空", "enterprise name is required",
                          "enterprise_name")
    username = (username or "").strip()
    if not username:
        raise DomainError("enterprise_account.username_required", "用户名不能为空", "username is required", "username")
    if User.objects.filter(username=username).exists():
        raise DomainError("enterprise_account.duplicate_username", f"用户名已存在：{username}",
                          f"username {username} exists", "username")
    if not password or len(password) < 8:
        raise DomainError("enterprise_account.password", "密码至少8位", "password needs 8 characters or more", "password")
    user = User(username=username, role=Role.ENTERPRISE, display_name=(display_name or "").strip())
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    account = EnterpriseAccount(user=user, uscc=check.value, enterprise_name=enterprise_name,
                                contact_phone=(contact_phone or "").strip(), created_at=clock.now(),
                                created_by_label=audit.actor_label(actor))
    account.full_clean(exclude=["user"])
    account.save()
    audit.record(Event.ENTERPRISE_ACCOUNT_CREATED, actor=actor, object_type="user", object_id=username,
                 after={"username": username, "uscc": check.value, "enterprise_name": enterprise_name})
    return account


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    plaintext: str  # shown once, never stored


@transaction.atomic
def token_create(*, department: Department, label: str = "", actor: Any) -> IssuedToken:
    """Issue an API token for a department; only its hash is kept."""
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    plaintext = f"{TOKEN_PREFIX}_{prefix}_{secret}"
    token = ApiToken.objects.create(
        department=department, prefix=prefix, secret_hash=_token_hash(plaintext), label=label,
        created_by=actor if isinstance(actor, User) else None,
    )
    audit.record(Event.TOKEN_CREATED, actor=actor, object_type="api_token", object_id=prefix,
                 after={"department": department.code, "prefix": prefix, "label": label})
    return IssuedToken(token, plaintext)


@transaction.atomic
def token_revoke(*, token: ApiToken, reason: str = "", actor: Any) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        audit.record(Event.TOKEN_REVOKED, actor=actor, object_type="api_token", object_id=token.prefix, reason=reason)
    return token


def token_authenticate(plaintext: str) -> ApiToken | None:
    """Return the active token matching ``plaintext`` (and note when it was used), or None."""
    parts = (plaintext or "").strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    token = ApiToken.objects.select_related("department").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.secret_hash, _token_hash(plaintext.strip())):
        return None
    if token.revoked_at is not None:
        return None
    now = clock.now()
    # last-used time is bookkeeping, not credit data: a plain update, at most once a minute per token
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def districts_sync_from_rulebook() -> int:
    """Create or update districts from ``rulebook/districts.yaml``; returns how many were written."""
    from pubcredit.rulebook.loader import load_yaml

    data = load_yaml("districts.yaml")
    count = 0
    for item in data["districts"]:
        District.objects.update_or_create(
            code=item["code"],
            defaults={"name": item["name"], "kind": item["kind"], "division_code": item.get("division_code") or ""},
        )
        count += 1
    return count
