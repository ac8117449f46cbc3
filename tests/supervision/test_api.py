"""双随机、一公开 API: the published draw and its recomputation (no token)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pubcredit.records.models import CreditRecord
from pubcredit.rules import clock
from pubcredit.supervision import services
from pubcredit.supervision.models import InspectionResult
from tests.factories import uscc

pytestmark = pytest.mark.django_db


@pytest.fixture
def drawn(city, libraries, department, system_actor):
    task = services.task_commit(task=services.task_create(
        department=department, name="随机抽查", item_ids=[libraries["food"].pk], base_ratio="30",
        planned_date="2026-12-01", actor=system_actor), actor=system_actor)
    services.task_draw_start(task=task, actor=system_actor, enqueue=False)
    return services.task_draw_execute(task_id=task.pk, actor=system_actor)


def test_draw_then_verify_matches_and_a_swapped_seed_does_not(client, drawn):
    data = client.get(f"/api/v1/inspections/{drawn.code}/draw").json()
    assert data["seed"] == drawn.seed and len(data["drawn"]) == drawn.drawn.count()
    answer = client.post("/api/v1/inspections/verify", data, content_type="application/json").json()
    assert answer["matches"] is True and answer["matches_zh"] == "一致"
    swapped = data | {"seed": "55" * 32}
    answer = client.post("/api/v1/inspections/verify", swapped, content_type="application/json").json()
    assert answer["matches"] is False
    assert [c["name"] for c in answer["checks"] if not c["ok"]][0] == "种子的SHA-256与事先公布的承诺值一致"


def test_verify_refuses_a_tampered_ratio_and_odd_input_without_error(client, drawn):
    data = client.get(f"/api/v1/inspections/{drawn.code}/draw").json()
    data["candidates"][0]["ratio"] = "100.00"
    assert client.post("/api/v1/inspections/verify", data, content_type="application/json").json()["matches"] is False
    odd = data | {"candidates": [{"key": uscc(1), "ratio": "Infinity"}], "seed": "zz"}
    response = client.post("/api/v1/inspections/verify", odd, content_type="application/json")
    assert response.status_code == 200 and response.json()["matches"] is False


def test_unknown_or_unpublished_task_is_404(client, libraries, department, system_actor, today):
    draft = services.task_create(department=department, name="草稿", item_ids=[libraries["food"].pk], base_ratio="5",
                                 planned_date="2026-12-01", actor=system_actor)
    assert client.get(f"/api/v1/inspections/{draft.code}/draw").status_code == 404
    assert client.get("/api/v1/inspections/SJ20269999/draw").status_code == 404


# --- the department's own systems (API token) --------------------------------------------------------------------

@pytest.fixture
def token_api(client, system_actor):
    from pubcredit.accounts.services import token_create

    def for_department(department):
        auth = {"HTTP_AUTHORIZATION": f"Bearer {token_create(department=department, actor=system_actor).plaintext}"}

        class Api:
            def get(self, url):
                return client.get(url, **auth)

            def post(self, url, body=None, method="post"):
                return getattr(client, method)(url, json.dumps(body or {}), content_type="application/json", **auth)

        return Api()

    return for_department


def test_a_department_system_plans_commits_draws_enters_and_publishes_through_the_api(
        city, libraries, department, system_actor, token_api, run_worker, django_capture_on_commit_callbacks):
    api = token_api(department)
    plan = {"name": "2026年食品经营随机抽查（接口）", "items": ["SC-01"], "base_ratio": "40", "planned_date": "2026-12-01"}
    created = api.post("/api/v1/inspections/tasks", plan)
    assert created.status_code == 201, created.content
    code = created.json()["code"]
    two = [i.staff_no for i in libraries["food_inspectors"][:2]]
    assert api.post(f"/api/v1/inspections/tasks/{code}/inspectors", {"staff_nos": two}, method="put").status_code == 200
    committed = api.post(f"/api/v1/inspections/tasks/{code}/commit").json()
    assert committed["status"] == "committed" and len(committed["seed_commitment"]) == 64
    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(f"/api/v1/inspections/tasks/{code}/draw").json()["status"] == "drawing"
    run_worker()
    task = api.get(f"/api/v1/inspections/tasks/{code}").json()
    assert task["status"] == "drawn" and task["objects"]
    first = task["objects"][0]
    assert sorted(first["inspectors"]) == sorted(two)
    # 谁检查、谁录入: the department's system names the assigned inspector who inspected
    with clock.pinned(dt.date(2026, 12, 3)):
        entered = api.post(f"/api/v1/inspections/tasks/{code}/results", {"results": [
            {"key": first["key"], "item": "SC-01", "outcome": "corrected", "inspected_on": "2026-12-02",
             "notes": "过期食品未下架，已责令改正", "staff_no": two[0]}]})
    assert entered.status_code == 200, entered.content
    assert entered.json()["entered"] == 1 and len(entered.json()["records"]) == 1
    assert CreditRecord.objects.get(pk=entered.json()["records"][0]).class_code == "spot_check_result"
    result = InspectionResult.objects.get()
    assert two[0] in result.entered_by and result.entered_by.startswith("token:")
    assert api.post(f"/api/v1/inspections/tasks/{code}/publish").json() == {"published": 1}
    assert api.get(f"/api/v1/inspections/tasks/{code}").json()["objects"][0]["results"][0]["published"] is True


def test_api_results_are_all_or_nothing_and_only_by_assigned_inspectors_of_the_department(
        city, libraries, department, district_department, system_actor, token_api):
    task = services.task_create(department=department, name="随机抽查", item_ids=[libraries["food"].pk],
                                base_ratio="100", planned_date="2026-12-01", actor=system_actor)
    services.task_inspectors_set(task=task, inspector_ids=[i.pk for i in libraries["food_inspectors"][:2]],
                                 actor=system_actor)
    services.task_commit(task=task, actor=system_actor)
    services.task_draw_start(task=task, actor=system_actor, enqueue=False)
    task = services.task_draw_execute(task_id=task.pk, actor=system_actor)
    keys = list(task.drawn.order_by("position").values_list("key", flat=True))
    good = {"key": keys[0], "item": "SC-01", "outcome": "no_problem", "inspected_on": "2026-12-02",
            "staff_no": libraries["food_inspectors"][0].staff_no}
    not_assigned = good | {"key": keys[1], "staff_no": libraries["food_inspectors"][5].staff_no}
    no_notes = good | {"key": keys[2], "outcome": "referred"}
    stranger = good | {"key": uscc(1)}  # an honest subject, never drawn by this general task
    with clock.pinned(dt.date(2026, 12, 3)):
        answer = token_api(department).post(f"/api/v1/inspections/tasks/{task.code}/results",
                                            {"results": [good, not_assigned, no_notes, stranger]})
    assert answer.status_code == 400
    fields = {f["field"] for f in answer.json()["fields"]}
    assert fields == {"results.1.actor", "results.2.notes", "results.3.key"}
    assert not InspectionResult.objects.exists()  # the good one was not kept either
    # another department's system cannot see or act on the task
    other = token_api(district_department)
    assert other.get(f"/api/v1/inspections/tasks/{task.code}").status_code == 404
    assert other.post(f"/api/v1/inspections/tasks/{task.code}/results", {"results": [good]}).status_code == 404


def test_api_task_errors_are_named_by_field_and_a_token_is_required(client, libraries, department, token_api, today):
    answer = token_api(department).post("/api/v1/inspections/tasks", {
        "name": "", "items": ["SC-01"], "base_ratio": "120", "planned_date": "2026-12-01"})
    assert answer.status_code == 400
    assert {f["field"] for f in answer.json()["fields"]} >= {"name", "base_ratio"}
    unknown = token_api(department).post("/api/v1/inspections/tasks", {
        "name": "抽查", "items": ["TZ-01"], "base_ratio": "10", "planned_date": "2026-12-01"})
    assert unknown.status_code == 400 and unknown.json()["fields"][0]["field"] == "items"  # another department's item
    assert client.post("/api/v1/inspections/tasks", "{}", content_type="application/json").status_code == 401
