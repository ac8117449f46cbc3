"""Every write to accounts: departments, users and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

from pubcredit.accounts.choices import DepartmentKind, DepartmentLevel, Role
from pubcredit.accounts.models import ApiToken, Department, District, EnterpriseAccount, EnterpriseRegistration, User
from pubcredit.audit import services as audit
from pubcredit.audit.events import Event
from pubcredit.rules import clock, identifiers
from pubcredit.rules.errors import DomainError, Problem

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


def _enterprise_uscc(uscc: str) -> str:
    check = identifiers.check_uscc(uscc)
    if not check.ok:
        raise DomainError.from_problems([p for p in check.problems if p.code.startswith("uscc")] or check.problems)
    return check.value


def _open_enterprise_account(*, username: str, password_hash: str, uscc: str, enterprise_name: str,
                             display_name: str, contact_phone: str, actor: Any, created_by_label: str = "",
                             how: str = "") -> EnterpriseAccount:
    """Make the role-``enterprise`` user and its account (the caller has checked every field)."""
    user = User(username=username, role=Role.ENTERPRISE, display_name=display_name, password=password_hash)
    user.full_clean(exclude=["password"])
    user.save()
    account = EnterpriseAccount(user=user, uscc=uscc, enterprise_name=enterprise_name, contact_phone=contact_phone,
                                created_at=clock.now(), created_by_label=created_by_label or audit.actor_label(actor))
    account.full_clean(exclude=["user"])
    account.save()
    after = {"username": username, "uscc": uscc, "enterprise_name": enterprise_name}
    if how:
        after["how"] = how
    audit.record(Event.ENTERPRISE_ACCOUNT_CREATED, actor=actor, object_type="user", object_id=username, after=after)
    return account


@transaction.atomic
def enterprise_account_create(*, username: str, password: str, uscc: str, enterprise_name: str,
                              display_name: str = "", contact_phone: str = "", actor: Any) -> EnterpriseAccount:
    """Open an enterprise account (开通企业用户): a public-site login acting for the enterprise with ``uscc``.

    The USCC is checked (GB 32100) and kept normalised; the user has role ``enterprise``, no department, and may not
    log in to the staff workbench. Who the person is and that they act for the enterprise is verified before this
    call (at the counter, or by the city's unified identity service); this service records the result. Enterprises
    may also register themselves (:func:`enterprise_registration_submit`)."""
    value = _enterprise_uscc(uscc)
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
    return _open_enterprise_account(username=username, password_hash=make_password(password), uscc=value,
                                    enterprise_name=enterprise_name, display_name=(display_name or "").strip(),
                                    contact_phone=(contact_phone or "").strip(), actor=actor)


# --- enterprise self-registration (企业用户注册) -------------------------------------------------------------------
#
# The enterprise registers on the public site; nothing logs in until the platform confirms it with a confirmation
# code (确认码) sent to the contact given: by an operator of the credit centre who has checked the registration (the
# code is shown once on the workbench and told by telephone), or by a pluggable notifier
# (``PUBCREDIT_ENTERPRISE_CODE_NOTIFIER``, the dotted path of a callable ``notify(registration, code) -> str`` that
# sends it, e.g. through the city's SMS platform, and names the channel). The registrant then enters the code with
# the chosen password and the account opens.

CODE_VALID_HOURS = 72
CODE_MAX_FAILURES = 5
_PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")
_USERNAME = re.compile(r"^[A-Za-z0-9_.@+-]{4,40}$")
OPEN_REGISTRATION = (EnterpriseRegistration.State.PENDING, EnterpriseRegistration.State.CODE_SENT)


def _code_hash(registration_id: int, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"enterprise-code:{registration_id}:{code}".encode(),
                    hashlib.sha256).hexdigest()


def _audit_registration(reg: EnterpriseRegistration, step: str, actor: Any, reason: str = "") -> None:
    audit.record(Event.ENTERPRISE_REGISTRATION, actor=actor, object_type="enterprise_registration", object_id=reg.pk,
                 after={"state": reg.state, "uscc": reg.uscc, "username": reg.username}, reason=reason,
                 data={"event": step})


def _registration_problems(*, uscc, enterprise_name, legal_representative, contact_name, contact_phone, username,
                           password) -> tuple[list[Problem], str]:
    problems: list[Problem] = []
    value = ""
    check = identifiers.check_uscc(uscc or "")
    if check.ok:
        value = check.value
    else:
        problems += [Problem(p.code, p.message_zh, p.message_en, "uscc") for p in check.problems
                     if p.code.startswith("uscc")] or [Problem("uscc.invalid", "统一社会信用代码不正确",
                                                               "not a valid USCC", "uscc")]
    for field, val, zh in (("enterprise_name", enterprise_name, "企业名称"),
                           ("legal_representative", legal_representative, "法定代表人"),
                           ("contact_name", contact_name, "联系人")):
        if not (val or "").strip():
            problems.append(Problem(f"enterprise_registration.{field}_required", f"请填写{zh}", f"{field} is required",
                                    field))
    if not _PHONE.match((contact_phone or "").strip()):
        problems.append(Problem("enterprise_registration.phone", "联系电话须为11位手机号码或带区号的固定电话",
                                "a mobile number or a landline with its area code", "contact_phone"))
    name = (username or "").strip()
    if not _USERNAME.match(name):
        problems.append(Problem("enterprise_registration.username", "用户名须为4至40位字母、数字或 _ . @ + -",
                                "4-40 letters, digits or _ . @ + -", "username"))
    elif User.objects.filter(username__iexact=name).exists() or EnterpriseRegistration.objects.filter(
            username__iexact=name, state__in=OPEN_REGISTRATION).exists():
        problems.append(Problem("enterprise_registration.duplicate_username", "该用户名已被使用，请换一个",
                                "username taken", "username"))
    try:
        validate_password(password or "", User(username=name))
    except ValidationError as exc:
        problems += [Problem("enterprise_registration.password", message, "password refused", "password")
                     for message in exc.messages]
    return problems, value


def enterprise_registration_submit(*, uscc: str, enterprise_name: str, legal_representative: str, contact_name: str,
                                   contact_phone: str, username: str, password: str,
                                   actor: Any) -> EnterpriseRegistration:
    """Register an enterprise on the public site (企业用户注册). Every field at fault is named at once; nothing is
    kept then. With a notifier configured the confirmation code goes out at once; otherwise the registration waits
    on the credit centre's workbench, where an operator checks it and issues the code."""
    problems, value = _registration_problems(
        uscc=uscc, enterprise_name=enterprise_name, legal_representative=legal_representative,
        contact_name=contact_name, contact_phone=contact_phone, username=username, password=password)
    if problems:
        raise DomainError.from_problems(problems)
    now = clock.now()
    reg = EnterpriseRegistration(
        uscc=value, enterprise_name=enterprise_name.strip(), legal_representative=legal_representative.strip(),
        contact_name=contact_name.strip(), contact_phone=contact_phone.strip(), username=username.strip(),
        password_hash=make_password(password), created_at=now, updated_at=now)
    reg.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            reg.save()
            _audit_registration(reg, "submit", actor)
    except IntegrityError:
        raise DomainError("enterprise_registration.duplicate_username", "该用户名已被使用，请换一个",
                          "username taken", "username") from None
    if code_notifier() is not None:
        enterprise_registration_send_code(registration=reg, actor=actor)
        reg.refresh_from_db()
    return reg


def code_notifier():
    """The configured notifier callable, or None (the operator issues codes on the workbench)."""
    path = str(getattr(settings, "PUBCREDIT_ENTERPRISE_CODE_NOTIFIER", "") or "").strip()
    return import_string(path) if path else None


def _new_code(reg: EnterpriseRegistration, channel: str) -> str:
    code = f"{secrets.randbelow(10**6):06d}"
    reg.code_hash = _code_hash(reg.pk, code)
    reg.code_expires_at = clock.now() + dt.timedelta(hours=CODE_VALID_HOURS)
    reg.code_channel, reg.code_failures = channel[:100], 0
    reg.state, reg.updated_at = EnterpriseRegistration.State.CODE_SENT, clock.now()
    return code


def _open_registration(registration: EnterpriseRegistration) -> EnterpriseRegistration:
    reg = EnterpriseRegistration.objects.select_for_update().get(pk=registration.pk)
    if reg.state not in OPEN_REGISTRATION:
        raise DomainError("enterprise_registration.closed", f"该注册申请已办结（{reg.get_state_display()}）",
                          "the registration is closed", "registration")
    return reg


def enterprise_registration_issue_code(*, registration: EnterpriseRegistration, actor: Any) -> str:
    """An operator has checked the registration (USCC, name, legal representative, contact) and issues the code,
    returned to be shown once and told to the contact. A new code replaces any earlier one."""
    with transaction.atomic():
        reg = _open_registration(registration)
        code = _new_code(reg, f"信用中心工作人员告知（{getattr(actor, 'display_name', '') or audit.actor_label(actor)}）")
        reg.decided_by_label = audit.actor_label(actor)
        reg.save()
        _audit_registration(reg, "issue_code", actor)
    return code


def enterprise_registration_send_code(*, registration: EnterpriseRegistration, actor: Any) -> EnterpriseRegistration:
    """Send a new code by the configured notifier. A notifier that fails leaves the registration waiting for an
    operator (state 待核验, the error kept as the channel), so it is never lost."""
    notify = code_notifier()
    if notify is None:
        raise DomainError("enterprise_registration.no_notifier", "未配置确认码发送方式，请由信用中心工作人员核验后告知",
                          "no notifier configured", "registration")
    with transaction.atomic():
        reg = _open_registration(registration)
        code = _new_code(reg, "确认码发送中")
        reg.save()
    try:
        channel = str(notify(reg, code) or "通知服务")
    except Exception as exc:  # noqa: BLE001 - any notifier failure: the operator takes over
        EnterpriseRegistration.objects.filter(pk=reg.pk).update(
            state=EnterpriseRegistration.State.PENDING, code_hash="", code_expires_at=None,
            code_channel=f"发送失败：{exc}"[:100], updated_at=clock.now())
        reg.refresh_from_db()
        _audit_registration(reg, "code_failed", actor, reason=str(exc)[:200])
        return reg
    EnterpriseRegistration.objects.filter(pk=reg.pk).update(code_channel=channel[:100])
    reg.refresh_from_db()
    _audit_registration(reg, "send_code", actor, reason=channel)
    return reg


@transaction.atomic
def enterprise_registration_reject(*, registration: EnterpriseRegistration, reason: str,
                                   actor: Any) -> EnterpriseRegistration:
    """不予开通, with the reason (e.g. the legal representative does not match the registration authority's data)."""
    text = (reason or "").strip()
    if not text:
        raise DomainError("enterprise_registration.reason_required", "须说明不予开通的理由", "a reason is required",
                          "reason")
    reg = _open_registration(registration)
    reg.state, reg.reject_reason, reg.code_hash = EnterpriseRegistration.State.REJECTED, text[:300], ""
    reg.decided_by_label, reg.updated_at = audit.actor_label(actor), clock.now()
    reg.save()
    _audit_registration(reg, "reject", actor, reason=text)
    return reg


def _confirm_refused() -> DomainError:
    # one message for every wrong part, so the form tells nothing about which usernames exist
    return DomainError("enterprise_registration.confirm_failed", "用户名、密码或确认码不正确",
                       "username, password or code is wrong", "code")


def enterprise_registration_confirm(*, username: str, password: str, code: str, actor: Any) -> EnterpriseAccount:
    """The registrant enters the code with the chosen password: the enterprise account opens. A wrong code counts;
    after ``CODE_MAX_FAILURES`` the code is void and a new one must be issued; an expired code likewise."""
    name, code = (username or "").strip(), (code or "").strip()
    with transaction.atomic():
        reg = (EnterpriseRegistration.objects.select_for_update()
               .filter(username__iexact=name, state__in=OPEN_REGISTRATION).first())
        if reg is None or not check_password(password or "", reg.password_hash):
            raise _confirm_refused()
        if reg.state != EnterpriseRegistration.State.CODE_SENT or not reg.code_hash:
            raise DomainError("enterprise_registration.no_code", "注册申请正在核验，尚未发送确认码，请耐心等待信用中心联系",
                              "no code has been issued yet", "code")
        if reg.code_expires_at is None or reg.code_expires_at < clock.now():
            raise DomainError("enterprise_registration.code_expired", "确认码已过期，请联系信用中心重新发送",
                              "the code has expired", "code")
        if not hmac.compare_digest(reg.code_hash, _code_hash(reg.pk, code)):
            failures = reg.code_failures + 1
            void = failures >= CODE_MAX_FAILURES
            EnterpriseRegistration.objects.filter(pk=reg.pk).update(
                code_failures=failures, updated_at=clock.now(),
                **({"code_hash": "", "state": EnterpriseRegistration.State.PENDING} if void else {}))
            failed = True
        else:
            failed = False
            if User.objects.filter(username__iexact=reg.username).exists():
                raise DomainError("enterprise_registration.duplicate_username", "该用户名已被使用，请重新注册",
                                  "username taken", "username")
            account = _open_enterprise_account(
                username=reg.username, password_hash=reg.password_hash, uscc=reg.uscc,
                enterprise_name=reg.enterprise_name, display_name=reg.contact_name, contact_phone=reg.contact_phone,
                actor=actor, created_by_label=f"企业自助注册{reg.pk}（{reg.code_channel}）"[:150], how="registration")
            reg.state, reg.account, reg.code_hash = EnterpriseRegistration.State.CONFIRMED, account, ""
            reg.updated_at = clock.now()
            reg.save()
            _audit_registration(reg, "confirm", actor)
    if failed:  # the count is kept (committed above); the error follows
        if void:
            raise DomainError("enterprise_registration.code_void", "确认码错误次数过多，已失效，请联系信用中心重新发送",
                              "too many wrong codes: the code is void", "code")
        raise _confirm_refused()
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
