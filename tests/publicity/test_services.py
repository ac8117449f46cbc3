"""Publicity assessment after a submission: state, audit and change feed, in bulk."""

import pytest

from pubcredit.audit.models import AuditEvent
from pubcredit.audit.services import verify_chain
from pubcredit.publicity.models import ChangeFeedEntry, PublicityState
from pubcredit.publicity.services import publicity_assess, publicity_hold, publicity_repair, publicity_resume
from pubcredit.records.models import CreditRecord
from pubcredit.records.services import record_revoke
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from tests.factories import at, penalty, person_penalty
from tests.publicity.factories import licence, ndrc_penalty, ndrc_person_penalty, submit

pytestmark = pytest.mark.django_db
D = at("2026-01-01").date().__class__


def state_of(decision_no: str) -> PublicityState:
    return PublicityState.objects.get(record__decision_no=decision_no)


def test_general_penalty_is_published_with_its_window_audited_and_fed(eco, system_actor):
    """Order 36 art. 12: a 10万元 fine is general: shown from receipt, repair after 3 months, 1 year at most."""
    submit([ndrc_penalty(1)],
           department=eco, actor=system_actor)
    state = state_of("淄市监罚〔2026〕1号")
    assert (state.state, state.severity, state.regime, state.published) == ("published", "general", "ndrc_order_36", True)
    assert (state.publish_from, state.repairable_from, state.publish_until) == (
        D(2026, 11, 18), D(2027, 2, 16), D(2027, 11, 15))
    assert state.shared and state.class_code == "admin_penalty" and state.decision_date == D(2026, 11, 16)
    assert state.rulebook_version.startswith("publicity@") and state.rule_version == "ndrc_order_36@2026.1"
    event = AuditEvent.objects.get(action="publicity.publish")
    assert event.object_id == str(state.record_id) and event.data["severity"] == "general"
    assert "第36号令第十二条" in event.reason and event.rule_version == "ndrc_order_36@2026.1"
    feed = ChangeFeedEntry.objects.get()
    assert (feed.event, feed.state, feed.shown, feed.previous_state) == ("due", "published", True, "")
    assert feed.subject_code == state.subject.uscc and feed.decision_no == "淄市监罚〔2026〕1号"
    assert verify_chain().ok


def test_market_regulation_fine_follows_samr_order_107(department, system_actor):
    """SAMR Order 107 art. 7: a 1万元 fine by a market-regulation authority is minor, shown 3 months."""
    submit([penalty(1)], department=department, actor=system_actor)
    state = state_of("淄市监罚〔2026〕1号")
    assert (state.regime, state.severity, state.state) == ("samr_order_107", "minor", "published")
    assert state.publish_until == D(2027, 2, 17) and state.repairable_from is None


def test_minor_warning_is_withheld_and_natural_person_too(eco, system_actor):
    submit([ndrc_penalty(1, penalty_types="警告", penalty_content="警告", fine_amount=None),
            ndrc_person_penalty(2, fine_amount="50")], department=eco, actor=system_actor)
    warning, person = state_of("淄市监罚〔2026〕1号"), state_of("淄市监罚〔2026〕2号")
    assert (warning.state, warning.severity, warning.published) == ("withheld", "minor", False)
    assert warning.publish_from is None and "轻微失信信息原则上不予公示" in warning.reason_zh
    assert (person.state, person.severity) == ("withheld", "general") and "自然人" in person.reason_zh
    assert ChangeFeedEntry.objects.filter(event="withhold", shown=False).count() == 2
    assert person.subject.id_masked in ChangeFeedEntry.objects.values_list("subject_code", flat=True)


def test_licence_is_published_from_receipt_without_end(department, system_actor):
    submit([licence(1)], department=department, actor=system_actor, class_code="admin_license")
    state = PublicityState.objects.get()
    assert (state.state, state.severity, state.regime) == ("published", "", "shuanggongshi")
    assert state.publish_from == D(2026, 11, 18) and state.publish_until is None


