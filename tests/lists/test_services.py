"""List entries from list-class records: terms, removal, the daily expiry (with a missed day), the 7-working-day push
flag across a holiday, the change feed and the audit trail."""

import datetime as dt

import pytest

from pubcredit.audit.models import AuditEvent
from pubcredit.audit.services import verify_chain
from pubcredit.catalog.registry import get_class
from pubcredit.lists import selectors
from pubcredit.lists.models import ListChange, ListEntry
from pubcredit.lists.services import list_entries_sync, list_entry_remove, lists_expire_due
from pubcredit.records.services import record_revoke, records_submit
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from tests.factories import at, frame, penalty
from tests.lists.helpers import anomaly_row, court_person_row, court_row, samr_row, submit_list, tax_a_row

pytestmark = pytest.mark.django_db


def test_a_court_record_becomes_an_entry_with_the_rulebook_term(department, system_actor):
    """法释〔2017〕7号 第二条: grounds 2–6 → 2 years from the decision (last day in force 2028-11-15)."""
    result, sync = submit_list("court_dishonest_debtor", [court_row(1)], department, system_actor)
    assert (sync.created, sync.updated, sync.removed) == (1, 0, 0)
    entry = ListEntry.objects.get()
    assert entry.record_id == result.record_ids[0] and entry.kind == "black" and entry.status == "in_force"
    assert entry.effective_date == dt.date(2026, 11, 16) and entry.planned_end == dt.date(2028, 11, 15)
    assert entry.term_source == "rulebook" and "第二条第一款" in entry.term_reason
    assert entry.rule_version == "list:court_dishonest_debtor@2026.1"
    assert entry.identifying_unit == "淄博市张店区人民法院" and not entry.pushed_late
    change = ListChange.objects.get()
    assert (change.change, change.effective_on, change.subject_key) == ("entered", entry.effective_date,
                                                                       entry.subject.uscc)
    assert AuditEvent.objects.filter(action="list_entry.create", object_id=str(entry.pk)).count() == 1
    assert verify_chain().ok


def test_refusing_performance_alone_has_no_fixed_term(department, system_actor):
    """Ground 1 (有履行能力而拒不履行) only: no fixed term, in force until deleted (第十条)."""
    submit_list("court_dishonest_debtor", [court_row(1, dishonest_conduct="有履行能力而拒不履行")], department,
                system_actor)
    entry = ListEntry.objects.get()
    assert entry.planned_end is None and entry.term_source == "none"


def test_a_term_given_by_the_court_wins_over_the_rulebook(department, system_actor):
    submit_list("court_dishonest_debtor", [court_row(1, planned_end_date="2030-11-15")], department, system_actor)
    entry = ListEntry.objects.get()
    assert (entry.planned_end, entry.term_source) == (dt.date(2030, 11, 15), "given")


def test_samr_term_is_three_years_from_the_effective_date(department, system_actor):
    submit_list("samr_serious_violation", [samr_row(1, effective_date="2026-11-18")], department, system_actor)
    assert ListEntry.objects.get().planned_end == dt.date(2029, 11, 17)


def test_records_of_other_classes_are_ignored(department, system_actor):
    with clock.pinned(dt.date(2026, 11, 20)):
        result = records_submit(info_class=get_class("admin_penalty"), frame=frame([penalty(1)]),
                                department=department, actor=system_actor, received_at=at("2026-11-20"))
        sync = list_entries_sync(result.record_ids, actor=system_actor)
    assert (sync.created, ListEntry.objects.count()) == (0, 0)


def test_sync_is_idempotent_and_follows_new_versions(department, system_actor):
    result, _ = submit_list("court_dishonest_debtor", [court_row(1)], department, system_actor)
    with clock.pinned(dt.date(2026, 11, 20)):
        again = list_entries_sync(result.record_ids, actor=system_actor)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    # the court extends the term: a new version of the record moves the entry's end and tells the feed
    _, sync = submit_list("court_dishonest_debtor", [court_row(1, planned_end_date="2029-11-15")], department,
                          system_actor, when="2026-11-23")
    entry = ListEntry.objects.get()
    assert sync.updated == 1 and entry.planned_end == dt.date(2029, 11, 15) and entry.record_version == 2
    assert list(ListChange.objects.values_list("change", flat=True)) == ["entered", "updated"]


def test_removal_reported_by_the_department_removes_the_entry(department, system_actor):
    submit_list("court_dishonest_debtor", [court_row(1)], department, system_actor)
    _, sync = submit_list("court_dishonest_debtor", [court_row(1, removal_date="2026-11-24", removal_reason="履行完毕删除")],
                          department, system_actor, when="2026-11-25")
    entry = ListEntry.objects.get()
    assert sync.removed == 1
    assert (entry.status, entry.removal_reason, entry.removed_on) == ("removed", "court_deleted", dt.date(2026, 11, 24))
    left = ListChange.objects.get(change="left")
    assert (left.reason, left.effective_on) == ("court_deleted", dt.date(2026, 11, 24))
    assert AuditEvent.objects.filter(action="list_entry.remove", object_id=str(entry.pk)).count() == 1


def test_a_removal_date_without_reason_takes_the_lists_default(department, system_actor):
    submit_list("business_anomaly", [anomaly_row(1, removal_date="2026-11-19")], department, system_actor)
    entry = ListEntry.objects.get()
    assert (entry.status, entry.removal_reason) == ("removed", "repaired")
    assert not ListChange.objects.exists()  # never in force on the platform: nothing to tell watchers


