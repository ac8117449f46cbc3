"""The check API (/api/v1/checks …) as business systems call it: hits per scenario, errors, removal, replay,
feedback, batch screening, the natural-person audit, watches and their change feed."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from pubcredit.audit.models import AuditEvent
from pubcredit.lists.models import ListEntry
from pubcredit.lists.services import list_entry_remove
from pubcredit.rules import clock
from pubcredit.sanctions.models import Check, CheckFeedback
from tests.factories import resident_id, uscc
from tests.lists.helpers import court_person_row, court_row, samr_row, submit_list, tax_a_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def court_listed(department, system_actor):
    submit_list("court_dishonest_debtor", [court_row(1)], department, system_actor)
    return uscc(1)


def codes(hit):
    return [m["code"] for m in hit["measures"]]


def test_procurement_check_of_a_court_debtor_returns_the_mandatory_refusal_first(api, court_listed):
    response = api.check(uscc=court_listed)
    assert response.status_code == 200
    body = response.json()
    assert body["subject"] == {"found": True, "kind": "legal_person", "name": "淄博失信测试有限公司1",
                               "code": court_listed}
    assert body["scenario"] == "government_procurement" and body["reference"] == "ZB-2026-001"
    assert body["rulebook_version"].startswith("lists:") and ";measures:" in body["rulebook_version"]
    [hit] = body["hits"]
    entry = ListEntry.objects.get()
    assert (hit["list_code"], hit["entry_id"], hit["since"], hit["until"]) == (
        "court_dishonest_debtor", entry.pk, "2026-11-16", "2028-11-15")
    first = hit["measures"][0]
    assert first["code"] == "court.procurement_refuse" and first["mandatory"] and first["kind"] == "punish"
    assert "政府采购法" in first["legal_basis"] and "第二十二条" in first["legal_basis"]
    assert [m["mandatory"] for m in hit["measures"]] == sorted([m["mandatory"] for m in hit["measures"]], reverse=True)
    assert all("government_procurement" for m in hit["measures"])
    assert set(first) == {"code", "name", "kind", "mandatory", "force", "legal_basis", "implementing", "version",
                          "applies", "condition_zh", "note", "implemented_by", "information"}
    assert first["applies"] == "yes" and first["information"] is False


def test_a_procurement_measure_does_not_fire_for_honours(api, court_listed):
    procurement = codes(api.check(uscc=court_listed).json()["hits"][0])
    honours = codes(api.check(scenario="honors", uscc=court_listed).json()["hits"][0])
    assert "court.procurement_refuse" in procurement and "court.procurement_refuse" not in honours
    assert "court.honors_restrict" in honours and "court.honors_restrict" not in procurement
    assert "shandong.funding_honours_limit" in honours  # 山东省社会信用条例 第二十八条(二)


def test_a_list_without_a_measure_in_the_scenario_is_a_hit_with_no_measures(api, department, system_actor):
    """过惩相当: an abnormal-list entry in a financing check is shown, and no measure is invented for it."""
    from tests.lists.helpers import anomaly_row

    submit_list("business_anomaly", [anomaly_row(3)], department, system_actor)
    [hit] = api.check(scenario="financing", uscc=uscc(3)).json()["hits"]
    assert hit["list_code"] == "business_anomaly" and hit["measures"] == []


def test_red_list_rewards(api, department, system_actor):
    submit_list("tax_a_level", [tax_a_row(4)], department, system_actor)
    [hit] = api.check(scenario="administrative_approval", uscc=uscc(4)).json()["hits"]
    assert hit["list_kind"] == "red"
    assert {m["kind"] for m in hit["measures"]} == {"reward"}
    assert "taxa.approval_green_channel" in codes(hit)


def test_clean_and_unknown_subjects_get_empty_hits(api, court_listed, department, system_actor):
    from pubcredit.catalog.registry import get_class
    from pubcredit.records.services import records_submit
    from tests.factories import at, frame, penalty

    records_submit(info_class=get_class("admin_penalty"), frame=frame([penalty(9)]), department=department,
                   actor=system_actor, received_at=at("2026-11-20"))
    clean = api.check(uscc=uscc(9)).json()
    assert clean["hits"] == [] and clean["subject"]["found"] is True
    unknown = api.check(uscc=uscc(99)).json()
    assert unknown["hits"] == [] and unknown["subject"] == {"found": False, "kind": None, "name": None,
                                                             "code": uscc(99)}


@pytest.mark.parametrize(("body", "code", "field"), [
    ({"subject": {"uscc": uscc(1)}, "scenario": "lottery"}, "check.unknown_scenario", "scenario"),
    ({"subject": {"uscc": uscc(1)}, "scenario": "personal"}, "check.unknown_scenario", "scenario"),
    ({"subject": {"uscc": uscc(1)}}, "check.unknown_scenario", "scenario"),
    ({"subject": {"uscc": "91370303MA0000010X"}, "scenario": "bidding"}, "check.malformed_identifier", "subject.uscc"),
    ({"subject": {"uscc": "9137"}, "scenario": "bidding"}, "check.malformed_identifier", "subject.uscc"),
    ({"subject": {"id_number": "370303199001010010"}, "scenario": "bidding"}, "check.malformed_identifier",
     "subject.id_number"),
    ({"subject": {"uscc": uscc(1), "id_number": resident_id(1)}, "scenario": "bidding"}, "check.subject_required",
     "subject"),
    ({"subject": {}, "scenario": "bidding"}, "check.subject_required", "subject"),
])
def test_bad_requests_are_400_naming_the_field(api, body, code, field):
    response = api.post("/api/v1/checks", body)
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == code and error["fields"][0]["field"] == field
    assert Check.objects.count() == 0


def test_token_is_required(client):
    response = client.post("/api/v1/checks", {"subject": {"uscc": uscc(1)}, "scenario": "bidding"},
                           content_type="application/json")
    assert response.status_code == 401


def test_removal_ends_hits_at_once_and_replay_still_shows_why(api, court_listed, system_actor):
    before = api.check(uscc=court_listed).json()
    entry = ListEntry.objects.get()
    with clock.pinned(dt.date(2026, 11, 20)):
        list_entry_remove(entry=entry, reason="court_deleted", note="已履行完毕，法院删除（2026-11-20通知）",
                          actor=system_actor)
    after = api.check(uscc=court_listed).json()
    assert after["hits"] == []

    replay = api.get(f"/api/v1/checks/{before['check_id']}").json()
    assert replay["hits"] == before["hits"] and replay["rulebook_version"] == before["rulebook_version"]
    [was] = replay["explanation"]["entries_in_force"]
    assert (was["entry_id"], was["answered"], was["status_now"], was["removal_reason"]) == (
        entry.pk, True, "removed", "court_deleted")
    assert replay["explanation"]["consistent"] is True
    measures = {m["code"]: m for m in replay["explanation"]["measures"]}
    assert measures["court.procurement_refuse"]["legal_basis"][0]["article"] == "第二十二条"
    assert api.get(f"/api/v1/checks/{after['check_id']}").json()["explanation"]["entries_in_force"] == []


def test_an_entry_past_its_term_stops_hitting_before_the_daily_job(api, department, system_actor):
    submit_list("tax_a_level", [tax_a_row(5, decision_date="2025-11-20")], department, system_actor,
                when="2025-11-21")
    assert api.check(scenario="honors", uscc=uscc(5)).json()["hits"] == []  # today 2026-11-20: last day was 11-19


def test_replay_of_another_departments_check_is_404(api, court_listed, district_department, client, system_actor):
    from pubcredit.accounts.services import token_create

    check_id = api.check(uscc=court_listed).json()["check_id"]
    other = token_create(department=district_department, actor=system_actor)
    response = client.get(f"/api/v1/checks/{check_id}", HTTP_AUTHORIZATION=f"Bearer {other.plaintext}")
    assert response.status_code == 404
    assert api.get("/api/v1/checks/not-a-uuid").status_code == 404


def test_feedback_per_measure_until_complete(api, court_listed):
    body = api.check(scenario="bidding", uscc=court_listed).json()
    check_id = body["check_id"]
    measure_codes = codes(body["hits"][0])
    assert len(measure_codes) >= 2
    awaiting = api.get("/api/v1/checks?awaiting_feedback=true").json()
    assert [c["check_id"] for c in awaiting] == [check_id]

    bad = api.post(f"/api/v1/checks/{check_id}/feedback", {"measure_code": "court.nonexistent", "applied": True})
    assert bad.status_code == 400 and bad.json()["code"] == "feedback.unknown_measure"
    no_reason = api.post(f"/api/v1/checks/{check_id}/feedback", {"measure_code": measure_codes[0], "applied": False})
    assert no_reason.status_code == 400 and no_reason.json()["fields"][0]["field"] == "note"

    first = api.post(f"/api/v1/checks/{check_id}/feedback",
                     {"measure_code": measure_codes[0], "applied": True, "note": "资格审查不通过"})
    assert first.status_code == 200 and first.json()["feedback_complete"] is False
    for code in measure_codes[1:]:
        last = api.post(f"/api/v1/checks/{check_id}/feedback",
                        {"measure_code": code, "applied": False, "note": "本项目非政府投资项目，不适用"})
    assert last.json()["feedback_complete"] is True
    assert api.get("/api/v1/checks?awaiting_feedback=true").json() == []
    # a correction is kept beside the original
    api.post(f"/api/v1/checks/{check_id}/feedback", {"measure_code": measure_codes[0], "applied": False,
                                                     "note": "更正：项目终止"})
    replay = api.get(f"/api/v1/checks/{check_id}").json()
    assert len(replay["feedback"]) == len(measure_codes) + 1 and replay["feedback_complete"] is True
    assert CheckFeedback.objects.filter(measure_code=measure_codes[0]).count() == 2
    assert AuditEvent.objects.filter(action="check.feedback").count() == len(measure_codes) + 1


def test_checks_of_natural_persons_are_audited_with_the_masked_number_only(api, department, system_actor):
    number = resident_id(7)
    submit_list("court_dishonest_debtor", [court_person_row(7)], department, system_actor)
    audit_before = AuditEvent.objects.filter(action="check.person").count()
    body = api.check(id_number=number, reference="审批-88").json()
    assert body["subject"]["code"] == number[:6] + "********" + number[-4:] and len(body["hits"]) == 1
    event = AuditEvent.objects.filter(action="check.person").get()
    assert audit_before == 0
    assert event.department_code == department.code and event.object_type == "subject"
    assert event.data["check_id"] == body["check_id"] and event.data["reference"] == "审批-88"
    assert event.data["masked_id"] == body["subject"]["code"] and event.data["hits"] == 1
    assert number not in str(event.data) and number not in event.reason
    # an unknown person is audited too; an organisation is not
    api.check(id_number=resident_id(8))
    api.check(uscc=uscc(1))
    assert AuditEvent.objects.filter(action="check.person").count() == 2


def test_batch_screening_json(api, court_listed, department, system_actor):
    submit_list("samr_serious_violation", [samr_row(2)], department, system_actor)
    items = [{"subject": {"uscc": court_listed}, "reference": "A-1"}, {"subject": {"uscc": uscc(50)}, "reference": "A-2"},
             {"subject": {"uscc": "bad"}, "reference": "A-3"}, {"subject": {"uscc": uscc(2)}, "reference": "A-4"}]
    response = api.post("/api/v1/checks/batch", {"scenario": "government_procurement", "items": items})
    assert response.status_code == 200
    body = response.json()
    assert (body["total"], body["checked"], body["hit_subjects"]) == (4, 3, 2)
    rows = body["rows"]
    assert [r["row"] for r in rows] == [1, 2, 3, 4]
    assert rows[0]["hits"][0]["list_code"] == "court_dishonest_debtor" and rows[1]["hits"] == []
    assert rows[2]["check_id"] is None and rows[2]["error"]["code"] == "uscc.length"
    assert rows[3]["hits"][0]["list_code"] == "samr_serious_violation"
    assert api.get(body["links"]["self"]).json()["rows"] == rows

    data = api.get(body["links"]["result_csv"]).content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(data)))
    assert table[0][:5] == ["行号", "业务编号", "主体名称", "主体代码", "核查结果"]
    assert [r[4] for r in table[1:]] == ["命中", "未命中", "无法核查", "命中"]
    assert "拒绝参与政府采购活动" in table[1][6]
    book = load_workbook(io.BytesIO(api.get(body["links"]["result_xlsx"]).content))
    assert book.active.max_row == 5

    unknown = api.post("/api/v1/checks/batch", {"scenario": "nope", "items": items})
    assert unknown.status_code == 400 and unknown.json()["code"] == "check.unknown_scenario"


def test_batch_screening_file_upload(api, client, token, court_listed, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("淄博市采购中心供应商名单\n供应商名称,统一社会信用代码,项目编号\n"
                    f"淄博失信测试有限公司1,{court_listed},CG-1\n干净公司,{uscc(60)},CG-2\n", encoding="gb18030")
    with path.open("rb") as fh:
        response = client.post("/api/v1/checks/batch/file", {"scenario": "government_procurement", "file": fh},
                               HTTP_AUTHORIZATION=f"Bearer {token.plaintext}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["total"], body["checked"], body["hit_subjects"]) == (2, 2, 1)
    assert [r["reference"] for r in body["rows"]] == ["CG-1", "CG-2"]


def test_watches_and_their_change_feed(api, department, system_actor):
    watched = api.post("/api/v1/watches", {"subject": {"uscc": uscc(1)}, "label": "重点供应商"})
    assert watched.status_code == 200
    assert api.post("/api/v1/watches", {"subject": {"uscc": uscc(1)}}).json()["id"] == watched.json()["id"]
    api.post("/api/v1/watches", {"subject": {"id_number": resident_id(7)}})
    submit_list("court_dishonest_debtor", [court_row(1), court_row(2), court_person_row(7)], department, system_actor)
    feed = api.get("/api/v1/watches/changes?since=0").json()
    assert [(c["change"], c["subject_code"]) for c in feed["changes"]] == [
        ("entered", uscc(1)), ("entered", resident_id(7)[:6] + "********" + resident_id(7)[-4:])]
    entry = ListEntry.objects.get(subject__uscc=uscc(1))
    with clock.pinned(dt.date(2026, 11, 20)):
        list_entry_remove(entry=entry, reason="court_deleted", note="履行完毕", actor=system_actor)
    more = api.get(f"/api/v1/watches/changes?since={feed['next_cursor']}").json()
    assert [(c["change"], c["reason"]) for c in more["changes"]] == [("left", "court_deleted")]
    assert api.delete(f"/api/v1/watches/{watched.json()['id']}").status_code == 204
    assert len(api.get("/api/v1/watches").json()) == 1


def test_measure_list_and_list_rules_are_readable(api, department, system_actor):
    measures = api.get("/api/v1/measures?list_code=court_dishonest_debtor&scenario=government_procurement").json()
    assert "court.procurement_refuse" in [m["code"] for m in measures]
    assert all(m["legal_basis"] for m in measures if m["kind"] == "punish")
    lists = {item["code"]: item for item in api.get("/api/v1/lists").json()}
    assert set(lists) == {"court_dishonest_debtor", "major_tax_violator", "samr_serious_violation", "business_anomaly",
                          "tax_a_level", "integrity_honor"}
    assert lists["tax_a_level"]["kind"] == "red" and lists["court_dishonest_debtor"]["push_deadline_working_days"] == 7
    submit_list("samr_serious_violation", [samr_row(1, decision_date="2026-09-28")], department, system_actor,
                when="2026-10-14")
    [late] = api.get("/api/v1/lists/late").json()
    assert (late["push_delay_working_days"], late["push_deadline_working_days"]) == (8, 7)


def test_the_endpoints_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/checks", "/api/v1/checks/{check_id}", "/api/v1/checks/{check_id}/feedback",
                 "/api/v1/checks/batch", "/api/v1/checks/batch/file", "/api/v1/watches", "/api/v1/watches/changes",
                 "/api/v1/measures", "/api/v1/lists", "/api/v1/lists/late"):
        assert path in paths, path


def test_a_revoked_token_is_refused_at_once_even_though_the_check_api_remembers_it(api, token, system_actor):
    """The check API remembers an accepted token (its hot path) but asks on every call whether it was revoked."""
    from pubcredit.accounts.services import token_revoke

    assert api.check(uscc=uscc(1)).status_code == 200
    assert api.check(uscc=uscc(1)).status_code == 200  # now answered from the memory
    token_revoke(token=token.token, reason="测试", actor=system_actor)
    assert api.check(uscc=uscc(1)).status_code == 401  # the check's own facts read found it revoked
    assert Check.objects.count() == 2  # and nothing was kept of the refused call
    assert api.get("/api/v1/watches").status_code == 401
    assert api.check(uscc=uscc(1)).status_code == 401  # forgotten, and the full lookup refuses it too


def test_a_revoked_remembered_token_hears_401_before_what_was_wrong_with_its_request(api, token, system_actor):
    from pubcredit.accounts.services import token_revoke

    assert api.check(uscc=uscc(1)).status_code == 200
    token_revoke(token=token.token, reason="测试", actor=system_actor)
    assert api.check(uscc="9137").status_code == 401  # malformed, but the token comes first
    assert api.check(scenario="no_such_scenario", uscc=uscc(1)).status_code == 401
    assert Check.objects.count() == 1
