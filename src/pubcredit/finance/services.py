"""Every write of 信易贷 and 信易+: an enterprise grants and revokes authorisations (授权), a financial institution
reads a profile under one (every read kept, served or refused), and a provider asks whether a subject may have a
信易+ benefit and reports its use. Each is audited in its own transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
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
from pubcredit.finance import national, selectors
from pubcredit.finance.choices import ApplicationStatus, Industry, Purpose, ReadOutcome, RepaymentProblemKind
from pubcredit.finance.models import (Authorisation, IncentiveAnswer, IncentiveUse, LoanApplication, LoanProduct,
                                      NationalReport, PersonAuthorisation, ProfileRead, RepaymentProblem)
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


def _product_checked(product: LoanProduct, *, name: Any, amount_min: Any, amount_max: Any, term_months_min: Any,
                     term_months_max: Any, rate_min: Any, rate_max: Any, conditions: Any, description: Any) -> None:
    """Set a product's fields from what the bank sent and check them; every problem at once, each naming its field."""
    parsed = parse_conditions(list(conditions) if isinstance(conditions, (list, tuple)) else conditions,
                              monthly_classes=monthly_classes(), known_lists=list_kinds())
    product.name = _text(name, "name", limit=100)
    product.description = _text(description, "description", limit=1000)
    product.amount_min, product.amount_max = _decimal(amount_min, "amount_min"), _decimal(amount_max, "amount_max")
    product.term_months_min, product.term_months_max = term_months_min, term_months_max
    product.rate_min, product.rate_max = _decimal(rate_min, "rate_min"), _decimal(rate_max, "rate_max")
    product.conditions = [c.model_dump(exclude_defaults=True) | {"kind": c.kind} for c in parsed]
    problems = []
    if not product.name:
        problems.append(Problem("product.name_required", "产品名称不能为空", "name is required", "name"))
    try:
        product.full_clean(validate_unique=False)
    except ValidationError as exc:
        problems.extend(Problem("product.invalid", "；".join(m), f"{f}: invalid", f) for f, m in exc.message_dict.items())
    if not problems:
        for low, high, label in (("amount_min", "amount_max", "额度"), ("term_months_min", "term_months_max", "期限"),
                                 ("rate_min", "rate_max", "利率")):
            if getattr(product, low) > getattr(product, high):
                problems.append(Problem("product.range", f"{label}下限不能高于上限", f"{low} above {high}", low))
    if problems:
        raise DomainError.from_problems(problems)


def _product_saved(product: LoanProduct) -> None:
    try:
        with transaction.atomic():
            product.save()
    except IntegrityError:
        raise DomainError("product.duplicate_name", f"已有同名产品：{product.name}", "a product with this name exists",
                          "name") from None


def _product_snapshot(product: LoanProduct) -> dict[str, Any]:
    return {"name": product.name, "amount": [str(product.amount_min), str(product.amount_max)],
            "term_months": [product.term_months_min, product.term_months_max],
            "rate": [str(product.rate_min), str(product.rate_max)], "conditions": product.conditions}


@transaction.atomic
def loan_product_publish(*, institution: Department, name: Any, amount_min: Any, amount_max: Any,
                         term_months_min: Any, term_months_max: Any, rate_min: Any, rate_max: Any,
                         conditions: Any = (), description: Any = "", actor: Any) -> LoanProduct:
    """A financial institution publishes a loan product (发布信贷产品) with its conditions as data; a condition naming
    an unknown class or list, or of an unknown kind, is refused naming it (``product.condition_*``)."""
    if not is_financial_institution(institution):
        raise DomainError("finance.not_a_financial_institution", "只有金融机构可以发布信贷产品",
                          "only financial institutions publish loan products", "token")
    product = LoanProduct(institution=institution, published_at=clock.now())
    _product_checked(product, name=name, amount_min=amount_min, amount_max=amount_max, term_months_min=term_months_min,
                     term_months_max=term_months_max, rate_min=rate_min, rate_max=rate_max, conditions=conditions,
                     description=description)
    _product_saved(product)
    audit.record(Event.FINANCE_PRODUCT_PUBLISHED, actor=actor, object_type="loan_product",
                 object_id=str(product.product_id), after={"institution": institution.code, "name": product.name,
                                                           "conditions": product.conditions})
    return product


