"""Pure government-integrity rules: which debtors the arrears ledger takes (GB 32100 表1), its deadlines across the
National Day holiday (《保障中小企业款项支付条例》第二十五条), status moves, payments and the past-plan flag."""

import datetime as dt
from decimal import Decimal

import pytest

from pubcredit.integrity.rulebook import arrears_book
from pubcredit.rules.calendar import WorkCalendar
from pubcredit.rules.errors import DomainError
from pubcredit.rules.integrity import (
    TRANSITIONS, ArrearsFacts, arrears_flags, check_amount, check_payment, check_verify_extension, classify_debtor,
    due_date, next_due, next_status, parse_rulebook, share)
from pubcredit.rulebook.loader import load_yaml
from tests.factories import uscc

# 2026 National Day: 1–7 October off, Saturday 10 October worked
CALENDAR = WorkCalendar.from_days(holidays=[dt.date(2026, 10, d) for d in range(1, 8)],
                                  workdays=[dt.date(2026, 10, 10)])
BOOK = parse_rulebook(load_yaml("integrity/arrears.yaml"))


def test_gb32100_table1_organ_and_public_institution_are_government():
    assert classify_debtor(uscc(1, registrar="11"), state_owned=False).kind == "government_body"
    assert classify_debtor(uscc(1, registrar="12"), state_owned=False).kind == "public_institution"
    assert classify_debtor(uscc(1, registrar="11"), state_owned=False).category_zh == "机构编制 · 机关"


def test_enterprise_is_in_scope_only_with_the_state_owned_flag():
    assert classify_debtor(uscc(1), state_owned=True).kind == "state_enterprise"
    private = classify_debtor(uscc(1), state_owned=False)
    assert not private.in_scope and private.category_zh == "工商（市场监督管理） · 企业"


@pytest.mark.parametrize("registrar", ["51", "52", "92", "93", "13"])
def test_social_organisations_and_individual_businesses_are_routed_elsewhere(registrar):
    # a 社会团体 or 个体工商户 is no 机关/事业单位 even if someone marked it state-owned
    assert not classify_debtor(uscc(1, registrar=registrar), state_owned=True).in_scope


@pytest.mark.parametrize("registrar", ["13", "51", "52", "53", "59"])
def test_regulation_art36_groups_using_fiscal_funds_are_taken_like_organs(registrar):
    # 部分或者全部使用财政资金的团体组织 … 参照本条例对机关、事业单位的有关规定执行
    assert classify_debtor(uscc(1, registrar=registrar), state_owned=False, fiscal_funded=True).kind == "fiscal_group"
    assert not classify_debtor(uscc(1, registrar=registrar), state_owned=False).in_scope
    assert not classify_debtor(uscc(1, registrar="92"), state_owned=False, fiscal_funded=True).in_scope  # 个体工商户
    assert not classify_debtor(uscc(1), state_owned=False, fiscal_funded=True).in_scope  # an enterprise


def test_regulation_art25_transfer_within_10_working_days_across_national_day():
    # accepted Monday 28 September: 29, 30 Sept, 8, 9, 10 (make-up Saturday), 12, 13, 14, 15, 16 October
    assert due_date(dt.date(2026, 9, 28), BOOK.deadlines.assign, CALENDAR) == dt.date(2026, 10, 16)


def test_regulation_art25_result_within_30_days_moves_off_a_holiday():
    # 30 calendar days after 2 September is 2 October, a holiday: the next working day, 8 October
    assert due_date(dt.date(2026, 9, 2), BOOK.deadlines.verify, CALENDAR) == dt.date(2026, 10, 8)


def test_regulation_art25_para2_extension_with_the_heads_approval_is_at_most_90_days_from_receipt():
    # received Friday 3 July 2026: 30 days end Sunday 2 August → Monday 3 August; 90 days end 1 October, a National
    # Day holiday → Thursday 8 October, the latest day an extension may name
    assigned = ArrearsFacts(status="assigned", filed_on=dt.date(2026, 6, 24), assigned_on=dt.date(2026, 7, 3))
    assert next_due(assigned, book=BOOK, calendar=CALENDAR) == dt.date(2026, 8, 3)
    assert check_verify_extension(assigned, dt.date(2026, 10, 8), book=BOOK, calendar=CALENDAR) == dt.date(2026, 10, 8)
    with pytest.raises(DomainError) as too_long:
        check_verify_extension(assigned, dt.date(2026, 10, 9), book=BOOK, calendar=CALENDAR)
    assert too_long.value.code == "arrears.extension_too_long" and too_long.value.problems[0].field == "extended_to"
    with pytest.raises(DomainError) as not_later:
        check_verify_extension(assigned, dt.date(2026, 8, 3), book=BOOK, calendar=CALENDAR)
    assert not_later.value.code == "arrears.extension_not_later"
    extended = ArrearsFacts(status="assigned", filed_on=dt.date(2026, 6, 24), assigned_on=dt.date(2026, 7, 3),
                            verify_extended_to=dt.date(2026, 9, 30))
    assert next_due(extended, book=BOOK, calendar=CALENDAR) == dt.date(2026, 9, 30)
    assert arrears_flags(extended, today=dt.date(2026, 9, 30), book=BOOK, calendar=CALENDAR) == []
    [late] = arrears_flags(extended, today=dt.date(2026, 10, 1), book=BOOK, calendar=CALENDAR)
    assert (late.code, late.due) == ("verify_overdue", dt.date(2026, 9, 30))
    assert next_status("assigned", "extend") == "assigned"


