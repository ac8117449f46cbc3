"""The check API answers the measures an evaluation grade triggers (issue 14 item 5, 淄政办字〔2021〕31号 第5项):
a check in a scenario with grade measures reads the subject's current class (公共信用综合评价), answers its measures
as ``grade_hit``, keeps them with the check, shows them on the check page and in the batch result; a subject never
evaluated gets none, and natural persons are never graded."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from pubcredit.catalog.registry import get_class
from pubcredit.evaluation import rulebook as evaluation_rulebook
from pubcredit.evaluation import services as evaluation
from pubcredit.evaluation.models import EvaluationResult
from pubcredit.records.services import records_submit
from pubcredit.rules import clock
from pubcredit.sanctions.models import Check, CheckFeedback
from pubcredit.subjects.models import Subject
from tests.factories import at, frame, penalty, person_penalty, resident_id, uscc

pytestmark = pytest.mark.django_db

SERIOUS = "evaluation.serious_key_supervision"


@pytest.fixture
def evaluated(department, system_actor, today):
    """Organisation 1 has a licence revocation (严重失信 penalty → grade D), organisation 2 a penalty but no
    evaluation yet, organisation 3 is clean; a person has a penalty. One evaluation run, of organisations 1 and 3."""
    evaluation_rulebook.reload()
    with clock.pinned(at("2026-11-18").date()):
        result = records_submit(info_class=get_class("admin_penalty"), frame=frame([
            penalty(1, penalty_types="吊销许可证件", penalty_content="吊销许可证", fine_amount=None),
            penalty(2), penalty(3, decision_date="2023-01-05", valid_until="2024-01-05"), person_penalty(4),
        ]), department=department, actor=system_actor, received_at=at("2026-11-18"))
        assert result.rejected == [], result.rejected
    ids = list(Subject.objects.filter(uscc__in=[uscc(1), uscc(3)]).values_list("pk", flat=True))
    run = evaluation.evaluation_run_start(actor=system_actor, enqueue=False, subject_ids=ids)
    evaluation.evaluation_run_execute(run_id=run.pk, actor=system_actor)
    yield {r.subject.uscc: r for r in run.results.select_related("subject")}
    evaluation_rulebook.reload()


def test_zibo_item_5_a_class_serious_subject_gets_the_grade_measure_in_the_check_answer(api, evaluated):
    assert evaluated[uscc(1)].class_code == "serious"
    body = api.check(scenario="supervision", uscc=uscc(1)).json()
    grade = body["grade_hit"]
    assert (grade["grade"], grade["class"], grade["class_name_zh"]) == ("D", "serious", "严重失信")
    assert grade["model_version"] == evaluated[uscc(1)].scorecard_version
    assert grade["as_of"] == evaluated[uscc(1)].as_of.isoformat()
    [measure] = grade["measures"]
    assert measure["code"] == SERIOUS and measure["mandatory"] is False and measure["force"] == "D"
    assert "严重失信" in measure["condition_zh"] and "第二十八条" in measure["legal_basis"]
    # kept with the check, counted, awaiting feedback like a list measure; the replay answers it again
    check = Check.objects.get(check_id=body["check_id"])
    assert check.grade_hit == grade and check.measure_count == 1 and check.feedback_required
    replay = api.get(f"/api/v1/checks/{body['check_id']}").json()
    assert replay["grade_hit"] == grade and replay["explanation"]["measures"][0]["code"] == SERIOUS


def test_the_grade_measure_is_reported_on_like_a_list_measure(api, evaluated):
    body = api.check(scenario="supervision", uscc=uscc(1)).json()
    response = api.post(f"/api/v1/checks/{body['check_id']}/feedback",
                        {"measure_code": SERIOUS, "applied": True, "note": "列入年度重点检查"})
    assert response.status_code == 200 and response.json()["feedback_complete"] is True
    assert CheckFeedback.objects.get().measure_code == SERIOUS


def test_an_honest_subject_gets_its_own_class_measure_and_other_scenarios_read_no_class(api, evaluated):
    assert evaluated[uscc(3)].grade == "A"
    grade = api.check(scenario="supervision", uscc=uscc(3)).json()["grade_hit"]
    assert [m["code"] for m in grade["measures"]] == ["evaluation.honest_no_disturbance"]
    assert api.check(scenario="government_procurement", uscc=uscc(1)).json()["grade_hit"] is None


def test_a_subject_without_an_evaluation_gets_no_grade_measure(api, evaluated):
    assert not EvaluationResult.objects.filter(subject__uscc=uscc(2)).exists()
    body = api.check(scenario="supervision", uscc=uscc(2)).json()
    assert body["subject"]["found"] is True and body["grade_hit"] is None
    assert Check.objects.get(check_id=body["check_id"]).grade_hit is None
    assert api.check(scenario="supervision", uscc=uscc(99)).json()["grade_hit"] is None  # unknown to the platform


def test_natural_persons_are_never_graded_even_if_a_result_were_stored(api, evaluated):
    person = Subject.objects.get(kind="natural_person")
    run = next(iter(evaluated.values())).run
    EvaluationResult.objects.create(run=run, subject=person, as_of=run.as_of, scorecard_version="zibo-v2",
                                    score=Decimal(700), grade="D-", class_code="serious", evaluated_at=clock.now())
    body = api.check(scenario="supervision", id_number=resident_id(4)).json()
    assert body["subject"]["found"] is True and body["grade_hit"] is None


def test_the_check_page_shows_the_grade_and_its_measure_in_chinese(client, api, evaluated, business_user):
    check_id = api.check(scenario="supervision", uscc=uscc(1)).json()["check_id"]
    client.force_login(business_user)
    page = client.get(f"/sanctions/checks/{check_id}/").content.decode()
    assert "综合评价等级触发的措施" in page and "严重失信" in page and f'data-measure="{SERIOUS}"' in page
    assert "不单独作为惩戒依据" in page


def test_the_batch_result_csv_shows_the_grade_in_chinese(api, evaluated):
    body = api.post("/api/v1/checks/batch", {"scenario": "supervision", "items": [
        {"subject": {"uscc": uscc(1)}, "reference": "JC-1"}, {"subject": {"uscc": uscc(2)}, "reference": "JC-2"}]}).json()
    rows = body["rows"]
    assert rows[0]["grade_hit"]["grade"] == "D" and rows[1]["grade_hit"] is None
    text = api.get(f"/api/v1/checks/batch/{body['batch_id']}/result?format=csv").content.decode("utf-8-sig")
    header, first, second = list(csv.reader(io.StringIO(text)))
    assert header[-1] == "综合评价等级触发措施" and header[:9][-1] == "说明"  # earlier columns keep their places
    assert first[-1].startswith("等级D（严重失信，评价基准日") and "加大抽查检查力度" in first[-1]
    assert second[-1] == ""


def test_the_measure_edit_form_shows_and_keeps_the_grades(client, operator):
    from pubcredit.sanctions.selectors import measure_current

    client.force_login(operator)
    listing = client.get("/sanctions/measures/?scenario=supervision").content.decode()
    assert 'data-testid="grades">公共信用综合评价等级为D、D-（严重失信）' in listing
    page = client.get(f"/sanctions/measures/{SERIOUS}/edit/").content.decode()
    assert 'name="grades" value="D"' in page and 'name="grades" value="B"' in page
    assert page.count("checked") >= 2  # D and D- ticked
    measure = measure_current(SERIOUS)
    form = {"code": SERIOUS, "name_zh": measure.name_zh, "kind": "punish", "grades": ["D", "D-"],
            "scenarios": ["supervision"], "implementing": "有关部门和单位", "force": "D",
            "legal_basis": "《山东省社会信用条例》 | 第二十八条第（四）项", "effective_from": "2022-12-01",
            "conditions": "subject_kinds: [legal_person]", "reason": "补充说明", "implemented_by": "checking_department"}
    response = client.post(f"/sanctions/measures/{SERIOUS}/edit/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert measure_current(SERIOUS).grades == ("D", "D-") and measure_current(SERIOUS).lists == ()
    neither = client.post(f"/sanctions/measures/{SERIOUS}/edit/", {**form, "grades": []}).content.decode()
    assert "须选择触发名单或综合评价等级至少一项" in neither


def test_evaluation_sits_below_sanctions_in_the_layers():
    from tests.test_layers import LAYERS

    layer = {app: i for i, apps in enumerate(LAYERS) for app in apps}
    assert layer["evaluation"] < layer["sanctions"] and layer["ingest"] < layer["evaluation"]
