"""Department scorecards (部门考核, issue 20 item 2): each figure on hand-built data, across a holiday; a frozen
month does not move when late data arrives; the drill-down lists add up to the figures, for departments, districts
and the city."""

from __future__ import annotations

import datetime as dt

import pytest

from pubcredit.audit.models import AuditEvent
from pubcredit.governance.counting import Period, count_figures
from pubcredit.governance.models import DepartmentScorecard, ScorecardItem
from pubcredit.governance.rulebook import scorecard_rule
from pubcredit.governance.selectors import figure_rows, month_board
from pubcredit.governance.services import scorecard_compute, scorecards_compute
from pubcredit.repair.models import Objection, RepairApplication
from pubcredit.rules import clock
from tests.figures.test_figures import error, other_department, penalties, refuse, submit, when
from tests.factories import penalty

pytestmark = pytest.mark.django_db

OCTOBER = dt.date(2026, 10, 1)


def card_for(department, month=OCTOBER, as_of=dt.date(2026, 10, 31), freeze=False):
    with clock.pinned(as_of):
        return scorecard_compute(department=department, month=month, as_of=as_of, freeze=freeze)


def test_guofa_2016_33_double_publicity_within_7_working_days_across_national_day(department, system_actor):
    """Decided 2026-09-28 (Monday before the National Day holiday: 10-01…10-07 off, Saturday 10-10 worked):
    received 10-13 is the 7th working day (on time), 10-14 the 8th (late). Counted by calendar days both would be
    late; counted Monday–Friday only, 10-14 would be the 12th. The card says 1 of 2 late, and the drill-down
    names that record."""
    submit(department, system_actor, penalties(1, 1, "2026-09-28"), when("2026-10-13"))
    submit(department, system_actor, penalties(2, 1, "2026-09-28"), when("2026-10-14"))
    card = card_for(department)
    figure = card.figures["double_publicity_on_time"]
    assert (figure["total"], figure["failing"], figure["value"], figure["status"]) == (2, 1, 0.5, "red")
    assert card.figures["realtime_sharing"]["failing"] == 1  # the class deadline is the same 7 working days
    late = list(ScorecardItem.objects.filter(scorecard=card, figure="double_publicity_on_time"))
    assert [item.reference for item in late] == ["淄市监罚〔2026〕2号"]
    assert "第8个工作日" in late[0].detail and late[0].object_type == "record"
    assert card.sharing_status == "not_sharing"  # 50 % on time is below the sharing rule's 90 %


def test_a_green_card_scores_100_and_figures_without_rows_are_left_out(department, system_actor):
    submit(department, system_actor, penalties(1, 3, "2026-10-12"), when("2026-10-13"))
    card = card_for(department)
    assert card.score == 100.0
    assert card.figures["realtime_sharing"]["status"] == "green"
    assert card.figures["check_feedback"] == {"total": 0, "failing": 0, "value": None, "target": 0.95,
                                              "weight": 10.0, "points": None, "status": "none"}


def test_wrong_code_rejection_and_correction_rates(department, system_actor):
    submit(department, system_actor, penalties(1, 3, "2026-10-12"), when("2026-10-13"))
    refuse(department, when("2026-10-14"), [
        [error("uscc.checksum", "subject_uscc", "校验位错误")],
        [error("id.birth_date", "id_number", "出生日期无效"), error("required", "decision_no", "文号为空")],
        [error("required", "decision_no", "文号为空")],  # refused, but not a wrong code
        [error("uscc.checksum_confirmed", "subject_uscc", "已确认")],  # accepted codes are not wrong codes
    ])
    # a correction: the same decision re-sent with other facts is a new version of record 1
    submit(department, system_actor, [penalty(1, decision_date="2026-10-12", valid_until="2027-12-31",
                                              violation_facts="经复查，更正违法事实。")], when("2026-10-20"))
    card = card_for(department)
    assert (card.figures["rejection_rate"]["total"], card.figures["rejection_rate"]["failing"]) == (7, 4)
    assert (card.figures["wrong_code_rate"]["total"], card.figures["wrong_code_rate"]["failing"]) == (7, 2)
    assert card.figures["wrong_code_rate"]["value"] == round(2 / 7, 4)
    assert (card.figures["correction_rate"]["total"], card.figures["correction_rate"]["failing"]) == (3, 1)
    wrong = ScorecardItem.objects.filter(scorecard=card, figure="wrong_code_rate").order_by("id")
    assert [item.detail for item in wrong] == ["行政处罚：uscc.checksum", "行政处罚：id.birth_date"]


