"""Pages of the arrears ledger (拖欠账款台账): the public complaint form (no login), and in the workbench the ledger,
one complaint with the step its handler takes next, its evidence files and the figures (清欠统计) leaders read.
Thin: forms check shapes, selectors read, services write."""

from __future__ import annotations

import functools
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from pubcredit.accounts.access import enterprise_login_required
from pubcredit.audit.services import SystemActor
from pubcredit.ingest.forms import upload_too_large
from pubcredit.integrity import cases, files, permissions, publicity, selectors, services
from pubcredit.integrity.choices import ArticleKind, IntegrityRole
from pubcredit.integrity.forms import (
    AccountabilityForm, AppointmentCheckForm, ArticleForm, ArticleStepForm, AssignForm, CaseIdentifyForm,
    CaseOfficeGrantForm, CaseOfficeRevokeForm, CaseRectifyForm, CaseRemoveForm, ComplaintForm, ExtendForm,
    FileCreateForm, FileEntryForm, IntegrityGrantForm, IntegrityRevokeForm, PaymentForm, PlanForm, StateEnterpriseForm,
    VerifyForm)
from pubcredit.integrity.rulebook import arrears_book, cases_book, files_book
from pubcredit.ratelimit import client_ip, rate_limited
from pubcredit.rules.errors import DomainError
from pubcredit.rules.integrity import CASE_STATUS_LABELS, STAFF_KINDS, STATUS_LABELS

PAGE_SIZE = 50
_CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}


def _site() -> dict[str, str]:
    return {"site_name": settings.PUBCREDIT_SITE_NAME}


def _form_errors(form, exc: DomainError) -> None:
    for problem in exc.problems:
        field = (problem.field or "").split(".")[0]
        form.add_error(field if field in form.fields else None, problem.message_zh)


# --- public site ----------------------------------------------------------------------------------------------

@rate_limited("page")
def complaint_new(request):
    """拖欠账款投诉 on the public site: a firm names itself, the debtor, the contract, the amount and its evidence."""
    form = ComplaintForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploads = form.cleaned_data["evidence"]
        refusals = [(u.name, r) for u in uploads if (r := upload_too_large(u.size)) is not None]
        for name, refusal in refusals:  # refused before a byte of it is read
            form.add_error("evidence", f"{name}：{refusal.message_zh}")
        if not refusals:
            values = {k: v for k, v in form.cleaned_data.items() if k != "evidence"}
            try:
                complaint = services.arrears_complaint_file(
                    **values, evidence=[services.EvidenceFile(u.name, u.read()) for u in uploads],
                    actor=SystemActor(f"public:{client_ip(request)}"))
            except DomainError as exc:
                _form_errors(form, exc)
            else:
                return render(request, "integrity/public_filed.html", {
                    **_site(), "complaint": complaint, "book": arrears_book(),
                    "status_zh": STATUS_LABELS[complaint.status]})
    return render(request, "integrity/public_new.html", {**_site(), "form": form, "book": arrears_book()},
                  status=400 if request.method == "POST" else 200)


# --- workbench ------------------------------------------------------------------------------------------------

def _ledger_required(view):
    @functools.wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not permissions.may_view_ledger(request.user):
            raise PermissionDenied("无权查看拖欠账款台账")
        return view(request, *args, **kwargs)
    return wrapped


@_ledger_required
def ledger(request):
    status = request.GET.get("status", "")
    page = Paginator(selectors.complaints(viewer=request.user, status=status),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "integrity/ledger.html", {
        "page": page, "rows": [selectors.complaint_row(c) for c in page], "status": status,
        "statuses": STATUS_LABELS, "figures": selectors.figures(viewer=request.user)})


@_ledger_required
def figures(request):
    """清欠统计: the leaders' view, by debtor, handling department and district, with the share cleared."""
    return render(request, "integrity/figures.html", {"figures": selectors.figures(viewer=request.user),
                                                      "book": arrears_book()})


