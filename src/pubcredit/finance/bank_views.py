"""The financial institution's own console (金融机构工作台, issue 22 item 3): a bank officer manages the bank's loan
products, works its applications (审批, 放款, 贷后还款异常), sees the enterprises' authorisations in force, reads an
authorised enterprise's profile and the persons' authorisations it registered — and nothing else (``bank_access``).
Thin: the selectors read only this institution's rows, the services (the same as the API's) write and audit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pubcredit.catalog.registry import get_class
from pubcredit.finance import selectors, services
from pubcredit.finance.bank_access import bank_officer_required
from pubcredit.finance.bank_forms import (DecisionForm, DisbursementForm, ProductForm, ProfileReadForm,
                                          ReasonForm, RepaymentProblemForm, domain_errors_to, red_list_choices)
from pubcredit.finance.choices import ApplicationStatus
from pubcredit.finance.rulebook import profile_book
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from pubcredit.rules.finance import CLASS_LABELS


def _scope_zh(codes) -> str:
    names = {i.code: i.name_zh for i in profile_book().items}
    return "、".join(names.get(c, c) for c in codes)


def _conditions_zh(product) -> list[str]:
    """A product's conditions in words, as the enterprise reads them (资格说明 without the enterprise's facts)."""
    names = {i.code: i.name_zh for i in profile_book().items}
    red = dict(red_list_choices())
    out = []
    for c in product.conditions:
        if c["kind"] == "no_black_list":
            out.append("无有效期内的黑名单记录")
        elif c["kind"] == "min_evaluation_class":
            out.append(f"综合评价为{CLASS_LABELS[c['value']]}或以上")
        elif c["kind"] == "red_lists_any":
            out.append("列入" + "或".join(red.get(code, code) for code in c["lists"]))
        elif c["kind"] == "continuous_months":
            out.append(f"连续{c['months']}个月{names.get(c['class_code'], c['class_code'])}正常")
    return out


@require_GET
@bank_officer_required
def home(request):
    """本机构首页: what waits for the bank (applications to decide, approved loans to disburse) and what is in force."""
    institution, today = request.institution, clock.today()
    applications = selectors.applications_for_institution(institution=institution)
    in_force = [a for a in selectors.authorisations_for_institution(institution=institution)
                if selectors.state_of(a, today)[0] == "in_force"]
    persons = [a for a in selectors.person_authorisations_for_institution(institution=institution)
               if selectors.state_of(a, today)[0] == "in_force"]
    counters = [
        ("待审批的贷款申请", applications.filter(status=ApplicationStatus.SUBMITTED).count(),
         "finance_workbench:bank_applications", "?status=submitted", True),
        ("已批准待放款", applications.filter(status=ApplicationStatus.APPROVED).count(),
         "finance_workbench:bank_applications", "?status=approved", True),
        ("在售信贷产品", selectors.products_of_institution(institution=institution).filter(
            withdrawn_at__isnull=True).count(), "finance_workbench:bank_products", "", False),
        ("有效的企业授权", len(in_force), "finance_workbench:bank_authorisations", "", False),
        ("有效的自然人授权", len(persons), "finance_workbench:bank_persons", "", False),
    ]
    return render(request, "finance/bank/home.html", {
        "institution": institution, "counters": counters,
        "reads": selectors.reads_by_institution(institution=institution, limit=10)})


def _products_page(request, form, status=200):
    rows = [{"p": p, "conditions": _conditions_zh(p)}
            for p in selectors.products_of_institution(institution=request.institution)]
    return render(request, "finance/bank/products.html", {"institution": request.institution, "rows": rows,
                                                          "form": form, "withdraw_form": ReasonForm()}, status=status)


@require_http_methods(["GET", "POST"])
@bank_officer_required
def products(request):
    """本机构信贷产品: the bank's products (on offer and withdrawn) and the form to publish one."""
    if request.method == "GET":
        return _products_page(request, ProductForm(initial={"no_black_list": True}))
    form = ProductForm(request.POST)
    if form.is_valid():
        try:
            product = services.loan_product_publish(institution=request.institution, actor=request.user,
                                                    **form.service_values())
        except DomainError as exc:
            domain_errors_to(form, exc)
        else:
            messages.success(request, f"已发布“{product.name}”，企业可在信用网站查看并申请。")
            return redirect("finance_workbench:bank_products")
    return _products_page(request, form, status=400)


def _own_product(request, product_id):
    product = selectors.product_of_institution(institution=request.institution, product_id=product_id)
    if product is None:
        raise Http404("本机构没有该产品")
    return product


