"""Supervision services: the object library, tasks, committed draws under the class rules (Zibo 31号 第5项),
inspectors, results and their records; bad input refused field by field, nothing half-drawn."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from pubcredit.audit.models import AuditEvent
from pubcredit.records.models import CreditRecord
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from pubcredit.rules.supervision import commit_seed
from pubcredit.supervision import selectors, services
from pubcredit.supervision.models import DrawnObject, InspectionObject, InspectionResult, InspectionTask
from tests.factories import uscc

pytestmark = pytest.mark.django_db
DAY = "2026-12-01"
HONEST = {uscc(n) for n in range(1, 6)}
MINOR_AND_GENERAL = {uscc(n) for n in range(6, 16)}
SERIOUS = {uscc(n) for n in range(16, 21)}


def new_task(department, items, actor, **kwargs):
    args = {"name": "2026年食品经营随机抽查", "item_ids": [i.pk for i in items], "base_ratio": "100",
            "planned_date": DAY} | kwargs
    return services.task_create(department=department, actor=actor, **args)


def drawn_task(department, items, actor, **kwargs):
    task = services.task_commit(task=new_task(department, items, actor, **kwargs), actor=actor)
    services.task_draw_start(task=task, actor=actor, enqueue=False)
    return services.task_draw_execute(task_id=task.pk, actor=actor)


def drawn_keys(task):
    return set(task.drawn.values_list("key", flat=True))


def test_object_library_is_built_from_subjects_with_their_evaluation_class(city):
    assert InspectionObject.objects.count() == 22
    assert InspectionObject.objects.get(key=uscc(1)).class_name_zh == "诚信守法"
    assert InspectionObject.objects.get(key=uscc(21)).class_name_zh == "未评价"
    assert selectors.class_counts()["严重失信"] == 5


def test_zibo_item5_honest_subjects_are_left_out_of_general_random_tasks(city, libraries, department, system_actor):
    task = drawn_task(department, [libraries["food"]], system_actor)
    keys = {c["key"] for c in task.candidates}
    assert not keys & HONEST and SERIOUS <= keys
    assert drawn_keys(task) == keys  # 100 %: every candidate drawn
    assert task.excluded["reasons"]  # the reason for leaving honest subjects alone is kept


def test_zibo_item5_special_domain_tasks_draw_honest_subjects(city, libraries, district_department, system_actor):
    task = drawn_task(district_department, [libraries["equipment"]], system_actor)
    assert HONEST <= drawn_keys(task)
    assert not task.drawn.filter(counts_against_cap=True).exists()  # outside the yearly cap


def test_zibo_item5_complaint_triggered_tasks_reach_honest_subjects(city, libraries, department, system_actor):
    task = drawn_task(department, [libraries["food"]], system_actor, trigger="complaint",
                      object_filter={"keys": [uscc(1)]})
    assert drawn_keys(task) == {uscc(1)}


def test_zibo_item5_once_a_year_cap_holds_across_two_tasks(city, libraries, department, system_actor):
    first = drawn_task(department, [libraries["food"]], system_actor)
    assert MINOR_AND_GENERAL <= drawn_keys(first)
    second = drawn_task(department, [libraries["food"]], system_actor, name="第二次随机抽查")
    assert not drawn_keys(second) & MINOR_AND_GENERAL  # already inspected once this year
    assert SERIOUS <= drawn_keys(second)  # no cap for 严重失信
    next_year = drawn_task(department, [libraries["food"]], system_actor, planned_date="2027-01-15")
    assert MINOR_AND_GENERAL <= drawn_keys(next_year)


def test_zibo_item5_serious_subjects_are_drawn_at_a_higher_ratio(city, libraries, department, system_actor):
    task = services.task_commit(task=new_task(department, [libraries["food"]], system_actor, base_ratio="20"),
                                actor=system_actor)
    ratios = {c["key"]: c["ratio"] for c in task.candidates}
    assert ratios[uscc(16)] == "60.00" and ratios[uscc(6)] == "20.00" and ratios[uscc(11)] == "30.00"


def test_a_second_capped_task_waits_for_the_first_draw(city, libraries, department, system_actor):
    services.task_commit(task=new_task(department, [libraries["food"]], system_actor), actor=system_actor)
    with pytest.raises(DomainError) as caught:
        services.task_commit(task=new_task(department, [libraries["food"]], system_actor), actor=system_actor)
    assert caught.value.code == "supervision.pending_overlap"


def test_commit_publishes_the_seed_commitment_and_list_hash_and_reveal_matches(city, libraries, department,
                                                                              system_actor):
    task = services.task_commit(task=new_task(department, [libraries["food"]], system_actor), actor=system_actor)
    published = selectors.published_draw(task)
    assert published["seed"] is None and published["seed_commitment"] == commit_seed(task.seed)
    services.task_draw_start(task=task, actor=system_actor, enqueue=False)
    task = services.task_draw_execute(task_id=task.pk, actor=system_actor)
    published = selectors.published_draw(task)
    assert published["seed"] == task.seed and selectors.verify_published(published).matches
    assert "class" not in str(published["candidates"])  # classes are internal: only the stratum ratio is shown
    assert AuditEvent.objects.filter(event=1502, data__action="drawn").exists()


def test_each_drawn_object_gets_two_qualified_unconflicted_inspectors_of_the_task(city, libraries, department,
                                                                                   system_actor):
    services.conflict_declare(inspector=libraries["food_inspectors"][0], subject_key=uscc(16), reason="亲属任职",
                              actor=system_actor)
    task = drawn_task(department, [libraries["food"]], system_actor)
    for obj in task.drawn.all():
        team = list(obj.inspectors.all())
        assert len(team) >= 2 and all("食品" in i.qualifications and i.department_id == department.pk for i in team)
    conflicted = task.drawn.get(key=uscc(16))
    assert libraries["food_inspectors"][0] not in conflicted.inspectors.all()


def test_a_joint_task_visits_each_subject_once_with_inspectors_for_every_item(city, libraries, department,
                                                                               district_department, system_actor):
    task = drawn_task(department, [libraries["food"], libraries["equipment"]], system_actor,
                      joint_department_ids=[district_department.pk])
    assert task.drawn.count() == len(drawn_keys(task)) == len(task.candidates)
    for obj in task.drawn.all():
        assert {q for i in obj.inspectors.all() for q in i.qualifications} >= {"食品", "特种设备"}


def test_too_few_inspectors_leaves_nothing_half_drawn(city, libraries, department, system_actor):
    for inspector in libraries["food_inspectors"][1:]:
        services.conflict_declare(inspector=inspector, subject_key=uscc(16), reason="曾为该企业提供咨询", actor=system_actor)
    task = services.task_commit(task=new_task(department, [libraries["food"]], system_actor), actor=system_actor)
    services.task_draw_start(task=task, actor=system_actor, enqueue=False)
    with pytest.raises(DomainError) as caught:
        services.task_draw_execute(task_id=task.pk, actor=system_actor)
    assert caught.value.code == "supervision.too_few_inspectors" and uscc(16) in caught.value.message_zh
    task.refresh_from_db()
    assert task.status == "committed" and task.draw_error and not DrawnObject.objects.filter(task=task).exists()
    assert task.seed_revealed_at is None


def test_a_seed_that_does_not_match_its_commitment_is_refused(city, libraries, department, system_actor):
    task = services.task_commit(task=new_task(department, [libraries["food"]], system_actor), actor=system_actor)
    InspectionTask.objects.filter(pk=task.pk).update(seed="44" * 32)  # someone swapped the seed in the database
    services.task_draw_start(task=task, actor=system_actor, enqueue=False)
    with pytest.raises(DomainError) as caught:
        services.task_draw_execute(task_id=task.pk, actor=system_actor)
    assert caught.value.code == "supervision.seed_mismatch" and not task.drawn.exists()


def test_task_input_errors_are_named_by_field(libraries, department, system_actor, today):
    with pytest.raises(DomainError) as caught:
        services.task_create(department=department, name="", item_ids=[], base_ratio="120", planned_date="明天",
                             trigger="whim", actor=system_actor)
    fields = {p.field for p in caught.value.problems}
    assert fields == {"name", "item_ids", "base_ratio", "planned_date", "trigger"}
    with pytest.raises(DomainError) as caught:
        new_task(department, [libraries["food"]], system_actor, base_ratio="0")
    assert caught.value.field == "base_ratio"
    with pytest.raises(DomainError) as caught:  # an item of a department that is not part of the task
        new_task(department, [libraries["equipment"]], system_actor)
    assert caught.value.field == "item_ids"


def test_a_filter_selecting_nobody_is_refused(city, libraries, department, system_actor):
    task = new_task(department, [libraries["food"]], system_actor, object_filter={"keys": [uscc(99)]})
    with pytest.raises(DomainError) as caught:
        services.task_commit(task=task, actor=system_actor)
    assert caught.value.code == "supervision.nobody_selected" and caught.value.field == "object_filter"
    task.refresh_from_db()
    assert task.status == "draft" and not task.seed_commitment


def test_no_inspector_is_added_to_a_task_after_its_draw(city, libraries, department, system_actor):
    task = drawn_task(department, [libraries["food"]], system_actor)
    with pytest.raises(DomainError) as caught:
        services.task_inspectors_set(task=task, inspector_ids=[libraries["food_inspectors"][0].pk], actor=system_actor)
    assert caught.value.code == "supervision.after_draw"


def _assigned_object(task, inspector):
    return DrawnObject.objects.filter(task=task, inspectors=inspector).order_by("position").first()


def test_results_only_by_an_assigned_inspector(city, libraries, department, system_actor, operator):
    task = drawn_task(department, [libraries["food"]], system_actor)
    obj = _assigned_object(task, libraries["food_inspectors"][0])
    assert obj is not None
    with pytest.raises(DomainError) as caught:
        services.result_enter(drawn_object=obj, item=libraries["food"], outcome="no_problem", inspected_on=DAY,
                              actor=operator)
    assert caught.value.code == "supervision.not_assigned"


def test_a_negative_result_becomes_a_credit_record_and_publication_is_due_in_20_working_days(
        city, libraries, department, system_actor):
    task = drawn_task(department, [libraries["food"]], system_actor)
    obj = _assigned_object(task, libraries["food_inspectors"][0])
    with clock.pinned(dt.date(2026, 12, 3)):
        result = services.result_enter(drawn_object=obj, item=libraries["food"], outcome="corrected",
                                       inspected_on="2026-12-02", notes="过期食品未下架，已责令改正",
                                       actor=libraries["account"])
    assert result.publish_due == dt.date(2026, 12, 30)  # 20 working days after Wed 2 December
    record = CreditRecord.objects.get(pk=result.record_id)
    assert record.class_code == "spot_check_result" and record.subject_id == obj.subject_id
    assert record.fields["outcome"] == "corrected"
    with clock.pinned(dt.date(2026, 12, 31)):
        assert list(selectors.overdue_results(task=task)) == [result]
        assert services.results_publish(task=task, actor=system_actor) == 1
        assert not selectors.overdue_results(task=task).exists()
    assert list(selectors.published_results(task)) == [result]


def test_a_clean_result_makes_no_record_and_a_negative_one_needs_its_facts(city, libraries, department,
                                                                          system_actor):
    task = drawn_task(department, [libraries["food"]], system_actor)
    obj = _assigned_object(task, libraries["food_inspectors"][0])
    with clock.pinned(dt.date(2026, 12, 3)):
        with pytest.raises(DomainError) as caught:
            services.result_enter(drawn_object=obj, item=libraries["food"], outcome="referred",
                                  inspected_on="2026-12-02", notes="", actor=libraries["account"])
        assert caught.value.field == "notes"
        result = services.result_enter(drawn_object=obj, item=libraries["food"], outcome="no_problem",
                                       inspected_on="2026-12-02", actor=libraries["account"])
    assert result.record_id is None and InspectionResult.objects.count() == 1


def test_the_draw_runs_on_the_worker_with_progress(city, libraries, department, system_actor, run_worker,
                                                   django_capture_on_commit_callbacks):
    from pubcredit.jobs.models import JobProgress

    task = services.task_commit(task=new_task(department, [libraries["food"]], system_actor), actor=system_actor)
    with django_capture_on_commit_callbacks(execute=True):
        services.task_draw_start(task=task, actor=system_actor)
    run_worker()
    task.refresh_from_db()
    assert task.status == "drawn" and task.drawn.count() == len(task.candidates)
    assert JobProgress.objects.get(result_id=task.task_result_id).done == task.drawn.count()


def test_verify_draw_command_matches_a_real_draw_and_not_a_tampered_file(city, libraries, department, system_actor,
                                                                        tmp_path, capsys):
    import json

    task = drawn_task(department, [libraries["food"]], system_actor, base_ratio="30")
    call_command("verify_draw", task.code)
    assert "一致" in capsys.readouterr().out
    data = selectors.published_draw(task)
    data["candidates"] = data["candidates"] + [{"key": uscc(99), "ratio": "30.00"}]
    path = tmp_path / "draw.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SystemExit):
        call_command("verify_draw", file=str(path))
    assert "不一致" in capsys.readouterr().out


def test_figures_show_honest_subjects_left_alone_and_the_share_of_joint_tasks(city, libraries, department,
                                                                            district_department, system_actor):
    drawn_task(department, [libraries["food"]], system_actor)
    drawn_task(department, [libraries["food"], libraries["equipment"]], system_actor,
               joint_department_ids=[district_department.pk], trigger="higher_level")
    per_class = {row["class_code"]: row for row in selectors.inspections_per_class(year=2026)}
    assert per_class["honest"]["random"] == 0 and per_class["honest"]["other"] == 5
    assert per_class["serious"]["random"] == 5
    figures = selectors.figures(year=2026)
    assert figures["tasks"] == 2 and figures["joint_tasks"] == 1 and figures["joint_percent"] == 50
    assert figures["objects_drawn"] == 17 + 22


def test_the_daily_refresh_follows_a_new_evaluation_result(city, system_actor):
    from decimal import Decimal

    from pubcredit.evaluation.models import EvaluationResult, EvaluationRun
    from pubcredit.supervision.tasks import refresh_object_library

    subject = city[uscc(21)]
    run = EvaluationRun.objects.create(trigger="on_demand", as_of=clock.today(), period="2026-11-20",
                                       scorecard_version="zibo-v1", status="done", requested_by="test",
                                       created_at=clock.now())
    EvaluationResult.objects.create(run=run, subject=subject, as_of=run.as_of, scorecard_version="zibo-v1",
                                    score=Decimal(700), grade="D", class_code="serious", evaluated_at=clock.now())
    refresh_object_library.call()
    assert InspectionObject.objects.get(key=uscc(21)).class_name_zh == "严重失信"