def _own_product(product: LoanProduct, institution: Department) -> LoanProduct:
    if product.institution_id != institution.pk:
        raise DomainError("product.other_institution", "只能修改或下架本机构的信贷产品",
                          "only the publishing institution changes its product", "product_id")
    product = LoanProduct.objects.select_for_update().get(pk=product.pk)
    if product.withdrawn_at is not None:
        raise DomainError("product.withdrawn", f"产品“{product.name}”已下架，不能再修改",
                          "the product has been withdrawn", "product_id")
    return product


@transaction.atomic
def loan_product_update(*, product: LoanProduct, institution: Department, name: Any, amount_min: Any,
                        amount_max: Any, term_months_min: Any, term_months_max: Any, rate_min: Any, rate_max: Any,
                        conditions: Any = (), description: Any = "", actor: Any) -> LoanProduct:
    """The institution edits its product (修改信贷产品), checked as when published; audited with before and after.
    Applications already made keep their record of what was asked; qualification is explained against the new
    conditions from now on."""
    product = _own_product(product, institution)
    before = _product_snapshot(product)
    _product_checked(product, name=name, amount_min=amount_min, amount_max=amount_max, term_months_min=term_months_min,
                     term_months_max=term_months_max, rate_min=rate_min, rate_max=rate_max, conditions=conditions,
                     description=description)
    product.updated_at = clock.now()
    _product_saved(product)
    audit.record(Event.FINANCE_PRODUCT_CHANGED, actor=actor, object_type="loan_product",
                 object_id=str(product.product_id), before=before, after=_product_snapshot(product),
                 data={"event": "edit", "institution": institution.code, "was": before})
    return product


@transaction.atomic
def loan_product_withdraw(*, product: LoanProduct, institution: Department, reason: Any, actor: Any) -> LoanProduct:
    """The institution withdraws its product (下架): no longer listed nor open to applications; applications already
    made go on (the bank still records their outcome)."""
    product = _own_product(product, institution)
    reason = _text(reason, "reason")
    if not reason:
        raise DomainError("product.reason_required", "请说明下架原因", "a reason is required", "reason")
    product.withdrawn_at, product.withdraw_reason = clock.now(), reason
    product.save(update_fields=["withdrawn_at", "withdraw_reason"])
    audit.record(Event.FINANCE_PRODUCT_CHANGED, actor=actor, object_type="loan_product",
                 object_id=str(product.product_id), reason=reason, before={"state": "published"},
                 after={"state": "withdrawn"}, data={"event": "withdraw", "institution": institution.code})
    return product


# --- loan applications (贷款申请) -----------------------------------------------------------------------------------

# how long the authorisation an application creates lasts: the review and disbursement of a small-business loan
# (a platform setting; the enterprise may revoke it at any time, and grant another for post-loan management)
APPLICATION_AUTHORISATION_DAYS = 90


def _positive_amount(value: Any, field: str, label: str) -> Decimal:
    try:
        number = _decimal(value, field)
    except DomainError:
        raise DomainError("application.amount", f"{label}须为数字（万元）", f"{field} must be a number", field) from None
    if number <= 0:
        raise DomainError("application.amount", f"{label}须大于0", f"{field} must be above zero", field)
    return number


def _application_event(application: LoanApplication, event: str, actor: Any, *, before: str, reason: str = "",
                       data: dict[str, Any] | None = None) -> None:
    audit.record(Event.FINANCE_APPLICATION, actor=actor, object_type="loan_application",
                 object_id=str(application.application_id), reason=reason, before={"status": before},
                 after={"status": application.status},
                 data={"event": event, "uscc": application.uscc, "institution": application.institution.code,
                       "product": str(application.product.product_id), **(data or {})})


