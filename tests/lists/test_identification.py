"""The identification workflow of lists decided in the city (认定程序, 国办发〔2020〕49号): legal-basis check, prior
notice with the defence deadline in working days, decision with removal conditions and remedies, push."""

import datetime as dt

import pytest

from pubcredit.audit.models import AuditEvent
from pubcredit.lists.models import ListEntry
from pubcredit.lists.services import (identification_check_basis, identification_decide, identification_drop,
                                      identification_notify, identification_open, identification_push,
                                      identification_record_defence)
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from tests.factories import resident_id, uscc

pytestmark = pytest.mark.django_db

TAX_EXTRA = {"violation_category": "tax_evasion", "violation_facts": "经查，少缴税款120万元，占应纳税额15%。",
             "tax_decision": "依据《税收征收管理法》第六十三条，追缴税款并处罚款。"}


def open_tax_case(department, actor, **overrides):
    values = {"list_code": "major_tax_violator", "department": department, "subject_name": "淄博偷税测试有限公司",
              "subject_category": "legal_person", "uscc": uscc(41), "grounds": "偷税数额120万元以上且占应纳税额10%以上",
              "cited_basis": "《重大税收违法失信主体信息公布管理办法》第六条第一项",
              "finding_document": "淄税稽罚〔2026〕12号", "extra": TAX_EXTRA, "actor": actor}
    values.update(overrides)
    return identification_open(**values)


def on(day: str):
    return clock.pinned(dt.date.fromisoformat(day))


def test_full_workflow_from_case_to_entry(department, system_actor):
    with on("2026-09-21"):
        case = open_tax_case(department, system_actor)
        assert case.state == "draft" and case.rule_version == "list:major_tax_violator@2026.1"
        identification_check_basis(case=case, actor=system_actor)
        assert case.state == "basis_checked" and case.basis_check["ok"]
        # Order 54 is a department rule: accepted as an interim basis, with a warning (49号)
        assert [w["code"] for w in case.basis_check["warnings"]] == ["identification.interim_basis"]
    with on("2026-09-28"):
        identification_notify(case=case, notice_no="淄税告〔2026〕3号", served_on=dt.date(2026, 9, 28), actor=system_actor)
    # 5 working days for 陈述申辩 (Order 54 第九条, 第二十五条): the National Day holiday (10-01…10-07) does not count, the
    # make-up working day Saturday 10-10 does
    assert case.state == "notified" and case.defence_deadline == dt.date(2026, 10, 10)
    with on("2026-10-10"), pytest.raises(DomainError) as err:
        identification_decide(case=case, decision_no="淄税稽确〔2026〕1号", decision_date=dt.date(2026, 10, 10),
                              actor=system_actor)
    assert err.value.code == "identification.defence_period"
    case.refresh_from_db()
    with on("2026-10-12"):
        identification_decide(case=case, decision_no="淄税稽确〔2026〕1号", decision_date=dt.date(2026, 10, 12),
                              effective_date=dt.date(2026, 10, 15), actor=system_actor)
    assert case.state == "decided" and "提前停止公布" in case.removal_conditions and "行政复议" in case.remedies
    with on("2026-10-16"):
        identification_push(case=case, actor=system_actor)
    entry = ListEntry.objects.get()
    assert case.state == "pushed" and case.record_id == entry.record_id
    assert (entry.list_code, entry.decision_no, entry.effective_date) == ("major_tax_violator", "淄税稽确〔2026〕1号",
                                                                          dt.date(2026, 10, 15))
    assert entry.planned_end == dt.date(2029, 10, 14) and not entry.pushed_late  # 3 years; pushed within 7 WD
    assert entry.identifying_unit == department.name
    actions = list(AuditEvent.objects.filter(object_type="identification_case").values_list("action", flat=True))
    assert actions == ["list_case.open", "list_case.check_basis", "list_case.notify", "list_case.decide",
                       "list_case.push"]


def test_defence_recorded_lets_the_decision_come_early(department, system_actor):
    with on("2026-11-16"):
        case = open_tax_case(department, system_actor)
        identification_check_basis(case=case, actor=system_actor)
        identification_notify(case=case, notice_no="告1", served_on=dt.date(2026, 11, 16), actor=system_actor)
        with pytest.raises(DomainError):
            identification_record_defence(case=case, defence="已补缴", reply="", received_on=dt.date(2026, 11, 16),
                                          actor=system_actor)
        case.refresh_from_db()
        identification_record_defence(case=case, defence="已补缴部分税款", reply="不影响认定，不予采纳",
                                      received_on=dt.date(2026, 11, 16), actor=system_actor)
        identification_decide(case=case, decision_no="确1", decision_date=dt.date(2026, 11, 16), actor=system_actor)
    assert case.state == "decided"


def test_basis_check_refuses_a_case_without_the_lists_basis_or_a_finding_document(department, system_actor):
    with on("2026-11-16"):
        case = open_tax_case(department, system_actor, cited_basis="《中华人民共和国广告法》第五十五条",
                             finding_document="")
        with pytest.raises(DomainError) as err:
            identification_check_basis(case=case, actor=system_actor)
    codes = {p.code for p in err.value.problems}
    assert codes == {"identification.basis_mismatch", "identification.finding_document_required"}
    case.refresh_from_db()
    assert case.state == "draft" and case.basis_check["ok"] is False


def test_a_black_list_cannot_be_decided_without_notice(department, system_actor):
    with on("2026-11-16"):
        case = open_tax_case(department, system_actor)
        identification_check_basis(case=case, actor=system_actor)
        with pytest.raises(DomainError) as err:
            identification_decide(case=case, decision_no="确1", decision_date=dt.date(2026, 11, 16), actor=system_actor)
    assert err.value.code == "identification.notice_required"


