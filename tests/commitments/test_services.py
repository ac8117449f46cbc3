"""Credit commitments (信用承诺, domain/rules.md §8): the catalogue class, acceptance, every status move, breach →
negative record, the 告知承诺 eligibility (SAMR Order 44 第十五条第（三）项, recent breach, matter rules), expiry."""

import datetime as dt

import pytest

from pubcredit.audit.models import AuditEvent
from pubcredit.catalog.registry import get_class
from pubcredit.commitments.models import EligibilityAnswer
from pubcredit.commitments.rulebook import commitment_book
from pubcredit.commitments.services import (commitment_accept, commitment_breach_record, commitment_verify,
                                            commitment_withdraw, commitments_expire_due, eligibility_check)
from pubcredit.publicity.models import PublicityState
from pubcredit.records.models import CreditRecord
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from pubcredit.sanctions.models import Check
from tests.commitments.helpers import commitment
from tests.factories import uscc
from tests.lists.helpers import court_row, samr_row, submit_list

pytestmark = pytest.mark.django_db


def accept(department, actor, n=1, **overrides):
    return commitment_accept(department=department, values=commitment(n, **overrides), actor=actor)


# --- the catalogue class ---------------------------------------------------------------------------------------


def test_catalogue_category_8_class_has_the_four_types_and_five_statuses_in_chinese():
    fields = {f.key: f for f in get_class("credit_commitment").fields}
    assert fields["commitment_type"].enum_labels == {"approval_substitute": "审批替代型", "voluntary": "主动型",
                                                     "industry_self_discipline": "行业自律型",
                                                     "credit_repair": "信用修复型"}
    assert fields["status"].enum_labels == {"in_force": "履约中", "fulfilled": "已履约", "breached": "已违诺",
                                            "expired": "已到期", "withdrawn": "已撤回"}
    assert get_class("commitment_breach").nature == "negative"
    # the rulebook's matters are the catalogue's (the loader refuses a mismatch)
    assert set(commitment_book().matters) == {v.code for v in fields["matter"].values}


def test_accepting_a_commitment_fills_its_content_from_the_template_for_type_and_matter(department, system_actor,
                                                                                        today):
    record = accept(department, system_actor)
    assert record.class_code == "credit_commitment" and record.fields["status"] == "in_force"
    assert record.fields["matter"] == "food_business_license"
    assert "淄博承诺测试有限公司1申请办理食品经营许可" in record.fields["commitment_content"]
    assert record.fields["accepting_department"] == department.name


def test_gbf_2020_42_a_matter_without_notification_commitment_takes_no_approval_commitment(department, system_actor,
                                                                                           today):
    """国办发〔2020〕42号: high-risk matters (危险化学品经营许可 here, as data) do not allow 告知承诺."""
    with pytest.raises(DomainError) as err:
        accept(department, system_actor, matter="危险化学品经营许可")
    assert err.value.code == "commitment.matter_not_allowed" and err.value.field == "matter"
    assert not CreditRecord.objects.exists()
    # a voluntary commitment on that matter's subject is fine: the rule is for approvals only
    accept(department, system_actor, commitment_type="主动型", matter="守法诚信经营", approval_no=None,
           verification_date=None)


def test_a_verification_date_before_the_commitment_date_is_refused(department, system_actor, today):
    with pytest.raises(DomainError) as err:
        accept(department, system_actor, verification_date="2026-10-01")
    assert "verification_date" in {p.field for p in err.value.problems} | {err.value.field}
    assert not CreditRecord.objects.exists()


def test_one_approval_takes_one_commitment(department, system_actor, today):
    accept(department, system_actor, 1)
    with pytest.raises(DomainError) as err:
        accept(department, system_actor, 2, approval_no="SP-2026-0001")
    assert err.value.code == "commitment.duplicate_approval" and err.value.field == "approval_no"
    assert CreditRecord.objects.count() == 1


# --- the lifecycle ---------------------------------------------------------------------------------------------


def test_verification_moves_in_force_to_fulfilled_as_a_new_version_and_fulfilled_cannot_become_breached(
        department, system_actor, today):
    record = accept(department, system_actor)
    record = commitment_verify(record=record, department=department, verified_on="2026-11-19", fulfilled=True,
                               note="现场核查，符合许可条件", actor=system_actor)
    assert record.fields["status"] == "fulfilled" and record.version == 2
    assert record.fields["verified_on"] == "2026-11-19"
    assert [v.fields["status"] for v in record.versions.order_by("version")] == ["in_force", "fulfilled"]
    assert AuditEvent.objects.filter(action="commitment.verify").count() == 1
    with pytest.raises(DomainError) as err:
        commitment_breach_record(record=record, department=department, evidence="事后发现材料不实",
                                 decided_on="2026-11-20", actor=system_actor)
    assert err.value.code == "commitment.status_move" and "已履约" in err.value.message_zh
    assert CreditRecord.objects.get(pk=record.pk).version == 2
    assert not CreditRecord.objects.filter(class_code="commitment_breach").exists()


