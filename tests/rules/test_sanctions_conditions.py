"""Measures with conditions (issue 11 §1, 国办发〔2020〕49号 过惩相当): a measure applies to a list entry only where its
legal basis applies — on the subject's kind, on the entry's facts, and only as a mandatory step for the department
that carries it out. Each wrong case of the issue has a test named after its clause; the properties run over
generated entries."""

import copy
import datetime as dt
import pathlib
from decimal import Decimal

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from pubcredit.rules.sanctions import (Conditions, EntryFacts, FactSpec, MeasureSet, SanctionsRulebookError,
                                       evaluate_conditions, match, parse_measure_files, parse_scenarios)

RULEBOOK = pathlib.Path(__file__).resolve().parents[2] / "src" / "pubcredit" / "rulebook"
MEASURES_DIR = RULEBOOK / "measures"
SCENARIOS = parse_scenarios(yaml.safe_load((MEASURES_DIR / "scenarios.yaml").read_text(encoding="utf-8")))
LISTS = ["court_dishonest_debtor", "major_tax_violator", "samr_serious_violation", "business_anomaly", "tax_a_level",
         "integrity_honor"]
DAY = dt.date(2026, 11, 20)
KINDS = ("legal_person", "individual_business", "natural_person")


def list_facts() -> dict[str, dict[str, FactSpec]]:
    """The facts each list class carries, read from the catalogue files as ``lists.rulebook.fact_specs`` does."""
    out = {}
    for code in LISTS:
        data = yaml.safe_load((RULEBOOK / "catalog" / f"{code}.yaml").read_text(encoding="utf-8"))
        out[code] = {f["key"]: FactSpec(f["key"], tuple(str(v["code"]) for v in f.get("values", ())),
                                        f["type"] == "decimal")
                     for f in data["fields"] if f["type"] in ("enum", "multi_enum", "decimal") and not f.get("sensitive")}
    return out


FACTS = list_facts()


def seed_files() -> dict:
    return {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(MEASURES_DIR.glob("*.yaml"))
            if p.name != "scenarios.yaml"}


SEED = parse_measure_files(seed_files(), scenarios=SCENARIOS, lists=LISTS, list_facts=FACTS)[0]
BOOK = MeasureSet(SEED)


def answer(list_code, scenario, *, kind="legal_person", on=DAY, **facts):
    [hit] = match([EntryFacts(1, list_code, dt.date(2026, 1, 1), None, kind, facts)], scenario=scenario,
                  measures=BOOK, on=on)
    return {m.code: m for m in hit.measures}, {d.code: d for d in hit.decisions}


# --- the wrong cases of the issue ---------------------------------------------------------------------------------


def test_enterprise_information_regulation_art18_licence_revoked_only_after_two_unreported_years_and_no_contact():
    """企业信息公示暂行条例(2024) 第十八条第一款: 吊销营业执照 only for an enterprise listed for 2 consecutive years without
    annual reports, not remedied and unreachable at its registered address; and only the registration authority does
    it — every other department sees it as information, never as a mandatory step."""
    found, decisions = answer("business_anomaly", "market_access", listing_reason="not_disclosed")
    assert "anomaly.licence_revocation" not in found
    assert decisions["anomaly.licence_revocation"].applies == "no"
    assert "报送年度报告" in decisions["anomaly.licence_revocation"].decided_by[0].clause_zh

    found, _ = answer("business_anomaly", "market_access", listing_reason="annual_report",
                      consecutive_years_unreported=1, address_unreachable="yes")
    assert "anomaly.licence_revocation" not in found
    found, _ = answer("business_anomaly", "market_access", listing_reason="annual_report",
                      consecutive_years_unreported=2, address_unreachable="no")
    assert "anomaly.licence_revocation" not in found

    found, _ = answer("business_anomaly", "market_access", listing_reason="annual_report",
                      consecutive_years_unreported=2, address_unreachable="yes")
    revocation = found["anomaly.licence_revocation"]
    assert revocation.applies == "yes" and revocation.information and not revocation.mandatory
    assert revocation.implemented_by == "registration_authority"
    assert "连续2年" in revocation.condition_zh and "无法取得联系" in revocation.condition_zh

    found, _ = answer("business_anomaly", "market_access", listing_reason="annual_report")
    assert found["anomaly.licence_revocation"].applies == "verify"
    assert not found["anomaly.licence_revocation"].mandatory


