"""双随机、一公开 API: the published draw and its recomputation (no token)."""

from __future__ import annotations

import pytest

from pubcredit.supervision import services
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