@require_http_methods(["GET", "POST"])
@bank_officer_required
def product_edit(request, product_id):
    """修改信贷产品: the same checks as publishing; a withdrawn product cannot be edited."""
    product = _own_product(request, product_id)
    editable = product.withdrawn_at is None and ProductForm.editable(product)
    form = ProductForm(request.POST if request.method == "POST" else None, initial=ProductForm.initial_of(product))
    status = 200
    if request.method == "POST" and editable:
        if form.is_valid():
            statuses = next((tuple(c.get("statuses", ())) for c in product.conditions
                             if c["kind"] == "continuous_months"), ())
            try:
                services.loan_product_update(product=product, institution=request.institution, actor=request.user,
                                             **form.service_values(keep_statuses=statuses))
            except DomainError as exc:
                domain_errors_to(form, exc)
            else:
                messages.success(request, f"已修改“{form.cleaned_data['name']}”。")
                return redirect("finance_workbench:bank_products")
        status = 400
    return render(request, "finance/bank/product_edit.html", {
        "institution": request.institution, "product": product, "form": form, "editable": editable}, status=status)


@require_POST
@bank_officer_required
def product_withdraw(request, product_id):
    """下架: no longer listed nor open to applications; applications already made go on."""
    product = _own_product(request, product_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "下架须说明原因。")
        return redirect("finance_workbench:bank_products")
    try:
        services.loan_product_withdraw(product=product, institution=request.institution,
                                       reason=form.cleaned_data["reason"], actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message_zh)
    else:
        messages.success(request, f"“{product.name}”已下架，已受理的申请继续办理。")
    return redirect("finance_workbench:bank_products")


@require_GET
@bank_officer_required
def applications(request):
    """贷款申请: the applications to this bank, newest first, by status."""
    status = request.GET.get("status", "")
    if status not in ApplicationStatus.values:
        status = ""
    return render(request, "finance/bank/applications.html", {
        "institution": request.institution, "status": status, "statuses": ApplicationStatus.choices,
        "applications": selectors.applications_for_institution(institution=request.institution,
                                                               status=status or None)})


def _own_application(request, application_id):
    application = selectors.application_of_institution(institution=request.institution, application_id=application_id)
    if application is None:
        raise Http404("本机构没有该贷款申请")
    return application


def _application_page(request, application, *, forms: dict[str, Any] | None = None, status=200):
    forms = forms or {}
    today = clock.today()
    return render(request, "finance/bank/application.html", {
        "institution": request.institution, "a": application,
        "authorisation_state": selectors.state_of(application.authorisation, today)[1],
        "scope_zh": _scope_zh(application.authorisation.scope),
        "decision_form": forms.get("decision") or DecisionForm(),
        "disbursement_form": forms.get("disbursement") or DisbursementForm(initial={"disbursed_on": today}),
        "problem_form": forms.get("problem") or RepaymentProblemForm(initial={"occurred_on": today}),
        "read_form": ProfileReadForm(initial={"uscc": application.uscc,
                                              "reference": f"申请{str(application.application_id)[:8]}"}),
    }, status=status)


@require_GET
@bank_officer_required
def application_detail(request, application_id):
    """一笔贷款申请: what the enterprise asked, the authorisation that came with it, and the next step's form."""
    return _application_page(request, _own_application(request, application_id))


def _application_step(request, application_id, form_class, key, call, done_zh):
    application = _own_application(request, application_id)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(application, form.cleaned_data)
        except DomainError as exc:
            domain_errors_to(form, exc)
        else:
            messages.success(request, done_zh)
            return redirect("finance_workbench:bank_application", application_id=application.application_id)
    return _application_page(request, _own_application(request, application_id), forms={key: form}, status=400)


@require_POST
@bank_officer_required
def application_decide(request, application_id):
    return _application_step(
        request, application_id, DecisionForm, "decision",
        lambda a, d: services.application_decide(application=a, institution=request.institution,
                                                 approved=d["approved"], approved_amount=d["approved_amount"],
                                                 reason=d["reason"], actor=request.user),
        "已登记审批结果，企业可在信用网站看到。")


@require_POST
@bank_officer_required
def application_disburse(request, application_id):
    return _application_step(
        request, application_id, DisbursementForm, "disbursement",
        lambda a, d: services.application_disburse(application=a, institution=request.institution,
                                                   amount=d["amount"], disbursed_on=d["disbursed_on"],
                                                   first_loan=d["first_loan"], actor=request.user),
        "已登记放款。")


