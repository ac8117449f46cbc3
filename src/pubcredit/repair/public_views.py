"""The public site's repair and objection pages (信用修复、异议申诉, issue 13 items 2, 3 and 6).

- An enterprise account (企业用户) sees its own negative items, published or not, with their eligibility today; applies
  for repair of one (proof of correction with files, the 信用承诺书 from the rulebook signed on the page); follows its
  applications step by step (limits, the one-time notice, the decision and its reasons), supplements or withdraws.
- Anyone concerned objects to a record shown on the public site (the enterprise also to its own unpublished ones).

Thin: selectors read, services write; a refused field is named on the form and nothing typed is lost.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pubcredit.accounts.access import enterprise_account, enterprise_login_required
from pubcredit.ratelimit import rate_limited
from pubcredit.repair import selectors, services
from pubcredit.repair.evidence import MAX_FILES_PER_CASE, evidence_add, evidence_path, max_bytes
from pubcredit.repair.models import Evidence
from pubcredit.repair.rulebook import rulebook
from pubcredit.rules.errors import DomainError

MAX_FILES_PER_FORM = 10
OBJECTION_KINDS = {"content": "公示内容有误", "period": "公示期限不符合规定", "refusal": "对不予受理、不予修复决定有异议",
                   "other": "其他"}


def _page(request, template: str, context: dict, status: int = 200):
    return render(request, template, {"site_name": settings.PUBCREDIT_SITE_NAME, **context}, status=status)


def _errors(exc: DomainError) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for problem in exc.problems:
        errors.setdefault(problem.field or "form", []).append(problem.message_zh)
    return errors


def _files(request):
    files = request.FILES.getlist("files")
    if len(files) > MAX_FILES_PER_FORM:
        raise DomainError("repair.evidence_too_many", f"每次最多上传{MAX_FILES_PER_FORM}个文件",
                          f"at most {MAX_FILES_PER_FORM} files at once", "file")
    return files


def _with_files(make_case, files, actor):
    """Create or move a case and keep its files in one transaction: a refused file refuses the whole form (nothing
    kept, files already written for it removed again)."""
    stored: list[Evidence] = []
    try:
        with transaction.atomic():
            case = make_case()
            for upload in files:
                stored.append(evidence_add(case=case, filename=upload.name, chunks=upload.chunks(), actor=actor))
    except DomainError:
        for evidence in stored:
            if not Evidence.objects.filter(stored_path=evidence.stored_path).exists():
                evidence_path(evidence).unlink(missing_ok=True)
        raise
    return case


@require_GET
@enterprise_login_required
def items(request):
    """本企业信用信息: the negative items (published or not) with eligibility, the applications and objections."""
    account = request.enterprise_account
    return _page(request, "repair/public_items.html", {
        "account": account, "items": selectors.enterprise_items(uscc=account.uscc),
        "applications": selectors.enterprise_applications(uscc=account.uscc)[:100],
        "objections": selectors.enterprise_objections(uscc=account.uscc)[:100],
    })


def _commitment(record, eligibility):
    return services.commitment_for(record=record, eligibility_regime=eligibility.regime)


@require_http_methods(["GET", "POST"])
@enterprise_login_required
def apply(request, record_id: int):
    """申请信用修复 for one of the enterprise's items: proof of correction (text and PDF/JPG/PNG files), the
    commitment generated from the rulebook, signed on the page. Only the materials the law names are asked."""
    account = request.enterprise_account
    record = selectors.enterprise_record(uscc=account.uscc, pk=record_id)
    if record is None:
        raise Http404("不是本企业的信用信息")
    eligibility = selectors.record_eligibility(record=record)
    title, commitment = _commitment(record, eligibility)
    posted = {"contact_name": account.user.display_name, "contact_phone": account.contact_phone,
              "signed_by": getattr(getattr(account, "registration", None), "legal_representative", "")}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        posted = {k: request.POST.get(k, "") for k in ("contact_name", "contact_phone", "contact_email",
                                                         "proof_description", "signed_by")}
        signed = request.POST.get("commitment_signed") == "yes"
        try:
            if signed and not posted["signed_by"].strip():
                raise DomainError("repair.signatory_required", "请填写签署人（法定代表人或其授权的人）",
                                  "the signatory is required", "signed_by")
            app = _with_files(lambda: services.repair_application_submit(
                record=record, applicant_uscc=account.uscc, contact_name=posted["contact_name"],
                contact_phone=posted["contact_phone"], contact_email=posted["contact_email"],
                proof_description=posted["proof_description"], commitment_signed=signed,
                signed_by=posted["signed_by"], actor=request.user), _files(request), request.user)
        except DomainError as exc:
            errors = _errors(exc)
        else:
            messages.success(request, f"信用修复申请已提交（编号{app.pk}），认定单位应于{app.accept_due:%Y年%m月%d日}前决定是否受理。")
            return redirect("repair_public:items")
    limits = eligibility.limits
    return _page(request, "repair/public_apply.html", {
        "account": account, "record": record, "eligibility": eligibility, "limits": limits,
        "commitment_title": title, "commitment": commitment, "posted": posted, "errors": errors,
        "max_files": MAX_FILES_PER_FORM, "max_mb": max_bytes() // (1024 * 1024),
        "materials_basis": _materials_basis(eligibility),
    }, status=400 if errors else 200)


def _materials_basis(eligibility) -> str:
    """The article naming the materials, when the regime's list applies (a list with its own materials, e.g. the
    tax list's 令第54号 第十九条, names them in its rule and has no article field here)."""
    regime = rulebook().regimes[eligibility.regime]
    if eligibility.limits is not None and tuple(eligibility.limits.materials_zh) == tuple(regime.materials_zh):
        return f"{regime.instrument_zh}{regime.materials_article}"
    return ""