@transaction.atomic
def loan_apply(*, account: EnterpriseAccount, product: LoanProduct, amount: Any, term_months: Any, industry: Any,
               scope: Any, note: Any = "", actor: Any) -> LoanApplication:
    """An enterprise applies for a loan product (申请贷款) on the public site. Applying grants the product's institution
    an authorisation for the application (purpose 贷款申请, the chosen scope, ``APPLICATION_AUTHORISATION_DAYS``
    days), audited as any grant; the enterprise may revoke it like any other. Refused: a withdrawn product, an
    amount or term outside the product's ranges, an industry not in GB/T 4754, and an enterprise that does not
    meet the product's conditions (each failed condition named)."""
    product = LoanProduct.objects.select_related("institution").get(pk=product.pk)
    if product.withdrawn_at is not None:
        raise DomainError("application.product_withdrawn", f"产品“{product.name}”已下架，不能申请",
                          "the product has been withdrawn", "product")
    problems: list[Problem] = []
    try:
        wanted = _positive_amount(amount, "amount", "申请金额")
    except DomainError as exc:
        problems.extend(exc.problems)
        wanted = None
    if wanted is not None and not product.amount_min <= wanted <= product.amount_max:
        problems.append(Problem("application.amount_range",
                                f"申请金额须在{product.amount_min}–{product.amount_max}万元之间",
                                "amount outside the product's range", "amount"))
    try:
        months = int(str(term_months).strip())
    except ValueError:
        months = None
    if months is None or not product.term_months_min <= months <= product.term_months_max:
        problems.append(Problem("application.term_range",
                                f"申请期限须在{product.term_months_min}–{product.term_months_max}个月之间",
                                "term outside the product's range", "term_months"))
    if industry not in Industry.values:
        problems.append(Problem("application.industry", "请选择所属行业（国民经济行业分类门类）",
                                "industry must be a GB/T 4754 section letter", "industry"))
    if problems:
        raise DomainError.from_problems(problems)
    failed = [q for q in selectors.qualification_of(product=product, uscc=account.uscc, today=clock.today())
              if not q.passed]
    if failed:
        raise DomainError("application.not_qualified", "暂不符合该产品的申请条件：" + "；".join(q.message_zh for q in failed),
                          "the enterprise does not meet the product's conditions", "product")
    today = clock.today()
    authorisation = authorisation_grant(
        account=account, institution=product.institution.code, scope=scope, purpose=Purpose.LOAN_APPLICATION,
        purpose_note=f"申请{product.name}"[:_TEXT_MAX], starts_on=today,
        ends_on=today + dt.timedelta(days=APPLICATION_AUTHORISATION_DAYS - 1), actor=actor)
    subject = selectors.subject_by_uscc(account.uscc)
    application = LoanApplication.objects.create(
        product=product, institution=product.institution, uscc=account.uscc, enterprise_name=account.enterprise_name,
        district=subject.district if subject else None, industry=industry, amount_requested=wanted,
        term_months=months, note=_text(note, "note", limit=500), authorisation=authorisation,
        applied_by=account.user, applied_at=clock.now())
    _application_event(application, "apply", actor, before="", reason=f"申请{product.name}",
                       data={"amount": str(wanted), "authorisation": str(authorisation.authorisation_id)})
    return application


def _bank_application(application: LoanApplication, institution: Department, *, expected: str) -> LoanApplication:
    """The application locked for the bank's step: only the product's institution records it, in the right order."""
    if application.institution_id != institution.pk:
        raise DomainError("application.other_institution", "只有受理该申请的金融机构可以登记办理结果",
                          "only the institution applied to records the outcome", "application_id")
    application = LoanApplication.objects.select_for_update().select_related("product", "institution").get(
        pk=application.pk)
    if application.status != expected:
        raise DomainError("application.status", f"该申请当前为“{application.get_status_display()}”，不能办理此步骤",
                          f"the application is {application.status}", "application_id")
    return application