def _get(request, pk: int):
    complaint = selectors.complaint_get(viewer=request.user, pk=pk)
    if complaint is None:
        raise Http404("没有该投诉")
    return complaint


_FORMS = {"assign": AssignForm, "verify": VerifyForm, "extend": ExtendForm, "plan": PlanForm, "pay": PaymentForm}


@_ledger_required
def complaint_detail(request, pk: int, *, bound: dict | None = None):
    complaint = _get(request, pk)
    row = selectors.complaint_row(complaint)
    handler = permissions.may_handle(request.user, complaint)
    steps = []
    if complaint.status == "filed" and permissions.may_assign(request.user, complaint):
        steps.append(("assign", "转交处理部门"))
    if handler and complaint.status == "assigned":
        steps.append(("verify", "核实欠款"))
        steps.append(("extend", "延长处理期限"))
    if handler and complaint.status == "verified":
        steps.append(("plan", "约定还款计划"))
    if handler and complaint.status in ("verified", "planned"):
        steps.append(("pay", "登记还款"))
    bound = bound or {}
    forms = [(action, title, bound.get(action) or _FORMS[action]()) for action, title in steps]
    return render(request, "integrity/detail.html", {
        "row": row, "complaint": complaint, "forms": forms, "payments": complaint.payments.all(),
        "evidence": complaint.evidence.defer("content"), "book": arrears_book()}, status=400 if bound else 200)


@require_POST
@_ledger_required
def complaint_act(request, pk: int, action: str):
    complaint = _get(request, pk)
    form_class = _FORMS.get(action)
    if form_class is None:
        raise Http404("未知操作")
    form = form_class(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "assign":
                services.arrears_complaint_assign(complaint=complaint, department=data["department"],
                                                  actor=request.user)
                messages.success(request, f"已转交{data['department'].name}处理")
            elif action == "verify":
                confirmed = data["outcome"] == "confirmed"
                services.arrears_complaint_verify(complaint=complaint, confirmed=confirmed,
                                                  amount_owed=data["amount_owed"], verified_on=data["verified_on"],
                                                  note=data["note"], actor=request.user)
                messages.success(request, "已核实欠款" if confirmed else "已认定投诉不属实")
            elif action == "extend":
                services.arrears_verify_extend(complaint=complaint, extended_to=data["extended_to"],
                                               approved_by=data["approved_by"], reason=data["reason"],
                                               actor=request.user)
                messages.success(request, f"处理期限已延长至{data['extended_to'].isoformat()}")
            elif action == "plan":
                services.arrears_plan_agree(complaint=complaint, plan_last_day=data["plan_last_day"],
                                            plan_note=data["plan_note"], actor=request.user)
                messages.success(request, "已记录还款计划")
            else:
                services.arrears_payment_record(complaint=complaint, amount=data["amount"], paid_on=data["paid_on"],
                                                note=data["note"], actor=request.user)
                messages.success(request, "已登记还款")
            return redirect("integrity:complaint", pk=complaint.pk)
        except DomainError as exc:
            _form_errors(form, exc)
    return complaint_detail(request, pk, bound={action: form})


@_ledger_required
def evidence_file(request, pk: int, file_id: int):
    complaint = _get(request, pk)
    found = complaint.evidence.filter(pk=file_id).first()
    if found is None:
        raise Http404("没有该材料")
    response = HttpResponse(bytes(found.content), content_type=_CONTENT_TYPES.get(found.file_type,
                                                                                 "application/octet-stream"))
    # attachment: an uploaded file is never rendered inline on the platform's origin
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(found.filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the government-integrity view ----------------------------------------------------------------------------

def _government_required(view):
    @functools.wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not selectors.may_view_government(request.user):
            raise PermissionDenied("仅信用中心、区县信用办和领导可查看政务诚信")
        return view(request, *args, **kwargs)
    return wrapped


@_government_required
def government_list(request):
    query = request.GET.get("q", "").strip()[:100]
    return render(request, "integrity/bodies.html", {"views": selectors.government_bodies(viewer=request.user,
                                                                                           query=query),
                                                     "q": query})


@_government_required
def government_detail(request, subject_id: int):
    found = selectors.government_view(viewer=request.user, subject_id=subject_id)
    if found is None:
        raise Http404("该主体不是机关、事业单位或国有企业，或不在您的查看范围内")
    return render(request, "integrity/body.html", {"view": found,
                                                   "may_identify": cases.may_act_on_cases(request.user, found.subject)})


# --- integrity files (诚信档案): the personnel office only ------------------------------------------------------

def _personnel_required(view):
    @functools.wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not permissions.may_keep_files(request.user):
            raise PermissionDenied("仅本单位人事部门可查阅和登记诚信档案")
        return view(request, *args, **kwargs)
    return wrapped


@_personnel_required
def file_list(request):
    form = FileCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = files.integrity_file_create(**form.cleaned_data, actor=request.user)
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"已为{created.name}建立诚信档案")
            return redirect("integrity:file", pk=created.pk)
    return render(request, "integrity/files.html", {"files": selectors.own_integrity_files(viewer=request.user),
                                                    "form": form, "staff_kinds": STAFF_KINDS},
                  status=400 if request.method == "POST" else 200)


@_personnel_required
def file_detail(request, pk: int):
    try:
        found = files.integrity_file_read(file_id=pk, viewer=request.user, purpose="人事部门查阅诚信档案")
    except DomainError as exc:
        raise PermissionDenied(exc.message_zh) from exc
    form = FileEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            if data["kind"] == "commitment":
                files.integrity_commitment_sign(file=found, signed_on=data["decided_on"], content=data["detail"],
                                                actor=request.user)
            else:
                files.integrity_file_entry_add(file=found, actor=request.user, **data)
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "已登记")
            return redirect("integrity:file", pk=found.pk)
    kinds = files_book().kinds
    entries = [(e, kinds[e.kind].name_zh if e.kind in kinds else e.kind) for e in found.entries.all()]
    return render(request, "integrity/file.html", {"file": found, "entries": entries, "form": form,
                                                   "staff_kind_zh": STAFF_KINDS.get(found.staff_kind, "")},
                  status=400 if request.method == "POST" else 200)


