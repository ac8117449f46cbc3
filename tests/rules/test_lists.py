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
    base = files["samr_serious_violation.yaml"]
    old = {**base, "version": "2021.1", "effective_to": dt.date(2025, 6, 30)}
    new = {**base, "version": "2025.1", "effective_from": dt.date(2025, 7, 1),
           "term": {"counted_from": "effective_date", "rules": [{"years": 2, "basis": "测试"}]}}
    book = parse_rulebook({**files, "samr_serious_violation.yaml": {"versions": [old, new]}})
    assert book.get("samr_serious_violation", dt.date(2025, 6, 30)).version == "2021.1"
    assert book.get("samr_serious_violation", dt.date(2025, 7, 1)).version == "2025.1"
    with pytest.raises(ListRulebookError, match="overlaps"):
        parse_rulebook({**files, "samr_serious_violation.yaml": {"versions": [{**old, "effective_to": None}, new]}})


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


# --- publicity (名单公示) ----------------------------------------------------------------------------------------

D = dt.date


def show(book, code="samr_serious_violation", *, kind="legal_person", effective=D(2026, 11, 16),
         received=D(2026, 11, 20), planned=D(2029, 11, 15), removed=None, reason=None):
    return rules.entry_publicity(book.get(code, effective), subject_kind=kind, effective=effective,
                                 received_on=received, planned_end=planned, removed_on=removed, removal_reason=reason)


def test_list_entry_shown_from_later_of_effective_and_receipt_until_planned_end(book):
    """名单公示: shown from max(effective date, receipt by the platform) to the planned end, inclusive."""
    late = show(book, effective=D(2026, 11, 16), received=D(2026, 11, 20), planned=D(2029, 11, 15))
    assert (late.published, late.publish_from, late.publish_until) == (True, D(2026, 11, 20), D(2029, 11, 15))
    assert not late.shown_on(D(2026, 11, 19)) and late.shown_on(D(2026, 11, 20)) and late.shown_on(D(2029, 11, 15))
    assert not late.shown_on(D(2029, 11, 16))
    early = show(book, effective=D(2026, 12, 1), received=D(2026, 11, 20))  # pushed before it takes effect
    assert early.publish_from == D(2026, 12, 1) and not early.shown_on(D(2026, 11, 30))
    assert late.rule_version == "list:samr_serious_violation@2026.1" and late.severity == "serious"
    assert "2026-11-20" in late.reason_zh and "至计划移出日期2029-11-15止" in late.reason_zh


def test_list_entry_without_planned_end_is_shown_until_removed(book):
    """经营异常名录 and court ground 1 have no fixed term: no end while on the list."""
    open_ended = show(book, "business_anomaly", planned=None)
    assert open_ended.publish_until is None and open_ended.shown_on(D(2040, 1, 1)) and open_ended.severity == "minor"


@pytest.mark.parametrize("reason", ["expired", "repaired", "revoked", "court_deleted"])
def test_list_entry_publicity_stops_at_once_when_removed(book, reason):
    """A removal (期满, 信用修复, 撤销, 法院删除) ends publication on the removal day: the last day shown is the day before."""
    removed = show(book, "court_dishonest_debtor", planned=None, removed=D(2027, 3, 1), reason=reason)
    assert removed.publish_until == D(2027, 2, 28) and removed.ended_by == RemovalReason(reason)
    assert removed.shown_on(D(2027, 2, 28)) and not removed.shown_on(D(2027, 3, 1))
    before_term_end = show(book, planned=D(2029, 11, 15), removed=D(2027, 3, 1), reason=reason)
    assert before_term_end.publish_until == D(2027, 2, 28)


def test_list_entry_removed_before_receipt_is_never_shown(book):
    gone = show(book, effective=D(2026, 1, 5), received=D(2026, 11, 20), removed=D(2026, 6, 1), reason="repaired")
    assert gone.published and gone.publish_from is None and not gone.shown_on(D(2026, 11, 20))
    assert "不予展示" in gone.reason_zh


def test_natural_person_court_debtor_published_other_natural_person_lists_withheld(book):
    """法释〔2017〕7号 第六条第二项、第七条 publish natural persons on the court list; other lists withhold persons
    (Order 36 art. 12 and the platform policy; rules.md §2, §9)."""
    court = show(book, "court_dishonest_debtor", kind="natural_person", planned=None)
    assert court.published and court.shown_on(D(2026, 11, 20))
    for code in ("major_tax_violator", "samr_serious_violation", "integrity_honor"):
        person = show(book, code, kind="natural_person")
        assert not person.published and not person.shown_on(D(2026, 11, 20)) and "自然人" in person.reason_zh
    assert show(book, "major_tax_violator", kind="individual_business").published


def test_red_and_black_lists_are_public_by_their_rulebook_block(book):
    """Every shipped list carries a publicity block with its basis: red lists public, black lists public."""
    for code in book.codes():
        spec = book.get(code, D(2026, 11, 20))
        assert spec.publicity is not None and spec.publicity.published and spec.publicity.basis
        assert spec.publicity.natural_persons_basis
    assert show(book, "tax_a_level", planned=D(2027, 4, 19)).severity is None
    court = book.get("court_dishonest_debtor", D(2026, 11, 20)).publicity
    assert court.persons_published and {"case_no", "court_name", "performance"} <= set(court.fields)
    assert "id_number" not in court.fields


def test_publicity_is_data_a_list_without_its_block_is_not_published():
    files = shipped()
    for version in files["tax_a_level.yaml"]["versions"]:
        del version["publicity"]
    files["business_anomaly.yaml"]["publicity"]["published"] = False
    book = parse_rulebook(files)
    assert "尚未配置" in show(book, "tax_a_level", planned=None).reason_zh
    off = show(book, "business_anomaly", planned=None)
    assert not off.published and "不向社会公示" in off.reason_zh


