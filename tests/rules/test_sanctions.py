"""The pure measure rules: legal basis required for a punishment (国办发〔2020〕49号), measures fire only in their
scenarios and while in force, mandatory first, and the seed files are checked when loaded."""

import copy
import datetime as dt
import pathlib

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from pubcredit.rules.sanctions import (EntryFacts, MeasureError, MeasureSet, SanctionsRulebookError, match,
                                       parse_measure_files, parse_scenarios, validate_measure)

MEASURES_DIR = pathlib.Path(__file__).resolve().parents[2] / "src" / "pubcredit" / "rulebook" / "measures"
LISTS = ["court_dishonest_debtor", "major_tax_violator", "samr_serious_violation", "business_anomaly", "tax_a_level",
         "integrity_honor"]
SCENARIOS = parse_scenarios(yaml.safe_load((MEASURES_DIR / "scenarios.yaml").read_text(encoding="utf-8")))


def seed_files() -> dict:
    return {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(MEASURES_DIR.glob("*.yaml"))
            if p.name != "scenarios.yaml"}


def seed():
    return parse_measure_files(seed_files(), scenarios=SCENARIOS, lists=LISTS)[0]


def measure(**overrides):
    data = {"code": "t.one", "name_zh": "测试措施", "kind": "punish", "lists": ["court_dishonest_debtor"],
            "scenarios": ["government_procurement"], "implementing": ["采购人"], "force": "M",
            "legal_basis": [{"instrument": "《中华人民共和国政府采购法》", "article": "第二十二条"}], "version": "1",
            "effective_from": dt.date(2016, 1, 1)}
    data.update(overrides)
    return validate_measure(data, scenarios=SCENARIOS, lists=LISTS)


def test_the_seed_loads_with_every_scenario_of_the_contract():
    measures = seed()
    assert len(measures) >= 45
    assert {"government_procurement", "bidding", "administrative_approval", "fiscal_funding", "honors",
            "market_access", "qualification_review", "financing"} <= {s for m in measures for s in m.scenarios}
    assert {lst for m in measures for lst in m.lists} == set(LISTS)
    assert not SCENARIOS["personal"].checkable and SCENARIOS["bidding"].checkable


def test_a_punishment_needs_instrument_and_article():
    with pytest.raises(MeasureError) as err:
        measure(legal_basis=[])
    assert [p.code for p in err.value.problems] == ["measure.legal_basis_required"]
    with pytest.raises(MeasureError):
        measure(legal_basis=[{"instrument": "某文件", "article": ""}])
    assert measure(kind="reward", legal_basis=[]).kind == "reward"


def test_the_loader_refuses_a_seed_punishment_without_basis():
    files = seed_files()
    broken = copy.deepcopy(files["court_dishonest_debtor.yaml"])
    broken["measures"][0]["legal_basis"] = []
    with pytest.raises(SanctionsRulebookError, match="court.procurement_refuse"):
        parse_measure_files({**files, "court_dishonest_debtor.yaml": broken}, scenarios=SCENARIOS, lists=LISTS)


def test_the_loader_refuses_unknown_keys_scenarios_and_overlapping_versions():
    files = seed_files()
    for change in ({"colour": "red"}, {"scenarios": ["lottery"]}):
        broken = copy.deepcopy(files["samr_serious_violation.yaml"])
        broken["measures"][0].update(change)
        with pytest.raises(SanctionsRulebookError):
            parse_measure_files({**files, "samr_serious_violation.yaml": broken}, scenarios=SCENARIOS, lists=LISTS)
    broken = copy.deepcopy(files["business_anomaly.yaml"])
    broken["measures"][0]["effective_to"] = dt.date(2024, 6, 30)
    with pytest.raises(SanctionsRulebookError, match="overlaps"):
        parse_measure_files({**files, "business_anomaly.yaml": broken}, scenarios=SCENARIOS, lists=LISTS)


def test_a_renumbered_article_is_two_versions_by_date():
    """企业信息公示暂行条例: the restriction clause moved from 第十八条 to 第十九条 on 2024-05-01."""
    measures = MeasureSet(seed())
    before = measures.for_entry("business_anomaly", "bidding", dt.date(2024, 4, 30))
    after = measures.for_entry("business_anomaly", "bidding", dt.date(2024, 5, 1))
    assert [m.legal_basis[0].article for m in before] == ["第十八条"]
    assert [m.legal_basis[0].article for m in after] == ["第十九条"]


def test_hits_carry_only_the_scenarios_measures_mandatory_first():
    measures = MeasureSet(seed())
    entry = EntryFacts(1, "court_dishonest_debtor", dt.date(2026, 1, 1), dt.date(2027, 12, 31))
    [procurement] = match([entry], scenario="government_procurement", measures=measures, on=dt.date(2026, 6, 1))
    [honours] = match([entry], scenario="honors", measures=measures, on=dt.date(2026, 6, 1))
    assert procurement.measures[0].code == "court.procurement_refuse" and procurement.measures[0].mandatory
    assert "court.procurement_refuse" not in [m.code for m in honours.measures]
    mandatory = [m.mandatory for m in procurement.measures]
    assert mandatory == sorted(mandatory, reverse=True)


def test_a_measure_not_yet_in_force_does_not_fire():
    measures = MeasureSet(seed())
    entry = EntryFacts(1, "court_dishonest_debtor", dt.date(2020, 1, 1), None)
    [early] = match([entry], scenario="qualification_review", measures=measures, on=dt.date(2024, 6, 30))
    [late] = match([entry], scenario="qualification_review", measures=measures, on=dt.date(2024, 7, 1))
    assert "court.no_company_officer" not in [m.code for m in early.measures]  # 公司法(2023) in force 2024-07-01
    assert "court.no_company_officer" in [m.code for m in late.measures]


SEED_SET = MeasureSet(seed())
BY_CODE: dict = {}
for _m in SEED_SET.measures:
    BY_CODE.setdefault(_m.code, []).append(_m)


@given(st.sampled_from(LISTS), st.sampled_from(sorted(SCENARIOS)), st.dates(dt.date(2015, 1, 1), dt.date(2030, 1, 1)))
def test_every_measure_answered_belongs_to_the_list_and_scenario_and_is_in_force(list_code, scenario, day):
    measures, by_code = SEED_SET, BY_CODE
    [hit] = match([EntryFacts(9, list_code, day, None)], scenario=scenario, measures=measures, on=day)
    for answered in hit.measures:
        source = next(m for m in by_code[answered.code] if m.version == answered.version)
        assert list_code in source.lists and scenario in source.scenarios and source.in_force(day)
        if source.kind == "punish":
            assert answered.legal_basis