@_personnel_required
def appointment_check(request):
    form = AppointmentCheckForm(request.POST or None)
    answer = None
    if request.method == "POST" and form.is_valid():
        try:
            answer = files.appointment_check_run(**form.cleaned_data, actor=request.user)
        except DomainError as exc:
            _form_errors(form, exc)
    return render(request, "integrity/appointment_check.html", {"form": form, "answer": answer})


# --- judicial linkage: what departments did about the court's cases -------------------------------------------

@login_required
def court_feedback(request):
    """联合惩戒反馈: the court's staff see, per 失信被执行人 case it pushed, the measures departments applied."""
    department = request.user.department
    if department is None:
        raise PermissionDenied("仅推送失信被执行人名单的法院工作人员可查看反馈")
    cases = selectors.court_feedback(department=department)
    return render(request, "integrity/court_feedback.html", {"cases": cases, "department": department})


# --- integrity publicity (诚信宣传) -----------------------------------------------------------------------------

_STEP_LABELS = {"submit": "提交审核", "approve": "审核通过", "return": "退回修改", "publish": "发布"}


def _editorial_required(view):
    @functools.wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not (permissions.has_grant(request.user, IntegrityRole.EDITOR)
                or permissions.has_grant(request.user, IntegrityRole.PUBLICITY_REVIEWER)):
            raise PermissionDenied("仅宣传编辑和审核人员可管理诚信宣传稿件")
        return view(request, *args, **kwargs)
    return wrapped


