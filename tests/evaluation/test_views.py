"""Evaluation pages: internal notice, the start form for operators only, a subject's explanation."""

from __future__ import annotations

import pytest

from pubcredit.evaluation import services
from pubcredit.evaluation.models import EvaluationRun
from tests.factories import uscc

pytestmark = pytest.mark.django_db

INTERNAL = "不向社会公开，本身不作为实施失信惩戒的依据"


def test_operator_starts_a_run_from_the_page(client, operator, city, django_capture_on_commit_callbacks):
    client.force_login(operator)
    page = client.get("/evaluation/").content.decode()
    assert INTERNAL in page and "发起评价" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/evaluation/runs/new/", {"trigger": "on_demand", "as_of": "", "version": ""})
    run = EvaluationRun.objects.get()
    assert response.status_code == 302 and run.task_result_id is not None


def test_provider_reads_but_cannot_start_a_run(client, provider, city):
    client.force_login(provider)
    assert "发起评价" not in client.get("/evaluation/").content.decode()
    assert client.post("/evaluation/runs/new/", {"trigger": "on_demand"}).status_code == 403


def test_subject_page_explains_every_item(client, operator, city, system_actor):
    run = services.evaluation_run_execute(run_id=services.evaluation_run_start(
        actor=system_actor, enqueue=False).pk, actor=system_actor)
    client.force_login(operator)
    detail = client.get(f"/evaluation/runs/{run.pk}/").content.decode()
    assert "严重失信" in detail and INTERNAL in detail
    subject = city[uscc(1)]
    page = client.get(f"/evaluation/subjects/{subject.pk}/").content.decode()
    assert "严重失信行政处罚" in page and "780" in page and INTERNAL in page
    listed = client.get(f"/evaluation/subjects/{city[uscc(2)].pk}/").content.decode()
    assert "列入严重失信主体名单" in listed


def test_the_public_site_never_shows_evaluations(client, city):
    assert client.get("/evaluation/").status_code == 302  # to the login page


def test_run_page_shows_classes_by_district_and_the_movement_since_the_last_quarter(client, operator, city,
                                                                                     system_actor):
    from pubcredit.evaluation import selectors

    quarter = services.evaluation_run_execute(run_id=services.evaluation_run_start(
        actor=system_actor, trigger="quarterly", enqueue=False).pk, actor=system_actor)
    now = services.evaluation_run_execute(run_id=services.evaluation_run_start(
        actor=system_actor, enqueue=False).pk, actor=system_actor)
    assert selectors.previous_run(run=now) == quarter
    matrix = {row["from"]: row["counts"] for row in selectors.class_transitions(run=now, previous=quarter)}
    assert matrix["honest"] == [1, 0, 0, 2]  # two organisations fell from 诚信守法 to 严重失信, one stayed
    assert sum(row["total"] for row in selectors.class_by_district(run=now)) == 3
    client.force_login(operator)
    page = client.get(f"/evaluation/runs/{now.pk}/").content.decode()
    assert "类别迁移（与 2026Q3 相比）" in page and "各区县类别分布" in page