def test_a_verification_in_the_future_or_before_the_commitment_is_refused(department, system_actor, today):
    record = accept(department, system_actor)
    for day, code in (("2026-12-01", "date.future"), ("2026-11-01", "date.order")):
        with pytest.raises(DomainError) as err:
            commitment_verify(record=record, department=department, verified_on=day, fulfilled=True,
                              actor=system_actor)
        assert err.value.code == code
    assert CreditRecord.objects.get(pk=record.pk).version == 1


def test_a_breach_without_evidence_is_refused_and_nothing_changes(department, system_actor, today):
    record = accept(department, system_actor)
    with pytest.raises(DomainError) as err:
        commitment_breach_record(record=record, department=department, evidence="  ", decided_on="2026-11-20",
                                 actor=system_actor)
    assert err.value.code == "commitment.evidence_required" and err.value.field == "evidence"
    assert CreditRecord.objects.get(pk=record.pk).fields["status"] == "in_force"
    assert CreditRecord.objects.count() == 1


def test_a_breach_becomes_a_negative_record_of_its_class_and_a_recent_breach_refuses_notification_commitment(
        department, system_actor, today):
    record = accept(department, system_actor)
    outcome = commitment_breach_record(record=record, department=department, evidence="核查发现无冷藏设施，与承诺不符",
                                       decided_on="2026-11-20", actor=system_actor)
    assert outcome.commitment.fields["status"] == "breached"
    assert outcome.commitment.fields["breach_evidence"] == "核查发现无冷藏设施，与承诺不符"
    breach = outcome.breach_record
    assert breach.class_code == "commitment_breach" and breach.subject_id == record.subject_id
    assert breach.fields["commitment_no"] == record.decision_no and breach.fields["matter"] == "食品经营许可"
    assert PublicityState.objects.filter(record=breach).exists()  # assessed for publicity like every record
    answer = eligibility_check(department=department, subject={"uscc": uscc(1)}, matter="construction_permit",
                               actor=system_actor)
    assert not answer.eligible
    reason = next(r for r in answer.reasons if r["code"] == "commitment.recent_breach")
    assert reason["effect"] == "refuse" and breach.decision_no in reason["message"]
    assert "国办发〔2020〕42号" in reason["legal_basis"]
    # the breached commitment cannot be breached twice, nor withdrawn
    with pytest.raises(DomainError):
        commitment_withdraw(record=outcome.commitment, department=department, reason="撤回", actor=system_actor)


def test_ndrc_order_36_art25_untrue_repair_commitment_breach_is_published_three_years_without_early_end(
        department, system_actor, today):
    record = accept(department, system_actor)
    outcome = commitment_breach_record(record=record, department=department, evidence="修复承诺与事实不符",
                                       decided_on="2026-11-20", serious_untrue=True, actor=system_actor)
    state = PublicityState.objects.get(record=outcome.breach_record)
    assert state.published and state.state == "published"
    assert state.publish_until == dt.date(2029, 11, 19) and state.repairable_from is None
    assert "第二十五条" in state.reason_zh


def test_ndrc_order_36_art11_breach_published_per_the_declared_severity_and_withheld_without_one(
        department, system_actor, today):
    first = commitment_breach_record(record=accept(department, system_actor, 1), department=department,
                                     evidence="未按承诺补齐材料", decided_on="2026-11-20", actor=system_actor)
    withheld = PublicityState.objects.get(record=first.breach_record)
    assert not withheld.published and "未认定失信程度" in withheld.reason_zh
    second = commitment_breach_record(record=accept(department, system_actor, 2), department=department,
                                      evidence="未按承诺补齐材料", decided_on="2026-11-20", severity="general",
                                      actor=system_actor)
    assert second.breach_record.fields["severity_declared"] == "general"
    shown = PublicityState.objects.get(record=second.breach_record)
    assert shown.published and shown.publish_until == dt.date(2027, 11, 19)
    assert shown.repairable_from == dt.date(2027, 2, 20)


def test_a_breach_with_an_unknown_severity_is_refused_and_nothing_changes(department, system_actor, today):
    record = accept(department, system_actor)
    with pytest.raises(DomainError) as err:
        commitment_breach_record(record=record, department=department, evidence="事实", decided_on="2026-11-20",
                                 severity="很严重", actor=system_actor)
    assert err.value.code == "commitment.severity" and err.value.field == "severity"
    assert CreditRecord.objects.get(pk=record.pk).fields["status"] == "in_force"


