"""The collection API (/api/v1/records, /batches, /rejections): token auth, aliases, limits, exports."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from pubcredit.accounts.services import token_create, token_revoke
from pubcredit.audit.models import AuditEvent
from pubcredit.ingest.exports import neutralise
from pubcredit.ingest.models import Batch, RejectedRow
from pubcredit.records.models import CreditRecord
from tests.factories import penalty, person_penalty, resident_id, uscc
from tests.ingest.files import penalties, table, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(department, system_actor):
    return token_create(department=department, actor=system_actor)


@pytest.fixture
def api(client, token, today):
    """A client for the department's system: every call carries its bearer token."""

    class Api:
        auth = {"HTTP_AUTHORIZATION": f"Bearer {token.plaintext}"}

        def post_records(self, records, class_code="admin_penalty", **extra):
            body = records if isinstance(records, (str, bytes)) else json.dumps({"records": records})
            return client.post(f"/api/v1/records/{class_code}", body, content_type="application/json",
                               **self.auth, **extra)

        def upload(self, path, class_code="admin_penalty"):
            with open(path, "rb") as fh:
                return client.post("/api/v1/batches", {"class_code": class_code, "file": fh}, **self.auth)

        def get(self, url, **extra):
            return client.get(url, **self.auth, **extra)

    return Api()


def csv_rows(response) -> list[list[str]]:
    data = b"".join(response.streaming_content)
    assert data.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


# --- auth ------------------------------------------------------------------------------------------------------


def test_missing_token_is_401(client, today):
    response = client.post("/api/v1/records/admin_penalty", json.dumps({"records": []}),
                           content_type="application/json")
    assert response.status_code == 401 and response.json()["code"] == "auth.token"
    assert client.get("/api/v1/batches/1").status_code == 401


def test_revoked_token_is_401(client, token, system_actor, today):
    token_revoke(token=token.token, actor=system_actor)
    response = client.get("/api/v1/rejections", HTTP_AUTHORIZATION=f"Bearer {token.plaintext}")
    assert response.status_code == 401


# --- JSON records ----------------------------------------------------------------------------------------------


def test_records_by_key_pinyin_code_and_chinese_label(api, department):
    by_key = penalty(1)
    pinyin = {"CF_XDR_MC": "淄博拼音列名有限公司", "CF_XDR_LB": "法人及非法人组织", "CF_XDR_SHXYM": uscc(2),
              "CF_FRDB": "李四", "CF_WSH": "淄市监罚〔2026〕2号", "CF_WFXW": "无证经营", "CF_SY": "经查，当事人无证经营。",
              "CF_YJ": "《无证无照经营查处办法》第十三条", "CF_CFLB": "警告", "CF_NR": "警告",
              "CF_JDRQ": "2026-11-16", "CF_YXQ": "2027-11-16", "CF_CFJG": "淄博市市场监督管理局",
              "CF_CFJGDM": "11370300MB2851234B", "CF_SJLY": "淄博市市场监督管理局", "CF_SJLYDM": "11370300MB2851234B"}
    labels = {"行政相对人名称": "淄博中文表头有限公司", "行政相对人类别": "法人", "统一社会信用代码": uscc(3),
              "法定代表人": "赵六", "行政处罚决定书文号": "淄市监罚〔2026〕3号", "违法行为类型": "虚假宣传",
              "违法事实": "经查，当事人发布虚假广告。", "处罚依据": "《广告法》第五十五条", "处罚类别": "罚款",
              "处罚内容": "罚款2万元", "罚款金额（万元）": "2", "处罚决定日期": "2026年11月16日",
              "处罚有效期": "2027-11-16", "处罚机关": "淄博市市场监督管理局", "处罚机关统一社会信用代码": "11370300MB2851234B",
              "数据来源单位": "淄博市市场监督管理局", "数据来源单位统一社会信用代码": "11370300MB2851234B"}
    response = api.post_records([by_key, pinyin, labels])
    assert response.status_code == 200, response.content
    summary = response.json()
    assert summary["rejected"] == [], summary["rejected"]
    assert (summary["received"], summary["accepted"], summary["created"]) == (3, 3, 3)
    assert summary["class_code"] == "admin_penalty" and summary["status"] == "done"
    batch = Batch.objects.get(pk=summary["batch_id"])
    assert (batch.department, batch.channel) == (department, "api")
    names = set(CreditRecord.objects.values_list("subject__name", flat=True))
    assert names == {"淄博测试化工有限公司1", "淄博拼音列名有限公司", "淄博中文表头有限公司"}