@transaction.atomic
def application_decide(*, application: LoanApplication, institution: Department, approved: Any,
                       approved_amount: Any = None, reason: Any = "", actor: Any) -> LoanApplication:
    """The bank's decision (审批结果): approved with the amount (above zero, at most the product's maximum), or
    refused with its reason (told to the enterprise)."""
    application = _bank_application(application, institution, expected=ApplicationStatus.SUBMITTED)
    if not isinstance(approved, bool):
        raise DomainError("application.approved", "approved 须为 true 或 false", "approved must be true or false",
                          "approved")
    reason = _text(reason, "reason", limit=500)
    if approved:
        amount = _positive_amount(approved_amount, "approved_amount", "批准金额")
        if amount > application.product.amount_max:
            raise DomainError("application.amount_range", f"批准金额不能超过产品最高额度{application.product.amount_max}万元",
                              "approved amount above the product's maximum", "approved_amount")
        application.status, application.approved_amount = ApplicationStatus.APPROVED, amount
    else:
        if not reason:
            raise DomainError("application.reason_required", "未批准的，须说明原因", "a refusal needs its reason", "reason")
        application.status, application.refusal_reason = ApplicationStatus.REFUSED, reason
    application.decided_at, application.decided_by_label = clock.now(), audit.actor_label(actor)
    application.save(update_fields=["status", "approved_amount", "refusal_reason", "decided_at", "decided_by_label"])
    _application_event(application, "approve" if approved else "refuse", actor, before=ApplicationStatus.SUBMITTED,
                       reason=reason, data={"approved_amount": str(application.approved_amount or "")})
    return application


@transaction.atomic
def application_disburse(*, application: LoanApplication, institution: Department, amount: Any, disbursed_on: Any,
                         first_loan: Any, actor: Any) -> LoanApplication:
    """The bank reports the disbursement (放款): the amount (at most the approved amount), the day (not in the
    future, not before the decision) and whether it is the enterprise's first bank loan (首贷), which only the bank
    can know."""
    application = _bank_application(application, institution, expected=ApplicationStatus.APPROVED)
    money = _positive_amount(amount, "amount", "放款金额")
    if money > application.approved_amount:
        raise DomainError("application.amount_range", f"放款金额不能超过批准金额{application.approved_amount}万元",
                          "disbursed above the approved amount", "amount")
    day = _day(disbursed_on, "disbursed_on", "放款日")
    if day > clock.today() or day < application.decided_at.astimezone(clock.PLATFORM_TZ).date():
        raise DomainError("application.disbursed_on", "放款日须在审批日至今天之间", "disbursed_on outside decision..today",
                          "disbursed_on")
    if not isinstance(first_loan, bool):
        raise DomainError("application.first_loan", "请说明是否首贷（first_loan 须为 true 或 false）",
                          "first_loan must be true or false", "first_loan")
    application.status, application.disbursed_amount = ApplicationStatus.DISBURSED, money
    application.disbursed_on, application.first_loan = day, first_loan
    application.save(update_fields=["status", "disbursed_amount", "disbursed_on", "first_loan"])
    _application_event(application, "disburse", actor, before=ApplicationStatus.APPROVED,
                       data={"amount": str(money), "first_loan": first_loan})
    return application


@transaction.atomic
def repayment_problem_record(*, application: LoanApplication, institution: Department, kind: Any, occurred_on: Any,
                             amount: Any, note: Any = "", actor: Any) -> RepaymentProblem:
    """The bank reports a later repayment problem on a disbursed loan (逾期、不良): the kind, the day (between the
    disbursement and today) and the amount concerned."""
    application = _bank_application(application, institution, expected=ApplicationStatus.DISBURSED)
    if kind not in RepaymentProblemKind.values:
        raise DomainError("repayment.kind", f"异常类型须为{'、'.join(RepaymentProblemKind.labels)}之一",
                          f"kind must be one of {', '.join(RepaymentProblemKind.values)}", "kind")
    day = _day(occurred_on, "occurred_on", "发生日")
    if day > clock.today() or day < application.disbursed_on:
        raise DomainError("repayment.occurred_on", "发生日须在放款日至今天之间", "occurred_on outside disbursement..today",
                          "occurred_on")
    problem = RepaymentProblem.objects.create(
        application=application, kind=kind, occurred_on=day, amount=_positive_amount(amount, "amount", "涉及金额"),
        note=_text(note, "note", limit=500), recorded_at=clock.now(), recorded_by_label=audit.actor_label(actor))
    _application_event(application, "repayment_problem", actor, before=application.status, reason=problem.note,
                       data={"kind": kind, "occurred_on": day.isoformat(), "amount": str(problem.amount)})
    return problem


