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


def test_the_run_page_shows_figures_per_organisation_kind_and_the_items_that_moved_most(client, provider, city,
                                                                                       system_actor):
    run = services.evaluation_run_start(actor=system_actor, enqueue=False)
    run = services.evaluation_run_execute(run_id=run.pk, actor=system_actor)
    assert run.item_figures == {"penalty_serious": {"name_zh": "严重失信行政处罚", "subjects": 1, "points": -220.0},
                                "serious_list": {"name_zh": "列入严重失信主体名单", "subjects": 1, "points": -300.0}}
    client.force_login(provider)
    page = client.get(f"/evaluation/runs/{run.pk}/").content.decode()
    assert "各机构类别分布" in page and "影响主体最多的加减分项" in page and "严重失信行政处罚" in page
    assert 'id="chart-items"' in page and "evaluation-figures.js" in page and "echarts.min.js" in page
    chart = page.split('id="chart-data" type="application/json">', 1)[1].split("</script>", 1)[0]
    import json

    data = json.loads(chart)
    assert data["kinds"] == ["企业"] and data["by_kind"]["严重失信"] == [2]
    assert set(data["items"]) == {"列入严重失信主体名单", "严重失信行政处罚"} and data["item_subjects"] == [1, 1]


def test_an_enterprise_sees_its_own_evaluation_with_every_item_line(client, city, system_actor):
    from pubcredit.accounts.services import enterprise_account_create

    services.evaluation_run_execute(run_id=services.evaluation_run_start(actor=system_actor, enqueue=False).pk,
                                    actor=system_actor)
    account = enterprise_account_create(username="qiye1", password="Qiye-pass-2026", uscc=uscc(1),
                                        enterprise_name="淄博测试化工有限公司1", actor=system_actor)
    client.force_login(account.user)
    home = client.get("/public/account/").content.decode()
    assert 'id="my-evaluation"' in home and 'href="/public/evaluation/"' in home  # linked from the enterprise home
    page = client.get("/public/evaluation/").content.decode()
    assert "780" in page and "严重失信" in page and "严重失信行政处罚" in page and "仅本单位可见" in page
    assert "淄博严重违法测试有限公司2" not in page  # never another subject's
    other = enterprise_account_create(username="qiye3", password="Qiye-pass-2026", uscc=uscc(9),
                                      enterprise_name="淄博未评价公司", actor=system_actor)
    client.force_login(other.user)
    assert "尚无公共信用综合评价结果" in client.get("/public/evaluation/").content.decode()


def test_staff_and_anonymous_visitors_do_not_get_the_enterprise_page(client, provider):
    assert client.get("/public/evaluation/").status_code == 302
    client.force_login(provider)
    assert client.get("/public/evaluation/").status_code in (302, 403)


def test_the_run_page_shows_the_classes_per_industry(client, provider, city, system_actor):
    """Item 6 (per industry): 国民经济行业门类 from the registration data; organisations without one are counted under
    未登记行业, never dropped."""
    import json

    from pubcredit.subjects.services import subjects_industry_set

    subjects_industry_set(rows=[{"uscc": uscc(1), "industry": "C2614"}, {"uscc": uscc(2), "industry": "F5212"}],
                          actor=system_actor, reason="登记注册信息")
    run = services.evaluation_run_execute(run_id=services.evaluation_run_start(actor=system_actor, enqueue=False).pk,
                                          actor=system_actor)
    from pubcredit.evaluation import selectors

    rows = {row["industry"]: row for row in selectors.class_by_industry(run=run)}
    assert list(rows) == ["C 制造业", "F 批发和零售业", "未登记行业"]  # the standard's order, the unregistered last
    assert rows["C 制造业"]["counts"] == [0, 0, 0, 1] and rows["未登记行业"]["counts"] == [1, 0, 0, 0]
    client.force_login(provider)
    page = client.get(f"/evaluation/runs/{run.pk}/").content.decode()
    assert "各行业类别分布" in page and 'id="chart-industries"' in page
    data = json.loads(page.split('id="chart-data" type="application/json">', 1)[1].split("</script>", 1)[0])
    assert data["industries"] == ["C 制造业", "F 批发和零售业", "未登记行业"] and data["by_industry"]["严重失信"] == [1, 1, 0]
