"""Browser test (issue 22): an enterprise authorises a bank on the public site, the bank reads the profile through
the API, and the enterprise sees the read in its log; on a phone (390 px) and a desk."""

from __future__ import annotations

import json
import os
import urllib.request
from pathlib import Path

import pytest

from tests.finance.conftest import ENTERPRISE_USCC

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _bank_reads(base_url: str, token: str) -> dict:
    request = urllib.request.Request(f"{base_url}/api/v1/finance/profiles/{ENTERPRISE_USCC}?reference=DK-2026-009",
                                     headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        return json.loads(response.read())


@pytest.mark.parametrize("width", [390, 1280])
def test_enterprise_authorises_bank_reads_enterprise_sees_the_read(page, account, bank, system_actor, today, width,
                                                                   tmp_path):
    from pubcredit.accounts.services import token_create

    token = token_create(department=bank, actor=system_actor).plaintext
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(page.base_url + "/public/finance/")
    page.wait_for_url("**/public/account/login/**")
    page.fill("input[name=username]", "qiye1")
    page.fill("input[name=password]", "Qiye-pass-2026")
    page.click("form.enterprise-login button[type=submit]")
    page.wait_for_url("**/public/finance/")

    page.select_option("select[name=institution]", bank.code)
    page.uncheck("input[name=scope][value=admin_license]")
    page.fill("input[name=purpose_note]", "流动资金贷款 DK-2026-009")
    page.click("form.grant button[type=submit]")
    page.wait_for_selector("li.authorisation[data-state=in_force]")
    assert "淄博银行张店支行" in page.inner_text("#authorisations")

    profile = _bank_reads(page.base_url, token)
    assert "admin_license" not in [s["code"] for s in profile["sections"]]
    assert profile["basic"]["name"] == "淄博测试化工有限公司1"

    page.reload()
    read = page.inner_text("li.read[data-outcome=served]")
    assert "淄博银行张店支行" in read and "已提供" in read and "DK-2026-009" in read
    screens = os.environ.get("PUBCREDIT_SCREENS_DIR")
    page.screenshot(path=str(Path(screens or tmp_path) / f"finance-enterprise-{width}.png"), full_page=True)