def test_unknown_keys_are_ignored_with_a_warning(api):
    summary = api.post_records([penalty(1, 内部编号="A-1")]).json()
    assert summary["created"] == 1
    codes = [e["code"] for w in summary["warnings"] for e in w["errors"]]
    assert "catalog.unknown_columns" in codes


def test_resubmission_is_unchanged_and_a_correction_is_a_new_version(api):
    first = api.post_records([penalty(1), penalty(2)]).json()
    assert first["created"] == 2
    again = api.post_records([penalty(1), penalty(2)]).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    corrected = api.post_records([penalty(1, penalty_content="罚款2万元", fine_amount="2")]).json()
    assert (corrected["updated"], corrected["unchanged"]) == (1, 0)
    record = CreditRecord.objects.get(decision_no="淄市监罚〔2026〕1号")
    assert record.version == 2 and record.versions.count() == 2


def test_rejected_record_is_quarantined_and_resolved_by_the_fix(api):
    summary = api.post_records([penalty(1, decision_date="2099-01-01"), penalty(2)]).json()
    assert (summary["accepted"], summary["rejected_count"]) == (1, 1)
    assert summary["rejected"][0]["row"] == 1
    assert summary["rejected"][0]["errors"][0]["field"] == "decision_date"
    listed = api.get("/api/v1/rejections").json()
    assert listed["count"] == 1 and listed["items"][0]["row"] == 1 and listed["items"][0]["status"] == "open"
    api.post_records([penalty(1)])
    assert api.get("/api/v1/rejections").json()["count"] == 0
    resolved = api.get("/api/v1/rejections", data={"status": "resolved"}).json()
    assert resolved["count"] == 1 and resolved["items"][0]["resolved_by_batch_id"] is not None


@pytest.mark.parametrize("body", [
    json.dumps([penalty(1)]),  # a bare list
    json.dumps({"records": {"a": 1}}),  # records not a list
    json.dumps({"data": []}),  # no records
    json.dumps({"records": [penalty(1), "row"]}),  # an item that is not an object
    json.dumps("records"),
])
def test_body_that_is_not_a_list_of_objects_is_400(api, body):
    response = api.post_records(body)
    assert response.status_code == 400
    assert response.json()["code"] == "records.not_a_list"
    assert Batch.objects.count() == 0


def test_invalid_json_is_400(api):
    response = api.post_records('{"records": [')
    assert response.status_code == 400 and response.json()["code"] == "request.json"


def test_too_many_records_is_413(api):
    response = api.post_records([{}] * 5001)
    assert response.status_code == 413 and response.json()["code"] == "records.too_many"
    assert Batch.objects.count() == 0


def test_body_over_10_mb_is_413(api):
    big = json.dumps({"records": [penalty(1, violation_facts="经" * 4_000_000)]})  # 12 MB in UTF-8
    assert len(big.encode()) > 10 * 1024 * 1024
    response = api.post_records(big)
    assert response.status_code == 413 and response.json()["code"] == "request.too_large"


def test_body_over_djangos_form_limit_but_under_10_mb_is_accepted(api):
    records = [penalty(i, violation_facts="经查，" + "当事人销售不合格产品。" * 20) for i in range(1, 1801)]
    body = json.dumps({"records": records})
    assert 2.5 * 1024 * 1024 < len(body.encode()) < 10 * 1024 * 1024
    response = api.post_records(body)
    assert response.status_code == 200 and response.json()["created"] == 1800


def test_unknown_class_is_404(api):
    response = api.post_records([penalty(1)], class_code="no_such_class")
    assert response.status_code == 404 and response.json()["code"] == "catalog.unknown_class"