def test_only_the_accepting_department_verifies(department, district_department, system_actor, today):
    record = accept(department, system_actor)
    with pytest.raises(DomainError) as err:
        commitment_verify(record=record, department=district_department, verified_on="2026-11-19", fulfilled=True,
                          actor=system_actor)
    assert err.value.code == "commitment.other_department"


def test_withdrawal_needs_a_reason_and_ends_the_commitment(department, system_actor, today):
    record = accept(department, system_actor)
    with pytest.raises(DomainError):
        commitment_withdraw(record=record, department=department, reason="", actor=system_actor)
    record = commitment_withdraw(record=record, department=department, reason="申请人撤回许可申请",
                                 actor=system_actor)
    assert record.fields["status"] == "withdrawn" and record.version == 2


def test_daily_job_ends_commitments_whose_term_is_over_once(department, system_actor):
    with clock.pinned(dt.date(2026, 11, 20)):
        accept(department, system_actor, 1, term_end="2026-11-25")
        accept(department, system_actor, 2, term_end="2027-01-01")
        accept(department, system_actor, 3, term_end=None)
    assert commitments_expire_due(today=dt.date(2026, 11, 25), actor=system_actor).expired == 0  # the last day
    assert commitments_expire_due(today=dt.date(2026, 11, 26), actor=system_actor).expired == 1
    assert commitments_expire_due(today=dt.date(2026, 11, 27), actor=system_actor).expired == 0  # idempotent
    statuses = dict(CreditRecord.objects.filter(class_code="credit_commitment").values_list("decision_no",
                                                                                           "fields__status"))
    assert statuses == {"淄市监承诺〔2026〕1号": "expired", "淄市监承诺〔2026〕2号": "in_force",
                        "淄市监承诺〔2026〕3号": "in_force"}


# --- 告知承诺 eligibility ----------------------------------------------------------------------------------------


def test_samr_order_44_art_15_3_a_serious_list_member_may_not_use_notification_commitment(department, system_actor,
                                                                                         today):
    """市场监督管理严重违法失信名单管理办法 第十五条第（三）项：不适用告知承诺制 (the measure samr.no_commitment)."""
    submit_list("samr_serious_violation", [samr_row(1)], department, system_actor)
    answer = eligibility_check(department=department, subject={"uscc": uscc(1)}, matter="food_business_license",
                               reference="SP-2026-0100", actor=system_actor)
    assert not answer.eligible
    refusal = next(r for r in answer.reasons if r["measure_code"] == "samr.no_commitment")
    assert refusal["effect"] == "refuse" and refusal["list_code"] == "samr_serious_violation"
    assert "第十五条第（三）项" in refusal["legal_basis"] and "市场监督管理严重违法失信名单" in refusal["message"]
    # the discretionary Shandong measure is a caution beside it, never the refusal itself
    assert {r["effect"] for r in answer.reasons if r["measure_code"] == "shandong.convenience_limit"} == {"caution"}
    # kept like a check: the check it ran, the rulebook versions, an audit event
    check = Check.objects.get(check_id=answer.check_id)
    assert check.scenario == "commitment_approval" and check.hit_count == 1
    assert answer.rulebook_version.startswith("commitments@2026.1#") and answer.measures_version
    assert AuditEvent.objects.filter(action="commitment.eligibility", object_id=str(answer.answer_id)).exists()


def test_the_court_list_measure_is_conditional_so_it_is_a_caution_not_a_refusal(department, system_actor, today):
    """court.sector_restrict applies 依法 (force C): the approving department decides under its own law."""
    submit_list("court_dishonest_debtor", [court_row(2)], department, system_actor)
    answer = eligibility_check(department=department, subject={"uscc": uscc(2)}, matter="food_business_license",
                               actor=system_actor)
    assert answer.eligible
    assert {r["measure_code"]: r["effect"] for r in answer.reasons}["court.sector_restrict"] == "caution"


def test_a_clean_subject_is_eligible_and_a_matter_rule_refuses_without_any_list(department, system_actor, today):
    assert eligibility_check(department=department, subject={"uscc": uscc(3)}, matter="food_business_license",
                             actor=system_actor).eligible
    answer = eligibility_check(department=department, subject={"uscc": uscc(3)}, matter="hazardous_chemicals_license",
                               actor=system_actor)
    assert not answer.eligible and answer.reasons[0]["code"] == "matter.not_allowed"


def test_an_unknown_matter_is_refused_before_anything_is_kept(department, system_actor, today):
    with pytest.raises(DomainError) as err:
        eligibility_check(department=department, subject={"uscc": uscc(3)}, matter="no_such_matter",
                          actor=system_actor)
    assert err.value.code == "commitment.unknown_matter" and err.value.field == "matter"
    assert not Check.objects.exists() and not EligibilityAnswer.objects.exists()
