"""红黑名单公示 on the public site and the public API: entries shown while in force (from the later of effective date and
receipt, to the planned end), black and red apart, natural persons only where the law publishes them (masked and
audited), and off the site at once when removed or revoked."""

import datetime as dt

import pytest
from django.urls import reverse

from pubcredit.audit.models import AuditEvent
from pubcredit.lists.models import ListEntry
from pubcredit.lists.services import list_entry_remove
from pubcredit.disclosure import selectors
from pubcredit.records.models import CreditRecord
from pubcredit.records.services import record_revoke
from pubcredit.rules import clock
from pubcredit.subjects.models import Subject
from tests.factories import resident_id, uscc

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with clock.pinned(dt.date(2026, 11, 20)):
        yield


def subject_page(client, name: str) -> str:
    response = client.get(reverse("portal:subject", args=[Subject.objects.get(name=name).pk]))
    assert response.status_code == 200
    return response.content.decode()


def section(page: str, kind: str) -> str:
    start = page.index(f'id="section-{kind}"')
    return page[start:page.index('<div class="pager">', start)]


def test_subject_page_shows_black_and_red_entries_in_sections_of_their_own(client, list_site):
    page = subject_page(client, list_site[13])
    black, red = section(page, "black"), section(page, "red")
    assert "市场监督管理严重违法失信名单" in black and "淄市监严〔2026〕13号" in black and "淄博市市场监督管理局" in black
    assert "《市场监督管理严重违法失信名单管理办法》第十条" in black and "提交虚假材料取得许可" in black
    assert "公示期：2026-11-20 起，至 2029-11-15" in black  # received 2026-11-20, after the 2026-11-16 decision
    assert "纳税信用A级纳税人" in red and "淄税A〔2026〕13号" in red and "至 2027-04-19" in red
    assert "纳税信用A级纳税人" not in black and "严重违法" not in red
    assert page.count("淄市监严〔2026〕13号") == 1  # not repeated in a records section


def test_a_subject_without_entries_says_so(client, list_site, site):
    page = subject_page(client, "淄博鑫源化工有限公司")
    assert "暂无公示中的黑名单信息" in page and "暂无公示中的红名单信息" in page


def test_an_entry_whose_term_ended_before_it_arrived_is_not_shown(client, list_site):
    page = subject_page(client, list_site[16])
    assert "淄税A〔2026〕16号" not in page and "暂无公示中的红名单信息" in page


def test_the_end_of_the_term_takes_the_entry_off_before_the_daily_job(client, list_site):
    with clock.pinned(dt.date(2027, 4, 20)):  # the A-level entry's last day was 2027-04-19; no tick has run
        assert "淄税A〔2026〕13号" not in subject_page(client, list_site[13])
        assert ListEntry.objects.get(decision_no="淄税A〔2026〕13号").status == "in_force"


def test_removing_an_entry_takes_it_off_the_site_at_once(client, list_site, system_actor):
    entry = ListEntry.objects.get(list_code="business_anomaly")
    listing_url = reverse("portal:list", args=["business_anomaly"])
    api_url = f"/api/v1/public/subjects/{entry.subject.uscc}"
    assert "淄市监异〔2026〕14号" in client.get(listing_url).content.decode()
    assert [e["decision_no"] for e in client.get(api_url).json()["lists"]] == ["淄市监异〔2026〕14号"]
    list_entry_remove(entry=entry, reason="repaired", note="已补报年度报告，准予移出", actor=system_actor)
    assert "淄市监异〔2026〕14号" not in subject_page(client, list_site[14])
    assert "淄市监异〔2026〕14号" not in client.get(listing_url).content.decode()
    assert client.get(api_url).json()["lists"] == []


def test_revoking_the_record_takes_its_entry_off_the_site(client, list_site, system_actor):
    record = CreditRecord.objects.get(decision_no="淄市监严〔2026〕13号")
    record_revoke(record=record, reason="列入决定被行政复议撤销", actor=system_actor)
    page = subject_page(client, list_site[13])
    assert "淄市监严〔2026〕13号" not in page and "暂无公示中的黑名单信息" in page
    assert "淄税A〔2026〕13号" in page  # the red entry stays


def test_list_listing_page_filters_by_district_and_department(client, list_site):
    url = reverse("portal:list", args=["court_dishonest_debtor"])
    page = client.get(url).content.decode()
    assert "失信被执行人" in page and list_site[11] in page and "（2026）鲁0303执11号之一" in page
    assert "淄博市张店区人民法院" in page and "支付货款10万元" in page and "全部未履行" in page
    assert "张三" in page and resident_id(12) not in page and "370303********0128"[:6] in page
    assert "张店区" in page
    assert list_site[11] in client.get(url, {"district": "zhangdian"}).content.decode()
    assert list_site[11] not in client.get(url, {"district": "zichuan"}).content.decode()
    assert list_site[11] in client.get(url, {"department": "SCJGJ"}).content.decode()
    assert list_site[11] not in client.get(url, {"date_to": "2026-11-01"}).content.decode()


