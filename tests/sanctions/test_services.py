"""Measures as data with operator versions (legal basis enforced), checks against them, and the figures."""

import datetime as dt

import pytest

from pubcredit.audit.models import AuditEvent
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from pubcredit.sanctions import selectors
from pubcredit.sanctions.models import MeasureVersion
from pubcredit.sanctions.rulebook import measure_book, seed
from pubcredit.sanctions.services import check_feedback_record, check_run, measure_save
from tests.factories import uscc
from tests.lists.helpers import court_row, samr_row, submit_list

pytestmark = pytest.mark.django_db


def measure_data(**overrides):
    data = {"code": "zibo.procurement_credit_commitment", "name_zh": "政府采购中要求作出信用承诺并加强履约检查",
            "kind": "punish", "lists": ["court_dishonest_debtor"], "scenarios": ["government_procurement"],
            "implementing": ["采购人"], "force": "D",
            "legal_basis": [{"instrument": "《山东省社会信用条例》", "article": "第二十八条第（三）项"}],
            "effective_from": dt.date(2026, 1, 1)}
    data.update(overrides)
    return data


def test_the_shipped_seed_cites_a_legal_basis_for_every_punishment():
    book = measure_book()
    punishments = [m for m in book.measures if m.kind == "punish"]
    assert len(punishments) >= 40
    assert all(any(b.instrument and b.article for b in m.legal_basis) for m in punishments)
    assert all(m.sources for m in book.measures)  # each keeps its citation (domain/measures.md source keys)
    assert set(seed().scenarios) >= {"government_procurement", "bidding", "administrative_approval", "fiscal_funding",
                                     "honors", "market_access", "qualification_review", "financing"}


@pytest.mark.parametrize("basis", [[], [{"instrument": "财库〔2016〕125号", "article": ""}]])
def test_a_punishment_without_a_legal_basis_cannot_be_saved(operator, basis):
    """国办发〔2020〕49号: every punishment rests on law, regulation or central documents, cited with its article."""
    with pytest.raises(DomainError) as err:
        measure_save(data=measure_data(legal_basis=basis), reason="新增", actor=operator)
    assert err.value.code == "measure.legal_basis_required" and err.value.field == "legal_basis"
    assert not MeasureVersion.objects.exists()


def test_a_reward_may_be_saved_without_legal_basis_and_unknown_lists_are_refused(operator):
    measure_save(data=measure_data(code="zibo.honor_priority", kind="reward", lists=["integrity_honor"],
                                   scenarios=["honors"], legal_basis=[]), reason="本市激励", actor=operator)
    with pytest.raises(DomainError) as err:
        measure_save(data=measure_data(lists=["no_such_list"]), reason="x", actor=operator)
    assert err.value.code == "measure.unknown_list"
    with pytest.raises(DomainError) as err:
        measure_save(data=measure_data(), reason=" ", actor=operator)
    assert err.value.code == "measure.reason_required"


def test_an_operator_version_is_used_by_the_next_check_and_replays_keep_the_old(operator, department, system_actor):
    submit_list("court_dishonest_debtor", [court_row(1)], department, system_actor)
    with clock.pinned(dt.date(2026, 11, 20)):
        before = check_run(department=department, subject={"uscc": uscc(1)}, scenario="honors", actor=system_actor)
        assert "court.honors_restrict" in [m["code"] for h in before.hits for m in h["measures"]]
        # the operator retires the measure (its SECONDARY basis could not be confirmed) and adds a city measure
        current = measure_book().current("court.honors_restrict", clock.today()).as_data()
        measure_save(data={**current, "effective_to": dt.date(2026, 11, 19)}, reason="依据原文未能核实，停止适用",
                     actor=operator)
        measure_save(data=measure_data(scenarios=["honors"], code="zibo.honors_check"), reason="本市补充",
                     actor=operator)
        after = check_run(department=department, subject={"uscc": uscc(1)}, scenario="honors", actor=system_actor)
    codes_after = [m["code"] for h in after.hits for m in h["measures"]]
    assert "court.honors_restrict" not in codes_after and "zibo.honors_check" in codes_after
    assert after.rulebook_version.endswith(f"ops:{MeasureVersion.objects.latest('id').pk}")
    assert before.rulebook_version.endswith("ops:0")
    replay = selectors.check_replay(before)
    old = {m["code"]: m for m in replay.measures}["court.honors_restrict"]
    assert old["effective_to"] is None and old["source"] == "seed"
    events = AuditEvent.objects.filter(action="measure.save")
    assert events.count() == 2 and events.first().before_hash  # the retired measure's old content is hashed


def test_figures_per_department_and_city(operator, department, district_department, system_actor):
    submit_list("court_dishonest_debtor", [court_row(1)], department, system_actor)
    submit_list("samr_serious_violation", [samr_row(2, decision_date="2026-09-28")], department, system_actor,
                when="2026-10-14")  # pushed late
    with clock.pinned(dt.date(2026, 11, 20)):
        hit = check_run(department=department, subject={"uscc": uscc(1)}, scenario="government_procurement",
                        actor=system_actor)
        check_run(department=department, subject={"uscc": uscc(3)}, scenario="government_procurement",
                  actor=system_actor)
        check_run(department=district_department, subject={"uscc": uscc(1)}, scenario="honors", actor=system_actor)
        codes = [m["code"] for h in hit.hits for m in h["measures"]]
        for code in codes:
            check_feedback_record(check=hit, measure_code=code, applied=code == "court.procurement_refuse",
                                  note="" if code == "court.procurement_refuse" else "不适用", actor=system_actor)
        city = selectors.city_figures(viewer=operator)
    rows = {d.code: f for d, f in city.departments}
    own = rows[department.code]
    assert (own.checks, own.hit_checks, own.feedback_required, own.feedback_complete) == (2, 1, 1, 1)
    assert (own.measures_applied, own.measures_not_applied, own.late_pushes) == (1, len(codes) - 1, 1)
    assert own.feedback_rate == 1.0 and own.hit_rate == 0.5
    other = rows[district_department.code]
    assert (other.checks, other.hit_checks, other.feedback_required, other.feedback_complete) == (1, 1, 1, 0)
    assert city.total.checks == 3 and city.total.feedback_rate == 0.5
    chart = city.chart()
    assert chart["by_department"]["核查次数"] == [2, 1] or chart["by_department"]["核查次数"] == [1, 2]
    assert chart["by_month"]["核查次数"][-1] == 3 and len(chart["months"]) == 12