def _application(record, department, **dates):
    defaults = {"state": "received", "contact_name_encrypted": "x", "contact_phone_encrypted": "x",
                "proof_description": "证明", "commitment_text": "承诺", "answer_due": dt.date(2026, 12, 31),
                "regime": "test", "accept_working_days": 3, "decide_working_days": 10, "extension_working_days": 10,
                "rule_version": "test", "created_at": when("2026-10-01"), "updated_at": when("2026-10-01"),
                "authority": department.name}
    return RepairApplication.objects.create(record=record, subject=record.subject, department=department,
                                            **(defaults | dates))


def test_repair_and_objection_handling_against_their_limits(department, system_actor):
    """Decided after the limit, or still open at the month's end with the limit passed: late. Decided after the
    month's end counts as not decided at that end."""
    submit(department, system_actor, penalties(1, 1, "2026-09-01"), when("2026-09-03"))
    record = department.records.get()
    on_time = _application(record, department, received_on=dt.date(2026, 10, 8), accept_due=dt.date(2026, 10, 12),
                           accepted_on=dt.date(2026, 10, 9), decide_due=dt.date(2026, 10, 23),
                           decided_on=dt.date(2026, 10, 20), state="granted")
    late = _application(record, department, received_on=dt.date(2026, 10, 8), accept_due=dt.date(2026, 10, 12),
                        accepted_on=dt.date(2026, 10, 9), decide_due=dt.date(2026, 10, 23),
                        decided_on=dt.date(2026, 10, 27), state="refused")
    open_late = _application(record, department, received_on=dt.date(2026, 10, 20), accept_due=dt.date(2026, 10, 23),
                             decided_on=dt.date(2026, 11, 3), state="not_accepted")
    _application(record, department, received_on=dt.date(2026, 10, 28), accept_due=dt.date(2026, 11, 2))  # not due
    Objection.objects.create(record=record, department=department, state="received", objector_name_encrypted="x",
                             objector_contact_encrypted="x", grounds="理由", received_on=dt.date(2026, 10, 26),
                             forward_due=dt.date(2026, 10, 27), rule_version="t", created_at=when("2026-10-26"),
                             updated_at=when("2026-10-26"))
    card = card_for(department)
    repair = card.figures["repair_on_time"]
    assert (repair["total"], repair["failing"]) == (3, 2)
    assert sorted(ScorecardItem.objects.filter(scorecard=card, figure="repair_on_time")
                  .values_list("object_id", flat=True)) == sorted([late.pk, open_late.pk])
    assert on_time.pk not in ScorecardItem.objects.filter(object_type="repair_application").values_list(
        "object_id", flat=True)
    assert (card.figures["objection_on_time"]["total"], card.figures["objection_on_time"]["failing"]) == (1, 1)


