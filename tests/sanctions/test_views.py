"""Console pages of joint reward and punishment: role scoping, the check and feedback pages, batch upload and
download, watches and the inbox, measure editing (legal basis enforced), figures with their chart data."""

import datetime as dt
import json
import re

import pytest

from pubcredit.lists.models import ListEntry
from pubcredit.lists.services import list_entry_remove
from pubcredit.rules import clock
from pubcredit.sanctions.models import Check, CheckBatch, MeasureVersion
from tests.factories import uscc
from tests.lists.helpers import court_row, submit_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(department, system_actor):
    submit_list("court_dishonest_debtor", [court_row(1)], department, system_actor)


def test_pages_need_login_and_a_checking_role(client, provider, operator, business_user, today):
    assert "/login/" in client.get("/sanctions/check/").url
    client.force_login(operator)
    assert client.get("/sanctions/check/").status_code == 200
    assert client.get("/sanctions/measures/new/").status_code == 200
    client.force_login(business_user)
    assert client.get("/sanctions/check/").status_code == 200
    assert client.get("/sanctions/measures/new/").status_code == 403  # operators only
    assert client.get("/sanctions/figures/").status_code == 302  # to the department's own figures


def test_check_then_feedback_in_the_console(client, business_user, listed, today):
    client.force_login(business_user)
    response = client.post("/sanctions/check/", {"kind": "uscc", "code": uscc(1), "scenario": "government_procurement",
                                                 "reference": "CG-2026-7"})
    check = Check.objects.get()
    assert response.status_code == 302 and response.url == f"/sanctions/checks/{check.check_id}/"
    assert check.channel == "console" and check.department_id == business_user.department_id
    page = client.get(response.url).content.decode()
    assert "拒绝参与政府采购活动" in page and "必须实施" in page and "待反馈" in page
    codes = [m["code"] for h in check.hits for m in h["measures"]]
    for code in codes:
        response = client.post(f"/sanctions/checks/{check.check_id}/feedback/",
                               {"measure_code": code, f"{code.replace('.', '-')}-measure_code": code,
                                f"{code.replace('.', '-')}-applied": "1", f"{code.replace('.', '-')}-note": "已处理"},
                               HTTP_HX_REQUEST="true")
        assert response.status_code == 200
    assert "已全部反馈" in response.content.decode()
    check.refresh_from_db()
    assert check.feedback_complete


def test_feedback_refused_without_reason_shows_the_error(client, business_user, listed, today):
    client.force_login(business_user)
    client.post("/sanctions/check/", {"kind": "uscc", "code": uscc(1), "scenario": "bidding", "reference": ""})
    check = Check.objects.get()
    code = check.hits[0]["measures"][0]["code"]
    prefix = code.replace(".", "-")
    response = client.post(f"/sanctions/checks/{check.check_id}/feedback/",
                           {"measure_code": code, f"{prefix}-measure_code": code, f"{prefix}-applied": "0",
                            f"{prefix}-note": ""}, HTTP_HX_REQUEST="true")
    assert "未实施该措施的，须说明理由" in response.content.decode()
    assert not check.feedback.exists()


def test_feedback_for_all_measures_in_one_form(client, business_user, listed, today):
    """Issue 21 item 4: one submission records every measure still awaiting feedback, each audited as one alone;
    a refused answer names its measure and keeps nothing."""
    from pubcredit.audit.events import Event
    from pubcredit.audit.models import AuditEvent

    client.force_login(business_user)
    client.post("/sanctions/check/", {"kind": "uscc", "code": uscc(1), "scenario": "government_procurement",
                                      "reference": ""})
    check = Check.objects.get()
    measures = {m["code"]: m["name"] for h in check.hits for m in h["measures"] if not m.get("information")}
    assert len(measures) >= 2
    page = client.get(f"/sanctions/checks/{check.check_id}/").content.decode()
    assert 'id="feedback-all"' in page and "全部提交" in page
    first, *rest = measures
    refused = {f"all-{first.replace('.', '-')}-applied": "0", f"all-{first.replace('.', '-')}-note": ""}
    refused |= {f"all-{c.replace('.', '-')}-applied": "1" for c in rest}
    response = client.post(f"/sanctions/checks/{check.check_id}/feedback/all/", refused, HTTP_HX_REQUEST="true")
    assert f"{measures[first]}：未实施该措施的，须说明理由" in response.content.decode()
    assert not check.feedback.exists()  # all or nothing

    answers = {f"all-{c.replace('.', '-')}-applied": "1" for c in measures}
    answers[f"all-{first.replace('.', '-')}-applied"] = "0"
    answers[f"all-{first.replace('.', '-')}-note"] = "该项目不属于政府采购"
    response = client.post(f"/sanctions/checks/{check.check_id}/feedback/all/", answers)
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.feedback_complete
    assert {f.measure_code: f.applied for f in check.feedback.all()} == {c: c != first for c in measures}
    assert AuditEvent.objects.filter(event=Event.CHECK_FEEDBACK, object_id=str(check.check_id)).count() == len(measures)
    page = client.get(f"/sanctions/checks/{check.check_id}/").content.decode()
    assert 'id="feedback-all"' not in page and "已全部反馈" in page


