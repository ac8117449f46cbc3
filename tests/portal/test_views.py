"""Public pages: search → subject page → 双公示 listings; only published records; persons never; IDs masked."""

import datetime as dt

import pytest
from django.urls import reverse

from pubcredit.disclosure import selectors
from pubcredit.rules import clock
from pubcredit.subjects.models import Subject
from tests.factories import resident_id, uscc

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with clock.pinned(dt.date(2026, 11, 20)):
        yield


def subject_pk(name: str) -> int:
    return Subject.objects.get(name=name).pk


def test_home_shows_search_and_latest_publications(client, site):
    page = client.get(reverse("portal:home")).content.decode()
    assert "信用中国（山东淄博）" in page and 'name="q"' in page  # the site's name is a setting (issue 21)
    assert "食品经营许可决定书" in page and "超标排放大气污染物" in page


def test_search_page_lists_matches_with_links(client, site):
    response = client.get(reverse("portal:search"), {"q": "鑫源化工"})
    page = response.content.decode()
    assert response.status_code == 200 and "淄博鑫源化工有限公司" in page
    assert reverse("portal:subject", args=[subject_pk("淄博鑫源化工有限公司")]) in page
    assert "至少2个字" in client.get(reverse("portal:search"), {"q": "淄"}).content.decode()
    assert "未找到" in client.get(reverse("portal:search"), {"q": "不存在的公司"}).content.decode()


def test_subject_page_shows_published_items_with_their_period(client, site):
    page = client.get(reverse("portal:subject", args=[subject_pk("淄博鑫源化工有限公司")])).content.decode()
    assert uscc(1) in page and "法人及非法人组织" in page and "张店区" in page and "王伟" in page
    assert "淄市监许〔2026〕1号" in page and "食品经营许可证" in page  # licence
    assert "淄市监罚〔2026〕1号" in page and "一般失信" in page  # the published penalty
    assert "公示期：2026-11-18 至 2027-11-15；2027-02-16起可申请信用修复" in page
    assert "淄市监罚〔2026〕5号" not in page  # decided 2024: its period is over


def test_subject_page_hides_minor_items(client, site):
    page = client.get(reverse("portal:subject", args=[subject_pk("淄博宏达陶瓷有限公司")])).content.decode()
    assert "淄市监许〔2026〕2号" in page and "淄市监罚〔2026〕2号" not in page
    assert "暂无公示中的行政处罚信息" in page


def test_individual_business_serious_item_repair_after_the_restriction(client, site):
    page = client.get(reverse("portal:subject", args=[subject_pk("张店区王记面馆")])).content.decode()
    # serious: 1 year from 2026-11-16, and not before 责令停产停业 ends (处罚有效期 2027-11-16; Order 36 art. 12)
    assert "严重失信" in page and "个体工商户" in page and "2027-11-17起可申请信用修复" in page


def test_natural_persons_are_never_shown_and_ids_never_appear(client, site):
    person = Subject.objects.get(kind="natural_person")
    assert client.get(reverse("portal:subject", args=[person.pk])).status_code == 404
    for url in (reverse("portal:home"), reverse("portal:penalties"), reverse("portal:licenses")):
        page = client.get(url).content.decode()
        assert resident_id(7) not in page and "张三" not in page


def test_unknown_subject_is_404(client, site):
    assert client.get(reverse("portal:subject", args=[999_999])).status_code == 404


def test_penalty_listing_newest_first_and_filters(client, site):
    page = client.get(reverse("portal:penalties")).content.decode()
    assert page.index("淄市监罚〔2026〕1号") < page.index("淄市监罚〔2026〕8号")  # 2026-11-16 before 2026-10-09
    assert "淄市监罚〔2026〕2号" not in page and "淄市监罚〔2026〕5号" not in page
    by_dept = client.get(reverse("portal:penalties"), {"department": "SCJGJ"}).content.decode()
    assert "淄市监罚〔2026〕8号" in by_dept and "淄市监罚〔2026〕1号" not in by_dept
    dated = client.get(reverse("portal:penalties"), {"date_from": "2026-11-01", "date_to": "2026-11-30"}).content.decode()
    assert "淄市监罚〔2026〕1号" in dated and "淄市监罚〔2026〕8号" not in dated
    district = client.get(reverse("portal:penalties"), {"district": "zichuan"}).content.decode()
    assert "没有符合条件的公示信息" in district
    assert client.get(reverse("portal:penalties"), {"date_from": "not-a-date"}).status_code == 200


def test_licence_listing_is_paged_never_whole(client, site, monkeypatch):
    monkeypatch.setattr(selectors.listings, "PAGE_SIZE", 2)
    first = client.get(reverse("portal:licenses")).content.decode()
    assert first.count('class="record"') == 2 and "下一页" in first
    second = client.get(reverse("portal:licenses"), {"page": 2}).content.decode()
    assert second.count('class="record"') == 1 and "上一页" in second and "下一页" not in second
    monkeypatch.setattr(selectors.listings, "LISTING_MAX_PAGES", 1)
    capped = client.get(reverse("portal:licenses"), {"page": 9}).content.decode()
    assert "仅提供最近1000条" in capped and "下一页" not in capped


def test_rules_page_lists_the_regimes(client, site):
    page = client.get(reverse("portal:rules")).content.decode()
    assert "国家发展改革委令第36号" in page and "市场监管总局令第107号" in page and "发改办财金〔2019〕527号" in page


def test_person_shown_only_when_a_class_is_public_for_persons_masked_and_logged(client, site, monkeypatch, caplog):
    """A class configured public for natural persons (among records none is; among lists only 失信被执行人, see
    tests/portal/test_lists.py): the page shows the masked number only; the read of what the law publishes is noted on
    the public-reads log, not written to the audit trail (docs/security.md, issue 19 item 3). A person is findable
    through the classes public for persons only, never through another class."""
    from pubcredit.audit.models import AuditEvent
    from pubcredit.publicity.models import PublicityState

    person = Subject.objects.get(kind="natural_person")
    PublicityState.objects.filter(subject=person).update(state="published")  # as if its class were public
    assert client.get(reverse("portal:subject", args=[person.pk])).status_code == 404  # the catalogue says no
    monkeypatch.setattr(selectors.search, "_person_record_classes", lambda: ["admin_penalty"])
    caplog.set_level("INFO", logger="pubcredit.public_reads")
    page = client.get(reverse("portal:subject", args=[person.pk])).content.decode()
    assert "张三" in page and person.id_masked in page and resident_id(7) not in page
    assert "法定代表人" not in page
    assert not AuditEvent.objects.filter(action="subject.read_person").exists()
    line = next(r.getMessage() for r in caplog.records if r.name == "pubcredit.public_reads")
    assert "client=127.0.0.1" in line and f"subjects={person.pk}" in line and person.id_masked not in line