def test_caiku_2022_3_procurement_bar_only_for_revocation_suspension_or_fine_of_two_million():
    """政府采购法 第二十二条第一款第五项, 实施条例 第十九条, 财库〔2022〕3号: the SAMR listing bars the supplier for 3 years
    only when the penalty behind it was licence revocation, 责令停产停业 or a fine of 2,000,000 CNY (200万元) or more;
    otherwise only the important-factor measure (Order 44 第十五条第（一）项) applies."""
    found, decisions = answer("samr_serious_violation", "government_procurement", penalty_types=["fine"],
                              fine_amount=50)
    assert "samr.procurement_major_violation" not in found
    assert decisions["samr.procurement_major_violation"].applies == "no"
    assert found["samr.procurement_factor"].force == "D" and not found["samr.procurement_factor"].mandatory
    found, _ = answer("samr_serious_violation", "government_procurement", penalty_types=["fine"], fine_amount=199.99)
    assert "samr.procurement_major_violation" not in found

    for facts in ({"penalty_types": ["fine"], "fine_amount": 200}, {"penalty_types": ["revoke_license"]},
                  {"penalty_types": ["warning", "order_suspension"]}, {"fine_amount": "350.5"}):
        found, _ = answer("samr_serious_violation", "government_procurement", **facts)
        bar = found["samr.procurement_major_violation"]
        assert bar.applies == "yes" and bar.mandatory, facts
        assert list(found)[0] == "samr.procurement_major_violation"  # mandatory first

    found, _ = answer("samr_serious_violation", "government_procurement", penalty_types=["warning"])
    assert "samr.procurement_major_violation" not in found  # no fine imposed: no fine amount to wait for
    found, _ = answer("samr_serious_violation", "government_procurement", penalty_types=["fine"])
    assert found["samr.procurement_major_violation"].applies == "verify"  # a fine of unknown amount

    found, decisions = answer("samr_serious_violation", "government_procurement")
    bar = found["samr.procurement_major_violation"]
    assert bar.applies == "verify" and not bar.mandatory
    assert {c.fact for c in decisions["samr.procurement_major_violation"].decided_by} == {"penalty_types",
                                                                                          "fine_amount"}


def test_enterprise_information_regulation_art18_para2_legal_rep_ban_only_on_persons_listed_for_false_disclosure():
    """企业信息公示暂行条例(2024) 第十八条第二款: the 3-year ban binds the legal representative or person in charge (a
    natural person) of an enterprise listed for false public disclosure — never the enterprise itself, never another
    ground; only the registration authority applies it."""
    for kind in ("legal_person", "individual_business"):
        found, decisions = answer("samr_serious_violation", "market_access", kind=kind, listing_ground="false_disclosure")
        assert "samr.legal_rep_ban" not in found
        assert decisions["samr.legal_rep_ban"].decided_by[0].fact == "subject_kind"
    found, _ = answer("samr_serious_violation", "market_access", kind="natural_person", listing_ground="other")
    assert "samr.legal_rep_ban" not in found
    found, _ = answer("samr_serious_violation", "market_access", kind="natural_person",
                      listing_ground="false_disclosure")
    ban = found["samr.legal_rep_ban"]
    assert ban.applies == "yes" and ban.information and not ban.mandatory


def test_company_law_art178_officer_ban_reaches_only_natural_persons():
    """公司法(2023) 第一百七十八条第一款第五项: 个人 listed as a dishonest debtor for a large unpaid debt may not be a
    director, supervisor or senior manager — a ban on a person, never on an organisation; 数额较大 is not in the list
    data, so it is to verify, never mandatory."""
    for kind in ("legal_person", "individual_business"):
        found, _ = answer("court_dishonest_debtor", "qualification_review", kind=kind)
        assert "court.no_company_officer" not in found
    found, _ = answer("court_dishonest_debtor", "qualification_review", kind="natural_person")
    officer = found["court.no_company_officer"]
    assert officer.applies == "verify" and not officer.mandatory and "数额较大" in officer.condition_zh


def test_enterprise_information_regulation_art19_restricts_enterprises_not_individual_businesses():
    """条例 第十九条 restricts 企业 on the abnormal or SAMR list; an individual business is not an enterprise."""
    found, _ = answer("business_anomaly", "government_procurement", kind="individual_business")
    assert "anomaly.public_resources_restrict" not in found
    found, _ = answer("business_anomaly", "government_procurement", kind="legal_person")
    assert found["anomaly.public_resources_restrict"].applies == "yes"


def test_order54_art15_d_grade_is_the_tax_authoritys_and_not_for_natural_persons():
    """令第54号 第十五条: the tax authority rates as D those in the credit-rating scope; for others it is information."""
    found, _ = answer("major_tax_violator", "supervision", kind="natural_person")
    assert "tax.d_grade" not in found
    found, _ = answer("major_tax_violator", "supervision", kind="legal_person")
    assert found["tax.d_grade"].information and not found["tax.d_grade"].mandatory


