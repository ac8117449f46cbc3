"""Every write of 信易贷 and 信易+: an enterprise grants and revokes authorisations (授权), a financial institution
reads a profile under one (every read kept, served or refused), and a provider asks whether a subject may have a
信易+ benefit and reports its use. Each is audited in its own transaction."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from pubcredit.accounts.access import is_financial_institution
from pubcredit.accounts.models import Department, EnterpriseAccount
from pubcredit.audit import services as audit
from pubcredit.audit.events import Event
from pubcredit.evaluation.selectors import current_class
from pubcredit.finance import selectors
from pubcredit.finance.choices import Purpose, ReadOutcome
from pubcredit.finance.models import Authorisation, IncentiveAnswer, IncentiveUse, LoanProduct, ProfileRead
from pubcredit.finance.rulebook import incentive_book, incentive_version, list_kinds, profile_book, profile_version
from pubcredit.lists.rulebook import rulebook as list_rulebook
from pubcredit.rules import clock, identifiers
from pubcredit.rules.errors import DomainError, Problem
from pubcredit.rules.finance import ReadDecision, parse_conditions, read_decision, term_problems
from pubcredit.rules.incentives import SubjectFacts, eligibility
from pubcredit.sanctions.services import subject_parse
from pubcredit.subjects import crypto
from pubcredit.subjects.models import Subject

_TEXT_MAX = 200


def _text(value: Any, field: str, *, limit: int = _TEXT_MAX) -> str:
    text = "" if value is None else str(value).strip()
    if len(text) > limit:
        raise DomainError(f"finance.{field}_too_long", f"{field}不能超过{limit}个字符", f"{field} is longer than {limit}",
                          field)
    return text


def _day(value: Any, field: str, label: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise DomainError("finance.date", f"{label}格式应为YYYY-MM-DD：{value}", f"{field} must be YYYY-MM-DD", field) from None


def institution_get(code: Any) -> Department:
    """A financial institution by its department code: unknown → ``finance.unknown_institution``; a government
    department → ``finance.not_a_financial_institution``."""
    department = Department.objects.filter(code=str(code or "").strip()).first()
    if department is None:
        raise DomainError("finance.unknown_institution", f"平台上没有该金融机构：{code}", f"no financial institution {code!r}",
                          "institution")
    if not is_financial_institution(department):
        raise DomainError("finance.not_a_financial_institution", f"“{department.name}”不是金融机构，不能被授权查询",
                          f"{department.code} is not a financial institution", "institution")
    return department


# --- authorisations (授权) ------------------------------------------------------------------------------------------


@transaction.atomic
def authorisation_grant(*, account: EnterpriseAccount, institution: Any, scope: Any, purpose: Any,
                        starts_on: Any, ends_on: Any, purpose_note: Any = "", uscc: Any = None,
                        actor: Any) -> Authorisation:
    """An enterprise authorises a named financial institution to read its profile: the scope (items of
    ``rulebook/finance/profile.yaml``), the purpose and the term (both days inclusive, at most the rulebook's
    ``max_term_days``). ``uscc``, when given, must be the account's own: an account never authorises for another
    enterprise (``finance.other_enterprise``)."""
    if uscc not in (None, "") and str(uscc).strip().upper() != account.uscc:
        raise DomainError("finance.other_enterprise", "只能以本企业名义授权，不能为其他企业授权",
                          "an enterprise account authorises for its own enterprise only", "uscc")
    book = profile_book()
    problems: list[Problem] = []
    try:
        found = institution_get(institution)
    except DomainError as exc:
        problems.extend(exc.problems)
    codes = scope if isinstance(scope, (list, tuple)) else []
    if not codes:
        problems.append(Problem("finance.scope_required", "请至少选择一项授权范围", "choose at least one scope item", "scope"))
    subject = selectors.subject_by_uscc(account.uscc)
    for code in dict.fromkeys(codes):
        try:
            item = book.item(code)
        except DomainError as exc:
            problems.extend(exc.problems)
            continue
        if subject is not None and subject.kind not in item.subject_kinds:
            problems.append(Problem("finance.scope_kind", f"“{item.name_zh}”不适用于{subject.get_kind_display()}",
                                    f"{code} does not apply to {subject.kind}", "scope"))
    if purpose not in Purpose.values:
        problems.append(Problem("finance.purpose", f"请选择授权用途（{'、'.join(Purpose.labels)}）",
                                f"purpose must be one of {', '.join(Purpose.values)}", "purpose"))
    try:
        first, last = _day(starts_on, "starts_on", "授权起始日"), _day(ends_on, "ends_on", "授权截止日")
    except DomainError as exc:
        problems.extend(exc.problems)
    else:
        problems.extend(Problem(*p) for p in term_problems(first, last, today=clock.today(),
                                                           max_days=book.max_term_days))
    if problems:
        raise DomainError.from_problems(problems)
    authorisation = Authorisation(
        uscc=account.uscc, enterprise_name=account.enterprise_name, institution=found,
        scope=[c for c in book.codes() if c in codes], purpose=purpose, purpose_note=_text(purpose_note, "purpose_note"),
        starts_on=first, ends_on=last, granted_by=account.user, granted_at=clock.now(), profile_version=profile_version())
    authorisation.full_clean()
    authorisation.save()
    audit.record(Event.FINANCE_AUTHORISATION_GRANTED, actor=actor, object_type="finance_authorisation",
                 object_id=str(authorisation.authorisation_id), reason=authorisation.get_purpose_display(),
                 rule_version=authorisation.profile_version,
                 after={"uscc": account.uscc, "institution": found.code, "scope": authorisation.scope,
                        "purpose": purpose, "starts_on": first.isoformat(), "ends_on": last.isoformat()})
    return authorisation


@transaction.atomic
def authorisation_revoke(*, account: EnterpriseAccount, authorisation: Authorisation, reason: Any = "",
                         actor: Any) -> Authorisation:
    """The enterprise revokes an authorisation (撤销授权), at once: reads from now on are refused."""
    if authorisation.uscc != account.uscc:
        raise DomainError("finance.other_enterprise", "只能撤销本企业的授权", "not this enterprise's authorisation",
                          "authorisation")
    authorisation = Authorisation.objects.select_for_update().get(pk=authorisation.pk)
    if authorisation.revoked_at is not None:
        raise DomainError("finance.already_revoked", "该授权已撤销", "the authorisation is already revoked", "authorisation")
    if authorisation.ends_on < clock.today():
        raise DomainError("finance.already_ended", "该授权已到期，无需撤销", "the authorisation has already ended",
                          "authorisation")
    authorisation.revoked_at = clock.now()
    authorisation.revoked_by = account.user
    authorisation.revoke_reason = _text(reason, "reason")
    authorisation.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    audit.record(Event.FINANCE_AUTHORISATION_REVOKED, actor=actor, object_type="finance_authorisation",
                 object_id=str(authorisation.authorisation_id), reason=authorisation.revoke_reason,
                 before={"state": "in_force"}, after={"state": "revoked"},
                 data={"uscc": authorisation.uscc, "institution": authorisation.institution.code})
    return authorisation


# --- the bank's read (金融机构查询) ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileAnswer:
    read: ProfileRead
    decision: ReadDecision
    profile: dict[str, Any] | None  # None when refused


def _sections(value: Any) -> tuple[str, ...] | None:
    """``sections`` as asked: None (the whole scope), or known item codes (unknown → 400 naming them)."""
    if value in (None, "", []):
        return None
    codes = value.split(",") if isinstance(value, str) else list(value)
    book = profile_book()
    codes = [str(c).strip() for c in codes if str(c).strip()]
    for code in codes:
        book.item(code)
    return tuple(dict.fromkeys(codes))


@transaction.atomic
def profile_read(*, institution: Department, uscc: Any, sections: Any = None, reference: Any = "",
                 actor: Any) -> ProfileAnswer:
    """A financial institution reads an enterprise's credit profile: only within an authorisation in force and only
    its scope (rules.finance.read_decision). Every request is kept (``ProfileRead``) and audited, served or refused,
    so the enterprise sees who read or tried to read its data, when and for what. A refusal is returned, not raised:
    its record must be kept."""
    if not is_financial_institution(institution):
        raise DomainError("finance.not_a_financial_institution", "只有金融机构可以查询信易贷信用信息",
                          "only financial institutions read 信易贷 profiles", "token")
    check = identifiers.check_uscc(str(uscc or ""), field_name="uscc")
    if not check.ok:
        raise DomainError("finance.malformed_uscc", f"统一社会信用代码有误：{check.problems[0].message_zh}",
                          f"malformed USCC: {check.problems[0].message_en}", "uscc")
    code = check.value
    wanted = _sections(sections)
    reference = _text(reference, "reference")
    today = clock.today()
    authorisations = list(selectors.authorisations_for_institution(institution=institution, uscc=code))
    by_id = {str(a.authorisation_id): a for a in authorisations}
    decision = read_decision([selectors.grant_of(a) for a in authorisations], requested=wanted, today=today)
    authorisation = by_id.get(decision.grant.authorisation_id) if decision.grant else None
    read = ProfileRead.objects.create(
        uscc=code, institution=institution, authorisation=authorisation, actor_label=audit.actor_label(actor),
        read_at=clock.now(), outcome=ReadOutcome.SERVED if decision.allowed else ReadOutcome.REFUSED,
        refusal_code=decision.code, refusal_reason=decision.message_zh[:300],
        sections=list(decision.sections if decision.allowed else (wanted or ())), reference=reference)
    data = {"uscc": code, "institution": institution.code, "read_id": str(read.read_id), "reference": reference,
            "authorisation_id": decision.grant.authorisation_id if decision.grant else None}
    if not decision.allowed:
        audit.record(Event.FINANCE_PROFILE_REFUSED, actor=actor, object_type="finance_profile", object_id=code,
                     reason=decision.message_zh, data={**data, "code": decision.code, "sections": list(wanted or ())})
        return ProfileAnswer(read, decision, None)
    purpose = authorisation.get_purpose_display()
    audit.record(Event.FINANCE_PROFILE_READ, actor=actor, object_type="finance_profile", object_id=code,
                 reason=f"信易贷查询（{purpose}）{reference}".strip(), rule_version=authorisation.profile_version,
                 data={**data, "sections": list(decision.sections)})
    profile = {
        "uscc": code, "as_of": clock.now(), "authorisation_id": str(authorisation.authorisation_id),
        "purpose": authorisation.purpose, "purpose_zh": purpose, "authorised_until": authorisation.ends_on,
        "read_id": str(read.read_id),
        "basic": selectors.basic_information(uscc=code, fallback_name=authorisation.enterprise_name),
        "sections": selectors.profile_sections(uscc=code, sections=decision.sections, today=today),
    }
    return ProfileAnswer(read, decision, profile)


# --- 信易+ eligibility (守信激励核查) -----------------------------------------------------------------------------------


def _facts(subject: Subject | None, today: dt.date) -> SubjectFacts:
    if subject is None:
        return SubjectFacts(kind=None)
    kinds, book = list_kinds(), list_rulebook()
    red, black = {}, {}
    for entry in selectors.entries_in_force(subject, today):
        spec = book.get(entry.list_code, today)
        name = spec.name_zh if spec is not None else entry.list_code
        (red if kinds.get(entry.list_code, entry.kind) == "red" else black)[entry.list_code] = name
    found = current_class(subject=subject) if subject.kind != "natural_person" else None
    negatives = selectors.negative_records_in_force(subject) if subject.kind == "natural_person" else 0
    return SubjectFacts(kind=subject.kind, red_lists=red, black_lists=black,
                        evaluation_class=found.class_code if found else None, negative_records_in_force=negatives)


@transaction.atomic
def incentive_eligibility_check(*, department: Department, subject: Any, scenario: Any, reference: Any = "",
                                actor: Any) -> IncentiveAnswer:
    """May ``subject`` have ``scenario``'s 信易+ benefit today? ``subject`` as the check API takes it
    (``{"uscc"}`` or ``{"id_number"}``, the same parsing and errors). The answer is kept with every condition and the
    rulebook version, and audited (a natural person's data is read)."""
    found = incentive_book().get(scenario)
    kind, value = subject_parse(subject)
    reference = _text(reference, "reference")
    person = kind == "id_number"
    subject_row = (Subject.objects.filter(id_hash=crypto.lookup_hash(value)).first() if person
                   else Subject.objects.filter(uscc=value).first())
    today = clock.today()
    outcome = eligibility(found, _facts(subject_row, today),
                          kind_if_unknown="natural_person" if person else "legal_person")
    answer = IncentiveAnswer.objects.create(
        department=department, actor_label=audit.actor_label(actor), scenario=found.code,
        subject_code=identifiers.mask_resident_id(value) if person else value,
        subject_name=subject_row.name if subject_row else "", reference=reference, eligible=outcome.eligible,
        reasons=[r.as_dict() for r in outcome.reasons], benefit=found.benefit_zh, rulebook_version=incentive_version(),
        as_of=clock.now())
    audit.record(Event.INCENTIVE_ELIGIBILITY, actor=actor, object_type="incentive_answer",
                 object_id=str(answer.answer_id), reason=f"信易+激励核查（{found.name_zh}）{reference}".strip(),
                 rule_version=answer.rulebook_version,
                 data={"scenario": found.code, "subject": answer.subject_code, "eligible": outcome.eligible,
                       "subject_id": subject_row.pk if subject_row else None,
                       "failed": [r.code for r in outcome.reasons if not r.passed]})
    return answer


@transaction.atomic
def incentive_use_record(*, answer: IncentiveAnswer, department: Department, used: Any, note: Any = "",
                         actor: Any) -> IncentiveUse:
    """The provider reports whether it gave the benefit (使用反馈); not giving it needs a reason. Only the department
    that asked reports on its answer; a later report corrects an earlier one (both kept)."""
    if answer.department_id != department.pk:
        raise DomainError("incentive.other_department", "只有发起核查的单位可以反馈使用情况",
                          "only the asking department reports use", "answer_id")
    if not isinstance(used, bool):
        raise DomainError("incentive.used", "used 须为 true 或 false", "used must be true or false", "used")
    note = _text(note, "note", limit=2000)
    if not used and not note:
        raise DomainError("incentive.note_required", "未给予激励的，须说明理由", "a reason is required when not given", "note")
    if used and not answer.eligible:
        raise DomainError("incentive.not_eligible", "该主体核查结果为不符合条件，不能登记为已给予激励",
                          "the answer said not eligible", "used")
    use = IncentiveUse.objects.create(answer=answer, used=used, note=note, actor_label=audit.actor_label(actor),
                                      created_at=clock.now())
    audit.record(Event.INCENTIVE_USE, actor=actor, object_type="incentive_answer", object_id=str(answer.answer_id),
                 after={"used": used}, reason=note, data={"scenario": answer.scenario, "used": used})
    return use


# --- loan products (信贷产品) -------------------------------------------------------------------------------------


def _decimal(value: Any, field: str) -> Decimal:
    """An amount or rate to two decimals (a float from JSON would carry binary noise)."""
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        raise DomainError("product.number", f"{field}须为数字", f"{field} must be a number", field) from None
    if not number.is_finite() or number < 0:
        raise DomainError("product.number", f"{field}须为非负数", f"{field} must be a non-negative number", field)
    return number


def monthly_classes() -> list[str]:
    return [i.code for i in profile_book().items if i.source == "monthly"]


@transaction.atomic
def loan_product_publish(*, institution: Department, name: Any, amount_min: Any, amount_max: Any,
                         term_months_min: Any, term_months_max: Any, rate_min: Any, rate_max: Any,
                         conditions: Any = (), description: Any = "", actor: Any) -> LoanProduct:
    """A financial institution publishes a loan product (发布信贷产品) with its conditions as data; a condition naming
    an unknown class or list, or of an unknown kind, is refused naming it (``product.condition_*``)."""
    if not is_financial_institution(institution):
        raise DomainError("finance.not_a_financial_institution", "只有金融机构可以发布信贷产品",
                          "only financial institutions publish loan products", "token")
    parsed = parse_conditions(list(conditions) if isinstance(conditions, (list, tuple)) else conditions,
                              monthly_classes=monthly_classes(), known_lists=list_kinds())
    product = LoanProduct(institution=institution, name=_text(name, "name", limit=100),
                          description=_text(description, "description", limit=1000),
                          amount_min=_decimal(amount_min, "amount_min"), amount_max=_decimal(amount_max, "amount_max"),
                          term_months_min=term_months_min, term_months_max=term_months_max,
                          rate_min=_decimal(rate_min, "rate_min"), rate_max=_decimal(rate_max, "rate_max"),
                          conditions=[c.model_dump(exclude_defaults=True) | {"kind": c.kind} for c in parsed],
                          published_at=clock.now())
    problems = []
    if not product.name:
        problems.append(Problem("product.name_required", "产品名称不能为空", "name is required", "name"))
    try:
        product.full_clean()
    except ValidationError as exc:
        problems.extend(Problem("product.invalid", "；".join(m), f"{f}: invalid", f) for f, m in exc.message_dict.items())
    if not problems:
        for low, high, label in (("amount_min", "amount_max", "额度"), ("term_months_min", "term_months_max", "期限"),
                                 ("rate_min", "rate_max", "利率")):
            if getattr(product, low) > getattr(product, high):
                problems.append(Problem("product.range", f"{label}下限不能高于上限", f"{low} above {high}", low))
    if problems:
        raise DomainError.from_problems(problems)
    try:
        with transaction.atomic():
            product.save()
    except IntegrityError:
        raise DomainError("product.duplicate_name", f"已有同名产品：{product.name}", "a product with this name exists",
                          "name") from None
    audit.record(Event.FINANCE_PRODUCT_PUBLISHED, actor=actor, object_type="loan_product",
                 object_id=str(product.product_id), after={"institution": institution.code, "name": product.name,
                                                           "conditions": product.conditions})
    return product
