"""Arrears ledger services (拖欠账款台账): filing with evidence, routing of other debtors, transfer, verification,
plan, payments and clearance; each step audited, refused input changes nothing."""

import datetime as dt
from decimal import Decimal

import pytest

from pubcredit.audit.models import AuditEvent
from pubcredit.integrity import selectors, services
from pubcredit.integrity.models import ArrearsComplaint, ArrearsPayment
from pubcredit.integrity.services import EvidenceFile
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from pubcredit.subjects.models import Subject
from tests.factories import uscc
from tests.integrity.helpers import PDF, PNG, complaint_input

pytestmark = pytest.mark.django_db


def _codes(exc) -> set[str]:
    return {p.code for p in exc.value.problems}


def test_a_complaint_against_a_government_body_is_filed_with_its_evidence(today, public_actor):
    complaint = services.arrears_complaint_file(**complaint_input(), actor=public_actor)
    assert complaint.number == "QQ2026-00001" and complaint.status == "filed"
    assert complaint.debtor_kind == "government_body" and complaint.filed_on == today
    assert complaint.debtor.uscc == complaint_input()["debtor_uscc"] and complaint.debtor.district.code == "zhangdian"
    [evidence] = complaint.evidence.all()
    assert bytes(evidence.content) == PDF and evidence.file_type == "pdf"
    event = AuditEvent.objects.get(action="arrears.step")
    assert event.data["event"] == "file" and event.data["debtor_kind"] == "government_body"


def test_a_complaint_without_evidence_is_refused_and_nothing_is_kept(today, public_actor):
    with pytest.raises(DomainError) as exc:
        services.arrears_complaint_file(**complaint_input(evidence=[]), actor=public_actor)
    assert "arrears.evidence_required" in _codes(exc)
    assert not ArrearsComplaint.objects.exists() and not Subject.objects.exists()


def test_evidence_whose_content_is_not_what_its_name_says_is_refused(today, public_actor):
    with pytest.raises(DomainError) as exc:
        services.arrears_complaint_file(**complaint_input(evidence=[EvidenceFile("合同.pdf", PNG),
                                                                    EvidenceFile("run.exe", b"MZ\x90\x00")]),
                                        actor=public_actor)
    assert [p.code for p in exc.value.problems] == ["arrears.evidence_type", "arrears.evidence_type"]
    services.arrears_complaint_file(**complaint_input(evidence=[EvidenceFile("验收单.png", PNG)]), actor=public_actor)


def test_evidence_over_the_platform_upload_limit_is_refused(today, public_actor, settings):
    settings.PUBCREDIT_UPLOAD_MAX_BYTES = 20
    with pytest.raises(DomainError) as exc:
        services.arrears_complaint_file(**complaint_input(), actor=public_actor)
    assert _codes(exc) == {"file.too_large"}


def test_regulation_art2_a_private_enterprise_debtor_is_routed_elsewhere(today, public_actor):
    with pytest.raises(DomainError) as exc:
        services.arrears_complaint_file(**complaint_input(debtor_uscc=uscc(900)), actor=public_actor)
    [problem] = exc.value.problems
    assert problem.code == "arrears.debtor_out_of_scope" and problem.field == "debtor_uscc"
    assert "国家拖欠中小企业款项投诉平台" in problem.message_zh and "企业" in problem.message_zh
    assert not ArrearsComplaint.objects.exists()


def test_a_state_enterprise_on_the_register_is_taken(today, public_actor, operator):
    services.state_enterprise_register(uscc=uscc(900), name="淄博某某国有控股集团有限公司",
                                       basis="市国资委出资企业名单（2026）", actor=operator)
    complaint = services.arrears_complaint_file(**complaint_input(debtor_uscc=uscc(900)), actor=public_actor)
    assert complaint.debtor_kind == "state_enterprise"