def test_flags_follow_the_step_the_complaint_waits_on():
    filed = ArrearsFacts(status="filed", filed_on=dt.date(2026, 9, 28))
    assert arrears_flags(filed, today=dt.date(2026, 10, 16), book=BOOK, calendar=CALENDAR) == []
    [flag] = arrears_flags(filed, today=dt.date(2026, 10, 17), book=BOOK, calendar=CALENDAR)
    assert flag.code == "assign_overdue" and flag.due == dt.date(2026, 10, 16)


def test_past_plan_flag_when_money_is_still_owed_after_the_plan_day():
    # the plan ends on Sunday 4 October (a holiday): due on the next working day, Thursday 8 October
    facts = ArrearsFacts(status="planned", filed_on=dt.date(2026, 9, 1), plan_last_day=dt.date(2026, 10, 4),
                         outstanding=Decimal("100.00"))
    assert arrears_flags(facts, today=dt.date(2026, 10, 8), book=BOOK, calendar=CALENDAR) == []
    [flag] = arrears_flags(facts, today=dt.date(2026, 10, 9), book=BOOK, calendar=CALENDAR)
    assert (flag.code, flag.label_zh) == ("past_plan", "逾期未清偿")
    paid = ArrearsFacts(status="planned", filed_on=dt.date(2026, 9, 1), plan_last_day=dt.date(2026, 10, 4))
    assert arrears_flags(paid, today=dt.date(2026, 10, 9), book=BOOK, calendar=CALENDAR) == []


def test_changing_a_deadline_in_the_rulebook_moves_the_due_day():
    data = load_yaml("integrity/arrears.yaml")
    data["deadlines"]["assign"]["days"] = 3
    book = parse_rulebook(data)
    assert due_date(dt.date(2026, 9, 28), book.deadlines.assign, CALENDAR) == dt.date(2026, 10, 8)


def test_rulebook_refuses_unknown_keys():
    data = load_yaml("integrity/arrears.yaml")
    data["deadlines"]["assign"]["weeks"] = 2
    with pytest.raises(ValueError):
        parse_rulebook(data)


def test_status_moves_are_a_table():
    assert next_status("filed", "assign") == "assigned"
    assert next_status("planned", "clear") == "cleared"
    with pytest.raises(DomainError) as exc:
        next_status("cleared", "pay")
    assert exc.value.code == "arrears.state" and "已清偿" in exc.value.message_zh
    assert not any(state in ("cleared", "rejected") for state, _ in TRANSITIONS)


def test_payment_larger_than_owed_is_refused():
    check_payment(Decimal("100.00"), Decimal("100.00"))
    with pytest.raises(DomainError) as exc:
        check_payment(Decimal("100.01"), Decimal("100.00"))
    assert exc.value.code == "arrears.overpayment" and exc.value.field == "amount"


@pytest.mark.parametrize("raw,code", [("abc", "amount.invalid"), ("0", "amount.not_positive"),
                                      ("-5", "amount.not_positive"), ("1.005", "amount.precision"),
                                      ("NaN", "amount.invalid"), ("", "amount.invalid"),
                                      ("sNaN", "amount.invalid"), ("1e400", "amount.too_large"),
                                      ("1e-400", "amount.precision")])
def test_amounts_are_positive_yuan_with_cents(raw, code):
    with pytest.raises(DomainError) as exc:
        check_amount(raw)
    assert exc.value.code == code


def test_share_cleared():
    assert share(Decimal("25"), Decimal("100")) == Decimal("25.0")
    assert share(Decimal("0"), Decimal("0")) is None


def test_the_shipped_rulebook_loads():
    assert arrears_book().deadlines.assign.days == 10


def test_zibo_policy_item15_campaign_calendar_from_the_rulebook():
    from pubcredit.rules.integrity import campaign_calendar, parse_campaigns_rulebook

    book = parse_campaigns_rulebook(load_yaml("integrity/campaigns.yaml"))
    assert {c.name_zh for c in book.campaigns.values()} == {"诚信兴商宣传月", "信用记录关爱日"}

    def states(day):
        return {r.campaign.name_zh: (r.state, r.first) for r in campaign_calendar(book, today=day)}

    assert states(dt.date(2026, 6, 1)) == {"信用记录关爱日": ("upcoming", dt.date(2026, 6, 14)),
                                           "诚信兴商宣传月": ("later", dt.date(2026, 9, 1))}
    assert states(dt.date(2026, 6, 14))["信用记录关爱日"] == ("running", dt.date(2026, 6, 14))
    assert states(dt.date(2026, 6, 21))["信用记录关爱日"] == ("ended", dt.date(2026, 6, 14))  # 7 days after
    assert states(dt.date(2026, 6, 22))["信用记录关爱日"] == ("later", dt.date(2027, 6, 14))
    assert states(dt.date(2026, 9, 30))["诚信兴商宣传月"] == ("running", dt.date(2026, 9, 1))
    moved = parse_campaigns_rulebook(load_yaml("integrity/campaigns.yaml") | {"show_before_days": 30})
    assert [r.state for r in campaign_calendar(moved, today=dt.date(2026, 8, 5)) if r.code == "integrity_business_month"] \
        == ["upcoming"]  # editing the rulebook moves when the site features it
    with pytest.raises(ValueError):
        parse_campaigns_rulebook(load_yaml("integrity/campaigns.yaml") | {"campaigns": {
            "x": {"name_zh": "跨年", "first": "12-20", "last": "01-05", "summary_zh": "", "source_zh": "",
                  "verified": False}}})
