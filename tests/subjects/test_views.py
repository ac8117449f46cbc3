import pytest
from django.urls import reverse

from pubcredit.subjects.services import confirmed_identifiers

pytestmark = pytest.mark.django_db
URL = "/identifiers/"


def test_operator_confirms_a_really_issued_code(client, operator):
    client.force_login(operator)
    response = client.post(URL, {"kind": "uscc", "value": "91350100m0001tgqxm", "reason": "福建早期试点赋码"})
    assert response.status_code == 302
    assert "91350100M0001TGQXM" in confirmed_identifiers()
    assert "91350100M0001TGQXM" in client.get(URL).content.decode()


def test_a_valid_code_needs_no_confirmation(client, operator):
    client.force_login(operator)
    page = client.post(URL, {"kind": "uscc", "value": "91310110666007217T", "reason": "x"}).content.decode()
    assert "校验通过，无需确认" in page


def test_only_operators_may_confirm(client, provider):
    client.force_login(provider)
    assert client.get(URL).status_code == 403
    assert reverse("subjects:confirmed_identifiers") == URL


def test_api_docs_are_served_without_a_cdn(client):
    page = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