@_editorial_required
def article_list(request):
    form = ArticleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            article = publicity.article_save(**form.cleaned_data, actor=request.user)
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "稿件已保存")
            return redirect("integrity:article", pk=article.pk)
    return render(request, "integrity/articles.html", {
        "articles": selectors.editorial_articles(viewer=request.user), "form": form,
        "may_write": permissions.has_grant(request.user, IntegrityRole.EDITOR)},
        status=400 if request.method == "POST" else 200)


@_editorial_required
def article_detail(request, pk: int):
    article = selectors.editorial_articles(viewer=request.user).filter(pk=pk).first()
    if article is None:
        raise Http404("没有该稿件")
    form = ArticleStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        step = request.POST.get("step", "")
        try:
            if step not in _STEP_LABELS:
                raise DomainError("article.step", "未知操作", f"unknown step {step!r}")
            publicity.article_step(article=article, step=step, note=form.cleaned_data["note"], actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message_zh)
        else:
            messages.success(request, f"已{_STEP_LABELS[step]}")
        return redirect("integrity:article", pk=article.pk)
    steps = [(s, label) for s, label in _STEP_LABELS.items() if (article.status, s) in publicity.ARTICLE_MOVES]
    return render(request, "integrity/article.html", {"article": article, "form": form, "steps": steps})


@rate_limited("page")
def public_news(request):
    kind = request.GET.get("kind", "")
    kind = kind if kind in ArticleKind.values else ""
    page = Paginator(selectors.published_articles(kind=kind), 20).get_page(request.GET.get("page"))
    return render(request, "integrity/public_news.html", {**_site(), "page": page, "kind": kind,
                                                          "kinds": ArticleKind.choices,
                                                          "featured": selectors.featured_campaigns()})


@rate_limited("page")
def public_campaigns(request):
    """诚信宣传节点: the dated campaigns the policy names, with this year's (or the next) dates and their source."""
    return render(request, "integrity/public_campaigns.html", {**_site(), "rows": selectors.campaign_calendar()})


@rate_limited("page")
def public_campaign(request, code: str):
    """One campaign's page: its dates, what it is for, its source, and the published pieces that belong to it."""
    row = next((r for r in selectors.campaign_calendar() if r.code == code), None)
    if row is None:
        raise Http404("没有该宣传节点")
    articles = selectors.published_articles(kind=ArticleKind.CAMPAIGN).filter(campaign=code)[:50]
    return render(request, "integrity/public_campaign.html", {**_site(), "row": row, "articles": articles})


@rate_limited("page")
def public_article(request, pk: int):
    article = selectors.published_articles().filter(pk=pk).first()
    if article is None:
        raise Http404("没有该文章")
    return render(request, "integrity/public_article.html", {**_site(), "article": article})


@login_required
def state_enterprise_list(request):
    """国有企业名录: the state-owned flag the ledger and the government view read; credit-centre operators keep it."""
    if not permissions.is_city_operator(request.user):
        raise PermissionDenied("仅信用中心操作员可维护国有企业名录")
    form = StateEnterpriseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            row = services.state_enterprise_register(**form.cleaned_data, actor=request.user)
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"已登记{row.name}")
            return redirect("integrity:state_enterprises")
    return render(request, "integrity/state_enterprises.html", {"rows": selectors.state_enterprises(), "form": form},
                  status=400 if request.method == "POST" else 200)


# --- government dishonesty cases (政府失信认定) -------------------------------------------------------------------

_CASE_FORMS = {"accountability": AccountabilityForm, "rectify": CaseRectifyForm, "remove": CaseRemoveForm}


@_government_required
def case_list(request):
    status = request.GET.get("status", "")
    status = status if status in CASE_STATUS_LABELS else ""
    page = Paginator(selectors.government_cases(viewer=request.user, status=status), PAGE_SIZE).get_page(
        request.GET.get("page"))
    counts = {s: selectors.government_cases(viewer=request.user, status=s).count() for s in CASE_STATUS_LABELS}
    return render(request, "integrity/cases.html", {"page": page, "rows": [selectors.case_row(c) for c in page],
                                                    "status": status, "statuses": CASE_STATUS_LABELS,
                                                    "counts": counts,
                                                    "may_grant": permissions.is_city_operator(request.user)})


