import pytest

from pubcredit.reports import signing
from tests.portal.conftest import _fresh_rate_limits, eco, list_site, site  # noqa: F401 - shared fixtures


@pytest.fixture(autouse=True)
def _signing_pair(tmp_path, monkeypatch, settings):
    """Each test signs with its own demo pair under a temporary VAR_DIR (the real var/ is never touched)."""
    settings.VAR_DIR = tmp_path / "var"
    monkeypatch.delenv("PUBCREDIT_REPORT_SIGNING_KEY", raising=False)
    monkeypatch.delenv("PUBCREDIT_REPORT_SIGNING_CERT", raising=False)
    monkeypatch.setenv("PUBCREDIT_PUBLIC_BASE_URL", "https://credit.example.cn")
    signing.reset()
    yield
    signing.reset()


@pytest.fixture
def api(client, department, system_actor, today):
    """A department's business system calling with its bearer token."""
    import json

    from pubcredit.accounts.services import token_create

    token = token_create(department=department, actor=system_actor)

    class Api:
        auth = {"HTTP_AUTHORIZATION": f"Bearer {token.plaintext}"}

        def post(self, url, body, **extra):
            return client.post(url, json.dumps(body), content_type="application/json", **self.auth, **extra)

        def get(self, url, **extra):
            return client.get(url, **self.auth, **extra)

    return Api()


from tests.jobs.conftest import run_worker  # noqa: E402, F401 - the worker in the test process
