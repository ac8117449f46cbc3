"""``pubcredit tick``: idempotent, catching up after missed days, assessing what was missed, regime changes."""

import datetime as dt

import pytest
from django.core.management import call_command

from pubcredit.audit.models import AuditEvent
from pubcredit.publicity.models import ChangeFeedEntry, PublicityState, TickRun
from pubcredit.publicity.services import publicity_repair, publicity_tick
from pubcredit.records.models import CreditRecord
from pubcredit.records.services import record_revoke
from pubcredit.rules import clock
from tests.factories import at
from tests.publicity.factories import ndrc_penalty, submit, unassessed

pytestmark = pytest.mark.django_db
D = dt.date


def tick(day: dt.date, actor, **kw):
    with clock.pinned(day):
        return publicity_tick(actor=actor, **kw)


def state() -> PublicityState:
    return PublicityState.objects.get()


def test_pending_until_publish_from_then_published(eco, system_actor):
    """Assessed before its receipt day (a backfill dated ahead): pending, then published by the job on the day."""
    result = submit([ndrc_penalty(1)], department=eco, actor=system_actor, when="2026-11-25", assess=False)
    with clock.pinned(D(2026, 11, 20)):
        from pubcredit.publicity.services import publicity_assess

        publicity_assess(result.record_ids, actor=system_actor)
    assert state().state == "pending" and state().publish_from == D(2026, 11, 25)
    assert tick(D(2026, 11, 24), system_actor).events["due"] == 0
    assert tick(D(2026, 11, 25), system_actor).events["due"] == 1
    assert state().state == "published"
    feed = ChangeFeedEntry.objects.order_by("-id").first()
    assert (feed.event, feed.effective_on) == ("due", D(2026, 11, 25))


def test_expiry_on_the_day_after_the_last_day_shown_and_running_twice_changes_nothing(eco, system_actor):
    submit([ndrc_penalty(1)], department=eco, actor=system_actor)  # general: shown until 2027-11-15
    assert tick(D(2027, 11, 15), system_actor).events["expire"] == 0
    first = tick(D(2027, 11, 16), system_actor)
    assert first.events["expire"] == 1 and state().state == "expired" and state().ended_on == D(2027, 11, 16)
    audit_rows, feed_rows = AuditEvent.objects.exclude(action="publicity.tick").count(), ChangeFeedEntry.objects.count()
    second = tick(D(2027, 11, 16), system_actor)
    assert sum(second.events.values()) == 0 and second.reassessed == 0
    assert AuditEvent.objects.exclude(action="publicity.tick").count() == audit_rows
    assert ChangeFeedEntry.objects.count() == feed_rows
    assert TickRun.objects.count() == 3 and AuditEvent.objects.filter(action="publicity.tick").count() == 3


def test_missed_ticks_are_caught_up_from_the_stored_dates(eco, system_actor):
    """The job did not run for years: the expiry holds from its real day, then the 5-year archive follows."""
    submit([ndrc_penalty(1), ndrc_penalty(2, penalty_types="吊销许可证件", fine_amount=None)], department=eco,
           actor=system_actor)
    result = tick(D(2028, 1, 10), system_actor)
    assert result.events["expire"] == 1
    general = PublicityState.objects.get(record__decision_no="淄市监罚〔2026〕1号")
    serious = PublicityState.objects.get(record__decision_no="淄市监罚〔2026〕2号")
    assert (general.state, general.ended_on, serious.state) == ("expired", D(2027, 11, 16), "published")
    expiry = ChangeFeedEntry.objects.get(event="expire")
    assert expiry.effective_on == D(2027, 11, 16) and expiry.changed_at.astimezone(clock.PLATFORM_TZ).date() == D(2028, 1, 10)
    late = tick(D(2034, 12, 1), system_actor)  # both ended and then archived (1 825 days after the end)
    assert late.events["expire"] == 1 and late.events["archive"] == 2
    assert set(PublicityState.objects.values_list("state", flat=True)) == {"archived"}
    archived = ChangeFeedEntry.objects.filter(event="archive").order_by("record_id")
    days = dt.timedelta(days=1825)
    assert [e.effective_on for e in archived] == [D(2027, 11, 16) + days, D(2029, 11, 16) + days]


def test_tick_assesses_records_nobody_assessed(eco, system_actor):
    """Records written before the publicity step was wired (or by a path that skipped it) are caught."""
    submit([ndrc_penalty(1), ndrc_penalty(2, penalty_types="警告", fine_amount=None)], department=eco,
           actor=system_actor, assess=False)
    assert not PublicityState.objects.exists()
    result = tick(D(2026, 11, 20), system_actor)
    assert result.reassessed == 2 and result.events["due"] == 1 and result.events["withhold"] == 1