def test_an_honour_is_decided_without_notice_and_pushed_late_is_flagged(department, system_actor):
    with on("2026-11-02"):
        case = identification_open(list_code="integrity_honor", department=department, subject_name="淄博诚信测试有限公司",
                                   subject_category="legal_person", uscc=uscc(42), grounds="连续五年无失信记录",
                                   cited_basis="《山东省社会信用条例》第二十六条", finding_document="淄政字〔2026〕8号",
                                   extra={"honor_name": "淄博市诚信示范企业"}, actor=system_actor)
        identification_check_basis(case=case, actor=system_actor)
        identification_decide(case=case, decision_no="淄政字〔2026〕8号", decision_date=dt.date(2026, 11, 2),
                              actor=system_actor)
    with on("2026-11-20"):  # 14 working days later
        identification_push(case=case, actor=system_actor)
    entry = ListEntry.objects.get()
    assert entry.kind == "red" and entry.pushed_late and entry.push_delay_working_days == 14
    assert entry.planned_end == dt.date(2029, 11, 1)


def test_a_natural_person_case_keeps_the_number_encrypted_until_push(department, system_actor):
    number = resident_id(5)
    with on("2026-11-02"):
        case = identification_open(list_code="integrity_honor", department=department, subject_name="王五",
                                   subject_category="natural_person", id_number=number, grounds="见义勇为",
                                   cited_basis="《山东省社会信用条例》第二十六条", finding_document="淄文明〔2026〕1号",
                                   extra={"honor_name": "淄博好人"}, actor=system_actor)
    assert case.id_masked == number[:6] + "********" + number[-4:] and number not in case.id_encrypted
    with on("2026-11-03"):
        identification_check_basis(case=case, actor=system_actor)
        identification_decide(case=case, decision_no="淄文明〔2026〕1号", decision_date=dt.date(2026, 11, 3),
                              actor=system_actor)
        identification_push(case=case, actor=system_actor)
    assert ListEntry.objects.get().subject.id_masked == case.id_masked


def test_cases_are_only_for_city_lists_and_need_the_lists_own_fields(department, system_actor):
    with on("2026-11-16"):
        with pytest.raises(DomainError) as err:
            open_tax_case(department, system_actor, list_code="court_dishonest_debtor")
        assert err.value.code == "identification.not_city_list"
        with pytest.raises(DomainError) as err:
            open_tax_case(department, system_actor, extra={})
        assert {p.field for p in err.value.problems} == {"extra.violation_category", "extra.violation_facts",
                                                        "extra.tax_decision"}
        with pytest.raises(DomainError) as err:
            open_tax_case(department, system_actor, uscc="91370303MA0000010X")
        assert err.value.code == "uscc.checksum"


def test_drop_and_no_way_back(department, system_actor):
    with on("2026-11-16"):
        case = open_tax_case(department, system_actor)
        identification_drop(case=case, reason="当事人在公布前已缴清税款、滞纳金和罚款（令第54号第十四条）", actor=system_actor)
        with pytest.raises(DomainError) as err:
            identification_check_basis(case=case, actor=system_actor)
    assert case.state == "dropped" and err.value.code == "identification.transition"


def test_tax_order_54_art_9_defence_period_into_an_unloaded_year_is_provisional_and_holds_the_decision(
        department, system_actor):
    """令第54号 第九条: 5 (working, 第二十五条) days to state a defence. Served Thursday 2027-02-04, two days before the
    2027 lunar new year, while 2027's holiday schedule is not loaded: Monday to Friday would end it 2027-02-11 in the
    holiday week. The deadline takes the longest holiday 2027 could hold, and no decision is made until an operator
    loads the year; then the real deadline counts."""
    from pubcredit.lists.selectors import case_deadlines
    from pubcredit.workdays.services import calendar_day_set

    with on("2027-02-01"):
        case = open_tax_case(department, system_actor)
        identification_check_basis(case=case, actor=system_actor)
    with on("2027-02-04"):
        identification_notify(case=case, notice_no="淄税告〔2027〕1号", served_on=dt.date(2027, 2, 4), actor=system_actor)
        assert case.defence_deadline >= dt.date(2027, 2, 19)
        assert "2027年节假日安排尚未载入" in case_deadlines(case).defence_provisional
    notified = AuditEvent.objects.filter(action="list_case.notify").get()
    assert notified.data["defence_deadline_provisional"] is True
    with on("2027-03-01"), pytest.raises(DomainError) as err:
        identification_decide(case=case, decision_no="淄税稽确〔2027〕1号", decision_date=dt.date(2027, 3, 1),
                              actor=system_actor)
    assert err.value.code == "identification.deadline_provisional"
    case.refresh_from_db()
    for day in ("2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11", "2027-02-12"):
        calendar_day_set(day=dt.date.fromisoformat(day), kind="holiday", name="春节", actor=system_actor)
    with on("2027-03-01"):
        now = case_deadlines(case)
        assert now.defence_provisional == "" and now.defence_until == dt.date(2027, 2, 19)  # shown before deciding
        identification_decide(case=case, decision_no="淄税稽确〔2027〕1号", decision_date=dt.date(2027, 3, 1),
                              actor=system_actor)
    case.refresh_from_db()
    # Thursday 02-04 + 5 working days with 02-05…02-12 off: 02-15, 16, 17, 18, 19
    assert case.state == "decided" and case.defence_deadline == dt.date(2027, 2, 19)