@require_http_methods(["GET", "POST"])
@enterprise_login_required
def reorganisation(request, record_id: int):
    """破产重整期间申请临时屏蔽 (NDRC Order 36 art. 20; SAMR 107 art. 22): the reorganised enterprise (or, through
    its account, its administrator 管理人) applies with the court's ruling approving the plan (number and scan)."""
    account = request.enterprise_account
    record = selectors.enterprise_record(uscc=account.uscc, pk=record_id)
    if record is None:
        raise Http404("不是本企业的信用信息")
    refusal, regime_id, authority = selectors.reorganisation_check(record=record)
    regime = rulebook().regimes[regime_id]
    posted = {"contact_name": account.user.display_name, "contact_phone": account.contact_phone,
              "applicant_role": "enterprise"}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        posted = {k: request.POST.get(k, "") for k in ("applicant_role", "court_ruling_no", "contact_name",
                                                         "contact_phone", "contact_email", "plan_description")}
        try:
            app = _with_files(lambda: services.reorganisation_submit(
                record=record, applicant_uscc=account.uscc, applicant_role=posted["applicant_role"],
                court_ruling_no=posted["court_ruling_no"], contact_name=posted["contact_name"],
                contact_phone=posted["contact_phone"], contact_email=posted["contact_email"],
                plan_description=posted["plan_description"], actor=request.user), _files(request), request.user)
        except DomainError as exc:
            errors = _errors(exc)
        else:
            messages.success(request, f"破产重整信用修复申请已提交（编号{app.pk}），认定单位应于"
                                      f"{app.accept_due:%Y年%m月%d日}前临时屏蔽该信息。")
            return redirect("repair_public:items")
    return _page(request, "repair/public_reorganisation.html", {
        "account": account, "record": record, "refusal": refusal, "regime": regime, "authority": authority,
        "posted": posted, "errors": errors, "max_files": MAX_FILES_PER_FORM,
        "max_mb": max_bytes() // (1024 * 1024),
    }, status=400 if errors else 200)


