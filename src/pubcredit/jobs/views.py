"""后台任务 page for credit-centre operators: each job's state and progress; a failed job can be run again.

Thin: the selector reads, ``job_rerun`` writes (audited). The markup is minimal and in its own template.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from pubcredit.jobs import selectors
from pubcredit.jobs.services import job_rerun
from pubcredit.rules.errors import DomainError


def _operator(request) -> None:
    if not selectors.may_see_jobs(request.user):
        raise PermissionDenied("仅信用中心操作员可查看后台任务")


@login_required
def job_list(request):
    _operator(request)
    status = request.GET.get("status", "")
    status = status if status in selectors.STATUS_ZH else ""
    return render(request, "jobs/job_list.html", {"rows": selectors.job_list(status=status), "status": status,
                                                  "statuses": selectors.STATUS_ZH})


@login_required
@require_POST
def job_rerun_view(request, result_id):
    _operator(request)
    try:
        job_rerun(result_id=result_id, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message_zh)
    else:
        messages.success(request, "已重新排队执行")
    return redirect("jobs:job_list")