def test_zibo_31_item_10_check_feedback_and_item_8_list_pushes_within_7_working_days(department, system_actor):
    """应惩必惩: a check that hit a measure needs feedback by the month's end (feedback after it does not count);
    a list entry pushed after its 7 working days counts as a late push."""
    import uuid

    from pubcredit.lists.models import ListEntry
    from pubcredit.sanctions.models import Check, CheckFeedback

    def check(day: str, complete: bool, **extra):
        return Check.objects.create(check_id=uuid.uuid4(), department=department, channel="api", actor_label="t",
                                    scenario="procurement", identifier_kind="uscc", subject_code="x",
                                    as_of=when(day), as_of_date=dt.date.fromisoformat(day), rulebook_version="t",
                                    feedback_required=True, feedback_complete=complete, **extra)

    answered = check("2026-10-09", True)
    CheckFeedback.objects.create(check_row=answered, measure_code="m", applied=True, actor_label="t",
                                 created_at=when("2026-10-12"))
    unanswered = check("2026-10-20", False)
    answered_late = check("2026-10-28", True)
    CheckFeedback.objects.create(check_row=answered_late, measure_code="m", applied=True, actor_label="t",
                                 created_at=when("2026-11-02"))
    Check.objects.create(check_id=uuid.uuid4(), department=department, channel="api", actor_label="t",
                         scenario="procurement", identifier_kind="uscc", subject_code="x", as_of=when("2026-10-21"),
                         as_of_date=dt.date(2026, 10, 21), rulebook_version="t")  # no measure hit: no feedback due

    submit(department, system_actor, penalties(1, 2, "2026-10-12"), when("2026-10-13"))
    records = list(department.records.order_by("id"))
    for record, late in zip(records, (False, True)):
        ListEntry.objects.create(record=record, list_code="samr_serious", kind="black", subject=record.subject,
                                 department=department, identifying_unit=department.name,
                                 decision_no=record.decision_no, decision_date=dt.date(2026, 9, 28),
                                 effective_date=dt.date(2026, 9, 28), term_source="none", term_reason="t",
                                 push_delay_working_days=8 if late else 3, push_deadline_working_days=7,
                                 pushed_late=late, record_version=1, rule_version="t", created_at=when("2026-10-14"),
                                 updated_at=when("2026-10-14"))
    card = card_for(department)
    feedback = card.figures["check_feedback"]
    assert (feedback["total"], feedback["failing"], feedback["value"]) == (3, 2, round(1 / 3, 4))
    assert set(ScorecardItem.objects.filter(scorecard=card, figure="check_feedback")
               .values_list("object_id", flat=True)) == {unanswered.pk, answered_late.pk}
    pushes = card.figures["list_push_on_time"]
    assert (pushes["total"], pushes["failing"], pushes["status"]) == (2, 1, "red")
    assert "第8个工作日推送" in ScorecardItem.objects.get(scorecard=card, figure="list_push_on_time").detail


def test_commitments_verified_by_their_due_day_moved_past_national_day(department, system_actor):
    """A verification date on a holiday moves to the next working day (10-03 → 10-08, commitments rule); verified
    10-09 is late, 10-08 on time; due 10-20 and unverified at the month's end: late."""
    from pubcredit.commitments.services import commitment_accept, commitment_verify
    from tests.commitments.helpers import commitment

    with clock.pinned(dt.date(2026, 9, 25)):
        late = commitment_accept(department=department, actor=system_actor, values=commitment(
            1, decision_date="2026-09-25", verification_date="2026-10-03"))
        on_time = commitment_accept(department=department, actor=system_actor, values=commitment(
            2, decision_date="2026-09-25", verification_date="2026-10-05"))
        commitment_accept(department=department, actor=system_actor, values=commitment(
            3, decision_date="2026-09-25", verification_date="2026-10-20"))
        commitment_accept(department=department, actor=system_actor, values=commitment(
            4, decision_date="2026-09-25", verification_date="2026-11-20"))  # due next month
    with clock.pinned(dt.date(2026, 10, 9)):
        commitment_verify(record=late, department=department, verified_on="2026-10-09", fulfilled=True, note="核查",
                          actor=system_actor)
        commitment_verify(record=on_time, department=department, verified_on="2026-10-08", fulfilled=True,
                          note="核查", actor=system_actor)
    card = card_for(department)
    figure = card.figures["commitment_verified_on_time"]
    assert (figure["total"], figure["failing"]) == (3, 2)
    details = sorted(ScorecardItem.objects.filter(scorecard=card, figure="commitment_verified_on_time")
                     .values_list("detail", flat=True))
    assert details == ["核查期限2026-10-08，2026-10-09核查", "核查期限2026-10-20，期末未核查"]