def test_tax_credit_2025_no12_replaces_the_2014_measures_from_2025_07_01():
    """纳税缴费信用管理办法 (国家税务总局公告2025年第12号) is in force from 2025-07-01: every measure resting on the 2014
    办法 (公告2014年第40号) ends on 2025-06-30 and has a version from 2025-07-01 citing the 2025 instrument."""
    old = [m for m in SEED if any("2014年第40号" in b.instrument for b in m.legal_basis)]
    assert old
    for measure in old:
        assert measure.effective_to is not None and measure.effective_to <= dt.date(2025, 6, 30), measure.code
        successors = [m for m in SEED if m.code == measure.code and m.in_force(dt.date(2025, 7, 1))]
        assert successors and any("2025年第12号" in b.instrument for b in successors[0].legal_basis), measure.code


def test_natural_persons_on_the_tax_list_are_checked():
    """Decision (issue 11 §3): natural persons on the 令第54号 list get joint punishment in a check."""
    found, _ = answer("major_tax_violator", "government_procurement", kind="natural_person")
    assert found["tax.procurement_refuse"].mandatory and found["tax.procurement_refuse"].applies == "yes"


# --- the loader ---------------------------------------------------------------------------------------------------


def test_the_loader_refuses_a_mandatory_punishment_conditioned_on_a_fact_no_list_carries():
    files = seed_files()
    broken = copy.deepcopy(files["samr_serious_violation.yaml"])
    bar = next(m for m in broken["measures"] if m["code"] == "samr.procurement_major_violation")
    bar["conditions"]["any"][1]["fact"] = "annual_turnover"
    with pytest.raises(SanctionsRulebookError, match="annual_turnover"):
        parse_measure_files({**files, "samr_serious_violation.yaml": broken}, scenarios=SCENARIOS, lists=LISTS,
                            list_facts=FACTS)
    bar["force"] = "D"  # a prompt on an unknown fact stays "to verify": harmless, accepted
    parse_measure_files({**files, "samr_serious_violation.yaml": broken}, scenarios=SCENARIOS, lists=LISTS,
                        list_facts=FACTS)


def test_the_loader_refuses_a_condition_value_the_fact_never_takes_and_unknown_condition_keys():
    files = seed_files()
    broken = copy.deepcopy(files["business_anomaly.yaml"])
    revocation = next(m for m in broken["measures"] if m["code"] == "anomaly.licence_revocation")
    revocation["conditions"]["all"][0]["in"] = ["annual_reports"]
    with pytest.raises(SanctionsRulebookError, match="annual_reports"):
        parse_measure_files({**files, "business_anomaly.yaml": broken}, scenarios=SCENARIOS, lists=LISTS,
                            list_facts=FACTS)
    broken = copy.deepcopy(files["business_anomaly.yaml"])
    next(m for m in broken["measures"] if m["code"] == "anomaly.licence_revocation")["conditions"]["when"] = "x"
    with pytest.raises(SanctionsRulebookError):
        parse_measure_files({**files, "business_anomaly.yaml": broken}, scenarios=SCENARIOS, lists=LISTS)


def test_condition_text_reads_as_one_sentence():
    conditions = Conditions.model_validate({
        "subject_kinds": ["natural_person"], "all": [{"fact": "a", "in": ["x"], "zh": "甲情形"}],
        "any": [{"fact": "b", "in": ["y"], "zh": "乙情形"}, {"fact": "c", "at_least": 2, "zh": "丙情形"}],
        "verify_zh": "丁情形"})
    assert conditions.text() == "仅适用于自然人；甲情形，且（乙情形或丙情形）；须核实：丁情形"


# --- properties over generated entries ----------------------------------------------------------------------------


def _fact_values(spec: FactSpec):
    if spec.numeric:
        return st.one_of(st.none(), st.decimals(min_value=0, max_value=1000, places=2).map(float))
    codes = st.sampled_from(spec.codes)
    return st.one_of(st.none(), codes, st.lists(codes, min_size=1, max_size=3, unique=True))


@st.composite
def entries(draw):
    list_code = draw(st.sampled_from(LISTS))
    facts = {}
    for key, spec in FACTS[list_code].items():
        value = draw(_fact_values(spec))
        if value is not None:
            facts[key] = value
    return EntryFacts(draw(st.integers(1, 10**6)), list_code, dt.date(2026, 1, 1), None, draw(st.sampled_from(KINDS)),
                      facts)


