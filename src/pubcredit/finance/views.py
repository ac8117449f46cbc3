"""The public site's 信易贷 pages for an enterprise account (授权管理, 查询记录) and the public 信易+ scenario list.
Thin: selectors read, services write."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from pubcredit.accounts.access import enterprise_login_required
from pubcredit.finance import selectors, services
from pubcredit.finance.choices import Industry, Purpose
from pubcredit.finance.rulebook import incentive_book, profile_book
from pubcredit.lists.rulebook import rulebook as list_rulebook
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from pubcredit.rules.incentives import CLASS_LABELS, KIND_LABELS


def _enterprise_page(request, *, errors=None, posted=None, status=200, apply_errors=None, apply_product=None):
    account = request.enterprise_account
    today = clock.today()
    subject = selectors.subject_by_uscc(account.uscc)
    kind = subject.kind if subject else None
    book = profile_book()
    rows = []
    for a in selectors.authorisations_for_enterprise(uscc=account.uscc):
        state, label = selectors.state_of(a, today)
        names = {i.code: i.name_zh for i in book.items}
        rows.append({"a": a, "state": state, "state_zh": label, "scope_zh": "、".join(names.get(c, c) for c in a.scope)})
    posted = posted or {}
    chosen = set(posted.get("scope", [i.code for i in book.items]))
    return render(request, "finance/enterprise.html", {
        "site_name": settings.PUBCREDIT_SITE_NAME, "account": account, "authorisations": rows,
        "reads": selectors.reads_for_enterprise(uscc=account.uscc),
        "institutions": selectors.financial_institutions(),
        "scope_items": [{"item": i, "checked": i.code in chosen} for i in book.items if kind is None or kind in i.subject_kinds],
        "purposes": Purpose.choices, "errors": errors or {}, "posted": posted,
        "default_start": today.isoformat(), "default_end": (today + dt.timedelta(days=89)).isoformat(),
        "max_term_days": book.max_term_days,
        "products": selectors.product_qualifications(uscc=account.uscc, today=today),
        "applications": selectors.applications_for_enterprise(uscc=account.uscc),
        "industries": Industry.choices, "apply_errors": apply_errors or {}, "apply_product": apply_product,
        "application_days": services.APPLICATION_AUTHORISATION_DAYS,
    }, status=status)


@require_GET
@enterprise_login_required
def enterprise(request):
    """信易贷授权: the enterprise's authorisations (state today), a form to authorise an institution, and every read
    of its data (who, when, for what; refused attempts too)."""
    return _enterprise_page(request)


@require_POST
@enterprise_login_required
def authorise(request):
    posted = {"institution": request.POST.get("institution", ""), "scope": request.POST.getlist("scope"),
              "purpose": request.POST.get("purpose", ""), "purpose_note": request.POST.get("purpose_note", ""),
              "starts_on": request.POST.get("starts_on", ""), "ends_on": request.POST.get("ends_on", ""),
              "uscc": request.POST.get("uscc", "")}
    try:
        services.authorisation_grant(account=request.enterprise_account, institution=posted["institution"],
                                     scope=posted["scope"], purpose=posted["purpose"],
                                     purpose_note=posted["purpose_note"], starts_on=posted["starts_on"],
                                     ends_on=posted["ends_on"], uscc=posted["uscc"], actor=request.user)
    except DomainError as exc:
        errors: dict[str, list[str]] = {}
        for problem in exc.problems:
            errors.setdefault(problem.field or "form", []).append(problem.message_zh)
        return _enterprise_page(request, errors=errors, posted=posted, status=400)
    messages.success(request, "授权成功，金融机构可在授权期限内按授权范围查询贵单位的信用信息。")
    return redirect("finance:enterprise")


@require_POST
@enterprise_login_required
def revoke(request, authorisation_id):
    found = selectors.authorisation_for_enterprise(uscc=request.enterprise_account.uscc, authorisation_id=authorisation_id)
    if found is None:
        raise Http404("授权不存在")
    try:
        services.authorisation_revoke(account=request.enterprise_account, authorisation=found,
                                      reason=request.POST.get("reason", ""), actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message_zh)
    else:
        messages.success(request, f"已撤销对“{found.institution.name}”的授权，自即刻起不能再查询。")
    return redirect("finance:enterprise")


@require_POST
@enterprise_login_required
def apply(request, product_id):
    """申请贷款: the enterprise applies for a product it qualifies for; applying authorises the product's institution
    (the scope chosen in the form) for the application."""
    product = selectors.product_get(product_id=product_id)
    if product is None:
        raise Http404("产品不存在")
    posted = {"amount": request.POST.get("amount", ""), "term_months": request.POST.get("term_months", ""),
              "industry": request.POST.get("industry", ""), "note": request.POST.get("note", ""),
              "scope": request.POST.getlist("scope")}
    try:
        services.loan_apply(account=request.enterprise_account, product=product, amount=posted["amount"],
                            term_months=posted["term_months"], industry=posted["industry"], scope=posted["scope"],
                            note=posted["note"], actor=request.user)
    except DomainError as exc:
        errors: dict[str, list[str]] = {}
        for problem in exc.problems:
            errors.setdefault(problem.field or "form", []).append(problem.message_zh)
        return _enterprise_page(request, apply_errors={"errors": errors, "posted": posted}, apply_product=product.pk,
                                status=400)
    messages.success(request, f"已向{product.institution.name}申请“{product.name}”，并授权其在"
                              f"{services.APPLICATION_AUTHORISATION_DAYS}天内查询所选信用信息；办理结果将在“我的贷款申请”中显示。")
    return redirect("finance:enterprise")


@require_GET
def incentives(request):
    """信易+场景: every incentive scenario, who provides it, for whom, on what conditions, with what benefit."""
    today = clock.today()
    lists = list_rulebook()

    def list_name(code: str) -> str:
        spec = lists.get(code, today)
        return spec.name_zh if spec is not None else code

    rows = [{"s": s, "kinds_zh": "、".join(KIND_LABELS[k] for k in s.subject_kinds),
             "classes_zh": "、".join(CLASS_LABELS[c] for c in s.eligibility.evaluation_classes),
             "red_lists_zh": "、".join(list_name(c) for c in s.eligibility.red_lists_any)}
            for s in incentive_book().scenarios]
    return render(request, "finance/incentives.html", {"site_name": settings.PUBCREDIT_SITE_NAME, "scenarios": rows,
                                                       "products": selectors.products()})