def test_assessing_again_changes_nothing(department, system_actor):
    result = submit([penalty(1), penalty(2)], department=department, actor=system_actor)
    audit_rows, feed_rows = AuditEvent.objects.count(), ChangeFeedEntry.objects.count()
    with clock.pinned(D(2026, 11, 18)):
        again = publicity_assess(result.record_ids, actor=system_actor)
    assert (again.assessed, again.unchanged, again.changed, again.created) == (2, 2, 0, 0)
    assert AuditEvent.objects.count() == audit_rows and ChangeFeedEntry.objects.count() == feed_rows


def test_correction_reassesses_and_records_the_change(eco, system_actor):
    submit([ndrc_penalty(1, fine_amount="10")], department=eco, actor=system_actor)
    submit([ndrc_penalty(1, penalty_types="罚款;吊销许可证件",
                    penalty_content="罚款10万元，吊销许可证")], department=eco, actor=system_actor, when="2026-11-20")
    state = state_of("淄市监罚〔2026〕1号")
    assert (state.severity, state.publish_until, state.record_version) == ("serious", D(2029, 11, 15), 2)
    change = ChangeFeedEntry.objects.order_by("-id").first()
    assert change.event == "assess" and change.severity == "serious"
    assert AuditEvent.objects.filter(action="publicity.assess", object_id=str(state.record_id)).count() == 1


def test_correction_to_a_warning_withdraws_publication(eco, system_actor):
    submit([ndrc_penalty(1, fine_amount="10")], department=eco, actor=system_actor)
    submit([ndrc_penalty(1, penalty_types="警告", fine_amount=None)],
           department=eco, actor=system_actor, when="2026-11-20")
    assert state_of("淄市监罚〔2026〕1号").state == "withheld"
    assert list(ChangeFeedEntry.objects.values_list("event", flat=True)) == ["due", "withhold"]


def test_revoked_record_is_withdrawn_and_no_longer_shared(eco, system_actor):
    result = submit([ndrc_penalty(1, fine_amount="10")], department=eco, actor=system_actor)
    record = CreditRecord.objects.get()
    with clock.pinned(D(2026, 11, 25)):
        record_revoke(record=record, reason="行政复议撤销原处罚决定", actor=system_actor)
        publicity_assess(result.record_ids, actor=system_actor)
    state = state_of("淄市监罚〔2026〕1号")
    assert (state.state, state.shared, state.ended_on) == ("revoked", False, D(2026, 11, 25))
    assert AuditEvent.objects.filter(action="publicity.revoke").count() == 1
    last = ChangeFeedEntry.objects.order_by("-id").first()
    assert (last.event, last.shown, last.shared) == ("revoke", False, False)


def test_bulk_assessment_of_thousands_of_records_in_few_queries(eco, system_actor, django_assert_max_num_queries):
    """1 200 records: reads in two chunks, bulk writes (SQLite batches inserts by its 999-parameter limit)."""
    rows = [ndrc_penalty(i, fine_amount="10") for i in range(1, 1201)]
    result = submit(rows, department=eco, actor=system_actor, assess=False)
    with clock.pinned(D(2026, 11, 18)), django_assert_max_num_queries(80):
        outcome = publicity_assess(result.record_ids, actor=system_actor)
    assert outcome.created == 1200 and outcome.events["due"] == 1200
    assert PublicityState.objects.filter(state="published").count() == 1200
    assert ChangeFeedEntry.objects.count() == 1200 and verify_chain().ok


def test_bulk_assessment_of_late_samr_records_reads_the_calendar_once_per_chunk(department, system_actor,
                                                                                django_assert_max_num_queries):
    """SAMR Order 45 art. 9 needs the working-day calendar for every record received more than 20 days after its
    decision: it is read once per chunk, not once per record."""
    from tests.factories import penalty

    rows = [penalty(i, decision_date="2026-09-01", fine_amount="8") for i in range(1, 1201)]
    result = submit(rows, department=department, actor=system_actor, assess=False)
    with clock.pinned(D(2026, 11, 18)), django_assert_max_num_queries(80):
        outcome = publicity_assess(result.record_ids, actor=system_actor)
    assert outcome.created == 1200
    state = PublicityState.objects.order_by("record_id").first()
    # 20 working days after 2026-09-01 is 2026-09-29: 1 year from then, not from the 2026-11-18 receipt
    assert state.publish_until == D(2027, 9, 28) and not state.provisional


