"""Repair and objection figures for governance (信用修复与异议处理情况): counts, working-day handling times against the
limits, overdue cases."""

import datetime as dt

import pytest

from pubcredit.records.models import CreditRecord
from pubcredit.repair import services
from pubcredit.repair.selectors import repair_figures
from pubcredit.rules import clock
from tests.factories import uscc
from tests.publicity.factories import eco_department, ndrc_penalty, submit

D = dt.date


@pytest.fixture
def eco(db, system_actor):
    return eco_department(system_actor)


@pytest.fixture
def records(eco, system_actor):
    result = submit([ndrc_penalty(n, decision_date="2026-04-15", valid_until="2026-04-15") for n in (1, 2, 3)],
                    department=eco, actor=system_actor, when="2026-04-20")
    return list(CreditRecord.objects.filter(pk__in=result.record_ids).order_by("pk"))


def apply(record, n, actor):
    return services.repair_application_submit(
        record=record, applicant_uscc=uscc(n), contact_name="王经理", contact_phone="13800000000",
        proof_description="缴款凭证", commitment_signed=True, actor=actor)


@pytest.fixture
def november(records, eco, system_actor):
    """Granted on time (6 WD), refused late (14 WD), one open past its acceptance limit, one objection dismissed."""
    a = system_actor
    with clock.pinned(D(2026, 11, 2)):
        on_time, late = apply(records[0], 1, a), apply(records[1], 2, a)
        objection = services.objection_submit(record=records[2], objector_name="李律师", objector_contact="139",
                                              grounds="日期有误", actor=a)
        services.objection_accept(objection=objection, department=eco, actor=a)
    with clock.pinned(D(2026, 11, 3)):
        services.repair_application_accept(application=on_time, department=eco, actor=a)  # decide by 11-12
    with clock.pinned(D(2026, 11, 4)):
        services.repair_application_accept(application=late, department=eco, actor=a)  # decide by 11-13
    with clock.pinned(D(2026, 11, 5)):
        apply(records[2], 3, a)  # accept by 11-10: overdue on 11-20
    with clock.pinned(D(2026, 11, 6)):
        services.objection_decide(objection=objection, outcome="dismiss", reason="日期无误", department=eco, actor=a)
    with clock.pinned(D(2026, 11, 10)):
        services.repair_application_grant(application=on_time, reason="已履行", department=eco, actor=a)
    with clock.pinned(D(2026, 11, 20)):
        services.repair_application_refuse(application=late, reason="未缴清", department=eco, actor=a)


def test_figures_count_handling_times_in_working_days_on_time_share_and_overdue(november, eco):
    with clock.pinned(D(2026, 11, 20)):
        figures = repair_figures(period_from=D(2026, 11, 1), period_to=D(2026, 11, 30))
    assert [u.department for u in figures.units] == [eco.name]
    apps = figures.city.applications
    assert (apps.received, apps.decided, apps.outcomes) == (3, 2, {"granted": 1, "refused": 1})
    assert (apps.handling_median, apps.handling_p90) == (10.0, 14)  # 6 and 14 working days
    assert (apps.on_time, apps.with_limit, apps.on_time_share) == (1, 2, 0.5)
    assert (apps.open_now, apps.overdue_open) == (1, 1)
    objs = figures.units[0].objections
    assert (objs.received, objs.decided, objs.outcomes, objs.handling_median, objs.on_time_share) == (
        1, 1, {"dismissed": 1}, 4.0, 1.0)
    assert figures.units[0].applications == apps  # one unit: the city's figures


def test_figures_of_a_period_count_only_its_cases_and_one_unit_only_its_own(november, eco, department):
    with clock.pinned(D(2026, 12, 20)):
        october = repair_figures(period_from=D(2026, 10, 1), period_to=D(2026, 10, 31))
        other = repair_figures(period_from=D(2026, 11, 1), period_to=D(2026, 11, 30), department=department)
    assert (october.city.applications.received, october.city.applications.decided) == (0, 0)
    assert october.city.applications.open_now == 1 and october.city.applications.on_time_share is None
    assert other.units == [] and other.city.applications.received == 0
