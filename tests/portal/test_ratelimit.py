"""Rate limiting per client IP: a scraper gets 429 with Retry-After, a person never notices."""

import pytest
from django.test import override_settings
from django.urls import reverse

from pubcredit import ratelimit

pytestmark = pytest.mark.django_db

T0 = 1_790_000_080.0  # 40 s into a 60-second window


@pytest.fixture
def frozen(monkeypatch):
    now = {"t": T0}
    monkeypatch.setattr(ratelimit, "_now", lambda: now["t"])
    return now


@override_settings(PUBCREDIT_PORTAL_RATE_LIMITS={"search": (3, 60)})
def test_search_over_the_limit_gets_429_with_retry_after(client, site, frozen):
    url = reverse("portal:search")
    assert [client.get(url, {"q": "鑫源化工"}).status_code for _ in range(3)] == [200, 200, 200]
    blocked = client.get(url, {"q": "鑫源化工"})
    assert blocked.status_code == 429 and blocked["Retry-After"] == "20" and "访问过于频繁" in blocked.content.decode()
    # another client is not affected, nor are pages (their own bucket)
    assert client.get(url, {"q": "鑫源化工"}, REMOTE_ADDR="10.0.0.9").status_code == 200
    assert client.get(reverse("portal:home")).status_code == 200
    frozen["t"] = T0 + 20  # next window
    assert client.get(url, {"q": "鑫源化工"}).status_code == 200


@override_settings(PUBCREDIT_PORTAL_RATE_LIMITS={"page": (2, 60), "search": (2, 60)})
def test_api_gets_the_same_limits_as_json(client, site, frozen):
    for _ in range(2):
        assert client.get("/api/v1/public/search", {"q": "华瑞"}).status_code == 200
    blocked = client.get("/api/v1/public/search", {"q": "华瑞"})
    assert blocked.status_code == 429 and blocked.json()["code"] == "rate_limited" and blocked["Retry-After"] == "20"
    client.get(reverse("portal:rules"))
    client.get(reverse("portal:licenses"))
    assert client.get("/api/v1/public/subjects/91370303MA00000104").status_code == 429  # pages and API share it


def test_defaults_let_a_person_browse(client, site, frozen):
    """A person: a dozen searches and a few dozen pages in a minute — never limited by the defaults."""
    assert ratelimit.rate_limits()["search"] == (30, 60) and ratelimit.rate_limits()["page"] == (120, 60)
    codes = [client.get(reverse("portal:search"), {"q": "有限公司"}).status_code for _ in range(12)]
    codes += [client.get(reverse("portal:penalties")).status_code for _ in range(40)]
    assert set(codes) == {200}


@override_settings(PUBCREDIT_PORTAL_RATE_LIMITS={"search": (1, 60)}, PUBCREDIT_PORTAL_CLIENT_IP_HEADER="HTTP_X_REAL_IP")
def test_client_ip_from_the_proxy_header(client, site, frozen):
    url = reverse("portal:search")
    assert client.get(url, {"q": "华瑞"}, HTTP_X_REAL_IP="1.1.1.1").status_code == 200
    assert client.get(url, {"q": "华瑞"}, HTTP_X_REAL_IP="1.1.1.1").status_code == 429
    assert client.get(url, {"q": "华瑞"}, HTTP_X_REAL_IP="2.2.2.2").status_code == 200


@override_settings(PUBCREDIT_PORTAL_RATE_LIMITS={"search": None})
def test_a_bucket_can_be_switched_off(client, site):
    assert {client.get(reverse("portal:search"), {"q": "华瑞"}).status_code for _ in range(40)} == {200}