def test_missing_ids_are_counted_not_fatal(department, system_actor):
    assert publicity_assess([999_999], actor=system_actor).missing == 1


def test_repair_only_after_the_minimum_period_then_ends_publication(eco, system_actor):
    """Order 36 art. 14: repair needs the minimum period; art. 3: repair ends publication and sharing."""
    submit([ndrc_penalty(1, fine_amount="10")], department=eco, actor=system_actor)
    record = CreditRecord.objects.get()
    with clock.pinned(D(2027, 2, 15)), pytest.raises(DomainError) as exc:
        publicity_repair(record=record, actor=system_actor, reason="已履行罚款并整改")
    assert exc.value.code == "publicity.minimum_period" and "2027-02-16" in exc.value.message_zh
    with clock.pinned(D(2027, 2, 16)):
        state = publicity_repair(record=record, actor=system_actor, reason="已履行罚款并整改")
    assert (state.state, state.shared, state.ended_on) == ("repaired", False, D(2027, 2, 16))
    assert AuditEvent.objects.filter(action="publicity.repair", reason="已履行罚款并整改").exists()
    with clock.pinned(D(2027, 2, 20)), pytest.raises(DomainError) as again:
        publicity_repair(record=record, actor=system_actor, reason="重复")
    assert again.value.code == "publicity.invalid_transition"


def test_revocation_class_cannot_be_repaired_early(department, system_actor):
    submit([penalty(1, penalty_types="吊销许可证件", fine_amount=None)], department=department, actor=system_actor)
    with clock.pinned(D(2028, 1, 1)), pytest.raises(DomainError) as exc:
        publicity_repair(record=CreditRecord.objects.get(), actor=system_actor, reason="申请")
    assert exc.value.code == "publicity.not_repairable"


def test_objection_hold_and_resume_or_expire(eco, system_actor):
    submit([ndrc_penalty(1, fine_amount="10")], department=eco, actor=system_actor)
    record = CreditRecord.objects.get()
    with clock.pinned(D(2026, 12, 1)):
        assert publicity_hold(record=record, actor=system_actor, reason="当事人异议申诉").state == "objection_hold"
        with pytest.raises(DomainError):
            publicity_hold(record=record, actor=system_actor, reason="")
        # reassessment never moves a held record
        publicity_assess([record.pk], actor=system_actor)
        assert state_of(record.decision_no).state == "objection_hold"
        assert publicity_resume(record=record, actor=system_actor, reason="核查无误").state == "published"
        publicity_hold(record=record, actor=system_actor, reason="再次异议")
    with clock.pinned(D(2028, 1, 1)):  # verified after the maximum period: it ends
        state = publicity_resume(record=record, actor=system_actor, reason="核查无误")
    assert (state.state, state.ended_on) == ("expired", D(2027, 11, 16))


def test_correction_not_touching_publicity_is_neither_audited_nor_fed(eco, system_actor):
    submit([ndrc_penalty(1)], department=eco, actor=system_actor)
    feed_rows = ChangeFeedEntry.objects.count()
    submit([ndrc_penalty(1, violation_facts="经查，当事人超标排放（更正错别字）。")], department=eco, actor=system_actor,
           when="2026-11-20")
    state = state_of("淄市监罚〔2026〕1号")
    assert state.record_version == 2 and state.assessed_on == D(2026, 11, 20)
    assert ChangeFeedEntry.objects.count() == feed_rows
    assert not AuditEvent.objects.filter(action="publicity.assess").exists()


def test_the_collection_pipeline_assesses_publicity_by_itself(eco, system_actor):
    """records_submit and record_revoke move publicity in their own transaction."""
    from pubcredit.catalog.registry import get_class
    from pubcredit.records.services import records_submit
    from tests.factories import frame

    with clock.pinned(D(2026, 11, 18)):
        records_submit(info_class=get_class("admin_penalty"), frame=frame([ndrc_penalty(1)]), department=eco,
                       actor=system_actor, received_at=at("2026-11-18"))
    assert state_of("淄市监罚〔2026〕1号").state == "published"
    with clock.pinned(D(2026, 11, 19)):
        record_revoke(record=CreditRecord.objects.get(), reason="撤销", actor=system_actor)
    assert state_of("淄市监罚〔2026〕1号").state == "revoked"
