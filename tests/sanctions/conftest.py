import json

import pytest

from pubcredit.sanctions import rulebook


@pytest.fixture(autouse=True)
def _fresh_measure_cache():
    """The compiled measure list is cached per process by overlay revision; ids restart between tests."""
    rulebook.reload()
    yield
    rulebook.reload()


@pytest.fixture
def token(department, system_actor):
    from pubcredit.accounts.services import token_create

    return token_create(department=department, actor=system_actor)


@pytest.fixture
def api(client, token, today):
    """The department's business system: every call carries its bearer token."""

    class Api:
        auth = {"HTTP_AUTHORIZATION": f"Bearer {token.plaintext}"}

        def post(self, url, body, **extra):
            return client.post(url, json.dumps(body), content_type="application/json", **self.auth, **extra)

        def get(self, url, **extra):
            return client.get(url, **self.auth, **extra)

        def delete(self, url, **extra):
            return client.delete(url, **self.auth, **extra)

        def check(self, scenario="government_procurement", reference="ZB-2026-001", **subject):
            return self.post("/api/v1/checks", {"subject": subject, "scenario": scenario, "reference": reference})

    return Api()


@pytest.fixture
def business_user(db, department, system_actor):
    from pubcredit.accounts.choices import Role
    from pubcredit.accounts.services import user_create

    return user_create(username="buyer", password="Buyer#2026x", role=Role.BUSINESS_USER, display_name="采购经办人",
                       department=department, actor=system_actor)
