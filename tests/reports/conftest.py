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