def test_tick_reassesses_changed_and_revoked_records(eco, system_actor):
    submit([ndrc_penalty(1)], department=eco, actor=system_actor)
    submit([ndrc_penalty(1, penalty_types="罚款;责令停产停业")], department=eco, actor=system_actor, when="2026-11-19",
           assess=False)
    result = tick(D(2026, 11, 20), system_actor)
    assert result.reassessed == 1 and state().severity == "serious"
    with clock.pinned(D(2026, 11, 21)), unassessed():
        record_revoke(record=CreditRecord.objects.get(), reason="复议撤销", actor=system_actor)
    assert tick(D(2026, 11, 22), system_actor).events["revoke"] == 1 and state().state == "revoked"


def test_regime_change_day_reassesses_under_the_kinder_rule(eco, system_actor):
    """Order 36 in force 2026-04-01: a warning published under Order 58 is withheld by the first tick after it."""
    submit([ndrc_penalty(1, penalty_types="警告", fine_amount=None, decision_date="2026-03-20",
                         valid_until="2027-03-20")], department=eco, actor=system_actor, when="2026-03-23")
    assert (state().state, state().regime) == ("published", "ndrc_order_58")
    assert tick(D(2026, 3, 31), system_actor).events["withhold"] == 0
    result = tick(D(2026, 4, 2), system_actor)  # the job missed 2026-04-01 itself
    assert result.events["withhold"] == 1 and (state().state, state().regime) == ("withheld", "ndrc_order_36")
    assert state().assessed_on == D(2026, 4, 2)
    assert tick(D(2026, 4, 3), system_actor).reassessed == 0


def test_rulebook_change_reassesses_everything(eco, system_actor):
    submit([ndrc_penalty(1), ndrc_penalty(2)], department=eco, actor=system_actor)
    tick(D(2026, 11, 20), system_actor)
    TickRun.objects.filter().update(rulebook_version="publicity@old")  # the files were different last time
    result = tick(D(2026, 11, 21), system_actor)
    assert result.full_reassessment and result.reassessed == 2
    assert tick(D(2026, 11, 22), system_actor).full_reassessment is False


def test_repaired_is_archived_after_five_years_and_not_reassessed(eco, system_actor):
    submit([ndrc_penalty(1)], department=eco, actor=system_actor)
    with clock.pinned(D(2027, 3, 1)):
        publicity_repair(record=CreditRecord.objects.get(), actor=system_actor, reason="已整改")
    tick(D(2027, 12, 1), system_actor)
    assert state().state == "repaired"  # not expired: repair already ended it
    tick(D(2032, 3, 1), system_actor)
    assert state().state == "archived" and not state().shared


def test_tick_command(eco, system_actor, capsys):
    submit([ndrc_penalty(1)], department=eco, actor=system_actor, assess=False)
    with clock.pinned(D(2026, 11, 20)):
        call_command("tick")
    out = capsys.readouterr().out
    assert "tick 2026-11-20:" in out and "due=1" in out and "reassessed=1" in out
    assert AuditEvent.objects.filter(action="publicity.tick", actor_label="cli:tick").exists()


def test_samr_order_45_art_9_provisional_window_is_recomputed_by_the_tick_once_the_year_is_loaded(
        department, system_actor, caplog):
    """A SAMR fine decided 2026-12-20 reaches the platform on 2027-03-01: its 20 working days (第45号令第九条) run
    into 2027, whose holiday schedule is not loaded. The window is provisional (earliest reading) until an operator
    loads 2027; the next daily run recomputes it and the mark goes."""
    from tests.factories import penalty
    from pubcredit.workdays.services import calendar_day_set

    submit([penalty(1, decision_date="2026-12-20", fine_amount="8", penalty_content="罚款8万元")],
           department=department, actor=system_actor, when="2027-03-01")
    first = state()
    assert first.provisional and "2027年节假日安排尚未载入" in first.reason_zh
    with caplog.at_level("WARNING", logger="pubcredit.tick"):
        result = tick(D(2027, 3, 2), system_actor)
    assert result.schedule_missing == (2027,) and result.reassessed >= 1 and state().provisional
    assert "holiday schedule missing for 2027" in caplog.text
    for day in ("2027-01-01", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11", "2027-02-12"):
        calendar_day_set(day=D.fromisoformat(day), kind="holiday", name="假日", actor=system_actor)
    tick(D(2027, 3, 3), system_actor)
    after = state()
    assert not after.provisional and "尚未载入" not in after.reason_zh
    assert after.publish_until > first.publish_until  # the real holidays put the national publication later


def test_tick_command_logs_from_1_november_that_next_years_schedule_is_missing(db, capsys):
    with clock.pinned(D(2026, 11, 1)):
        call_command("tick")
    assert "calendar: 2027年节假日安排尚未载入" in capsys.readouterr().out
    with clock.pinned(D(2026, 10, 31)):
        call_command("tick")
    assert "节假日安排尚未载入" not in capsys.readouterr().out