@require_POST
@bank_officer_required
def application_problem(request, application_id):
    return _application_step(
        request, application_id, RepaymentProblemForm, "problem",
        lambda a, d: services.repayment_problem_record(application=a, institution=request.institution,
                                                       kind=d["kind"], occurred_on=d["occurred_on"],
                                                       amount=d["amount"], note=d["note"], actor=request.user),
        "已登记还款异常。")


@require_GET
@bank_officer_required
def authorisations(request):
    """企业授权: every enterprise authorisation this bank holds, with its state today; those in force can be read."""
    today = clock.today()
    rows = []
    for a in selectors.authorisations_for_institution(institution=request.institution):
        state, label = selectors.state_of(a, today)
        rows.append({"a": a, "state": state, "state_zh": label, "scope_zh": _scope_zh(a.scope)})
    return render(request, "finance/bank/authorisations.html", {"institution": request.institution, "rows": rows})


def _labelled_values(class_code: str, values: dict[str, Any]) -> list[tuple[str, Any]]:
    """A record's values with the catalogue's Chinese labels, the enumerations in words."""
    info_class = get_class(class_code)
    out = []
    for key, value in values.items():
        if key.endswith("_zh") or key in ("decision_no", "decision_date"):
            continue
        spec = info_class.fields_by_key.get(key)
        out.append((spec.label_zh if spec else key, values.get(f"{key}_zh", value)))
    return out


def _profile_for_page(profile: dict[str, Any]) -> list[dict[str, Any]]:
    sections = []
    for section in profile["sections"]:
        shown = dict(section)
        if section["source"] == "records":
            shown["rows"] = [dict(item, fields=_labelled_values(section["code"], item["values"]))
                             for item in section["items"]]
        elif section["source"] == "monthly":
            shown["rows"] = [{"month": point["month"],
                              "fields": _labelled_values(section["code"], {k: v for k, v in point.items()
                                                                           if k != "month"})}
                             for point in section["series"]]
        sections.append(shown)
    return sections


@require_http_methods(["GET", "POST"])
@bank_officer_required
def profile(request):
    """查询企业信用信息: only within an authorisation in force and only its scope (the same rule and record as the
    API's ``GET /finance/profiles/{uscc}``); every request, served or refused, is kept and the enterprise sees it.
    A POST: the read is an audited act, never a link a page could fire."""
    if request.method == "GET":
        form = ProfileReadForm(initial={"uscc": request.GET.get("uscc", "")})
        return render(request, "finance/bank/profile.html", {"institution": request.institution, "form": form})
    form = ProfileReadForm(request.POST)
    answer = None
    if form.is_valid():
        try:
            answer = services.profile_read(institution=request.institution, uscc=form.cleaned_data["uscc"],
                                           reference=form.cleaned_data["reference"], actor=request.user)
        except DomainError as exc:
            domain_errors_to(form, exc)
    context = {"institution": request.institution, "form": form, "answer": answer}
    if answer is not None and answer.profile is not None:
        context["profile"] = answer.profile
        context["sections"] = _profile_for_page(answer.profile)
    status = 200 if answer is not None and answer.profile is not None else 403 if answer is not None else 400
    return render(request, "finance/bank/profile.html", context, status=status)


@require_GET
@bank_officer_required
def persons(request):
    """自然人授权: the signed authorisations (个人授权书) this bank registered, masked; revocable when withdrawn."""
    today = clock.today()
    rows = []
    for a in selectors.person_authorisations_for_institution(institution=request.institution):
        state, label = selectors.state_of(a, today)  # the same rule as an enterprise's authorisation
        rows.append({"a": a, "state": state, "state_zh": label, "scope_zh": _scope_zh(a.scope)})
    return render(request, "finance/bank/persons.html", {"institution": request.institution, "rows": rows,
                                                         "revoke_form": ReasonForm()})


@require_POST
@bank_officer_required
def person_revoke(request, authorisation_id):
    """The person withdrew the authorisation (撤回个人授权): reads are refused from now on."""
    found = selectors.person_authorisation_get(authorisation_id=authorisation_id)
    if found is None or found.institution_id != request.institution.pk:
        raise Http404("本机构没有该自然人授权")
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "撤回授权须说明原因。")
        return redirect("finance_workbench:bank_persons")
    try:
        services.person_authorisation_revoke(authorisation=found, institution=request.institution,
                                             reason=form.cleaned_data["reason"], actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message_zh)
    else:
        messages.success(request, f"已登记{found.person_name}撤回授权，自即刻起不能再查询。")
    return redirect("finance_workbench:bank_persons")
