"""The 工作日历 page (working-day calendar) for credit-centre operators. Thin: forms check, services write."""

from __future__ import annotations

import datetime as dt
import functools
import os
import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from pubcredit.accounts.choices import Role
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from pubcredit.workdays import selectors, services
from pubcredit.workdays.forms import CalendarDayRemoveForm, CalendarDaySetForm, CalendarLoadForm

WEEKDAYS_ZH = "一二三四五六日"


def operator_required(view):
    """Logged in, and a credit-centre operator or a superuser; anyone else gets 403."""

    @functools.wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not (request.user.is_superuser or request.user.role == Role.OPERATOR):
            raise PermissionDenied("仅信用中心操作员可维护工作日历")
        return view(request, *args, **kwargs)

    return wrapped


def _year_url(year: int) -> str:
    return f"{reverse('workdays:calendar')}?year={year}"


def _posted_year(request) -> int:
    """The year the page showed when the form was posted (to go back to it)."""
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        return clock.today().year
    return year if services.MIN_YEAR <= year <= services.MAX_YEAR else clock.today().year


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else error)


def _domain_error(request, exc: DomainError, limit: int = 20) -> None:
    messages.error(request, exc.message_zh)
    for problem in exc.problems[1:limit]:
        messages.error(request, problem.message_zh)
    if len(exc.problems) > limit:
        messages.error(request, f"……另有{len(exc.problems) - limit}处错误")


@require_GET
@operator_required
def calendar_page(request):
    today = clock.today()
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = today.year
    if not services.MIN_YEAR <= year <= services.MAX_YEAR:
        year = today.year
    data = selectors.calendar_year(year=year)
    rows = [{"day": d, "weekday": WEEKDAYS_ZH[d.date.weekday()]} for d in data.days]
    return render(request, "workdays/calendar.html", {
        "data": data,
        "rows": rows,
        "set_form": CalendarDaySetForm(initial={"date": today if today.year == year else dt.date(year, 1, 1)}),
        "load_form": CalendarLoadForm(),
        "previous_year": year - 1,
        "next_year": year + 1,
    })


@require_POST
@operator_required
def calendar_day_set_view(request):
    form = CalendarDaySetForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(_year_url(_posted_year(request)))
    day = form.cleaned_data["date"]
    was_covered = selectors.work_calendar().covers(day.year)
    try:
        row = services.calendar_day_set(day=day, kind=form.cleaned_data["kind"], name=form.cleaned_data["name"],
                                        actor=request.user)
    except DomainError as exc:
        _domain_error(request, exc)
    else:
        messages.success(request, f"已保存：{row.date.isoformat()} {row.get_kind_display()} {row.name}".strip())
        if not was_covered:
            messages.warning(request, f"{day.year}年此前没有节假日数据；现在该年度按已录入的数据计算，"
                                      f"请录入该年度全部节假日和调休上班日（可用文件导入）。")
    return redirect(_year_url(day.year))


@require_POST
@operator_required
def calendar_day_remove_view(request):
    form = CalendarDayRemoveForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(_year_url(_posted_year(request)))
    day = form.cleaned_data["date"]
    try:
        services.calendar_day_remove(day=day, actor=request.user)
    except DomainError as exc:
        _domain_error(request, exc)
    else:
        messages.success(request, f"已删除：{day.isoformat()}")
    return redirect(_year_url(day.year))


@require_POST
@operator_required
def calendar_load_view(request):
    form = CalendarLoadForm(request.POST, request.FILES)
    year = _posted_year(request)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(_year_url(year))
    upload = form.cleaned_data["file"]
    fd, tmp = tempfile.mkstemp(suffix=Path(upload.name).suffix.lower(), prefix="calendar-")
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        count = services.calendar_load_file(path=tmp, actor=request.user, source_name=upload.name)
    except DomainError as exc:
        _domain_error(request, exc)
    else:
        messages.success(request, f"已从 {upload.name} 导入 {count} 个日期")
    finally:
        os.unlink(tmp)
    return redirect(_year_url(year))