def test_regulation_art36_a_group_using_fiscal_funds_is_taken_like_a_public_institution(today, public_actor, operator,
                                                                                       leader):
    group = uscc(910, registrar="51")  # a 社会团体 registered by 民政
    with pytest.raises(DomainError) as unregistered:  # the code alone cannot say it uses fiscal funds
        services.arrears_complaint_file(**complaint_input(debtor_uscc=group), actor=public_actor)
    assert unregistered.value.problems[0].code == "arrears.debtor_out_of_scope"
    with pytest.raises(DomainError) as enterprise:  # only 团体组织 codes may be flagged as fiscally funded
        services.state_enterprise_register(uscc=uscc(911), name="淄博某某有限公司", basis="财政预算单位名单",
                                           kind="fiscal_group", actor=operator)
    assert enterprise.value.problems[0].code == "state_enterprise.not_group"
    with pytest.raises(DomainError) as organ:  # a 机关 is taken already, never flagged
        services.state_enterprise_register(uscc=uscc(912, registrar="11"), name="淄博市某局", basis="财政预算单位名单",
                                           kind="fiscal_group", actor=operator)
    assert organ.value.problems[0].code == "state_enterprise.not_group"
    services.state_enterprise_register(uscc=group, name="淄博市某某行业协会", basis="2026年市级财政预算单位名单",
                                       kind="fiscal_group", actor=operator)
    complaint = services.arrears_complaint_file(**complaint_input(debtor_uscc=group, debtor_name="淄博市某某行业协会"),
                                                actor=public_actor)
    assert complaint.debtor_kind == "fiscal_group"
    assert selectors.complaint_row(complaint).debtor_kind_zh == "使用财政资金的团体组织"
    view = selectors.government_view(viewer=leader, subject_id=complaint.debtor_id)  # in the 政务诚信 view, too
    assert view is not None and view.kind_zh == "使用财政资金的团体组织"
    assert not selectors.is_state_enterprise(group)  # fiscally funded is no state-owned flag


def test_every_bad_field_is_reported_at_once(today, public_actor):
    with pytest.raises(DomainError) as exc:
        services.arrears_complaint_file(**complaint_input(complainant_uscc="123", contact_name="", contact_phone="abc",
                                                          claimed_amount="-1"), actor=public_actor)
    assert {p.field for p in exc.value.problems} == {"complainant_uscc", "contact_name", "contact_phone",
                                                     "claimed_amount"}


def _verified(public_actor, operator, handler, owed="100000.00"):
    complaint = services.arrears_complaint_file(**complaint_input(), actor=public_actor)
    services.arrears_complaint_assign(complaint=complaint, department=handler.department, actor=operator)
    return services.arrears_complaint_verify(complaint=complaint, confirmed=True, amount_owed=owed,
                                             verified_on=clock.today(), note="合同、验收单属实", actor=handler)


def test_lifecycle_transfer_verify_plan_pay_clear(today, public_actor, operator, handler):
    complaint = _verified(public_actor, operator, handler)
    assert complaint.status == "verified" and complaint.outstanding == Decimal("100000.00")
    services.arrears_plan_agree(complaint=complaint, plan_last_day=dt.date(2026, 12, 31),
                                plan_note="分两期：12月15日前6万元，12月31日前4万元", actor=handler)
    services.arrears_payment_record(complaint=complaint, amount="60000", paid_on=today, actor=handler)
    complaint.refresh_from_db()
    assert complaint.status == "planned" and complaint.outstanding == Decimal("40000.00")
    services.arrears_payment_record(complaint=complaint, amount="40000.00", paid_on=today, note="尾款", actor=handler)
    complaint.refresh_from_db()
    assert complaint.status == "cleared" and complaint.cleared_on == today
    steps = list(AuditEvent.objects.filter(action="arrears.step").order_by("id").values_list("data__event", flat=True))
    assert steps == ["file", "assign", "verify", "plan", "pay", "clear"]


def test_a_payment_larger_than_owed_is_refused_and_nothing_changes(today, public_actor, operator, handler):
    complaint = _verified(public_actor, operator, handler, owed="5000.00")
    with pytest.raises(DomainError) as exc:
        services.arrears_payment_record(complaint=complaint, amount="5000.01", paid_on=today, actor=handler)
    assert exc.value.code == "arrears.overpayment"
    complaint.refresh_from_db()
    assert complaint.amount_paid == 0 and not ArrearsPayment.objects.exists()


