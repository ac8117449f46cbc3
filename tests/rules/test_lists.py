"""The pure list rules: terms (法释〔2017〕7号 第二条, 令第54号 第十七条, 令第44号 第二十一条), the entry and case state
machines, the legal-basis check (国办发〔2020〕49号), the defence deadline and the 7-working-day push rule."""

import copy
import datetime as dt
import pathlib

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from pubcredit.rules import lists as rules
from pubcredit.rules.calendar import WorkCalendar
from pubcredit.rules.lists import (CaseEvent, CaseState, EntryEvent, ListRulebookError, RemovalReason,
                                   TransitionError, parse_rulebook)

LISTS_DIR = pathlib.Path(__file__).resolve().parents[2] / "src" / "pubcredit" / "rulebook" / "lists"


def shipped() -> dict:
    return {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(LISTS_DIR.glob("*.yaml"))}


@pytest.fixture(scope="module")
def book():
    return parse_rulebook(shipped())


def test_the_shipped_lists_load(book):
    assert book.codes() == ["business_anomaly", "court_dishonest_debtor", "integrity_honor", "major_tax_violator",
                            "samr_serious_violation", "tax_a_level"]
    kinds = {c: book.get(c, dt.date(2026, 11, 20)).kind for c in book.codes()}
    assert {c for c, k in kinds.items() if k == "red"} == {"tax_a_level", "integrity_honor"}
    assert all(book.get(c, dt.date(2026, 11, 20)).push_deadline_working_days == 7 for c in book.codes())
    assert book.version.startswith("lists:business_anomaly@2026.1,")


def test_court_term_by_ground(book):
    """法释〔2017〕7号 第二条: grounds 2–6 → 2 years; ground 1 alone → no fixed term."""
    spec = book.get("court_dishonest_debtor", dt.date(2026, 3, 2))
    day = dt.date(2026, 3, 2)
    two = rules.planned_end(spec, {"dishonest_conduct": ["refuse_performance", "evade_execution"]}, decided=day,
                            effective=day, given=None)
    assert (two.planned_end, two.source) == (dt.date(2028, 3, 1), "rulebook")
    none = rules.planned_end(spec, {"dishonest_conduct": ["refuse_performance"]}, decided=day, effective=day, given=None)
    assert (none.planned_end, none.source) == (None, "none")
    given_end = rules.planned_end(spec, {}, decided=day, effective=day, given=dt.date(2031, 1, 1))
    assert (given_end.planned_end, given_end.source) == (dt.date(2031, 1, 1), "given")


def test_tax_and_samr_terms_are_three_years(book):
    for code in ("major_tax_violator", "samr_serious_violation"):
        spec = book.get(code, dt.date(2026, 1, 1))
        out = rules.planned_end(spec, {}, decided=dt.date(2026, 1, 1), effective=dt.date(2026, 1, 15), given=None)
        assert out.planned_end == dt.date(2029, 1, 14)


def test_a_term_changes_when_the_rulebook_does():
    """Rules are data: a copied rulebook with a 5-year SAMR term gives a 5-year entry."""
    files = shipped()
    changed = copy.deepcopy(files)
    changed["samr_serious_violation.yaml"]["term"]["rules"][0]["years"] = 5
    changed["samr_serious_violation.yaml"]["version"] = "2027.1"
    spec = parse_rulebook(changed).get("samr_serious_violation", dt.date(2027, 1, 1))
    out = rules.planned_end(spec, {}, decided=dt.date(2027, 1, 1), effective=dt.date(2027, 1, 1), given=None)
    assert out.planned_end == dt.date(2031, 12, 31) and out.rule_version == "list:samr_serious_violation@2027.1"


def test_versions_by_date_and_overlaps_are_refused():
    files = shipped()
    base = files["tax_a_level.yaml"]
    old = {**base, "version": "2014.1", "effective_to": dt.date(2025, 6, 30)}
    new = {**base, "version": "2025.1", "effective_from": dt.date(2025, 7, 1),
           "term": {"counted_from": "effective_date", "rules": [{"years": 2, "basis": "测试"}]}}
    book = parse_rulebook({**files, "tax_a_level.yaml": {"versions": [old, new]}})
    assert book.get("tax_a_level", dt.date(2025, 6, 30)).version == "2014.1"
    assert book.get("tax_a_level", dt.date(2025, 7, 1)).version == "2025.1"
    with pytest.raises(ListRulebookError, match="overlaps"):
        parse_rulebook({**files, "tax_a_level.yaml": {"versions": [{**old, "effective_to": None}, new]}})


@pytest.mark.parametrize(("change", "message"), [
    ({"surprise": 1}, "Extra inputs"),
    ({"kind": "red"}, "red list has severity none"),
    ({"default_removal_reason": "expired", "removal_reasons": ["repaired"]}, "default_removal_reason"),
    ({"procedure": None}, "identified_in_city needs a procedure"),
])
def test_bad_list_files_are_refused(change, message):
    files = shipped()
    files["samr_serious_violation.yaml"] = {**files["samr_serious_violation.yaml"], **change}
    with pytest.raises(ListRulebookError, match=message):
        parse_rulebook(files)


