"""The government-integrity view (政务诚信) of a 机关: its court list entries as debtor, its arrears (flagged past the
plan), its unfulfilled commitments, lost administrative judgments and audit findings collected as catalogue records."""

import datetime as dt

import pytest

from pubcredit.catalog.registry import get_class
from pubcredit.integrity import selectors, services
from pubcredit.records.services import record_submit_one
from pubcredit.rules import clock
from tests.factories import AUTHORITY_USCC
from tests.integrity.helpers import GOVERNMENT_DEBTOR, complaint_input
from tests.lists.helpers import court_row, submit_list

pytestmark = pytest.mark.django_db

BODY = {"subject_name": "淄博市某某局", "subject_category": "法人及非法人组织", "subject_uscc": GOVERNMENT_DEBTOR,
        "identifying_unit": "淄博市发展和改革委员会", "source_name": "淄博市发展和改革委员会", "source_uscc": AUTHORITY_USCC}


def _submit(class_code, department, actor, **values):
    return record_submit_one(info_class=get_class(class_code), values=BODY | values, department=department,
                             actor=actor).record_ids


@pytest.fixture
def body_with_everything(public_actor, operator, handler, department, system_actor):
    with clock.pinned(dt.date(2026, 9, 1)):
        complaint = services.arrears_complaint_file(**complaint_input(), actor=public_actor)
        services.arrears_complaint_assign(complaint=complaint, department=handler.department, actor=operator)
        services.arrears_complaint_verify(complaint=complaint, confirmed=True, amount_owed="50000", note="",
                                          verified_on=dt.date(2026, 9, 1), actor=handler)
        services.arrears_plan_agree(complaint=complaint, plan_last_day=dt.date(2026, 10, 30), plan_note="一次付清",
                                    actor=handler)
    with clock.pinned(dt.date(2026, 11, 20)):
        _submit("gov_unfulfilled_commitment", department, system_actor, decision_no="淄发改诚〔2026〕1号",
                decision_date="2026-11-02", commitment_kind="招商引资承诺", counterparty_name="淄博某某科技有限公司",
                commitment_content="承诺的厂房租金补贴未兑现", amount="120", status="未履行")
        _submit("gov_unfulfilled_commitment", department, system_actor, decision_no="淄发改诚〔2026〕2号",
                decision_date="2026-11-03", commitment_kind="政府采购合同", counterparty_name="淄博某某软件有限公司",
                commitment_content="验收后付款", status="已履行")
        _submit("gov_lost_admin_judgment", department, system_actor, decision_no="（2026）鲁0303行初5号",
                decision_date="2026-10-12", court_name="淄博市张店区人民法院", judgment_kind="撤销行政行为",
                case_cause="行政处罚", status="未履行")
        _submit("gov_audit_finding", department, system_actor, decision_no="淄审报〔2026〕9号",
                decision_date="2026-08-01", finding="专项资金未按规定拨付", status="整改中")
        submit_list("court_dishonest_debtor", [court_row(1, subject_name="淄博市某某局", subject_uscc=GOVERNMENT_DEBTOR)],
                    department, system_actor)


def test_the_view_gathers_court_entries_arrears_and_government_records(body_with_everything, leader):
    with clock.pinned(dt.date(2026, 11, 20)):
        [view] = selectors.government_bodies(viewer=leader)
        assert view.kind_zh == "机关" and view.subject.uscc == GOVERNMENT_DEBTOR
        assert [e.list_code for e in view.court_entries] == ["court_dishonest_debtor"]
        assert [r.past_plan for r in view.arrears] == [True] and view.outstanding == 50000
        assert sorted(r.class_name for r in view.open_records) == [
            "审计发现问题信息", "政府机构未履行承诺信息", "行政机关行政诉讼败诉信息"]  # the fulfilled one is not open
        assert view.flags == ["失信被执行人（1条在列）", "拖欠账款逾期未清偿（1件）", "未履行承诺或未整改事项（3条）"]


def test_the_view_is_for_leaders_and_operators_only(body_with_everything, handler, client, leader):
    subject_id = selectors.government_bodies(viewer=leader)[0].subject.pk
    assert selectors.government_view(viewer=handler, subject_id=subject_id) is None
    client.force_login(handler)
    assert client.get(f"/integrity/bodies/{subject_id}/").status_code == 403
    client.force_login(leader)
    with clock.pinned(dt.date(2026, 11, 20)):
        page = client.get(f"/integrity/bodies/{subject_id}/").content.decode()
        listing = client.get("/integrity/bodies/").content.decode()
    assert "失信被执行人（1条在列）" in page and "专项资金未按规定拨付" in page and "逾期未清偿" in page
    assert "淄博市某某局" in listing


def test_a_private_enterprise_has_no_government_view(leader, department, system_actor):
    submit_list("court_dishonest_debtor", [court_row(2)], department, system_actor)
    assert selectors.government_bodies(viewer=leader) == []
