"""Objection limits of their own (issue 13 item 6): abnormal-list objections follow 《企业经营异常名录管理办法》第十五条
(within 30 days of publication; accept within 5, verify within 20 working days, rules.md §1.5); and the extension of a
verification told in advance (NDRC Order 36 art. 18, last sentence)."""

import datetime as dt

import pytest

from pubcredit.lists.models import ListEntry
from pubcredit.records.models import CreditRecord
from pubcredit.repair import selectors, services
from pubcredit.repair.models import Notice
from pubcredit.repair.rulebook import rulebook
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from pubcredit.rules.repair import objection_limits
from tests.lists.helpers import anomaly_row, submit_list
from tests.publicity.factories import eco_department, ndrc_penalty, submit

D = dt.date


def test_abnormal_list_rule_15_applies_within_30_days_of_publication_only():
    book = rulebook()
    published = D(2026, 9, 1)
    on_day_30 = objection_limits(book, publicity_regime="list:business_anomaly", list_code="business_anomaly",
                                 list_effective=published, received_on=D(2026, 10, 1))
    assert (on_day_30.accept, on_day_30.verify, on_day_30.list_rule) == (5, 20, True) and on_day_30.forward == 1
    assert "第十五条" in on_day_30.article
    day_31 = objection_limits(book, publicity_regime="list:business_anomaly", list_code="business_anomaly",
                              list_effective=published, received_on=D(2026, 10, 2))
    assert (day_31.forward, day_31.verify, day_31.list_rule, day_31.accept) == (1, 7, False, None)
    other = objection_limits(book, publicity_regime="list:major_tax_violator", list_code="major_tax_violator",
                             list_effective=published, received_on=D(2026, 9, 2))
    assert (other.forward, other.verify) == (1, 7)


@pytest.fixture
def anomaly(db, department, system_actor):
    result, _ = submit_list("business_anomaly", [anomaly_row(1, decision_date="2026-09-15")], department,
                            system_actor, when="2026-09-16")
    record = CreditRecord.objects.get(pk=result.record_ids[0])
    return record, ListEntry.objects.get(record=record)


def test_abnormal_list_objection_accept_5_and_verify_20_working_days_across_national_day(anomaly, department,
                                                                                        system_actor):
    record, entry = anomaly
    assert entry.effective_date <= D(2026, 9, 29) <= entry.effective_date + dt.timedelta(days=30)
    with clock.pinned(D(2026, 9, 29)):
        obj = services.objection_submit(record=record, objector_name="淄博异常测试有限公司1",
                                        objector_contact="13800000001", grounds="年报已按时报送", actor=system_actor)
    # 9-30, 10-8, 10-9, 10-10 (make-up Saturday), 10-12: the National Day holiday 10-1..7 skipped
    # the acceptance limit has its own field; forward_due keeps the platform's 1-WD forwarding limit (art. 18)
    assert obj.accept_due == D(2026, 10, 12) and obj.forward_due == D(2026, 9, 30)
    assert "第十五条" in obj.limits_article
    assert "2026年10月12日前决定是否受理" in Notice.objects.get(objection=obj, recipient="applicant").message
    queue_row = next(o for o in selectors.case_queue(viewer=system_actor)[1] if o.pk == obj.pk)
    assert queue_row.due == D(2026, 10, 12)
    with clock.pinned(D(2026, 10, 9)):
        assert selectors.overdue_counts(department=department)["objections"] == 0  # past forward_due, not accept_due
    with clock.pinned(D(2026, 10, 13)):
        assert selectors.overdue_counts(department=department)["objections"] == 1
    with clock.pinned(D(2026, 10, 12)):
        obj = services.objection_accept(objection=obj, department=department, actor=system_actor)
    assert obj.verify_due == D(2026, 11, 9)  # 20 working days


def test_other_objections_keep_order36_art18_limits(db, system_actor):
    eco = eco_department(system_actor)
    result = submit([ndrc_penalty(1, decision_date="2026-04-15", valid_until="2026-04-15")], department=eco,
                    actor=system_actor, when="2026-04-20")
    record = CreditRecord.objects.get(pk=result.record_ids[0])
    with clock.pinned(D(2026, 9, 30)):
        obj = services.objection_submit(record=record, objector_name="李律师", objector_contact="13900000000",
                                        grounds="金额有误", actor=system_actor)
    assert obj.forward_due == D(2026, 10, 8) and obj.limits_article.endswith("第十八条") and obj.accept_due is None


@pytest.fixture
def accepted(db, system_actor):
    eco = eco_department(system_actor)
    result = submit([ndrc_penalty(1, decision_date="2026-04-15", valid_until="2026-04-15")], department=eco,
                    actor=system_actor, when="2026-04-20")
    record = CreditRecord.objects.get(pk=result.record_ids[0])
    with clock.pinned(D(2026, 9, 28)):
        obj = services.objection_submit(record=record, objector_name="李律师", objector_contact="13900000000",
                                        grounds="金额有误", actor=system_actor)
        obj = services.objection_accept(objection=obj, department=eco, actor=system_actor)
    return obj, eco


def test_order36_art18_extension_told_in_advance_to_a_later_working_day(accepted, system_actor):
    obj, eco = accepted
    assert obj.verify_due == D(2026, 10, 13)  # 9-29, 9-30, 10-8, 10-9, 10-10 (make-up Saturday), 10-12, 10-13
    with clock.pinned(D(2026, 10, 9)):
        with pytest.raises(DomainError) as caught:
            services.objection_extend(objection=obj, until="2026-10-11", reason="需调取执法记录", department=eco,
                                      actor=system_actor)  # a Sunday
        assert caught.value.code == "objection.extension_date"
        with pytest.raises(DomainError):
            services.objection_extend(objection=obj, until="2026-10-09", reason="需调取执法记录", department=eco,
                                      actor=system_actor)  # not later than the current limit
        obj = services.objection_extend(objection=obj, until="2026-10-23", reason="需调取执法记录", department=eco,
                                        actor=system_actor)
    assert obj.state == "accepted" and obj.verify_due == D(2026, 10, 23) and obj.extension_reason == "需调取执法记录"
    notice = Notice.objects.filter(objection=obj, step="extend", recipient="applicant").get()
    assert "2026年10月23日" in notice.message or "2026-10-23" in notice.message


def test_an_extension_after_the_limit_has_passed_is_refused(accepted, system_actor):
    obj, eco = accepted
    with clock.pinned(D(2026, 10, 14)):
        with pytest.raises(DomainError) as caught:
            services.objection_extend(objection=obj, until="2026-10-23", reason="需调取执法记录", department=eco,
                                      actor=system_actor)
    assert caught.value.code == "objection.extension_late"
    obj.refresh_from_db()
    assert obj.verify_due == D(2026, 10, 13)
