"""Public API: no token, published records only, with severity and period."""

import datetime as dt

import pytest

from pubcredit.rules import clock
from tests.factories import uscc

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with clock.pinned(dt.date(2026, 11, 20)):
        yield


def test_search_by_name_and_code(client, site):
    body = client.get("/api/v1/public/search", {"q": "鑫源化工"}).json()
    assert [r["name"] for r in body["results"]] == ["淄博鑫源化工有限公司"]
    assert body["results"][0]["uscc"] == uscc(1) and body["results"][0]["url"].startswith("/public/subjects/")
    assert client.get("/api/v1/public/search", {"q": "华瑞"}).json()["results"][0]["name"] == "淄博华瑞医药有限公司"
    assert client.get("/api/v1/public/search", {"q": uscc(2)}).json()["results"][0]["name"] == "淄博宏达陶瓷有限公司"
    short = client.get("/api/v1/public/search", {"q": "淄"}).json()
    assert short["results"] == [] and "至少2个字" in short["message"]


def test_subject_with_published_records_only(client, site):
    body = client.get(f"/api/v1/public/subjects/{uscc(1)}").json()
    assert body["name"] == "淄博鑫源化工有限公司" and body["legal_rep"] == "王伟"
    records = {r["decision_no"]: r for r in body["records"]}
    assert set(records) == {"淄市监许〔2026〕1号", "淄市监罚〔2026〕1号"}  # the 2024 penalty expired: absent
    penalty = records["淄市监罚〔2026〕1号"]
    assert {k: penalty[k] for k in ("class_code", "decision_date", "severity", "publish_until", "repairable_from")} == {
        "class_code": "admin_penalty", "decision_date": "2026-11-16", "severity": "general",
        "publish_until": "2027-11-15", "repairable_from": "2027-02-16"}
    assert isinstance(penalty["id"], int) and penalty["fields"]["penalty_types"] == ["fine"]
    assert "legal_rep_id_number" not in penalty["fields"] and "id_number" not in penalty["fields"]
    licence = records["淄市监许〔2026〕1号"]
    assert licence["severity"] is None and licence["publish_until"] is None and licence["repairable_from"] is None


def test_minor_item_is_absent_not_flagged(client, site):
    body = client.get(f"/api/v1/public/subjects/{uscc(2)}").json()
    assert [r["class_code"] for r in body["records"]] == ["admin_license"]


def test_market_regulation_minor_fine_is_shown_three_months(client, site):
    """SAMR Order 107 art. 7: a 20 000 CNY fine is minor, published 3 months from publication, no early repair."""
    body = client.get(f"/api/v1/public/subjects/{uscc(3)}").json()
    penalty = next(r for r in body["records"] if r["class_code"] == "admin_penalty")
    assert (penalty["severity"], penalty["publish_until"], penalty["repairable_from"]) == ("minor", "2027-01-11", None)


def test_unknown_subject_is_404(client, site):
    response = client.get(f"/api/v1/public/subjects/{uscc(77)}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
