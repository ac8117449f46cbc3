"""Workbench pages of credit commitments: a clerk accepts, verifies or records a breach; errors under their fields;
everything a page shows is in Chinese (no raw codes)."""

import re

import pytest

from pubcredit.records.models import CreditRecord
from tests.commitments.helpers import commitment
from tests.console.pagecheck import english_words, rulebook_codes
from tests.factories import uscc
from tests.lists.helpers import samr_row, submit_list

pytestmark = pytest.mark.django_db


def _form(n=1, **overrides):
    row = commitment(n, **overrides)
    row["commitment_type"] = "approval_substitute"
    row["matter"] = "food_business_license"
    row["subject_category"] = "法人及非法人组织"
    return {k: v for k, v in row.items() if v is not None}


def _text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def _no_codes(response):
    text = _text(response)
    leaked = [c for c in rulebook_codes() | {"in_force", "approval_substitute", "food_business_license"} if c in text]
    assert leaked == [] and english_words(text) == []


def test_a_clerk_accepts_then_records_a_breach_and_the_pages_say_so_in_chinese(client, provider, today):
    client.force_login(provider)
    response = client.post("/commitments/new/", _form())
    assert response.status_code == 302, _text(response)[:2000]
    record = CreditRecord.objects.get(class_code="credit_commitment")
    detail = client.get(f"/commitments/{record.pk}/")
    assert "履约中" in detail.content.decode() and "食品经营许可" in detail.content.decode()
    _no_codes(detail)
    refused = client.post(f"/commitments/{record.pk}/breach/", {"decided_on": "2026-11-20", "evidence": ""})
    assert refused.status_code == 400 and "认定违诺须提供违诺事实及证据" in refused.content.decode()
    done = client.post(f"/commitments/{record.pk}/breach/", {"decided_on": "2026-11-20", "evidence": "核查发现无冷藏设施"})
    assert done.status_code == 302
    detail = client.get(f"/commitments/{record.pk}/")
    assert "已违诺" in detail.content.decode() and "已记入信用记录" in detail.content.decode()
    listing = client.get("/commitments/?status=breached")
    assert record.decision_no in listing.content.decode()
    _no_codes(listing)


def test_the_accept_form_shows_the_date_order_error_under_its_field(client, provider, today):
    client.force_login(provider)
    response = client.post("/commitments/new/", _form(verification_date="2026-10-01"))
    assert response.status_code == 200 and "核查日期" in response.content.decode()
    assert "errorlist" in response.content.decode()
    assert not CreditRecord.objects.exists()


def test_the_eligibility_page_refuses_a_samr_listed_subject_with_the_legal_basis(client, provider, department,
                                                                                 system_actor, today):
    submit_list("samr_serious_violation", [samr_row(1)], department, system_actor)
    client.force_login(provider)
    response = client.post("/commitments/eligibility/", {"kind": "uscc", "code": uscc(1),
                                                         "matter": "food_business_license"})
    page = response.content.decode()
    assert "不适用告知承诺制" in page and "第十五条第（三）项" in page
    _no_codes(response)


def test_an_operator_reads_but_does_not_accept(client, operator, today):
    client.force_login(operator)
    assert client.get("/commitments/").status_code == 200
    assert client.get("/commitments/new/").status_code == 403


def test_public_commitment_listing_is_searchable_by_matter_in_chinese(client, department, system_actor, today):
    from pubcredit.commitments.services import commitment_accept
    commitment_accept(department=department, values=commitment(1), actor=system_actor)
    commitment_accept(department=department, values=commitment(2, matter="建筑工程施工许可",
                                                               approval_no="JZ-2026-0002"), actor=system_actor)
    everything = client.get("/public/commitments/")
    assert everything.status_code == 200
    assert "淄博承诺测试有限公司1" in everything.content.decode()
    assert "淄博承诺测试有限公司2" in everything.content.decode()
    food = client.get("/public/commitments/", {"matter": "food_business_license"})
    html = food.content.decode()
    assert "淄博承诺测试有限公司1" in html and "淄博承诺测试有限公司2" not in html
    assert '<option value="food_business_license" selected>食品经营许可</option>' in html
    _no_codes(client.get("/public/commitments/", {"matter": "construction_permit"}))
    # an unknown matter code is ignored rather than answered with an empty page
    unknown = client.get("/public/commitments/", {"matter": "no_such_matter"}).content.decode()
    assert "淄博承诺测试有限公司1" in unknown and "淄博承诺测试有限公司2" in unknown
