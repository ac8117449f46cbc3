"""Workbench and public pages of 双随机、一公开: the plan → commitment → draw → results → publication flow through
the pages, and the public verification page saying 一致 for the real draw and 不一致 for a tampered one."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from pubcredit.supervision.models import DrawnObject, InspectionResult, InspectionTask
from tests.factories import uscc

pytestmark = pytest.mark.django_db


def test_every_workbench_page_renders_in_chinese(client, city, libraries, provider):
    client.force_login(provider)
    for name in ("tasks", "items", "inspectors", "objects", "task_new"):
        response = client.get(reverse(f"supervision:{name}"))
        assert response.status_code == 200, name
    assert "严重失信" in client.get(reverse("supervision:objects")).content.decode()


def test_item_form_errors_are_shown_by_field(client, libraries, provider):
    client.force_login(provider)
    response = client.post(reverse("supervision:items"), {"code": "X-1", "name": "药品抽查", "domain": "食品",
                                                           "kind": "key", "special_domain": "on",
                                                           "legal_basis": "《药品管理法》"})
    assert response.status_code == 200 and "特殊领域事项的检查领域须为" in response.content.decode()


def test_task_form_refuses_a_ratio_above_100(client, libraries, provider, today):
    client.force_login(provider)
    response = client.post(reverse("supervision:task_new"), {
        "name": "随机抽查", "trigger": "random", "item_ids": [libraries["food"].pk], "base_ratio": "150",
        "planned_date": "2026-12-01"})
    assert "抽查比例须大于0且不超过100%" in response.content.decode()
    assert not InspectionTask.objects.exists()


def test_plan_commit_draw_result_publish_through_the_pages(client, city, libraries, provider, run_worker,
                                                          django_capture_on_commit_callbacks):
    client.force_login(provider)
    response = client.post(reverse("supervision:task_new"), {
        "name": "2026年食品经营随机抽查", "trigger": "random", "item_ids": [libraries["food"].pk],
        "base_ratio": "40", "planned_date": "2026-12-01"})
    task = InspectionTask.objects.get()
    assert response.status_code == 302
    from pubcredit.supervision.services import task_inspectors_set

    task_inspectors_set(task=task, inspector_ids=[i.pk for i in libraries["food_inspectors"][:2]], actor=provider)
    client.post(reverse("supervision:task_act", args=[task.pk, "commit"]))
    public = client.get(reverse("inspections:detail", args=[task.code])).content.decode()
    task.refresh_from_db()
    assert task.seed_commitment in public and task.seed not in public  # the seed stays secret until the draw
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("supervision:task_act", args=[task.pk, "draw"]))
    run_worker()
    task.refresh_from_db()
    assert task.status == "drawn"
    obj = DrawnObject.objects.filter(task=task).first()
    assert set(obj.inspectors.all()) == set(libraries["food_inspectors"][:2])  # the task's pool only
    client.force_login(libraries["account"])
    client.post(reverse("supervision:task_act", args=[task.pk, "result"]), {
        "drawn_object": obj.pk, "item": libraries["food"].pk, "outcome": "not_found", "inspected_on": "2026-11-20",
        "notes": "登记住所无经营场所"})
    assert InspectionResult.objects.filter(drawn_object=obj, outcome="not_found").exists()
    client.force_login(provider)
    client.post(reverse("supervision:task_act", args=[task.pk, "publish"]))
    public = client.get(reverse("inspections:detail", args=[task.code])).content.decode()
    assert task.seed in public and "未发现经营场所" in public and "核验一致" in public


def test_public_verification_says_whether_a_pasted_draw_matches(client, city, libraries, department, system_actor):
    from pubcredit.supervision import selectors, services

    task = services.task_commit(task=services.task_create(
        department=department, name="随机抽查", item_ids=[libraries["food"].pk], base_ratio="30",
        planned_date="2026-12-01", actor=system_actor), actor=system_actor)
    services.task_draw_start(task=task, actor=system_actor, enqueue=False)
    task = services.task_draw_execute(task_id=task.pk, actor=system_actor)
    data = client.get(reverse("inspections:draw_json", args=[task.code])).json()
    assert data == json.loads(json.dumps(selectors.published_draw(task)))
    ok = client.post(reverse("inspections:verify_any"), {"data": json.dumps(data)}).content.decode()
    assert "抽取结果与公布的一致" in ok
    data["candidates"].append({"key": uscc(99), "ratio": "30.00"})
    bad = client.post(reverse("inspections:verify_any"), {"data": json.dumps(data)}).content.decode()
    assert "不能重现" in bad
    assert "无法读取" in client.post(reverse("inspections:verify_any"), {"data": "{broken"}).content.decode()
