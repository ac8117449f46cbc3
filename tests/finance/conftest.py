import json

import pytest

from pubcredit.rules import clock
from tests.factories import at, penalty, uscc
from tests.finance.helpers import social_insurance_row, submit

ENTERPRISE_USCC = uscc(1)
BANK_USCC = uscc(901, registrar="91")


@pytest.fixture
def bank(db, system_actor):
    """A financial institution (金融机构): a department of its own kind."""
    from pubcredit.accounts.services import financial_institution_create

    return financial_institution_create(code="ZBBANK-ZD", name="淄博银行张店支行", uscc=BANK_USCC, actor=system_actor)


@pytest.fixture
def other_bank(db, system_actor):
    from pubcredit.accounts.services import financial_institution_create

    return financial_institution_create(code="QLBANK", name="齐鲁银行淄博分行", uscc=uscc(902), actor=system_actor)


@pytest.fixture
def enterprise_data(department, system_actor, today):
    """淄博测试化工有限公司1: a penalty (published) and three months of social insurance (Sept in arrears)."""
    submit("admin_penalty", [penalty(1)], department, system_actor)
    submit("social_insurance_payment", [social_insurance_row(1, 8), social_insurance_row(1, 9, status="欠缴"),
                                        social_insurance_row(1, 10)], department, system_actor)


@pytest.fixture
def account(db, system_actor, enterprise_data):
    """The enterprise's account (企业用户) on the public site."""
    from pubcredit.accounts.services import enterprise_account_create

    return enterprise_account_create(username="qiye1", password="Qiye-pass-2026", uscc=ENTERPRISE_USCC,
                                     enterprise_name="淄博测试化工有限公司1", actor=system_actor)


@pytest.fixture
def grant(account, bank):
    """Grant an authorisation as the enterprise (defaults: the bank, penalties and social insurance, 90 days)."""
    from pubcredit.finance.services import authorisation_grant

    def make(**overrides):
        values = {"account": account, "institution": bank.code, "scope": ["admin_penalty", "social_insurance_payment"],
                  "purpose": "loan_application", "purpose_note": "流动资金贷款申请 DK-2026-001",
                  "starts_on": clock.today(), "ends_on": clock.today().replace(month=12, day=31),
                  "actor": account.user}
        values.update(overrides)
        return authorisation_grant(**values)

    return make


def _api(client, token):
    class Api:
        auth = {"HTTP_AUTHORIZATION": f"Bearer {token.plaintext}"}

        def get(self, url, **params):
            return client.get(url, params, **self.auth)

        def post(self, url, body):
            return client.post(url, json.dumps(body), content_type="application/json", **self.auth)

        def put(self, url, body):
            return client.put(url, json.dumps(body), content_type="application/json", **self.auth)

    return Api()


@pytest.fixture
def bank_api(client, bank, system_actor):
    from pubcredit.accounts.services import token_create

    return _api(client, token_create(department=bank, actor=system_actor))


@pytest.fixture
def department_api(client, department, system_actor):
    """A government department's system (not a financial institution)."""
    from pubcredit.accounts.services import token_create

    return _api(client, token_create(department=department, actor=system_actor))


__all__ = ["ENTERPRISE_USCC", "BANK_USCC", "at"]
