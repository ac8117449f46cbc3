"""The governance scorecards read the arrears ledger (部门考核 清欠按计划清偿, scorecard 2026.2): a department that owes
money past its agreed plan (逾期未清偿) is flagged on its own card; plans of debtors that are no platform department
count on the handling department's card; months scored under 2026.1 never change."""

import datetime as dt

import pytest

from pubcredit.accounts.services import department_create
from pubcredit.governance.models import ScorecardItem
from pubcredit.governance.services import scorecard_compute
from pubcredit.integrity import services
from pubcredit.rules import clock
from tests.factories import uscc
from tests.integrity.helpers import GOVERNMENT_DEBTOR, complaint_input

pytestmark = pytest.mark.django_db

INSTITUTION = uscc(503, registrar="12")  # a 事业单位 that is no platform department


def _planned(debtor_uscc, debtor_name, last_day, *, public_actor, operator, handler, amount="10000"):
    with clock.pinned(dt.date(2026, 12, 1)):
        complaint = services.arrears_complaint_file(**complaint_input(debtor_uscc=debtor_uscc, debtor_name=debtor_name),
                                                    actor=public_actor)
        services.arrears_complaint_assign(complaint=complaint, department=handler.department, actor=operator)
        services.arrears_complaint_verify(complaint=complaint, confirmed=True, amount_owed=amount, note="",
                                          verified_on=dt.date(2026, 12, 1), actor=handler)
        services.arrears_plan_agree(complaint=complaint, plan_last_day=last_day, plan_note="一次付清", actor=handler)
    return complaint


def _card(department, as_of, month=dt.date(2026, 12, 1)):
    with clock.pinned(as_of):
        return scorecard_compute(department=department, month=month, as_of=as_of, freeze=False)


def test_a_department_owing_past_its_plan_is_flagged_on_its_own_scorecard(public_actor, operator, handler,
                                                                         system_actor):
    debtor_department = department_create(code="MOUJU", name="淄博市某某局", uscc=GOVERNMENT_DEBTOR,
                                          actor=system_actor)
    owed = _planned(GOVERNMENT_DEBTOR, "淄博市某某局", dt.date(2026, 12, 10), public_actor=public_actor,
                    operator=operator, handler=handler)
    on_time = _planned(INSTITUTION, "淄博市某某中心", dt.date(2026, 12, 10), public_actor=public_actor, operator=operator,
                       handler=handler)
    with clock.pinned(dt.date(2026, 12, 9)):
        services.arrears_payment_record(complaint=on_time, amount="10000", paid_on=dt.date(2026, 12, 9), actor=handler)
    assert _card(debtor_department, dt.date(2026, 12, 10)).figures["arrears_cleared_on_plan"]["total"] == 0  # not due
    card = _card(debtor_department, dt.date(2026, 12, 15))
    assert card.rule_version == "governance_scorecard@2026.2"
    assert (card.figures["arrears_cleared_on_plan"]["total"], card.figures["arrears_cleared_on_plan"]["failing"]) == (1, 1)
    [item] = ScorecardItem.objects.filter(scorecard=card, figure="arrears_cleared_on_plan")
    assert (item.object_type, item.reference) == ("arrears_complaint", owed.number)
    assert item.detail == "本单位欠款，还款计划期限2026-12-10，期末仍未清偿"
    # the handling department answers for the institution's plan (no platform department), paid on time
    handling = _card(handler.department, dt.date(2026, 12, 15))
    assert (handling.figures["arrears_cleared_on_plan"]["total"],
            handling.figures["arrears_cleared_on_plan"]["failing"]) == (1, 0)
    # paid late on 16 December: still failing for December (cleared after the plan's day)
    with clock.pinned(dt.date(2026, 12, 16)):
        services.arrears_payment_record(complaint=owed, amount="10000", paid_on=dt.date(2026, 12, 16), actor=handler)
    card = _card(debtor_department, dt.date(2026, 12, 31))
    assert card.figures["arrears_cleared_on_plan"]["failing"] == 1
    assert ScorecardItem.objects.get(scorecard=card, figure="arrears_cleared_on_plan").detail.endswith("2026-12-16清偿")


def test_a_month_scored_under_2026_1_has_no_arrears_figure(public_actor, operator, handler, system_actor):
    debtor_department = department_create(code="MOUJU", name="淄博市某某局", uscc=GOVERNMENT_DEBTOR,
                                          actor=system_actor)
    card = _card(debtor_department, dt.date(2026, 11, 30), month=dt.date(2026, 11, 1))
    assert card.rule_version == "governance_scorecard@2026.1" and "arrears_cleared_on_plan" not in card.figures
