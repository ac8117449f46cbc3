"""The enterprise's 信易贷 page on the public site: authorise, see errors by field, revoke, see every read; the
public 信易+ scenario list."""

from __future__ import annotations

import pytest

from pubcredit.finance.models import Authorisation
from tests.factories import uscc
from tests.finance.conftest import ENTERPRISE_USCC

pytestmark = pytest.mark.django_db

PAGE = "/public/finance/"


@pytest.fixture
def logged_in(client, account):
    client.force_login(account.user)
    return client


def _form(bank, **overrides):
    data = {"institution": bank.code, "scope": ["admin_penalty", "social_insurance_payment"],
            "purpose": "loan_application", "purpose_note": "DK-2026-001", "starts_on": "2026-11-20",
            "ends_on": "2027-02-17", "uscc": ENTERPRISE_USCC}
    data.update(overrides)
    return data


def test_enterprise_authorises_a_bank_from_the_page(logged_in, bank):
    answer = logged_in.post("/public/finance/authorise/", _form(bank))
    assert answer.status_code == 302 and answer["Location"] == PAGE
    authorisation = Authorisation.objects.get()
    assert authorisation.scope == ["admin_penalty", "social_insurance_payment"]
    page = logged_in.get(PAGE).content.decode()
    assert "淄博银行张店支行" in page and "有效" in page and "授权成功" in page


def test_errors_are_shown_by_field_and_nothing_is_kept(logged_in, bank):
    answer = logged_in.post("/public/finance/authorise/", _form(bank, institution="NOPE", scope=[], ends_on="2026-11-01"))
    page = answer.content.decode()
    assert answer.status_code == 400
    assert "平台上没有该金融机构" in page and "请至少选择一项授权范围" in page and "授权截止日不能早于起始日" in page
    assert 'value="DK-2026-001"' in page  # what was typed is kept
    assert not Authorisation.objects.exists()


def test_the_page_refuses_an_authorisation_for_another_enterprise(logged_in, bank):
    answer = logged_in.post("/public/finance/authorise/", _form(bank, uscc=uscc(2)))
    assert answer.status_code == 400 and "不能为其他企业授权" in answer.content.decode()


def test_enterprise_revokes_and_sees_it(logged_in, grant):
    authorisation = grant()
    answer = logged_in.post(f"/public/finance/authorisations/{authorisation.authorisation_id}/revoke/")
    assert answer.status_code == 302
    authorisation.refresh_from_db()
    assert authorisation.revoked_at is not None
    assert "已撤销" in logged_in.get(PAGE).content.decode()


def test_another_enterprises_authorisation_cannot_be_revoked(client, grant, system_actor):
    from pubcredit.accounts.services import enterprise_account_create

    authorisation = grant()
    other = enterprise_account_create(username="qiye2", password="Qiye-pass-2026", uscc=uscc(2),
                                      enterprise_name="淄博测试化工有限公司2", actor=system_actor)
    client.force_login(other.user)
    assert client.post(f"/public/finance/authorisations/{authorisation.authorisation_id}/revoke/").status_code == 404
    authorisation.refresh_from_db()
    assert authorisation.revoked_at is None


def test_the_read_log_shows_who_read_when_and_why(logged_in, grant, bank_api):
    grant()
    bank_api.get(f"/api/v1/finance/profiles/{ENTERPRISE_USCC}", reference="DK-2026-001")
    page = logged_in.get(PAGE).content.decode()
    assert "查询记录" in page and "淄博银行张店支行" in page and "贷款申请" in page and "DK-2026-001" in page


def test_the_page_needs_an_enterprise_login(client):
    answer = client.get(PAGE)
    assert answer.status_code == 302 and "/public/account/login/" in answer["Location"]


def test_incentive_scenarios_are_public(client):
    page = client.get("/public/finance/incentives/").content.decode()
    assert "信易批·绿色通道" in page and "信易阅·免押借阅" in page and "淄博市图书馆" in page