def test_a_black_list_decided_in_the_city_needs_prior_notice():
    files = shipped()
    data = copy.deepcopy(files["samr_serious_violation.yaml"])
    data["procedure"]["prior_notice"] = False
    with pytest.raises(ListRulebookError, match="prior notice"):
        parse_rulebook({**files, "samr_serious_violation.yaml": data})


def test_entry_state_machine_is_the_table():
    assert rules.entry_transition("in_force", EntryEvent.EXPIRE) == (rules.EntryStatus.REMOVED, RemovalReason.EXPIRED)
    assert rules.entry_transition("in_force", EntryEvent.COURT_DELETE)[1] == RemovalReason.COURT_DELETED
    with pytest.raises(TransitionError):
        rules.entry_transition("removed", EntryEvent.REVOKE)
    assert set(rules.REMOVAL_EVENTS) == set(RemovalReason)


def test_case_state_machine(book):
    tax = book.get("major_tax_violator", dt.date(2026, 1, 1))
    honor = book.get("integrity_honor", dt.date(2026, 1, 1))
    assert rules.case_transition("draft", CaseEvent.CHECK_BASIS, tax) == CaseState.BASIS_CHECKED
    assert rules.case_transition("basis_checked", CaseEvent.DECIDE, honor) == CaseState.DECIDED
    with pytest.raises(TransitionError) as err:
        rules.case_transition("basis_checked", CaseEvent.DECIDE, tax)
    assert err.value.problem.code == "identification.notice_required"
    for state in ("decided", "pushed", "dropped"):
        with pytest.raises(TransitionError):
            rules.case_transition(state, CaseEvent.DROP, tax)


def test_basis_check(book):
    """国办发〔2020〕49号: national lists on law, regulation or central documents (department rules interim); local
    lists on a local regulation; the case cites the list's basis and a legally effective finding document."""
    samr = book.get("samr_serious_violation", dt.date(2026, 1, 1))
    ok = rules.basis_check(samr, cited_basis="《企业信息公示暂行条例》第十八条", finding_document="罚1", grounds="事实",
                           on=dt.date(2026, 1, 1))
    assert ok.ok and ok.warnings == () and ok.matched == ("企业信息公示暂行条例第十八条、第十九条",)
    tax = book.get("major_tax_violator", dt.date(2026, 1, 1))
    interim = rules.basis_check(tax, cited_basis="重大税收违法失信主体信息公布管理办法 第六条", finding_document="罚1",
                                grounds="事实", on=dt.date(2026, 1, 1))
    assert interim.ok and [w.code for w in interim.warnings] == ["identification.interim_basis"]
    bad = rules.basis_check(samr, cited_basis="", finding_document="", grounds="", on=dt.date(2020, 1, 1))
    assert {p.code for p in bad.problems} == {"identification.list_not_in_force", "identification.basis_required",
                                              "identification.finding_document_required",
                                              "identification.grounds_required"}


def test_a_local_list_needs_a_local_regulation():
    files = shipped()
    data = copy.deepcopy(files["integrity_honor.yaml"])
    data["legal_basis"] = [{"instrument": "淄博市诚信企业评选办法", "article": "第三条", "level": "normative_document"}]
    spec = parse_rulebook({**files, "integrity_honor.yaml": data}).get("integrity_honor", dt.date(2026, 1, 1))
    out = rules.basis_check(spec, cited_basis="淄博市诚信企业评选办法第三条", finding_document="x", grounds="y",
                            on=dt.date(2026, 1, 1))
    assert [p.code for p in out.problems] == ["identification.basis_level"]


def test_defence_deadline_counts_working_days_across_a_holiday(book):
    calendar = WorkCalendar.from_days(holidays=[dt.date(2026, 10, d) for d in range(1, 8)],
                                      workdays=[dt.date(2026, 9, 27), dt.date(2026, 10, 10)])
    tax = book.get("major_tax_violator", dt.date(2026, 9, 28))
    assert rules.defence_deadline(tax, dt.date(2026, 9, 28), calendar) == dt.date(2026, 10, 10)
    assert rules.defence_deadline(book.get("integrity_honor", dt.date(2026, 9, 28)), dt.date(2026, 9, 28),
                                  calendar) is None


def test_push_deadline_is_seven_working_days():
    """淄政办字〔2021〕31号 第八项."""
    assert not rules.push_is_late(7, 7) and rules.push_is_late(8, 7)


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31)), st.integers(0, 10),
       st.integers(0, 23))
def test_add_years_lands_in_the_right_month_and_never_before(day, years, months):
    out = rules.add_years(day, years, months)
    total = day.year * 12 + day.month - 1 + years * 12 + months
    assert (out.year, out.month) == (total // 12, total % 12 + 1)
    assert out >= day and (out.day == day.day or out.day >= 28)


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2060, 1, 1)),
       st.integers(-400, 2000), st.integers(0, 1500))
def test_in_force_agrees_with_expiry(effective, offset, length):
    """An entry is in force on a day exactly when it is effective and not expired by that day."""
    planned = effective + dt.timedelta(days=length)
    day = effective + dt.timedelta(days=offset)
    assert rules.in_force_on(effective=effective, planned=planned, removed_on=None, day=day) == (
        day >= effective and not rules.is_expired(planned, day))
    if rules.is_expired(planned, day):
        assert rules.expiry_day(planned) <= day