@_government_required
def case_new(request, subject_id: int):
    found = selectors.government_view(viewer=request.user, subject_id=subject_id)
    if found is None:
        raise Http404("该主体不是机关、事业单位或国有企业，或不在您的查看范围内")
    if not cases.may_act_on_cases(request.user, found.subject):
        raise PermissionDenied("仅信用中心或该单位所在区县的信用办可认定政府失信")
    sources = selectors.identifiable_sources(subject_id=subject_id)
    form = CaseIdentifyForm(request.POST or None, sources=sources)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        source_type, source_id = data["source"]
        try:
            case = cases.government_case_identify(
                body=found.subject, source_type=source_type, source_id=source_id, facts=data["facts"],
                supervisor=data["supervisor"], serious=data["serious"], rectify_due=data["rectify_due"],
                actor=request.user)
        except DomainError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"已认定政府失信案件{case.number}")
            return redirect("integrity:case", pk=case.pk)
    return render(request, "integrity/case_new.html", {"view": found, "form": form, "book": cases_book(),
                                                       "has_sources": bool(sources)},
                  status=400 if request.method == "POST" else 200)


@_government_required
def case_detail(request, pk: int, *, bound: dict | None = None):
    case = selectors.government_case_get(viewer=request.user, pk=pk)
    if case is None:
        raise Http404("没有该案件")
    book = cases_book()
    forms = []
    if cases.may_act_on_cases(request.user, case.body) and case.status != "removed":
        steps = [("accountability", "登记问责")]
        if case.status == "open":
            steps.append(("rectify", "登记整改完成"))
        steps.append(("remove", "移出"))
        bound = bound or {}
        forms = [(action, title, bound.get(action) or _CASE_FORMS[action]()) for action, title in steps]
    people = [(r, book.responsibilities.get(r.responsibility, r.responsibility), book.measures.get(r.measure, r.measure))
              for r in case.accountability.all()]
    return render(request, "integrity/case.html", {
        "row": selectors.case_row(case), "case": case, "forms": forms, "people": people, "book": book,
        "ground": book.grounds.get(case.ground)}, status=400 if bound else 200)