# --- files -----------------------------------------------------------------------------------------------------


def test_file_upload_gives_the_batch_with_links(api, tmp_path):
    rows = table(penalties(2) + [penalty(3, decision_date="2099-01-01")])
    response = api.upload(write_csv(tmp_path / "处罚.csv", rows))
    assert response.status_code == 201, response.content
    batch = response.json()
    assert batch["status"] == "done" and batch["filename"] == "处罚.csv" and batch["department"] == "SCJGJ"
    assert (batch["summary"]["created"], batch["summary"]["rejected_count"]) == (2, 1)
    assert batch["summary"]["rejected"][0]["row"] == 3
    assert batch["links"]["rejections_csv"] == f"/api/v1/batches/{batch['id']}/rejections?format=csv"
    assert api.get(batch["links"]["self"]).json()["summary"] == batch["summary"]
    again = api.upload(write_csv(tmp_path / "处罚.csv", rows)).json()
    assert (again["summary"]["created"], again["summary"]["unchanged"]) == (0, 2)


def test_file_missing_required_columns_is_refused_422(api, tmp_path):
    rows = [[c for i, c in enumerate(r) if i not in (0, 6)] for r in table(penalties(1))]  # no name, no decision number
    response = api.upload(write_csv(tmp_path / "bad.csv", rows))
    assert response.status_code == 422
    batch = response.json()
    assert batch["status"] == "refused" and batch["refused_code"] == "catalog.missing_columns"
    assert "行政相对人名称" in batch["refused_message"] and "行政处罚决定书文号" in batch["refused_message"]
    messages = " ".join(p["message"] for p in batch["summary"]["refused"]["fields"])
    assert "CF_XDR_MC" in messages and "CF_WSH" in messages  # the aliases accepted for each missing column


def test_upload_with_unknown_class_is_404_and_without_file_is_422(api, client, tmp_path):
    path = write_csv(tmp_path / "a.csv", table(penalties(1)))
    assert api.upload(path, class_code="nope").status_code == 404
    response = client.post("/api/v1/batches", {"class_code": "admin_penalty"}, **api.auth)
    assert response.status_code == 422 and response.json()["code"] == "request.invalid"
    assert Batch.objects.count() == 0


# --- rejections exports ----------------------------------------------------------------------------------------


@pytest.fixture
def rejected_batch(api):
    """Row 1 rejected with a formula-like cell, row 2 a person with a bad birth date (ID in clear), row 3 fine."""
    formula = penalty(1, subject_uscc="123", violation_facts="=HYPERLINK(\"http://x\",\"点击\")",
                      remarks="@SUM(A1)", registration_no="-", fine_amount="-5", penalty_basis="+1+cmd|' /C calc'!A0")
    person = person_penalty(2, id_number="370303199002301234", penalty_content="-1+1")
    summary = api.post_records([formula, person, penalty(3)]).json()
    assert (summary["rejected_count"], summary["created"]) == (2, 1), summary
    return summary["batch_id"]


def test_rejection_csv_has_original_cells_reason_and_neutralised_formulas(api, rejected_batch):
    response = api.get(f"/api/v1/batches/{rejected_batch}/rejections")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    header, first, second = rows[0], rows[1], rows[2]
    assert header[-2:] == ["原行号", "错误原因"] and header[0] == "subject_name"
    cell = dict(zip(header, first))
    assert cell["原行号"] == "1"
    assert cell["violation_facts"] == "'=HYPERLINK(\"http://x\",\"点击\")"
    assert cell["remarks"] == "'@SUM(A1)"
    assert cell["penalty_basis"] == "'+1+cmd|' /C calc'!A0"
    assert (cell["registration_no"], cell["fine_amount"]) == ("-", "-5")  # cannot run: left as sent
    assert cell["错误原因"].startswith("统一社会信用代码：")
    person = dict(zip(header, second))
    assert person["id_number"] == "370303199002301234"  # the department's own data, in clear
    assert person["penalty_content"] == "'-1+1"
    assert "证件号码：" in person["错误原因"]
    assert len(rows) == 3
    event = AuditEvent.objects.get(action="subject.read_person", object_type="batch")
    assert event.object_id == str(rejected_batch)


