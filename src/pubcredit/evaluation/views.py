"""Evaluation pages (公共信用综合评价) for government staff: runs, grade distribution, a subject's explanation.

Internal to government: never on the public site; a result is not in itself a basis for punishment (each page says
so). Thin: the form checks shapes, selectors read, services write.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from pubcredit.accounts.access import enterprise_login_required
from pubcredit.evaluation import selectors
from pubcredit.evaluation.choices import CreditClassChoice, RunTrigger
from pubcredit.evaluation.forms import RunStartForm
from pubcredit.evaluation.rulebook import scorecards
from pubcredit.evaluation.services import evaluation_run_start
from pubcredit.rules.errors import DomainError


@login_required
def run_list(request):
    runs = selectors.run_list()[:50]
    # the distribution of the last run that scored more than the few subjects an incremental refresh re-scores
    latest = next((r for r in runs if r.status == "done" and r.trigger != RunTrigger.INCREMENTAL), None)
    return render(request, "evaluation/run_list.html", {
        "runs": runs, "latest": latest, "may_run": selectors.may_run(request.user),
        "distribution": selectors.grade_distribution(run=latest) if latest else [],
        "form": RunStartForm(), "cards": scorecards().cards})


@login_required
@require_POST
def run_start(request):
    if not selectors.may_run(request.user):
        raise PermissionDenied("仅信用中心操作员可发起公共信用综合评价")
    form = RunStartForm(request.POST)
    if form.is_valid():
        try:
            run = evaluation_run_start(actor=request.user, trigger=form.cleaned_data["trigger"],
                                       as_of=form.cleaned_data["as_of"], version=form.cleaned_data["version"] or None)
        except DomainError as exc:
            messages.error(request, exc.message_zh)
        else:
            messages.success(request, f"评价批次 {run.pk}（{run.period}）已交给后台工作进程，进度见后台任务页")
            return redirect("evaluation:run_detail", pk=run.pk)
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("evaluation:run_list")


@login_required
def run_detail(request, pk: int):
    run = selectors.run_get(pk=pk)
    if run is None:
        raise Http404("评价批次不存在")
    results = Paginator(run.results.select_related("subject").order_by("score", "subject_id"), 50)
    previous = selectors.previous_run(run=run)
    distribution, by_district = selectors.grade_distribution(run=run), selectors.class_by_district(run=run)
    by_kind, items = selectors.class_by_organisation_kind(run=run), selectors.item_figures(run=run)
    by_industry = selectors.class_by_industry(run=run)
    return render(request, "evaluation/run_detail.html", {
        "run": run, "distribution": distribution,
        "classes": [label for _, label in CreditClassChoice.choices],
        "by_district": by_district, "by_kind": by_kind, "by_industry": by_industry, "items": items,
        "previous": previous,
        "chart": selectors.run_chart(run=run, distribution=distribution, by_district=by_district, by_kind=by_kind,
                                     items=items, by_industry=by_industry),
        "transitions": selectors.class_transitions(run=run, previous=previous) if previous else [],
        "page": results.get_page(request.GET.get("page"))})


@login_required
def subject_evaluation(request, subject_id: int):
    subject = selectors.subject_get(pk=subject_id)
    if subject is None:
        raise Http404("信用主体不存在")
    history = list(selectors.result_history(subject=subject)[:20])
    return render(request, "evaluation/subject_evaluation.html", {
        "subject": subject, "result": selectors.latest_result(subject=subject), "history": history})


@require_GET
@enterprise_login_required
def enterprise_evaluation(request):
    """An enterprise account sees its own evaluation (本单位公共信用综合评价): score, grade, class, every item line with
    its note, the overrides and the history; never another subject's. Not in itself a basis for punishment."""
    account = request.enterprise_account
    subject = selectors.subject_by_uscc(uscc=account.uscc)
    result = selectors.latest_result(subject=subject) if subject else None
    history = list(selectors.result_history(subject=subject)[:20]) if subject else []
    return render(request, "evaluation/enterprise_evaluation.html", {
        "account": account, "result": result, "history": history})