def _holds_on_known_facts(conditions: Conditions, kind: str, facts: dict) -> bool:
    """An independent reading of "every condition holds on known facts"."""
    def known_and_holds(test):
        value = facts.get(test.fact)
        if value in (None, "", []):
            return False
        if test.at_least is not None:
            return Decimal(str(value)) >= test.at_least
        return bool(set(value if isinstance(value, list) else [value]) & set(test.in_))

    return ((not conditions.subject_kinds or kind in conditions.subject_kinds)
            and all(known_and_holds(t) for t in conditions.all)
            and (not conditions.any or any(known_and_holds(t) for t in conditions.any))
            and not conditions.verify_zh)


def _fails_on_known_facts(conditions: Conditions, kind: str, facts: dict) -> bool:
    """An independent reading of "some condition fails on facts the entry carries"."""
    def as_set(value):
        return set(value if isinstance(value, list) else [value])

    def known_and_fails(test):
        value = facts.get(test.fact)
        if value in (None, "", []):
            other = facts.get(test.only_with.fact) if test.only_with else None
            return other not in (None, "", []) and not as_set(other) & set(test.only_with.in_)
        if test.at_least is not None:
            return Decimal(str(value)) < test.at_least
        return not as_set(value) & set(test.in_)

    return (bool(conditions.subject_kinds) and kind not in conditions.subject_kinds
            or any(known_and_fails(t) for t in conditions.all)
            or bool(conditions.any) and all(known_and_fails(t) for t in conditions.any))


BY_CODE_VERSION = {(m.code, m.version): m for m in SEED}


@settings(max_examples=300, deadline=None)
@given(entry=entries(), scenario=st.sampled_from(sorted(c for c, s in SCENARIOS.items() if s.checkable)),
       on=st.dates(dt.date(2016, 1, 1), dt.date(2027, 12, 31)))
def test_property_no_measure_is_mandatory_unless_all_its_conditions_hold_on_known_facts(entry, scenario, on):
    """国办发〔2020〕49号 过惩相当: mandatory ⇒ force M, carried out by the checking department, and every condition holds on
    facts the entry carries; a measure to verify is never mandatory."""
    [hit] = match([entry], scenario=scenario, measures=BOOK, on=on)
    for found in hit.measures:
        measure = BY_CODE_VERSION[(found.code, found.version)]
        if found.applies == "verify":
            assert not found.mandatory
        if found.mandatory:
            assert measure.force == "M" and measure.implemented_by == "checking_department"
            assert _holds_on_known_facts(measure.conditions, entry.subject_kind, dict(entry.facts)), found.code
    answered = {m.code for m in hit.measures}
    for decision in hit.decisions:
        assert (decision.applies != "no") == (decision.code in answered)


@settings(max_examples=300, deadline=None)
@given(entry=entries(), scenario=st.sampled_from(sorted(SCENARIOS)))
def test_property_a_measure_is_left_out_only_when_a_condition_fails_on_known_facts(entry, scenario):
    """应惩必惩 as much as 过惩相当: a measure disappears from the answer only on a fact that rules it out; a missing
    fact leaves it "to verify"."""
    [hit] = match([entry], scenario=scenario, measures=BOOK, on=DAY)
    for decision in hit.decisions:
        measure = BY_CODE_VERSION[(decision.code, decision.version)]
        fails = _fails_on_known_facts(measure.conditions, entry.subject_kind, dict(entry.facts))
        assert (decision.applies == "no") == fails, (decision.code, dict(entry.facts))


@settings(max_examples=300, deadline=None)
@given(entry=entries(), scenario=st.sampled_from(sorted(SCENARIOS)))
def test_property_a_person_never_gets_an_organisation_only_measure_and_the_reverse(entry, scenario):
    """A ban on persons never reaches an organisation; a measure for organisations never reaches a natural person."""
    [hit] = match([entry], scenario=scenario, measures=BOOK, on=DAY)
    for found in hit.measures:
        kinds = BY_CODE_VERSION[(found.code, found.version)].conditions.subject_kinds
        if kinds:
            assert entry.subject_kind in kinds, (found.code, entry.subject_kind)


def test_the_seed_has_person_only_and_organisation_only_measures_for_the_property_to_bite():
    person_only = {m.code for m in SEED if m.conditions.subject_kinds == ("natural_person",)}
    organisation_only = {m.code for m in SEED if m.conditions.subject_kinds
                         and "natural_person" not in m.conditions.subject_kinds}
    assert {"samr.legal_rep_ban", "court.no_company_officer", "court.position_restrict"} <= person_only
    assert {"anomaly.licence_revocation", "tax.d_grade"} <= organisation_only


def test_a_missing_subject_kind_makes_a_kind_condition_to_verify():
    outcome = evaluate_conditions(Conditions(subject_kinds=("natural_person",)), subject_kind=None, facts={})
    assert outcome.applies == "verify"