@require_POST
@enterprise_login_required
def reorganisation_completion(request, pk: int):
    """The court's ruling confirming the plan completed (art. 20 para. 3): number, note and scan; the unit then
    completes the repair."""
    account = request.enterprise_account
    app = selectors.enterprise_application(uscc=account.uscc, pk=pk)
    if app is None:
        raise Http404
    try:
        _with_files(lambda: services.reorganisation_file_completion(
            application=app, ruling_no=request.POST.get("ruling_no", ""),
            description=request.POST.get("description", ""), actor=request.user), _files(request), request.user)
    except DomainError as exc:
        messages.error(request, "；".join(p.message_zh for p in exc.problems))
    else:
        messages.success(request, "执行完毕的裁定书已提交，认定单位将办理信用修复。")
    return redirect("repair_public:items")


@require_POST
@enterprise_login_required
def supplement(request, pk: int):
    """补正: what the one-time notice listed (text and files); the acceptance limit runs again."""
    account = request.enterprise_account
    app = selectors.enterprise_application(uscc=account.uscc, pk=pk)
    if app is None:
        raise Http404
    try:
        _with_files(lambda: services.repair_application_supplement(
            application=app, proof_description=request.POST.get("proof_description", ""), actor=request.user),
            _files(request), request.user)
    except DomainError as exc:
        messages.error(request, "；".join(p.message_zh for p in exc.problems))
    else:
        messages.success(request, "补正材料已提交，认定单位将重新审查是否受理。")
    return redirect("repair_public:items")


@require_POST
@enterprise_login_required
def withdraw(request, pk: int):
    app = selectors.enterprise_application(uscc=request.enterprise_account.uscc, pk=pk)
    if app is None:
        raise Http404
    try:
        services.repair_application_withdraw(application=app, actor=request.user)
    except DomainError as exc:
        messages.error(request, "；".join(p.message_zh for p in exc.problems))
    else:
        messages.success(request, f"信用修复申请{app.pk}已撤回。")
    return redirect("repair_public:items")


@require_http_methods(["GET", "POST"])
@rate_limited("search")
def objection(request, record_id: int):
    """异议申诉: anyone concerned, about a record shown on the public site (the enterprise also about its own
    unpublished records): content, period, or a refused repair; with evidence files (NDRC Order 36 art. 18)."""
    account = enterprise_account(request.user)
    record = selectors.record_for_objection(pk=record_id, uscc=account.uscc if account else None)
    if record is None:
        raise Http404("未找到可提出异议的公示信息")
    posted = {"objector_name": account.enterprise_name if account else "",
              "objector_contact": account.contact_phone if account else "", "kind": "content"}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        posted = {k: request.POST.get(k, "") for k in ("objector_name", "objector_contact", "objector_email",
                                                         "kind", "grounds")}
        kind = OBJECTION_KINDS.get(posted["kind"])
        try:
            if kind is None:
                raise DomainError("objection.kind", "请选择异议事项", "choose what the objection is about", "kind")
            grounds = f"【{kind}】{posted['grounds'].strip()}" if posted["grounds"].strip() else ""
            obj = _with_files(lambda: services.objection_submit(
                record=record, objector_name=posted["objector_name"], objector_contact=posted["objector_contact"],
                objector_email=posted["objector_email"], grounds=grounds, actor=_objection_actor(request, account)),
                _files(request), _objection_actor(request, account))
        except DomainError as exc:
            errors = _errors(exc)
        else:
            request.session["repair_objection_submitted"] = obj.pk
            return redirect("repair_public:objection_submitted")
    return _page(request, "repair/public_objection.html", {
        "record": record, "account": account, "posted": posted, "errors": errors, "kinds": OBJECTION_KINDS.items(),
        "max_files": MAX_FILES_PER_FORM, "max_mb": max_bytes() // (1024 * 1024),
    }, status=400 if errors else 200)


def _objection_actor(request, account):
    if account is not None:
        return request.user
    from pubcredit.audit.services import SystemActor

    return SystemActor("public:objection")


@require_GET
def objection_submitted(request):
    """The objection just submitted in this browser: its number, state and limits."""
    from pubcredit.repair.models import Objection

    obj = Objection.objects.select_related("record").filter(
        pk=request.session.get("repair_objection_submitted") or 0).first()
    if obj is None:
        return redirect("site_home")
    return _page(request, "repair/public_objection_submitted.html", {"objection": obj})