def test_publishing_persons_needs_the_list_published():
    files = shipped()
    files["samr_serious_violation.yaml"]["publicity"].update(published=False, natural_persons="published")
    with pytest.raises(ListRulebookError, match="natural_persons"):
        parse_rulebook(files)


def test_derive_entry_from_a_record(book):
    spec = book.get("samr_serious_violation", D(2026, 11, 16))
    plain = rules.derive_entry(spec, {"effective_date": "2026-11-18"}, decision_date=D(2026, 11, 16), revoked=False,
                               today=D(2026, 11, 20))
    assert plain.effective == D(2026, 11, 18) and plain.term.planned_end == D(2029, 11, 17) and plain.removal is None
    later = rules.derive_entry(spec, {"removal_date": "2026-12-01"}, decision_date=D(2026, 11, 16), revoked=False,
                               today=D(2026, 11, 20))
    assert later.removal[:2] == (RemovalReason.REPAIRED, D(2026, 11, 20))  # a future removal date: the recording day
    revoked = rules.derive_entry(spec, {}, decision_date=D(2026, 11, 16), revoked=True, revoked_reason="纠错",
                                 today=D(2026, 11, 20))
    assert revoked.removal == (RemovalReason.REVOKED, D(2026, 11, 20), "纠错")


_SAMR = parse_rulebook(shipped()).get("samr_serious_violation", D(2026, 1, 1))


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2060, 1, 1)), st.integers(0, 30), st.integers(0, 2000),
       st.one_of(st.none(), st.integers(0, 3000)), st.integers(-40, 4000))
def test_list_entry_shown_exactly_while_in_force_and_received(effective, receipt_lag, length, removed_after, probe):
    """The window is the in-force period cut to the days after receipt: shown_on(D) ⇔ received ≤ D and in force on D
    (the query the public site runs relies on this)."""
    spec = _SAMR
    received = effective + dt.timedelta(days=receipt_lag - 10)
    planned = effective + dt.timedelta(days=length)
    removed = None if removed_after is None else effective + dt.timedelta(days=removed_after)
    decision = rules.entry_publicity(spec, subject_kind="legal_person", effective=effective, received_on=received,
                                     planned_end=planned, removed_on=removed,
                                     removal_reason="repaired" if removed else None)
    day = effective + dt.timedelta(days=probe)
    assert decision.shown_on(day) == (received <= day and rules.in_force_on(effective=effective, planned=planned,
                                                                           removed_on=removed, day=day))



def test_tax_a_level_basis_is_the_2014_measures_until_2025_06_30_then_announcement_2025_12():
    """国家税务总局公告2025年第12号 (纳税缴费信用管理办法) replaces the 2014 measures (公告2014年第40号) from 2025-07-01:
    a grade published before that rests on the old measures, one published after on the new."""
    book = parse_rulebook(shipped())
    old, new = book.get("tax_a_level", dt.date(2025, 6, 30)), book.get("tax_a_level", dt.date(2025, 7, 1))
    assert old.effective_to == dt.date(2025, 6, 30) and "公告2014年第40号" in old.publicity.basis
    assert new.effective_from == dt.date(2025, 7, 1) and "公告2025年第12号" in new.publicity.basis
    assert all("2014" not in b.text() for b in new.legal_basis) and new.rule_version == "list:tax_a_level@2026.1"


def test_enterprise_information_publicity_regulations_2024_list_at_art_18_and_restrict_at_art_19():
    """企业信息公示暂行条例（2024修订）: listing in 经营异常名录 is 第十八条, the restrictions 第十九条 (第十七条 now forbids
    altering published information)."""
    spec = parse_rulebook(shipped()).get("business_anomaly", dt.date(2026, 1, 1))
    regulation = next(b for b in spec.legal_basis if b.instrument == "企业信息公示暂行条例")
    assert regulation.article == "第十八条、第十九条" and "第十七条" not in spec.publicity.basis


def test_business_anomaly_stays_published_while_in_force_regulation_prevails_over_order_36_art_12():
    """Decision: the 条例 (an administrative regulation) has its own publicity rule, and NDRC Order 36 art. 12 para. 3
    yields to it; the list file says so with the article, and an entry in force is shown."""
    spec = parse_rulebook(shipped()).get("business_anomaly", dt.date(2026, 1, 1))
    assert spec.publicity.published and "第十二条第三款" in spec.publicity.basis and "第十八条" in spec.publicity.basis
    shown = rules.entry_publicity(spec, subject_kind="legal_person", effective=dt.date(2026, 1, 5),
                                  received_on=dt.date(2026, 1, 6), planned_end=None)
    assert shown.published and shown.publish_until is None and shown.shown_on(dt.date(2028, 1, 1))


def test_samr_order_44_art_13_is_the_procedure_of_the_serious_violation_list():
    """令第44号 第十三条: decided with the penalty, notice before the decision; 第十条、第十一条 are listing grounds."""
    spec = parse_rulebook(shipped()).get("samr_serious_violation", dt.date(2026, 1, 1))
    assert spec.procedure.basis == "市场监管总局令第44号 第十三条"


def test_tax_order_54_art_9_gives_the_defence_period():
    spec = parse_rulebook(shipped()).get("major_tax_violator", dt.date(2026, 1, 1))
    assert spec.procedure.defence_working_days == 5 and "第九条（5日内陈述申辩）" in spec.procedure.basis
