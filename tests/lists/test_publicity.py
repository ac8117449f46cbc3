"""名单公示 from the lists side: a list record's publicity state (what the change feed and the sharing flag say) follows
its entry — published over the entry's window, withheld for natural persons a list does not publish, ended at once
by a removal (repair, court deletion, revocation of the record) and by the daily expiry."""

import datetime as dt

import pytest

from pubcredit.audit.models import AuditEvent
from pubcredit.audit.services import verify_chain
from pubcredit.lists.models import ListEntry
from pubcredit.lists.services import list_entry_remove, lists_expire_due
from pubcredit.publicity.models import ChangeFeedEntry, PublicityState
from pubcredit.records.services import record_revoke
from pubcredit.rules import clock
from tests.lists.helpers import (anomaly_row, court_person_row, court_row, samr_row, submit_list, tax_a_row,
                                 tax_violator_person_row)

pytestmark = pytest.mark.django_db


def state_of(entry: ListEntry) -> PublicityState:
    return PublicityState.objects.get(record_id=entry.record_id)


def test_a_list_record_is_published_over_its_entry_window(department, system_actor):
    """Shown from the later of the effective date (2026-11-16) and the receipt (2026-11-20) to the planned end."""
    submit_list("samr_serious_violation", [samr_row(1)], department, system_actor)
    entry = ListEntry.objects.get()
    state = state_of(entry)
    assert (state.state, state.published, state.publish_from, state.publish_until) == (
        "published", True, dt.date(2026, 11, 20), entry.planned_end)
    assert state.regime == "list:samr_serious_violation" and state.rule_version == entry.rule_version
    assert state.severity == "serious" and state.repairable_from is None
    # assessed once by records_submit from the record; the entry's derivation agrees, so nothing moved after it
    feed = list(ChangeFeedEntry.objects.filter(record_id=entry.record_id))
    assert [(f.event, f.shown) for f in feed] == [("due", True)]
    assert AuditEvent.objects.filter(object_type="credit_record", object_id=str(entry.record_id),
                                     action__startswith="publicity.").count() == 1


def test_natural_persons_only_on_the_court_list(department, system_actor):
    submit_list("court_dishonest_debtor", [court_person_row(1)], department, system_actor)
    submit_list("major_tax_violator", [tax_violator_person_row(2)], department, system_actor)
    court = state_of(ListEntry.objects.get(list_code="court_dishonest_debtor"))
    tax = state_of(ListEntry.objects.get(list_code="major_tax_violator"))
    assert court.state == "published" and court.publish_until is not None  # ground 2: 2 years
    assert tax.state == "withheld" and "自然人" in tax.reason_zh
    feed = ChangeFeedEntry.objects.get(record_id=tax.record_id)
    assert not feed.shown and "*" in feed.subject_code  # the feed names a person by the masked number only


def test_repair_removal_ends_publication_and_sharing_at_once(department, system_actor):
    submit_list("samr_serious_violation", [samr_row(1)], department, system_actor)
    entry = ListEntry.objects.get()
    with clock.pinned(dt.date(2027, 12, 1)):
        list_entry_remove(entry=entry, reason="repaired", note="淄市监修〔2027〕1号信用修复决定", actor=system_actor)
    state = state_of(entry)
    assert (state.state, state.shared, state.publish_until, state.ended_on) == (
        "repaired", False, dt.date(2027, 11, 30), dt.date(2027, 12, 1))
    last = ChangeFeedEntry.objects.filter(record_id=entry.record_id).order_by("-id").first()
    assert (last.event, last.shown, last.previous_state) == ("repair", False, "published")
    assert verify_chain().ok


def test_court_deletion_and_expiry_stop_publication(department, system_actor):
    submit_list("court_dishonest_debtor", [court_row(1, dishonest_conduct="有履行能力而拒不履行")], department,
                system_actor)
    submit_list("tax_a_level", [tax_a_row(2)], department, system_actor)  # 1 year: last day 2027-04-19
    court = ListEntry.objects.get(list_code="court_dishonest_debtor")
    with clock.pinned(dt.date(2026, 12, 3)):
        list_entry_remove(entry=court, reason="court_deleted", note="已履行完毕，法院删除", actor=system_actor)
    court_state = state_of(court)
    assert (court_state.state, court_state.ended_on, court_state.publish_until) == (
        "expired", dt.date(2026, 12, 3), dt.date(2026, 12, 2))
    red = ListEntry.objects.get(list_code="tax_a_level")
    with clock.pinned(dt.date(2027, 4, 22)):
        lists_expire_due(today=clock.today(), actor=system_actor)
    red_state = state_of(red)
    assert (red_state.state, red_state.ended_on) == ("expired", dt.date(2027, 4, 20))


def test_revoking_the_record_revokes_the_entry_and_its_publication(department, system_actor):
    result, _ = submit_list("business_anomaly", [anomaly_row(1)], department, system_actor)
    entry = ListEntry.objects.get()
    assert state_of(entry).state == "published" and state_of(entry).publish_until is None  # no fixed term
    from pubcredit.records.models import CreditRecord

    with clock.pinned(dt.date(2026, 11, 25)):
        record_revoke(record=CreditRecord.objects.get(pk=result.record_ids[0]), reason="列入决定被复议撤销",
                      actor=system_actor)
    entry.refresh_from_db()
    assert entry.status == "removed" and entry.removal_reason == "revoked"
    assert state_of(entry).state == "revoked" and not state_of(entry).shared


def test_a_manual_revocation_of_the_entry_alone_revokes_its_publication(department, system_actor):
    submit_list("tax_a_level", [tax_a_row(1)], department, system_actor)
    entry = ListEntry.objects.get()
    list_entry_remove(entry=entry, reason="revoked", note="年度评价调整为B级", actor=system_actor)
    assert state_of(entry).state == "revoked"


def test_a_new_version_moving_the_term_moves_the_window(department, system_actor):
    submit_list("samr_serious_violation", [samr_row(1)], department, system_actor)
    submit_list("samr_serious_violation", [samr_row(1, planned_end_date="2027-06-30")], department, system_actor,
                when="2026-11-23")
    entry = ListEntry.objects.get()
    assert entry.planned_end == dt.date(2027, 6, 30) and state_of(entry).publish_until == dt.date(2027, 6, 30)
