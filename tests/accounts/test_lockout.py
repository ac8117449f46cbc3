"""Issue 19 item 7: login lockout per user at one address and per address over any usernames (django-axes), and
rate-limit counters in a store every server process shares."""

import pytest
from axes.models import AccessAttempt

pytestmark = pytest.mark.django_db

LOGIN = "/login/"


def _fail(client, username, address):
    return client.post(LOGIN, {"username": username, "password": "wrong-password"}, REMOTE_ADDR=address)


def test_five_failures_lock_a_username_at_that_address(client, operator, settings):
    settings.PUBCREDIT_LOGIN_FAILURE_LIMIT = 5
    answers = [_fail(client, "operator", "10.0.0.1").status_code for _ in range(5)]
    assert answers == [200, 200, 200, 200, 429]  # the form again with an error; the fifth failure locks
    # locked now, even with the right password, at that address
    locked = client.post(LOGIN, {"username": "operator", "password": "Operator#2026"}, REMOTE_ADDR="10.0.0.1")
    assert locked.status_code == 429
    # the same user from another address, and another user from this one, are not locked by it
    elsewhere = client.post(LOGIN, {"username": "operator", "password": "Operator#2026"}, REMOTE_ADDR="10.0.0.2")
    assert elsewhere.status_code == 302


def test_one_address_trying_many_usernames_is_locked_at_the_address_limit(client, operator, settings):
    """The issue's case: 30 usernames from one address used to pass, each below the per-user limit."""
    settings.PUBCREDIT_LOGIN_FAILURE_LIMIT = 5
    settings.PUBCREDIT_LOGIN_ADDRESS_FAILURE_LIMIT = 20
    answers = [_fail(client, f"guess{n}", "10.0.0.9").status_code for n in range(30)]
    assert answers[:19] == [200] * 19 and set(answers[19:]) == {429}  # the twentieth failure locks the address
    assert client.post(LOGIN, {"username": "operator", "password": "Operator#2026"},
                       REMOTE_ADDR="10.0.0.9").status_code == 429
    # another address is untouched
    assert client.post(LOGIN, {"username": "operator", "password": "Operator#2026"},
                       REMOTE_ADDR="10.0.0.10").status_code == 302
    assert AccessAttempt.objects.filter(ip_address="10.0.0.9").count() >= 20


def test_the_lockout_takes_the_client_address_from_the_trusted_proxy_header(client, operator, settings):
    settings.PUBCREDIT_PORTAL_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    settings.PUBCREDIT_LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(LOGIN, {"username": "operator", "password": "x"}, REMOTE_ADDR="127.0.0.1",
                    HTTP_X_REAL_IP="203.0.113.5")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"
    ok = client.post(LOGIN, {"username": "operator", "password": "Operator#2026"}, REMOTE_ADDR="127.0.0.1",
                     HTTP_X_REAL_IP="203.0.113.6")
    assert ok.status_code == 302  # the proxy itself (127.0.0.1) is not what gets locked


def test_rate_limit_counters_in_the_shared_store_are_seen_by_another_process(client, settings):
    """With PUBCREDIT_RATE_CACHE=shared (the default on PostgreSQL) the counters live in the database cache table:
    a second server process (here: a cache object of its own, no memory shared) sees the same count."""
    from django.core.cache.backends.db import DatabaseCache

    settings.PUBCREDIT_PORTAL_RATE_CACHE = "shared"
    settings.PUBCREDIT_PORTAL_RATE_LIMITS = {"search": (2, 60)}
    assert client.get("/api/v1/public/search", {"q": "某某"}).status_code == 200
    assert client.get("/api/v1/public/search", {"q": "某某"}).status_code == 200
    other_process = DatabaseCache("pubcredit_cache", {})
    from django.db import connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM pubcredit_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert keys, "the counter is in the database table"
    assert other_process.get(keys[0].split(":", 2)[-1], version=1) == 2
    assert client.get("/api/v1/public/search", {"q": "某某"}).status_code == 429
