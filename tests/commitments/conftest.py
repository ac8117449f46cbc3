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
def api(client, department, system_actor, today):
    """The department's approval system, calling with its bearer token."""
    from pubcredit.accounts.services import token_create

    token = token_create(department=department, actor=system_actor)

    class Api:
        auth = {"HTTP_AUTHORIZATION": f"Bearer {token.plaintext}"}

        def post(self, url, body):
            return client.post(url, json.dumps(body), content_type="application/json", **self.auth)

    return Api()
