"""Lending data as catalogue classes (国办发〔2021〕52号 via rules.md §11), collected by the normal channels, and the
profile rulebook checked against the catalogue."""

from __future__ import annotations

import json

import pytest

from pubcredit.catalog.registry import all_classes
from pubcredit.finance.rulebook import profile_book
from pubcredit.records.models import CreditRecord
from pubcredit.rules.finance import parse_profile_book
from tests.factories import AUTHORITY_USCC, uscc

LENDING_CLASSES = {"social_insurance_payment", "housing_fund_payment", "utility_payment", "tax_credit_grade"}


def test_lending_classes_are_in_the_catalogue_neutral_and_not_public():
    found = {c.code: c for c in all_classes() if c.code in LENDING_CLASSES}
    assert set(found) == LENDING_CLASSES
    assert all(c.nature == "neutral" and not c.public for c in found.values())


@pytest.mark.django_db
def test_monthly_rows_with_chinese_headers_go_through_the_records_api(client, department, system_actor, today):
    from pubcredit.accounts.services import token_create

    token = token_create(department=department, actor=system_actor).plaintext
    rows = [{"单位名称": "淄博测试化工有限公司3", "主体类别": "企业", "统一社会信用代码": uscc(3), "记录编号": f"SD-{m}",
             "所属月份": f"2026-{m:02d}-30", "费用类别": "燃气", "缴费状态": "欠费", "欠缴金额": "1200",
             "数据来源单位": "淄博绿博燃气有限公司", "数据来源单位统一社会信用代码": AUTHORITY_USCC} for m in (9, 10)]
    answer = client.post("/api/v1/records/utility_payment", json.dumps({"records": rows}),
                         content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert answer.status_code == 200, answer.content
    assert answer.json()["created"] == 2 and answer.json()["rejected"] == []
    assert {r.fields["payment_status"] for r in CreditRecord.objects.filter(class_code="utility_payment")} == {"arrears"}


def test_every_profile_item_names_a_catalogue_class_or_the_evaluation():
    codes = {c.code for c in all_classes()}
    assert all(i.code in codes or i.source == "evaluation" for i in profile_book().items)
    with pytest.raises(ValueError, match="not a catalogue class"):
        parse_profile_book({"version": "1", "max_term_days": 30,
                            "items": [{"code": "bank_gossip", "name_zh": "传闻", "source": "records"}]},
                           catalogue_classes=codes)
