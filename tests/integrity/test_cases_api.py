"""Government dishonesty cases by API (/api/v1/integrity/cases): a case office's token (政府失信办理单位) and a staff
session take the workbench's steps — identification, accountability, rectification, removal — audited like the
pages; a token without the grant, another district's office and a leader who only reads are refused; bad input is
refused field by field and nothing is kept."""

import datetime as dt
import json

import pytest

from pubcredit.accounts.services import department_create, token_create
from pubcredit.audit.models import AuditEvent
from pubcredit.integrity import cases
from pubcredit.integrity.models import AccountabilityRecord, GovernmentCase
from pubcredit.records.models import CreditRecord
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from tests.factories import uscc
from tests.integrity.helpers import GOVERNMENT_DEBTOR

pytestmark = pytest.mark.django_db

PAST_PLAN = dt.date(2026, 11, 20)  # the plan of complaint_past_plan ended on 2026-10-30
URL = "/api/v1/integrity/cases"


@pytest.fixture(autouse=True)
def _past_plan():
    with clock.pinned(PAST_PLAN):
        yield


def _auth(department, actor):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(department=department, actor=actor).plaintext}"}


def _post(client, url, body, auth=None):
    return client.post(url, json.dumps(body), content_type="application/json", **(auth or {}))


def _identify_body(complaint, **overrides):
    return {"body_uscc": GOVERNMENT_DEBTOR, "source_type": "arrears", "source_id": complaint.pk,
            "facts": "约定2026年10月30日前付清工程款5万元，逾期未付。", "supervisor": "淄博市人民政府办公室",
            "serious": True} | overrides


def test_a_case_office_token_identifies_holds_to_account_rectifies_and_removes(client, complaint_past_plan, department,
                                                                               operator, system_actor):
    cases.case_office_grant(department=department, actor=operator)  # a city department: every body
    auth = _auth(department, system_actor)
    [source] = client.get(f"{URL}/sources?body_uscc={GOVERNMENT_DEBTOR}", **auth).json()
    assert (source["source_type"], source["source_id"], source["ground_zh"]) == (
        "arrears", complaint_past_plan.pk, "拖欠中小企业款项逾期未清偿")
    created = _post(client, URL, _identify_body(complaint_past_plan), auth)
    assert created.status_code == 201, created.json()
    case = created.json()
    assert case["status"] == "open" and case["body_kind_zh"] == "机关" and case["public"] is True
    assert case["number"] == "ZFSX2026-00001" and case["accountability"] == []
    one = f"{URL}/{case['id']}"
    held = _post(client, f"{one}/accountability", {
        "person_name": "赵某", "position": "副局长", "responsibility": "leader", "measure": "inquiry_talk",
        "decided_on": "2026-11-20", "deciding_body": "淄博市工业和信息化局"}, auth)
    assert held.status_code == 201 and held.json()["accountability"][0]["measure_zh"] == "函询约谈"
    rectified = _post(client, f"{one}/rectification", {"rectified_on": "2026-11-20", "note": "已制定付款方案并付清"}, auth)
    assert rectified.status_code == 200 and rectified.json()["status_zh"] == "已整改待移出"
    removed = _post(client, f"{one}/removal", {"removal_reason": "rectified"}, auth)
    assert removed.status_code == 200 and removed.json()["status"] == "removed", removed.json()
    assert removed.json()["removal_reason_zh"] == "整改完成移出" and removed.json()["public"] is False
    steps = AuditEvent.objects.filter(action="gov_case.step").order_by("id")
    assert [e.data["event"] for e in steps] == ["identify", "rectify", "remove"]
    assert all(e.actor_label.startswith(f"token:{department.code}:") for e in steps)  # the token, as the pages' user
    assert AuditEvent.objects.filter(action="gov_case.accountability").count() == 1
    record = CreditRecord.objects.get(class_code="gov_dishonesty_case")  # kept under the case office's department
    assert record.department_id == department.pk and record.fields["identifying_unit"] == department.name
    assert record.fields["status"] == "removed" and record.version == 3
    assert [c["number"] for c in client.get(f"{URL}?status=removed", **auth).json()] == ["ZFSX2026-00001"]
    assert client.get(f"{URL}?status=open", **auth).json() == []
    assert client.get(f"{URL}?body_uscc={uscc(77)}", **auth).json() == []