def test_a_frozen_month_does_not_change_when_late_data_arrives(department, system_actor):
    submit(department, system_actor, penalties(1, 2, "2026-10-12"), when("2026-10-13"))
    with clock.pinned(dt.date(2026, 11, 2)):
        result = scorecards_compute(actor=system_actor)
    assert result.frozen == ["2026-10"] and result.computed == ["2026-10", "2026-11"]
    october = DepartmentScorecard.objects.get(department=department, month=OCTOBER)
    assert october.frozen and october.as_of == dt.date(2026, 10, 31)
    before = (october.figures, october.score, october.computed_at)

    # late data: a record of October reaches the platform afterwards, dated in October (e.g. a replayed import)
    submit(department, system_actor, penalties(3, 1, "2026-09-01"), when("2026-10-30"))
    with clock.pinned(dt.date(2026, 11, 3)):
        again = scorecards_compute(actor=system_actor)
    october.refresh_from_db()
    assert (october.figures, october.score, october.computed_at) == before
    assert again.frozen == [] and again.skipped_frozen == 1
    # counting October afresh would see it: the card is frozen, not blind
    fresh = count_figures(department, Period(OCTOBER, dt.date(2026, 10, 31), scorecard_rule(dt.date(2026, 10, 31))))
    assert fresh["realtime_sharing"][0] == 3 and october.figures["realtime_sharing"]["total"] == 2
    assert AuditEvent.objects.filter(event=2001).count() == 3  # Oct frozen, Nov twice


def test_drill_down_lists_add_up_to_the_figures_for_departments_districts_and_the_city(
        operator, department, district_department, system_actor):
    second = other_department(system_actor, code="ZD-SW", name="张店区税务局", n=8, district="zhangdian")
    submit(department, system_actor, penalties(1, 2, "2026-09-28"), when("2026-10-14"))  # 2 late
    submit(district_department, system_actor, penalties(10, 1, "2026-09-28"), when("2026-10-15"))  # 1 late
    submit(district_department, system_actor, penalties(11, 2, "2026-10-12"), when("2026-10-13"))
    submit(second, system_actor, penalties(20, 1, "2026-09-28"), when("2026-10-16"))  # 1 late
    refuse(second, when("2026-10-16"), [[error("uscc.length", "subject_uscc", "长度错误")]] * 2)
    with clock.pinned(dt.date(2026, 11, 2)):
        scorecards_compute(actor=system_actor)
        board = month_board(viewer=operator, month=OCTOBER)
        district = next(row for row in board.districts if row.code == "district:zhangdian")
        for row in [*board.departments, district, board.city]:
            for cell in row.cells:
                drill = figure_rows(viewer=operator, month=OCTOBER, figure=cell.key, scope_code=row.code)
                assert len(drill.rows) == drill.failing == cell.failing, (row.code, cell.key)
    realtime = {c.key: c for c in district.cells}["realtime_sharing"]
    assert (realtime.total, realtime.failing) == (4, 2)
    assert {c.key: c for c in board.city.cells}["realtime_sharing"].failing == 4
    assert {c.key: c for c in board.city.cells}["wrong_code_rate"].failing == 2
    assert board.frozen and board.departments[0].score <= board.departments[-1].score


# -- version 2026.3: 双公示 field completeness and validity; inspections' results published on time -----------------

JANUARY = dt.date(2027, 1, 1)