# --- natural persons (自然人授权与查询) -----------------------------------------------------------------------------


def _person_id(value: Any, field: str = "id_number") -> str:
    check = identifiers.check_resident_id(str(value or ""), today=clock.today(), field_name=field)
    if not check.ok:
        raise DomainError("finance.malformed_id_number", f"身份证号码有误：{check.problems[0].message_zh}",
                          f"malformed identity number: {check.problems[0].message_en}", field)
    return check.value


@transaction.atomic
def person_authorisation_record(*, institution: Department, id_number: Any, person_name: Any, scope: Any,
                                purpose: Any, starts_on: Any, ends_on: Any, document_ref: Any, document: bytes,
                                purpose_note: Any = "", actor: Any) -> PersonAuthorisation:
    """A financial institution registers a natural person's signed authorisation (个人授权书) it holds: the person
    (identity number, kept hashed and masked), the scope (items of the profile rulebook for natural persons), the
    purpose, the term and the signed document (its reference and SHA-256). Persons have no accounts here; this
    registration is what lets the bank read the person's profile, within it only."""
    if not is_financial_institution(institution):
        raise DomainError("finance.not_a_financial_institution", "只有金融机构可以登记个人查询授权",
                          "only financial institutions register person authorisations", "token")
    book = profile_book()
    problems: list[Problem] = []
    try:
        value = _person_id(id_number)
    except DomainError as exc:
        problems.extend(exc.problems)
    name = _text(person_name, "person_name", limit=100)
    if not name:
        problems.append(Problem("finance.person_name_required", "请填写授权人姓名", "person_name is required", "person_name"))
    codes = scope if isinstance(scope, (list, tuple)) else []
    if not codes:
        problems.append(Problem("finance.scope_required", "请至少选择一项授权范围", "choose at least one scope item", "scope"))
    for code in dict.fromkeys(codes):
        try:
            item = book.item(code)
        except DomainError as exc:
            problems.extend(exc.problems)
            continue
        if "natural_person" not in item.subject_kinds:
            problems.append(Problem("finance.scope_kind", f"“{item.name_zh}”不适用于自然人",
                                    f"{code} does not apply to natural persons", "scope"))
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
    reference = _text(document_ref, "document_ref", limit=100)
    if not reference:
        problems.append(Problem("finance.document_ref_required", "请填写授权书编号", "document_ref is required",
                                "document_ref"))
    if not document:
        problems.append(Problem("finance.document_required", "请上传签名的授权书", "the signed document is required",
                                "document_base64"))
    if problems:
        raise DomainError.from_problems(problems)
    row = PersonAuthorisation.objects.create(
        id_hash=crypto.lookup_hash(value), id_masked=identifiers.mask_resident_id(value), person_name=name,
        institution=institution, scope=[c for c in book.codes() if c in codes], purpose=purpose,
        purpose_note=_text(purpose_note, "purpose_note"), starts_on=first, ends_on=last, document_ref=reference,
        document_sha256=hashlib.sha256(document).hexdigest(), recorded_at=clock.now(),
        recorded_by_label=audit.actor_label(actor), profile_version=profile_version())
    audit.record(Event.FINANCE_PERSON_AUTHORISED, actor=actor, object_type="finance_person_authorisation",
                 object_id=str(row.authorisation_id), reason=row.get_purpose_display(), rule_version=row.profile_version,
                 after={"person": row.id_masked, "institution": institution.code, "scope": row.scope,
                        "starts_on": first.isoformat(), "ends_on": last.isoformat(), "document_ref": reference,
                        "document_sha256": row.document_sha256})
    return row