def test_choosing_another_list_in_the_filter_form_moves_to_its_page(client, list_site):
    response = client.get(reverse("portal:list", args=["court_dishonest_debtor"]),
                          {"code": "samr_serious_violation", "district": "zhangdian", "page": "3"})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:list", args=["samr_serious_violation"]) + "?district=zhangdian"


def test_unknown_list_is_404(client, list_site):
    assert client.get(reverse("portal:list", args=["no_such_list"])).status_code == 404


def test_lists_index_counts_entries_shown_and_is_in_the_navigation(client, list_site):
    home = client.get(reverse("portal:home")).content.decode()
    assert f'href="{reverse("portal:lists")}"' in home and "红黑名单" in home
    page = client.get(reverse("portal:lists")).content.decode()
    black, red = page.index('id="lists-black"'), page.index('id="lists-red"')
    assert black < page.index("失信被执行人") < red < page.index("纳税信用A级纳税人")
    overview = {item["spec"].code: item["shown"] for item in selectors.list_overview()}
    assert overview == {"court_dishonest_debtor": 2, "samr_serious_violation": 1, "business_anomaly": 1,
                        "major_tax_violator": 0, "tax_a_level": 1, "integrity_honor": 0}


def test_natural_person_on_the_court_list_is_shown_masked_and_every_read_is_logged_not_written(
        client, list_site, caplog):
    """法释〔2017〕7号 第六条、第七条: persons on the court list are published to society; the number is masked. A read
    of what the law publishes writes no audit row (a public read must never wait for an import's write lock, issue 19
    item 3); each page showing persons names them on the public-reads log instead."""
    caplog.set_level("INFO", logger="pubcredit.public_reads")
    client.get(reverse("portal:list", args=["court_dishonest_debtor"]))
    person = Subject.objects.get(name="张三")
    found = client.get(reverse("portal:search"), {"q": "张三"}).content.decode()
    assert reverse("portal:subject", args=[person.pk]) in found and person.id_masked in found
    page = subject_page(client, "张三")
    assert person.id_masked in page and resident_id(12) not in page and "失信被执行人" in page and "男" in page
    body = client.get("/api/v1/public/search", {"q": "张三"}).json()
    assert [r["code"] for r in body["results"]] == [person.id_masked] and body["results"][0]["uscc"] is None
    assert not AuditEvent.objects.filter(action="subject.read_person").exists()
    lines = [r.getMessage() for r in caplog.records if r.name == "pubcredit.public_reads"]
    # the list page, the search, the subject page and the API search: each names him
    assert len(lines) == 4 and all(f"subjects={person.pk}" in line for line in lines)
    assert "公示网站名单公示（失信被执行人）" in lines[0] and "公示网站查询结果" in lines[1]
    assert "公示网站查看" in lines[2] and "公开接口查询结果" in lines[3]
    assert all(person.id_masked not in line and "张三" not in line for line in lines)


def test_natural_person_on_a_list_that_does_not_publish_persons_stays_hidden(client, list_site):
    person = Subject.objects.get(name="李四")
    assert client.get(reverse("portal:subject", args=[person.pk])).status_code == 404
    assert "未找到" in client.get(reverse("portal:search"), {"q": "李四"}).content.decode()
    assert "李四" not in client.get(reverse("portal:list", args=["major_tax_violator"])).content.decode()


def test_a_person_leaves_the_site_with_the_entry(client, list_site, system_actor):
    entry = ListEntry.objects.get(subject__name="张三")
    list_entry_remove(entry=entry, reason="court_deleted", note="已履行完毕", actor=system_actor)
    assert client.get(reverse("portal:subject", args=[entry.subject_id])).status_code == 404
    assert "未找到" in client.get(reverse("portal:search"), {"q": "张三"}).content.decode()


# --- public API ----------------------------------------------------------------------------------------------------


def test_api_subject_adds_lists_and_keeps_records_as_they_were(client, list_site):
    body = client.get(f"/api/v1/public/subjects/{uscc(13)}").json()
    assert {"name", "uscc", "code", "kind", "district", "legal_rep", "former_names", "url", "records"} <= set(body)
    assert body["records"] == []  # list records are given as `lists`, never twice
    assert [(e["kind"], e["list_code"]) for e in body["lists"]] == [("black", "samr_serious_violation"),
                                                                     ("red", "tax_a_level")]
    black = body["lists"][0]
    assert {k: black[k] for k in ("list_name", "decision_no", "decision_date", "identifying_unit", "publish_from",
                                  "publish_until", "legal_basis")} == {
        "list_name": "市场监督管理严重违法失信名单", "decision_no": "淄市监严〔2026〕13号", "decision_date": "2026-11-16",
        "identifying_unit": "淄博市市场监督管理局", "publish_from": "2026-11-20", "publish_until": "2029-11-15",
        "legal_basis": "《市场监督管理严重违法失信名单管理办法》第十条"}
    assert black["fields"] == {"legal_rep": "周敏", "listing_reason": "提交虚假材料取得许可"}


def test_api_subject_without_entries_has_an_empty_lists_array(client, site):
    assert client.get(f"/api/v1/public/subjects/{uscc(1)}").json()["lists"] == []