def test_malformed_code_is_shown_on_the_form(client, business_user, today):
    client.force_login(business_user)
    response = client.post("/sanctions/check/", {"kind": "uscc", "code": "91370303MA0000010X",
                                                 "scenario": "bidding"})
    assert response.status_code == 200 and "校验位错误" in response.content.decode()


def test_another_departments_check_is_not_visible(client, business_user, listed, district_department, system_actor,
                                                  today):
    from pubcredit.sanctions.services import check_run

    other = check_run(department=district_department, subject={"uscc": uscc(1)}, scenario="honors", actor=system_actor)
    client.force_login(business_user)
    assert client.get(f"/sanctions/checks/{other.check_id}/").status_code == 404


def test_batch_upload_and_download(client, business_user, listed, tmp_path, today):
    client.force_login(business_user)
    path = tmp_path / "list.csv"
    path.write_text(f"主体名称,统一社会信用代码,业务编号\n甲,{uscc(1)},X-1\n乙,{uscc(2)},X-2\n丙,123,X-3\n",
                    encoding="utf-8")
    with path.open("rb") as fh:
        response = client.post("/sanctions/batch/", {"scenario": "bidding", "file": fh})
    batch = CheckBatch.objects.get()
    assert response.status_code == 302 and response.url == f"/sanctions/batch/{batch.pk}/"
    page = client.get(response.url).content.decode()
    assert "共 3 行，核查 2 行，命中主体 1 个，无法核查 1 行" in page
    download = client.get(f"/sanctions/batch/{batch.pk}/result.csv")
    assert download["Content-Type"].startswith("text/csv") and "命中" in download.content.decode("utf-8-sig")
    assert client.get(f"/sanctions/batch/{batch.pk}/result.xlsx").status_code == 200
    assert client.get(f"/sanctions/batch/{batch.pk}/result.pdf").status_code == 404


def test_watch_and_inbox(client, business_user, department, system_actor, today):
    client.force_login(business_user)
    response = client.post("/sanctions/watches/", {"kind": "uscc", "code": uscc(1), "label": "供应商甲"})
    assert response.status_code == 302
    submit_list("court_dishonest_debtor", [court_row(1)], department, system_actor)
    nav = client.get("/workbench/").content.decode()
    assert "关注提醒（1）" in nav
    inbox = client.get("/sanctions/inbox/").content.decode()
    assert "淄博失信测试有限公司1" in inbox and "列入" in inbox
    head = int(re.search(r'name="up_to" value="(\d+)"', inbox).group(1))
    client.post("/sanctions/inbox/", {"up_to": head})
    assert "关注提醒（" not in client.get("/workbench/").content.decode()
    with clock.pinned(dt.date(2026, 11, 20)):
        list_entry_remove(entry=ListEntry.objects.get(), reason="court_deleted", note="履行完毕", actor=system_actor)
    assert "关注提醒（1）" in client.get("/workbench/").content.decode()


def test_operator_edits_a_measure_and_a_punishment_needs_its_basis(client, operator, today):
    client.force_login(operator)
    page = client.get("/sanctions/measures/court.procurement_refuse/edit/").content.decode()
    assert "第二十二条" in page
    form = {"name_zh": "拒绝参与政府采购活动", "kind": "punish", "lists": ["court_dishonest_debtor"],
            "scenarios": ["government_procurement"], "implementing": "采购人", "force": "M", "legal_basis": "",
            "effective_from": "2016-08-01", "reason": "测试", "code": "court.procurement_refuse"}
    response = client.post("/sanctions/measures/court.procurement_refuse/edit/", form)
    assert response.status_code == 200 and "惩戒措施必须写明法律依据" in response.content.decode()
    assert not MeasureVersion.objects.exists()
    form["legal_basis"] = "《中华人民共和国政府采购法》 | 第二十二条第一款\n财库〔2016〕125号"
    response = client.post("/sanctions/measures/court.procurement_refuse/edit/", form)
    assert response.status_code == 302
    version = MeasureVersion.objects.get()
    assert version.data["legal_basis"][0] == {"instrument": "《中华人民共和国政府采购法》", "article": "第二十二条第一款"}
    listing = client.get("/sanctions/measures/?list=court_dishonest_debtor").content.decode()
    assert "第二十二条第一款" in listing and "操作员修订第1版" in listing  # the operator's version, in Chinese


def test_city_and_department_figures_pages(client, operator, business_user, listed, today):
    client.force_login(business_user)
    client.post("/sanctions/check/", {"kind": "uscc", "code": uscc(1), "scenario": "bidding"})
    own = client.get(f"/sanctions/figures/{business_user.department.code}/")
    assert own.status_code == 200 and 'data-figure="checks">1<' in own.content.decode()
    assert client.get("/sanctions/figures/ZD-SCJG/").status_code in (403, 404)
    client.force_login(operator)
    page = client.get("/sanctions/figures/").content.decode()
    assert "echarts.min.js" in page and "chart-departments" in page
    data = json.loads(re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', page, re.S).group(1))
    assert data["by_department"]["核查次数"] == [1] and data["departments"] == [business_user.department.name]