@require_POST
@_government_required
def case_act(request, pk: int, action: str):
    case = selectors.government_case_get(viewer=request.user, pk=pk)
    form_class = _CASE_FORMS.get(action)
    if case is None or form_class is None:
        raise Http404("没有该案件或操作")
    form = form_class(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "accountability":
                cases.accountability_record_add(case=case, actor=request.user, **data)
                messages.success(request, "已登记问责")
            elif action == "rectify":
                cases.government_case_rectify(case=case, actor=request.user, **data)
                messages.success(request, "已登记整改完成")
            else:
                cases.government_case_remove(case=case, actor=request.user, **data)
                messages.success(request, "已移出")
            return redirect("integrity:case", pk=case.pk)
        except DomainError as exc:
            _form_errors(form, exc)
    return case_detail(request, pk, bound={action: form})


def _operator_only(request, granted_zh: str) -> None:
    """Grant pages (办理单位, 岗位): credit-centre operators only."""
    if not permissions.is_city_operator(request.user):
        raise PermissionDenied(f"仅信用中心操作员可授予或撤销{granted_zh}")


def _case_offices_page(request, *, form=None, revoke: tuple[int, CaseOfficeRevokeForm] | None = None):
    offices = [(office, revoke[1] if revoke and revoke[0] == office.pk
                else CaseOfficeRevokeForm(prefix=f"office-{office.pk}")) for office in selectors.case_offices()]
    return render(request, "integrity/case_offices.html", {
        "form": form or CaseOfficeGrantForm(candidates=selectors.case_office_candidates()), "offices": offices})


@_government_required
def case_offices(request):
    """政府失信办理单位: the departments whose systems (API tokens) handle government dishonesty cases."""
    _operator_only(request, "政府失信办理单位")
    form = CaseOfficeGrantForm(request.POST or None, candidates=selectors.case_office_candidates())
    if request.method == "POST" and form.is_valid():
        department = form.cleaned_data["department"]
        try:
            cases.case_office_grant(department=department, actor=request.user)
            messages.success(request, f"已授予{department.name}为政府失信办理单位")
            return redirect("integrity:case_offices")
        except DomainError as exc:
            _form_errors(form, exc)
    return _case_offices_page(request, form=form)


@require_POST
@_government_required
def case_office_revoke(request, pk: int):
    _operator_only(request, "政府失信办理单位")
    office = selectors.case_offices().filter(pk=pk).first()
    if office is None:
        raise Http404("没有该办理单位")
    form = CaseOfficeRevokeForm(request.POST, prefix=f"office-{pk}")
    if form.is_valid():
        try:
            cases.case_office_revoke(office=office, reason=form.cleaned_data["reason"], actor=request.user)
            messages.success(request, f"已撤销{office.department.name}的政府失信办理单位授权")
            return redirect("integrity:case_offices")
        except DomainError as exc:
            _form_errors(form, exc)
    return _case_offices_page(request, revoke=(pk, form))


def _grants_page(request, *, form=None, revoke: tuple[int, IntegrityRevokeForm] | None = None):
    grants = [(grant, revoke[1] if revoke and revoke[0] == grant.pk
               else IntegrityRevokeForm(prefix=f"grant-{grant.pk}")) for grant in selectors.integrity_grants()]
    return render(request, "integrity/grants.html", {
        "form": form or IntegrityGrantForm(candidates=selectors.grant_candidates()), "grants": grants})


@_government_required
def grants(request):
    """政务诚信岗位: who holds 领导, 人事部门, 宣传编辑 and 宣传审核; credit-centre operators grant and revoke them."""
    _operator_only(request, "政务诚信岗位")
    form = IntegrityGrantForm(request.POST or None, candidates=selectors.grant_candidates())
    if request.method == "POST" and form.is_valid():
        user, role = form.cleaned_data["user"], form.cleaned_data["role"]
        try:
            services.integrity_grant(user=user, role=role, actor=request.user)
            messages.success(request, f"已授予{user.display_name or user.username}{IntegrityRole(role).label}岗位")
            return redirect("integrity:grants")
        except DomainError as exc:
            _form_errors(form, exc)
    return _grants_page(request, form=form)


@require_POST
@_government_required
def grant_revoke(request, pk: int):
    _operator_only(request, "政务诚信岗位")
    grant = selectors.integrity_grants().filter(pk=pk).first()
    if grant is None:
        raise Http404("没有该岗位授权")
    form = IntegrityRevokeForm(request.POST, prefix=f"grant-{pk}")
    if form.is_valid():
        try:
            services.integrity_revoke(grant=grant, reason=form.cleaned_data["reason"], actor=request.user)
            messages.success(request, f"已撤销{grant.user.display_name or grant.user.username}的"
                                      f"{grant.get_role_display()}岗位")
            return redirect("integrity:grants")
        except DomainError as exc:
            _form_errors(form, exc)
    return _grants_page(request, revoke=(pk, form))


@rate_limited("page")
def public_cases(request):
    """政务失信公示: serious cases only (条例第二十六条), without any person's name."""
    return render(request, "integrity/public_cases.html", {**_site(), "rows": selectors.public_government_cases(),
                                                           "book": cases_book()})


@rate_limited("page")
@enterprise_login_required
def my_complaints(request):
    """企业用户: the arrears complaints the logged-in enterprise filed, with their progress (issue 22's accounts)."""
    account = request.enterprise_account
    return render(request, "integrity/public_mine.html", {
        **_site(), "account": account, "rows": selectors.complaints_of_complainant(uscc=account.uscc)})
