"""Workbench pages of credit repair and objections: the identifying unit's queue (deadlines first, one click per step)
and the credit centre's view of every open case. Thin: selectors read, services write."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from pubcredit.repair import selectors, services
from pubcredit.repair.evidence import evidence_path
from pubcredit.repair.notices import notices_mark_read
from pubcredit.rules.errors import DomainError


def viewer_required(view):
    @functools.wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not selectors.may_view(request.user):
            raise PermissionDenied("仅认定单位（数据提供单位、审核人）和信用中心操作员可查看信用修复与异议案件")
        return view(request, *args, **kwargs)
    return wrapped


@viewer_required
def queue(request):
    applications, objections = selectors.case_queue(viewer=request.user)
    can_act = selectors.may_handle(request.user)
    unread = selectors.unread_notice_count(department=request.user.department) if can_act else 0
    return render(request, "repair/queue.html", {"applications": applications, "objections": objections,
                                                 "can_act": can_act, "unread_notices": unread})


@viewer_required
def notices(request):
    """办理进度通知: the unit's notices of every step (and what was sent to the applicants); the credit centre sees
    every unit's."""
    department = request.user.department if selectors.may_handle(request.user) else None
    rows = list(selectors.notice_list_for(department=department)[:200])
    return render(request, "repair/notices.html", {"notices": rows, "can_act": department is not None,
                                                   "newest": rows[0].pk if rows else 0})


@require_POST
@viewer_required
def notices_read(request):
    if not selectors.may_handle(request.user):
        raise PermissionDenied("通知由认定单位标记已读")
    try:
        up_to = int(request.POST.get("up_to", "0"))
    except ValueError:
        up_to = 0
    marked = notices_mark_read(department=request.user.department, up_to=up_to)
    messages.success(request, f"已将{marked}条通知标为已读")
    return redirect("repair:notices")


EVIDENCE_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}


@viewer_required
def evidence_download(request, pk: int):
    """One proof file, always as a download (never rendered inline), from outside the web root."""
    evidence = selectors.evidence_for_viewer(viewer=request.user, pk=pk)
    path = evidence_path(evidence) if evidence is not None else None
    if path is None or not path.exists():
        raise Http404
    response = FileResponse(path.open("rb"), as_attachment=True, filename=evidence.original_name,
                            content_type=EVIDENCE_TYPES[evidence.kind])
    response["X-Content-Type-Options"] = "nosniff"
    return response


_APP_ACTIONS = {
    "accept": lambda a, r, u: services.repair_application_accept(application=a, department=u.department, actor=u),
    "notice": lambda a, r, u: services.repair_application_notice(application=a, missing=r, department=u.department,
                                                                 actor=u),
    "extend": lambda a, r, u: services.repair_application_extend(application=a, reason=r, department=u.department,
                                                                 actor=u),
    "grant": lambda a, r, u: services.repair_application_grant(application=a, reason=r, department=u.department,
                                                               actor=u),
    "refuse": lambda a, r, u: services.repair_application_refuse(application=a, reason=r, department=u.department,
                                                                 actor=u),
    "not_accept": lambda a, r, u: services.repair_application_not_accept(application=a, reason=r,
                                                                         department=u.department, actor=u),
}


# 破产重整 (Order 36 art. 20): shield, restore when the plan failed, repair when it was completed (rulings by number)
_REORGANISATION_ACTIONS = {
    "shield": lambda a, p, u: services.reorganisation_shield(application=a, reason=p.get("reason", ""),
                                                             department=u.department, actor=u),
    "restore": lambda a, p, u: services.reorganisation_restore(application=a, ruling_no=p.get("ruling_no", ""),
                                                               reason=p.get("reason", ""), department=u.department,
                                                               actor=u),
    "complete": lambda a, p, u: services.reorganisation_complete(application=a, ruling_no=p.get("ruling_no", ""),
                                                                 reason=p.get("reason", ""), department=u.department,
                                                                 actor=u),
}


def _run(request, step) -> None:
    try:
        step()
    except DomainError as exc:
        messages.error(request, "；".join(p.message_zh for p in exc.problems))
    else:
        messages.success(request, "已办理")


@require_POST
@viewer_required
def application_action(request, pk: int, action: str):
    if not selectors.may_handle(request.user):
        raise PermissionDenied("信用修复由认定单位办理")
    app = selectors.application_get(department=request.user.department, pk=pk)
    if app is None or action not in {*_APP_ACTIONS, *_REORGANISATION_ACTIONS}:
        raise Http404
    if action in _REORGANISATION_ACTIONS:
        _run(request, lambda: _REORGANISATION_ACTIONS[action](app, request.POST, request.user))
    else:
        _run(request, lambda: _APP_ACTIONS[action](app, request.POST.get("reason", ""), request.user))
    return redirect("repair:queue")


@require_POST
@viewer_required
def objection_action(request, pk: int, action: str):
    if not selectors.may_handle(request.user):
        raise PermissionDenied("异议由认定单位核查")
    obj = selectors.objection_get(department=request.user.department, pk=pk)
    if obj is None or action not in ("accept", "extend", "correct", "withdraw_record", "dismiss"):
        raise Http404
    if action == "extend":
        _run(request, lambda: services.objection_extend(objection=obj, until=request.POST.get("until", ""),
                                                        reason=request.POST.get("reason", ""),
                                                        department=request.user.department, actor=request.user))
    elif action == "accept":
        _run(request, lambda: services.objection_accept(objection=obj, department=request.user.department,
                                                        actor=request.user))
    else:
        _run(request, lambda: services.objection_decide(objection=obj, outcome=action,
                                                        reason=request.POST.get("reason", ""),
                                                        department=request.user.department, actor=request.user))
    return redirect("repair:queue")


def _months(request) -> list:
    """The 12 months up to ``?to=YYYY-MM`` (default: this month)."""
    import datetime as dt

    from pubcredit.rules import clock

    raw = (request.GET.get("to") or "").strip()
    try:
        ending = dt.date.fromisoformat(f"{raw}-01") if raw else clock.today()
    except ValueError:
        ending = clock.today()
    return selectors.month_list(months=12, ending=ending)


@viewer_required
def figures(request):
    """月度统计: per month received, granted, refused, handling time (median, P90, working days) and the share decided
    on time, as charts; the last month's figures per unit as a table; the XLSX export of all twelve months."""
    months = _months(request)
    rows = selectors.monthly_figures(viewer=request.user, months=months)
    last_month, last = rows[-1]
    return render(request, "repair/figures.html", {
        "rows": rows, "chart": selectors.monthly_chart(rows), "last_month": last_month, "last": last,
        "to": months[-1].strftime("%Y-%m"), "scope": request.user.department.name if selectors.may_handle(request.user)
        else "全市"})


@viewer_required
def figures_export(request):
    from pubcredit.repair.exports import monthly_xlsx_response

    months = _months(request)
    rows = selectors.monthly_figures(viewer=request.user, months=months)
    return monthly_xlsx_response(rows, name=f"repair-figures-{months[0]:%Y%m}-{months[-1]:%Y%m}")