def test_guofa_2016_33_double_publicity_fields_complete_and_valid(department, system_actor, operator):
    """双公示信息质量: of the 双公示 rows the department sent in the month (3 records + 2 refused), the refused ones are
    incomplete (缺项) or invalid (无效); a refused row of another class is not a 双公示 row. Drill-down = failing."""
    submit(department, system_actor, penalties(1, 3, "2027-01-04"), when("2027-01-05"))
    refuse(department, when("2027-01-06"), [
        [error("required", "decision_no", "文号为空"), error("required", "decision_date", "日期为空")],
        [error("uscc.checksum", "subject_uscc", "校验位错误"), error("date.format", "valid_until", "日期格式错误")],
    ])
    refuse(department, when("2027-01-06"), [[error("required", "decision_no", "文号为空")]],
           class_code="credit_commitment")
    card = card_for(department, month=JANUARY, as_of=dt.date(2027, 1, 31))
    assert card.rule_version == "governance_scorecard@2026.3"
    figure = card.figures["double_publicity_fields"]
    assert (figure["total"], figure["failing"], figure["value"], figure["status"]) == (5, 2, 0.6, "red")
    details = list(ScorecardItem.objects.filter(scorecard=card, figure="double_publicity_fields")
                   .order_by("id").values_list("detail", flat=True))
    assert details == ["行政处罚：缺项 decision_date、decision_no", "行政处罚：无效 uscc.checksum、date.format"]
    with clock.pinned(dt.date(2027, 1, 31)):
        drill = figure_rows(viewer=operator, month=JANUARY, figure="double_publicity_fields",
                            scope_code=department.code)
    assert len(drill.rows) == drill.failing == 2 and drill.figure_name == "双公示字段完整有效"
    # an inspections figure without rows is 无数据, neither points nor penalty
    assert card.figures["inspection_results_published_on_time"]["status"] == "none"


def test_december_2026_cards_keep_version_2026_2_without_the_new_figures(department, system_actor):
    submit(department, system_actor, penalties(1, 1, "2026-12-01"), when("2026-12-02"))
    card = card_for(department, month=dt.date(2026, 12, 1), as_of=dt.date(2026, 12, 31))
    assert "double_publicity_fields" not in card.figures and "arrears_cleared_on_plan" in card.figures


def test_enterprise_info_disclosure_art_6_inspection_results_published_within_20_working_days_across_national_day(
        department, district_department):
    """Inspected Friday 2026-09-25: the 20th working day is 2026-10-29 on the platform's calendar (National Day off,
    Saturday 10-10 worked; Monday–Friday only would give 10-23). Published 10-29 on time, 10-30 late; inspected
    09-28, due 10-30 and still unpublished at the month's end: late; due in November: not counted; another
    department's task: not counted."""
    from pubcredit.governance.counting import inspection_results_published_on_time
    from pubcredit.workdays.selectors import add_working_days
    from tests.governance.helpers import inspection_result, inspection_task

    due = add_working_days(dt.date(2026, 9, 25), 20).value
    assert due == dt.date(2026, 10, 29)
    task = inspection_task(department, "SJ-2026-01")
    inspection_result(task, 1, inspected=dt.date(2026, 9, 25), due=due, published=dt.date(2026, 10, 29))
    late = inspection_result(task, 2, inspected=dt.date(2026, 9, 25), due=due, published=dt.date(2026, 10, 30))
    unpublished = inspection_result(task, 3, inspected=dt.date(2026, 9, 28),
                                    due=add_working_days(dt.date(2026, 9, 28), 20).value, published=None)
    inspection_result(task, 4, inspected=dt.date(2026, 10, 20), due=dt.date(2026, 11, 17), published=None)
    other = inspection_task(district_department, "SJ-2026-02")
    inspection_result(other, 5, inspected=dt.date(2026, 9, 25), due=due, published=None)

    total, failing = inspection_results_published_on_time(
        department, Period(OCTOBER, dt.date(2026, 10, 31), scorecard_rule(dt.date(2026, 10, 31))))
    assert total == 3
    assert [(i.object_id, i.detail) for i in failing] == [
        (late.pk, "公示期限2026-10-29，2026-10-30公示"), (unpublished.pk, "公示期限2026-10-30，期末未公示")]
    assert failing[0].reference == "SJ-2026-01 · 食品经营者经营行为检查"