@transaction.atomic
def person_authorisation_revoke(*, authorisation: PersonAuthorisation, institution: Department, reason: Any,
                                actor: Any) -> PersonAuthorisation:
    """The person withdrew the authorisation (撤回授权, told to the bank): reads from now on are refused."""
    if authorisation.institution_id != institution.pk:
        raise DomainError("finance.other_institution", "只能撤销本机构登记的授权", "not this institution's authorisation",
                          "authorisation_id")
    authorisation = PersonAuthorisation.objects.select_for_update().get(pk=authorisation.pk)
    if authorisation.revoked_at is not None:
        raise DomainError("finance.already_revoked", "该授权已撤销", "the authorisation is already revoked",
                          "authorisation_id")
    authorisation.revoked_at, authorisation.revoke_reason = clock.now(), _text(reason, "reason")
    authorisation.save(update_fields=["revoked_at", "revoke_reason"])
    audit.record(Event.FINANCE_AUTHORISATION_REVOKED, actor=actor, object_type="finance_person_authorisation",
                 object_id=str(authorisation.authorisation_id), reason=authorisation.revoke_reason,
                 before={"state": "in_force"}, after={"state": "revoked"},
                 data={"person": authorisation.id_masked, "institution": institution.code})
    return authorisation


@transaction.atomic
def person_profile_read(*, institution: Department, id_number: Any, sections: Any = None, reference: Any = "",
                        actor: Any) -> ProfileAnswer:
    """A financial institution reads a natural person's credit profile: only within that person's signed
    authorisation in force and its scope, as for an enterprise; without one, refused (``finance.not_authorised``),
    kept and audited, nothing read."""
    if not is_financial_institution(institution):
        raise DomainError("finance.not_a_financial_institution", "只有金融机构可以查询信易贷信用信息",
                          "only financial institutions read 信易贷 profiles", "token")
    value = _person_id(id_number)
    masked = identifiers.mask_resident_id(value)
    wanted = _sections(sections)
    reference = _text(reference, "reference")
    today = clock.today()
    rows = list(PersonAuthorisation.objects.filter(institution=institution, id_hash=crypto.lookup_hash(value))
                .order_by("-recorded_at", "-id"))
    by_id = {str(a.authorisation_id): a for a in rows}
    decision = read_decision([selectors.grant_of(a) for a in rows], requested=wanted, today=today)
    if decision.code == "finance.not_authorised":
        decision = ReadDecision(False, None, (), decision.code, "该自然人未授权贵机构查询其信用信息",
                                "the person has not authorised this institution")
    authorisation = by_id.get(decision.grant.authorisation_id) if decision.grant else None
    read = ProfileRead.objects.create(
        uscc="", person_masked=masked, institution=institution, person_authorisation=authorisation,
        actor_label=audit.actor_label(actor), read_at=clock.now(),
        outcome=ReadOutcome.SERVED if decision.allowed else ReadOutcome.REFUSED, refusal_code=decision.code,
        refusal_reason=decision.message_zh[:300],
        sections=list(decision.sections if decision.allowed else (wanted or ())), reference=reference)
    data = {"person": masked, "institution": institution.code, "read_id": str(read.read_id), "reference": reference,
            "authorisation_id": decision.grant.authorisation_id if decision.grant else None}
    if not decision.allowed:
        audit.record(Event.FINANCE_PROFILE_REFUSED, actor=actor, object_type="finance_person_profile", object_id=masked,
                     reason=decision.message_zh, data={**data, "code": decision.code, "sections": list(wanted or ())})
        return ProfileAnswer(read, decision, None)
    audit.record(Event.FINANCE_PROFILE_READ, actor=actor, object_type="finance_person_profile", object_id=masked,
                 reason=f"信易贷查询（{authorisation.get_purpose_display()}）{reference}".strip(),
                 rule_version=authorisation.profile_version, data={**data, "sections": list(decision.sections)})
    subject = Subject.objects.filter(id_hash=crypto.lookup_hash(value)).select_related("district").first()
    profile = {
        "id_masked": masked, "as_of": clock.now(), "authorisation_id": str(authorisation.authorisation_id),
        "purpose": authorisation.purpose, "purpose_zh": authorisation.get_purpose_display(),
        "authorised_until": authorisation.ends_on, "read_id": str(read.read_id),
        "basic": {"name": subject.name if subject else authorisation.person_name,
                  "district": subject.district.name if subject and subject.district else None,
                  "known": subject is not None},
        "sections": selectors.profile_sections_of(subject=subject, sections=decision.sections, today=today),
    }
    return ProfileAnswer(read, decision, profile)