def test_rejection_xlsx_has_the_same_table(api, rejected_batch):
    response = api.get(f"/api/v1/batches/{rejected_batch}/rejections", data={"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = values[0]
    first = dict(zip(header, values[1]))
    assert first["violation_facts"] == "'=HYPERLINK(\"http://x\",\"点击\")"
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)  # nothing is a formula
    assert dict(zip(header, values[2]))["id_number"] == "370303199002301234"
    reason = csv_rows(api.get(f"/api/v1/batches/{rejected_batch}/rejections"))[1][-1]
    assert first["错误原因"] == reason


def test_rejection_list_masks_identity_numbers(api, rejected_batch):
    items = api.get("/api/v1/rejections").json()["items"]
    person = next(i for i in items if i["row"] == 2)
    assert person["cells"]["id_number"] == "370303********1234"
    assert RejectedRow.objects.get(batch_id=rejected_batch, row_no=2).cells_encrypted


def test_file_rejections_keep_the_files_header_cells(api, tmp_path):
    rows = table([penalty(1, subject_uscc="91370303MA00000000"), penalty(2)])
    batch = api.upload(write_csv(tmp_path / "a.csv", rows)).json()
    exported = csv_rows(api.get(batch["links"]["rejections_csv"]))
    assert exported[0][:3] == rows[0][:3]  # the provider's own headers, catalogue order
    assert dict(zip(exported[0], exported[1]))["统一社会信用代码"] == "91370303MA00000000"


@pytest.mark.parametrize(("cell", "written"), [
    ("=1+1", "'=1+1"), ("+1+1", "'+1+1"), ("-1+1", "'-1+1"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"), ("-", "-"), ("-5", "-5"), ("+3.5", "+3.5"), ("淄博", "淄博"), (None, ""), (12, "12"),
    # issue 19: leading blanks and full-width signs
    (" =1+1", "' =1+1"), ("  @SUM(A1)", "'  @SUM(A1)"), ("\u3000=1+1", "'\u3000=1+1"), ("＝1+1", "'＝1+1"),
    ("＋1", "'＋1"), ("－1+1", "'－1+1"), ("＠SUM(A1)", "'＠SUM(A1)"), (" ＝HYPERLINK(\"x\")", "' ＝HYPERLINK(\"x\")"),
    ("\n=1", "'\n=1"), ("\u00a0+1", "'\u00a0+1"), (" 淄博", " 淄博"), ("a=1", "a=1"),
])
def test_formula_neutralisation(cell, written):
    assert neutralise(cell) == written


def test_bad_format_is_422(api, rejected_batch):
    response = api.get(f"/api/v1/batches/{rejected_batch}/rejections", data={"format": "pdf"})
    assert response.status_code == 422


def test_another_departments_batch_is_404(api, rejected_batch, client, district_department, system_actor):
    other = token_create(department=district_department, actor=system_actor).plaintext
    auth = {"HTTP_AUTHORIZATION": f"Bearer {other}"}
    assert client.get(f"/api/v1/batches/{rejected_batch}", **auth).status_code == 404
    response = client.get(f"/api/v1/batches/{rejected_batch}/rejections", **auth)
    assert response.status_code == 404 and response.json()["code"] == "batch.not_found"
    assert client.get("/api/v1/rejections", **auth).json()["count"] == 0
    assert api.get(f"/api/v1/batches/{rejected_batch}").status_code == 200


def test_openapi_documents_the_collection_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/records/{class_code}", "/api/v1/batches", "/api/v1/batches/{batch_id}",
                 "/api/v1/batches/{batch_id}/rejections", "/api/v1/rejections"):
        operation = next(iter(paths[path].values()))
        assert operation["description"], path
    assert "records" in json.dumps(paths["/api/v1/records/{class_code}"]["post"]["requestBody"])


def test_resident_id_helper_is_valid():  # the fixture above relies on a really invalid birth date
    assert resident_id(2) != "370303199002301234"
