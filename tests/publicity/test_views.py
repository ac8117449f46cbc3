"""Operator page: downstream consumers of the change feed and how far behind they are."""

import pytest
from django.urls import reverse

from pubcredit.accounts.services import token_create
from pubcredit.publicity.selectors import feed_head
from tests.publicity.factories import ndrc_penalty, submit

pytestmark = pytest.mark.django_db


def test_consumers_page_shows_lag(client, operator, department, eco, system_actor):
    token = token_create(department=department, actor=system_actor)
    submit([ndrc_penalty(1), ndrc_penalty(2), ndrc_penalty(3)], department=eco, actor=system_actor)
    client.get("/api/v1/changes", {"since": 0, "limit": 1}, HTTP_AUTHORIZATION=f"Bearer {token.plaintext}")
    client.force_login(operator)
    page = client.get(reverse("publicity:consumers")).content.decode()
    head = feed_head()  # it asked from 0: every change is still unconfirmed
    assert 'data-department="SCJGJ"' in page and f'data-lag="{head}"' in page and "淄博市市场监督管理局" in page


def test_consumers_page_is_for_operators(client, provider):
    assert client.get(reverse("publicity:consumers")).status_code == 302
    client.force_login(provider)
    assert client.get(reverse("publicity:consumers")).status_code == 403