def test_a_revoked_record_revokes_its_entry(department, system_actor):
    result, _ = submit_list("samr_serious_violation", [samr_row(1)], department, system_actor)
    with clock.pinned(dt.date(2026, 11, 21)):
        record_revoke(record=result_record(result), reason="行政复议撤销原处罚决定", actor=system_actor)
        list_entries_sync(result.record_ids, actor=system_actor)
    entry = ListEntry.objects.get()
    assert (entry.status, entry.removal_reason, entry.removed_on) == ("removed", "revoked", dt.date(2026, 11, 21))


def result_record(result):
    from pubcredit.records.models import CreditRecord

    return CreditRecord.objects.get(pk=result.record_ids[0])


def test_manual_removal_checks_reason_note_and_state(department, system_actor):
    submit_list("tax_a_level", [tax_a_row(1)], department, system_actor)
    entry = ListEntry.objects.get()
    with clock.pinned(dt.date(2026, 11, 20)):
        with pytest.raises(DomainError) as err:
            list_entry_remove(entry=entry, reason="court_deleted", note="x", actor=system_actor)
        assert err.value.code == "list_entry.reason_not_allowed"  # a red list is not deleted by a court
        with pytest.raises(DomainError) as err:
            list_entry_remove(entry=entry, reason="revoked", note=" ", actor=system_actor)
        assert err.value.code == "list_entry.note_required"
        list_entry_remove(entry=entry, reason="revoked", note="降级为B级", actor=system_actor)
        with pytest.raises(DomainError) as err:
            list_entry_remove(entry=entry, reason="revoked", note="again", actor=system_actor)
        assert err.value.code == "list_entry.transition"


def test_expiry_catches_up_after_missed_ticks_and_is_idempotent(department, system_actor):
    """The daily job ends entries whose term is over; after days without a run the removal carries the real day."""
    submit_list("tax_a_level", [tax_a_row(1, decision_date="2025-11-20")], department, system_actor, when="2025-11-21")
    entry = ListEntry.objects.get()
    assert entry.planned_end == dt.date(2026, 11, 19)  # 1 year from the publication date
    with clock.pinned(dt.date(2026, 11, 19)):  # its last day: still in force
        assert lists_expire_due(today=clock.today(), actor=system_actor).expired == 0
    with clock.pinned(dt.date(2026, 11, 26)):  # the job did not run for a week
        first = lists_expire_due(today=clock.today(), actor=system_actor)
        second = lists_expire_due(today=clock.today(), actor=system_actor)
    assert (first.expired, first.by_list, second.expired) == (1, {"tax_a_level": 1}, 0)
    entry.refresh_from_db()
    assert (entry.status, entry.removal_reason, entry.removed_on) == ("removed", "expired", dt.date(2026, 11, 20))
    left = ListChange.objects.get(change="left")
    assert left.effective_on == dt.date(2026, 11, 20)
    assert AuditEvent.objects.filter(action="lists.tick").count() == 3
    assert AuditEvent.objects.filter(action="list_entry.remove").count() == 1


def test_an_entry_past_its_term_is_not_in_force_even_before_the_job_runs(department, system_actor):
    submit_list("tax_a_level", [tax_a_row(1, decision_date="2025-11-20")], department, system_actor, when="2025-11-21")
    entry = ListEntry.objects.get()
    assert selectors.entries_in_force(subject_id=entry.subject_id, day=dt.date(2026, 11, 19)) == [entry]
    assert selectors.entries_in_force(subject_id=entry.subject_id, day=dt.date(2026, 11, 20)) == []


def test_a_record_arriving_after_its_term_is_removed_on_arrival(department, system_actor):
    submit_list("tax_a_level", [tax_a_row(1, decision_date="2024-04-20")], department, system_actor)
    entry = ListEntry.objects.get()
    assert (entry.status, entry.removal_reason, entry.removed_on) == ("removed", "expired", dt.date(2025, 4, 20))


@pytest.mark.parametrize(("received", "late"), [("2026-10-13", False), ("2026-10-14", True)])
def test_push_later_than_7_working_days_is_flagged_across_national_day(department, system_actor, received, late):
    """淄政办字〔2021〕31号 第八项: 7 working days from the identification. Decided Monday 2026-09-28, the National Day
    holiday (10-01 to 10-07) does not count: the 7th working day is 2026-10-13."""
    submit_list("samr_serious_violation", [samr_row(1, decision_date="2026-09-28")], department, system_actor,
                when=received)
    entry = ListEntry.objects.get()
    assert entry.pushed_late is late
    assert entry.push_delay_working_days == (7 if not late else 8)
    with clock.pinned(dt.date.fromisoformat(received)):
        assert list(selectors.late_entries_for_department(department=department)) == ([entry] if late else [])


def test_natural_person_entries_keep_only_the_masked_number(department, system_actor):
    submit_list("court_dishonest_debtor", [court_person_row(7)], department, system_actor)
    entry = ListEntry.objects.select_related("subject").get()
    assert entry.subject.kind == "natural_person"
    change = ListChange.objects.get()
    assert change.subject_key.startswith("id:") and len(change.subject_key) == 67


def test_lists_tick_command_prints_the_counts(department, system_actor):
    import io
    import json

    from django.core.management import call_command

    from pubcredit.lists.rulebook import is_list

    submit_list("tax_a_level", [tax_a_row(1, decision_date="2025-11-20")], department, system_actor, when="2025-11-21")
    out = io.StringIO()
    with clock.pinned(dt.date(2026, 11, 21)):
        call_command("lists_tick", stdout=out)
    assert json.loads(out.getvalue()) == {"day": "2026-11-21", "expired": 1, "by_list": {"tax_a_level": 1}}
    assert is_list("court_dishonest_debtor") and not is_list("admin_penalty")