def test_only_the_handling_department_verifies(today, public_actor, operator, handler, provider):
    complaint = services.arrears_complaint_file(**complaint_input(), actor=public_actor)
    services.arrears_complaint_assign(complaint=complaint, department=handler.department, actor=operator)
    with pytest.raises(DomainError) as exc:
        services.arrears_complaint_verify(complaint=complaint, confirmed=True, amount_owed="1", verified_on=today,
                                          note="", actor=provider)
    assert exc.value.code == "arrears.other_department"
    with pytest.raises(DomainError) as exc:
        services.arrears_complaint_assign(complaint=complaint, department=handler.department, actor=handler)
    assert exc.value.code == "arrears.not_allowed"


def test_a_payment_before_verification_is_refused(today, public_actor, operator, handler):
    complaint = services.arrears_complaint_file(**complaint_input(), actor=public_actor)
    services.arrears_complaint_assign(complaint=complaint, department=handler.department, actor=operator)
    with pytest.raises(DomainError) as exc:
        services.arrears_payment_record(complaint=complaint, amount="1", paid_on=today, actor=handler)
    assert exc.value.code == "arrears.state"


def test_rejecting_needs_a_reason(today, public_actor, operator, handler):
    complaint = services.arrears_complaint_file(**complaint_input(), actor=public_actor)
    services.arrears_complaint_assign(complaint=complaint, department=handler.department, actor=operator)
    with pytest.raises(DomainError) as exc:
        services.arrears_complaint_verify(complaint=complaint, confirmed=False, amount_owed=None, verified_on=today,
                                          note=" ", actor=handler)
    assert exc.value.code == "arrears.reason_required"
    complaint.refresh_from_db()
    assert complaint.status == "assigned"


def test_transfer_deadline_across_national_day_uses_the_platform_calendar(public_actor):
    with clock.pinned(dt.date(2026, 9, 28)):
        complaint = services.arrears_complaint_file(**complaint_input(), actor=public_actor)
    assert selectors.complaint_row(complaint, today=dt.date(2026, 10, 16)).flags == []
    row = selectors.complaint_row(complaint, today=dt.date(2026, 10, 19))
    assert row.due == dt.date(2026, 10, 16) and [f.label_zh for f in row.flags] == ["逾期未转交"]


def test_figures_by_debtor_department_district_and_the_flag_past_plan(public_actor, operator, handler, leader):
    with clock.pinned(dt.date(2026, 9, 1)):
        complaint = _verified(public_actor, operator, handler)
        services.arrears_plan_agree(complaint=complaint, plan_last_day=dt.date(2026, 10, 4), plan_note="一次付清",
                                    actor=handler)
        services.arrears_payment_record(complaint=complaint, amount="25000", paid_on=dt.date(2026, 9, 1),
                                        actor=handler)
    with clock.pinned(dt.date(2026, 10, 9)):
        figures = selectors.figures(viewer=leader)
    assert figures.total.owed == Decimal("100000.00") and figures.total.cleared_share == Decimal("25.0")
    [debtor] = figures.by_debtor
    assert debtor.flagged and debtor.past_plan == 1 and debtor.outstanding == Decimal("75000.00")
    assert figures.by_department[0].label == "张店区市场监督管理局"
    assert figures.by_district[0].label == "张店区"
    assert [r.complaint.pk for r in figures.flagged] == [complaint.pk]
    with clock.pinned(dt.date(2026, 10, 8)):  # the plan's Sunday moved to the next working day, 8 October
        assert selectors.figures(viewer=leader).flagged == []


def test_ledger_scope_per_role(today, public_actor, operator, handler, provider, leader):
    complaint = _verified(public_actor, operator, handler)
    assert selectors.complaint_get(viewer=handler, pk=complaint.pk) == complaint
    assert selectors.complaint_get(viewer=leader, pk=complaint.pk) == complaint
    assert selectors.complaint_get(viewer=provider, pk=complaint.pk) is None  # another department's clerk