# --- bank officers (金融机构用户) -----------------------------------------------------------------------------------


def bank_officer_create(*, username: str, password: str, institution: Any, display_name: str = "", actor: Any):
    """Open a login for an officer of a financial institution (金融机构用户): it works in the institution's own console
    (``/finance/bank/``) and nowhere else of the workbench (``finance.bank_access``). No government role is given
    (``role`` blank): what it may do comes from its institution alone."""
    from pubcredit.accounts.services import user_create

    found = institution_get(institution)
    return user_create(username=username, password=password, role="", display_name=display_name, department=found,
                       actor=actor)


# --- the national 信易贷 platform (全国信易贷平台报送, Zibo item 11; schema assumed, finance.national) ----------------


def national_report_send(*, month: dt.date, actor: Any) -> NationalReport:
    """Send the city's report for ``month`` to the national 信易贷 platform and record the attempt (sent or failed,
    with the answer), audited ``finance.national_report``. Refused when no URL is set (``national.not_configured``).
    The HTTP call runs outside any transaction: a slow far side holds no lock."""
    from django.conf import settings

    url = settings.PUBCREDIT_NATIONAL_XINYIDAI_URL
    if not url:
        raise DomainError("national.not_configured", "未设置全国信易贷平台接收地址（PUBCREDIT_NATIONAL_XINYIDAI_URL）",
                          "PUBCREDIT_NATIONAL_XINYIDAI_URL is not set", "url")
    first, _last = national.month_bounds(month)
    body = national.encode(national.report_payload(month=first, city_name=national.CITY_NAME,
                                                   division_code=national.CITY_DIVISION_CODE,
                                                   generated_at=clock.now()))
    delivery = national.deliver(url=url, body=body, token=settings.PUBCREDIT_NATIONAL_XINYIDAI_TOKEN)
    with transaction.atomic():
        report = NationalReport.objects.create(
            month=first, attempted_at=clock.now(), url=url[:500], schema=national.SCHEMA,
            payload_sha256=hashlib.sha256(body).hexdigest(),
            outcome=NationalReport.Outcome.SENT if delivery.ok else NationalReport.Outcome.FAILED,
            http_status=delivery.http_status, response_excerpt=delivery.response_excerpt, error=delivery.error,
            actor_label=audit.actor_label(actor))
        audit.record(Event.FINANCE_NATIONAL_REPORT, actor=actor, object_type="national_report",
                     object_id=first.strftime("%Y-%m"), reason=delivery.error,
                     after={"outcome": report.outcome, "http_status": delivery.http_status},
                     data={"outcome": report.outcome, "http_status": delivery.http_status,
                           "payload_sha256": report.payload_sha256, "schema": national.SCHEMA})
    return report


def national_report_due(*, today: dt.date, actor: Any) -> dict[str, Any]:
    """The daily job's step: report the previous month unless it was already sent; a failed month is tried again the
    next day. Nothing is sent (and nothing recorded) while no URL is set."""
    from django.conf import settings

    month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    if not settings.PUBCREDIT_NATIONAL_XINYIDAI_URL:
        return {"month": month.strftime("%Y-%m"), "outcome": "not_configured"}
    if NationalReport.objects.filter(month=month, outcome=NationalReport.Outcome.SENT).exists():
        return {"month": month.strftime("%Y-%m"), "outcome": "already_sent"}
    report = national_report_send(month=month, actor=actor)
    return {"month": month.strftime("%Y-%m"), "outcome": report.outcome, "http_status": report.http_status}
