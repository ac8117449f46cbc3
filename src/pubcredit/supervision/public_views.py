"""The public pages of 双随机、一公开 (no login, rate-limited like the rest of the public site): the plans, the
commitment published before each draw, the seed and drawn list after it, the published results, and a page that
recomputes a draw from the published data and says whether it matches."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import render

from pubcredit.ratelimit import rate_limited
from pubcredit.supervision import forms, selectors


def _site() -> dict[str, str]:
    return {"site_name": settings.PUBCREDIT_SITE_NAME}


def _task(code: str):
    task = selectors.public_task(code)
    if task is None:
        raise Http404("没有该抽查任务")
    return task


@rate_limited("page")
def task_list(request):
    return render(request, "supervision/public_list.html", {**_site(), "tasks": selectors.public_tasks()[:200]})


@rate_limited("page")
def task_detail(request, code: str):
    task = _task(code)
    published = selectors.published_draw(task)
    return render(request, "supervision/public_detail.html", {
        **_site(), "task": task, "published": published, "results": selectors.published_results(task),
        "drawn": list(task.drawn.select_related("subject").order_by("position")) if task.seed_revealed_at else [],
        "verification": selectors.verify_published(published) if task.seed_revealed_at else None,
        "trigger_zh": selectors.supervision_book().triggers[task.trigger].name_zh,
    })


@rate_limited("page")
def draw_json(request, code: str):
    return JsonResponse(selectors.published_draw(_task(code)), json_dumps_params={"ensure_ascii": False, "indent": 1})


@rate_limited("page")
def verify_task(request, code: str):
    task = _task(code)
    return render(request, "supervision/public_verify.html", {
        **_site(), "task": task, "verification": selectors.verify_published(selectors.published_draw(task)),
        "form": forms.VerifyForm()})


@rate_limited("page")
def verify_any(request):
    """Paste a downloaded (or altered) draw.json: the page recomputes it and says whether it matches."""
    form = forms.VerifyForm(request.POST or None)
    verification, error = None, ""
    if request.method == "POST" and form.is_valid():
        try:
            data = json.loads(form.cleaned_data["data"])
            if not isinstance(data, dict):
                raise ValueError("not an object")
        except ValueError:
            error = "无法读取：请粘贴从任务页面下载的完整 JSON 数据"
        else:
            verification = selectors.verify_published(data)
    return render(request, "supervision/public_verify.html", {**_site(), "task": None, "form": form,
                                                              "verification": verification, "error": error})