def test_api_list_endpoint_pages_and_masks(client, list_site, monkeypatch):
    body = client.get("/api/v1/public/lists/court_dishonest_debtor").json()
    assert (body["list_code"], body["list_name"], body["kind"], body["page"], body["has_more"]) == (
        "court_dishonest_debtor", "失信被执行人", "black", 1, False)
    by_name = {r["subject"]["name"]: r for r in body["results"]}
    assert set(by_name) == {list_site[11], "张三"}
    person = by_name["张三"]
    assert person["subject"]["uscc"] is None and person["subject"]["code"] == Subject.objects.get(name="张三").id_masked
    assert resident_id(12) not in str(body) and "id_number" not in person["fields"]
    assert "legal_rep" not in person["fields"] and person["fields"]["sex"] == "male"
    assert by_name[list_site[11]]["fields"]["dishonest_conduct"] == ["obstruct_execution"]
    assert not AuditEvent.objects.filter(action="subject.read_person").exists()  # public by law: logged only
    monkeypatch.setattr(selectors.lists, "PAGE_SIZE", 1)
    first = client.get("/api/v1/public/lists/court_dishonest_debtor").json()
    second = client.get("/api/v1/public/lists/court_dishonest_debtor", {"page": 2}).json()
    assert first["has_more"] and not second["has_more"]
    assert len(first["results"]) == len(second["results"]) == 1
    assert first["results"][0]["id"] != second["results"][0]["id"]


def test_api_list_endpoint_filters_and_field_errors(client, list_site):
    assert client.get("/api/v1/public/lists/samr_serious_violation", {"district": "zhangdian"}).json()["results"]
    assert client.get("/api/v1/public/lists/samr_serious_violation", {"district": "zichuan"}).json()["results"] == []
    missing = client.get("/api/v1/public/lists/no_such_list")
    assert missing.status_code == 404 and missing.json()["code"] == "public_list.not_found"
    assert missing.json()["fields"][0]["field"] == "list_code" and "court_dishonest_debtor" in missing.json()["message"]
    bad = client.get("/api/v1/public/lists/samr_serious_violation", {"district": "nowhere", "department": "NOPE"})
    assert bad.status_code == 400
    assert [(f["field"], f["code"]) for f in bad.json()["fields"]] == [
        ("department", "public_list.unknown_department"), ("district", "public_list.unknown_district")]
    order = client.get("/api/v1/public/lists/samr_serious_violation", {"date_from": "2026-12-01",
                                                                       "date_to": "2026-11-01"})
    assert order.status_code == 400 and order.json()["fields"][0]["field"] == "date_from"
    malformed = client.get("/api/v1/public/lists/samr_serious_violation", {"date_from": "2026-13-01"})
    assert malformed.status_code == 422 and malformed.json()["fields"][0]["field"] == "date_from"


def test_api_lists_a_red_list(client, list_site):
    body = client.get("/api/v1/public/lists/tax_a_level").json()
    assert body["kind"] == "red" and [r["decision_no"] for r in body["results"]] == ["淄税A〔2026〕13号"]
    assert body["results"][0]["fields"] == {"rating_year": "2025"}


def test_rules_page_states_the_list_publicity_rules(client, list_site):
    page = client.get(reverse("portal:rules")).content.decode()
    assert "红黑名单公示规则" in page and "法释〔2017〕7号 第六条" in page and "依法公示（证件号码脱敏）" in page
    assert reverse("portal:list", args=["tax_a_level"]) in page


def test_home_page_has_a_card_of_the_lists_with_their_counts(client, list_site):
    home = client.get(reverse("portal:home")).content.decode()
    card = home[home.index('id="home-lists"'):]
    card = card[:card.index("</div>")]
    assert f'href="{reverse("portal:list", args=["court_dishonest_debtor"])}"' in card
    assert "失信被执行人" in card and "公示中 2 条" in card and "黑名单" in card
    assert card.index("失信被执行人") < card.index("纳税信用A级纳税人")  # black lists first, as on the index


def test_ndrc_order_36_art_12_natural_person_on_the_tax_list_is_held_and_checked_but_never_public(client, list_site):
    """Decision (issue 11 §3): a natural person on the 重大税收违法失信主体 list (令第54号) has a list entry in force (so
    checks find it), but like every natural person's negative item is not shown on the city site or its public API
    (国家发展改革委令第36号 第十二条第三款)."""
    from pubcredit.publicity.models import PublicityState

    entry = ListEntry.objects.get(subject__name="李四")
    assert entry.list_code == "major_tax_violator" and entry.status == "in_force"
    state = PublicityState.objects.get(record_id=entry.record_id)
    assert state.state == "withheld" and "国家发展改革委令第36号第十二条第三款" in state.reason_zh
    listing = client.get("/api/v1/public/lists/major_tax_violator").json()
    assert "李四" not in str(listing) and entry.subject.id_masked not in str(listing)
    assert client.get("/api/v1/public/search", {"q": "李四"}).json()["results"] == []
    assert not AuditEvent.objects.filter(action="subject.read_person", object_id=str(entry.subject_id)).exists()
