"""Browser test (issue 17): a department accepts a commitment, later records a breach with evidence; the public
subject page shows the commitment as 已违诺 and a new 告知承诺 check refuses the subject for the recent breach."""

import pytest

from pubcredit.records.models import CreditRecord
from tests.factories import uscc

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_accept_then_breach_then_public_page_and_new_check(page, provider, today):
    page.goto(page.base_url + "/commitments/new/")
    page.fill("input[name=username]", "provider")
    page.fill("input[name=password]", "Provider#2026")
    page.click("button[type=submit]")
    page.wait_for_url("**/commitments/new/")
    page.fill("input[name=subject_name]", "淄博承诺测试有限公司8")
    page.fill("input[name=subject_uscc]", uscc(8))
    page.select_option("select[name=commitment_type]", "approval_substitute")
    page.select_option("select[name=matter]", "food_business_license")
    page.fill("input[name=approval_no]", "SP-2026-0800")
    page.fill("input[name=decision_no]", "淄市监承诺〔2026〕8号")
    page.fill("input[name=decision_date]", "2026-11-02")
    page.fill("input[name=verification_date]", "2026-11-18")
    page.click("main button[type=submit]")
    page.wait_for_selector("h1:has-text('信用承诺')")
    facts = page.inner_text("dl.facts")
    assert "履约中" in facts and "食品经营许可" in facts and "逾期未核查" in facts  # 18 Nov passed unverified

    page.fill("#breach-form textarea[name=evidence]", "现场核查：无冷藏设施，与承诺不符（检查笔录淄市监核〔2026〕8号）")
    page.click("#breach-form button[type=submit]")
    page.click("#confirm-dialog button[value=confirm]")  # 认定违诺 asks first
    page.wait_for_selector("dl.facts:has-text('已违诺')")
    assert "已记入信用记录" in page.inner_text("dl.facts")

    subject_id = CreditRecord.objects.get(class_code="credit_commitment").subject_id
    page.goto(page.base_url + f"/public/subjects/{subject_id}/")
    public = page.inner_text("main")
    assert "信用承诺" in public and "已违诺" in public and "食品经营许可" in public

    page.goto(page.base_url + "/commitments/eligibility/")
    page.fill("input[name=code]", uscc(8))
    page.select_option("select[name=matter]", "construction_permit")
    page.click("main button[type=submit]")
    answer = page.inner_text("#eligibility-answer")
    assert "不适用告知承诺制" in answer and "违背信用承诺" in answer