def test_a_token_without_the_grant_and_another_districts_office_are_refused(client, complaint_past_plan, department,
                                                                             district_department, operator,
                                                                             system_actor):
    case = cases.government_case_identify(body=complaint_past_plan.debtor, source_type="arrears",
                                          source_id=complaint_past_plan.pk, facts="逾期未付", supervisor="市政府办公室",
                                          serious=False, actor=operator)
    plain = _auth(department, system_actor)  # no case office: nothing at all
    assert client.get(URL, **plain).status_code == 403
    assert client.get(f"{URL}/{case.pk}", **plain).status_code == 403
    assert _post(client, f"{URL}/{case.pk}/rectification", {"rectified_on": "2026-11-20", "note": "x"},
                 plain).status_code == 403
    linzi = department_create(code="LZ-XYB", name="临淄区社会信用中心", uscc=uscc(601, registrar="11"), district="linzi",
                              actor=system_actor)
    cases.case_office_grant(department=linzi, actor=operator)
    other = _auth(linzi, system_actor)  # a district case office: its own district's bodies only
    assert client.get(URL, **other).json() == []
    assert client.get(f"{URL}/{case.pk}", **other).status_code == 404
    assert _post(client, f"{URL}/{case.pk}/removal", {"removal_reason": "wrongful", "note": "误认"},
                 other).status_code == 404
    assert client.get(f"{URL}/sources?body_uscc={GOVERNMENT_DEBTOR}", **other).status_code == 403
    cases.case_office_grant(department=district_department, actor=operator)  # Zhangdian's: the body is its own
    own = _auth(district_department, system_actor)
    assert [c["id"] for c in client.get(URL, **own).json()] == [case.pk]
    assert GovernmentCase.objects.get().status == "open"


def test_only_operators_grant_a_case_office(department, district_department, operator, system_actor):
    with pytest.raises(DomainError) as refused:
        cases.case_office_grant(department=department, actor=system_actor)
    assert refused.value.code == "integrity.operator_only"
    cases.case_office_grant(department=district_department, actor=operator)
    event = AuditEvent.objects.get(action="gov_case.office_granted")
    assert event.object_id == str(district_department.pk) and event.actor_id == operator.pk
    assert event.data == {"department": "ZD-SCJG", "reach": "zhangdian"}


def test_staff_sessions_act_as_on_the_pages_and_a_leader_only_reads(client, complaint_past_plan, operator, leader):
    client.force_login(operator)
    created = _post(client, URL, _identify_body(complaint_past_plan, serious=False))
    assert created.status_code == 201
    case_id = created.json()["id"]
    client.force_login(leader)
    assert client.get(f"{URL}/{case_id}").json()["number"] == "ZFSX2026-00001"
    refused = _post(client, f"{URL}/{case_id}/accountability", {
        "person_name": "赵某", "position": "副局长", "responsibility": "leader", "measure": "demerit",
        "decided_on": "2026-11-20", "deciding_body": "淄博市纪委监委"})
    assert refused.status_code == 403 and refused.json()["code"] == "auth.forbidden"
    assert AccountabilityRecord.objects.count() == 0
    client.logout()
    assert client.get(URL).status_code == 401


def test_bad_input_is_refused_field_by_field_and_nothing_is_kept(client, complaint_past_plan, department, operator,
                                                                 system_actor):
    cases.case_office_grant(department=department, actor=operator)
    auth = _auth(department, system_actor)
    unknown = _post(client, URL, _identify_body(complaint_past_plan, body_uscc=uscc(88)), auth)
    assert unknown.status_code == 400 and unknown.json()["fields"][0]["field"] == "body_uscc"
    empty = _post(client, URL, _identify_body(complaint_past_plan, facts="", supervisor="",
                                              rectify_due="2026-11-19"), auth)
    assert empty.status_code == 400
    assert {(f["field"], f["code"]) for f in empty.json()["fields"]} == {
        ("facts", "facts.required"), ("supervisor", "supervisor.required"), ("rectify_due", "rectify_due.past")}
    shape = _post(client, URL, _identify_body(complaint_past_plan, source_type="rumour"), auth)
    assert shape.status_code == 422 and shape.json()["fields"][0]["field"] == "payload.source_type"
    assert GovernmentCase.objects.count() == 0
    case = _post(client, URL, _identify_body(complaint_past_plan), auth).json()
    duplicate = _post(client, URL, _identify_body(complaint_past_plan), auth)
    assert duplicate.status_code == 400 and duplicate.json()["fields"][0]["code"] == "gov_case.duplicate"
    one = f"{URL}/{case['id']}"
    bad = _post(client, f"{one}/accountability", {
        "person_name": "", "position": "局长", "responsibility": "boss", "measure": "demerit",
        "decided_on": "2026-11-21", "deciding_body": "淄博市纪委监委"}, auth)
    assert bad.status_code == 400
    assert {f["code"] for f in bad.json()["fields"]} == {"person_name.required", "responsibility.invalid",
                                                        "date.future"}
    live = _post(client, f"{one}/removal", {"removal_reason": "source_gone"}, auth)  # the debt is still owed
    assert live.status_code == 400 and live.json()["code"] == "gov_case.source_live"
    assert client.get(f"{URL}/999999", **auth).status_code == 404
    assert GovernmentCase.objects.get().status == "open" and AccountabilityRecord.objects.count() == 0
