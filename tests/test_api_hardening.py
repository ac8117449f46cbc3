"""Issue 19, item 2: no input gets a 500, every /api/ error has the platform's shape, no batch is left ``received``.

Each case is one a careless department or an attacker sent in the review: JSON nested 10,000 deep in a body and in
uploaded JSON/JSON-lines files, a CSV field over the csv module's limit, numbers beyond 64 bits in ``page``,
``since`` and path ids, a NUL in a query; and the errors Django and Ninja produce themselves (404, 405, 500, CSRF).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.test import Client, RequestFactory

from pubcredit.accounts.services import token_create
from pubcredit.api import api as platform_api
from pubcredit.ingest.models import Batch
from pubcredit.ingest.readers import CSV_FIELD_LIMIT
from pubcredit.request_limits import csrf_failure
from tests.ingest.files import LABELS, penalties, table, write_csv

pytestmark = pytest.mark.django_db

DEEP = 10_000
SHAPE = {"code", "message", "message_en", "fields"}
BEYOND_64_BITS = str(2**64 + 1)


@pytest.fixture
def auth(department, system_actor, today):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(department=department, actor=system_actor).plaintext}"}


def _upload(client, auth, path, class_code="admin_penalty"):
    with open(path, "rb") as fh:
        return client.post("/api/v1/batches", {"class_code": class_code, "file": fh}, **auth)


def _no_batch_left_unfinished():
    assert not Batch.objects.filter(status__in=["received", "processing"]).exists()


@pytest.mark.parametrize("url", ["/api/v1/records/admin_penalty", "/api/v1/checks", "/api/v1/checks/batch"])
def test_a_body_nested_10000_deep_is_a_400_not_a_recursion_error(client, auth, url):
    body = '{"records": ' + "[" * DEEP + "]" * DEEP + "}"
    response = client.post(url, body, content_type="application/json", **auth)
    assert response.status_code == 400
    assert set(response.json()) == SHAPE and response.json()["code"] == "request.json_depth"
    _no_batch_left_unfinished()


def test_a_body_nested_just_past_the_limit_is_refused_and_one_within_it_is_read(client, auth):
    too_deep = {"records": [{"x": json.loads("[" * 40 + "]" * 40)}]}
    response = client.post("/api/v1/records/admin_penalty", json.dumps(too_deep), content_type="application/json",
                           **auth)
    assert response.json()["code"] == "request.json_depth"
    fine = {"records": [{"x": json.loads("[" * 5 + "]" * 5)}]}
    response = client.post("/api/v1/records/admin_penalty", json.dumps(fine), content_type="application/json", **auth)
    assert response.status_code == 200


@pytest.mark.parametrize("name, content", [
    ("deep.jsonl", b'{"a": ' + b"[" * DEEP + b"]" * DEEP + b"}\n"),
    ("deep.json", b'[{"a": ' + b"[" * DEEP + b"]" * DEEP + b"}]"),
    ("deep-later.jsonl", b'{"a": 1}\n' + b'{"a": ' + b"[" * 100 + b"]" * 100 + b"}\n"),
])
def test_an_uploaded_json_file_nested_too_deep_ends_refused(client, auth, tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    response = _upload(client, auth, path)
    assert response.status_code == 422
    body = response.json()
    assert (body["status"], body["refused_code"]) == ("refused", "file.json_depth")
    _no_batch_left_unfinished()


def test_a_csv_field_over_the_csv_modules_limit_ends_refused(client, auth, tmp_path):
    header = ",".join(LABELS.values())
    path = tmp_path / "long.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write(header + "\n")
        fh.write('"' + "x" * (CSV_FIELD_LIMIT + 10) + '",x\n')  # one quoted field over the 16 M characters
    response = _upload(client, auth, path)
    assert response.status_code == 422
    body = response.json()
    assert (body["status"], body["refused_code"]) == ("refused", "file.csv")
    assert "16MB" in body["refused_message"]
    _no_batch_left_unfinished()


def test_a_csv_field_over_the_limit_in_a_check_batch_file_is_a_422(client, auth, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("主体名称,统一社会信用代码\n" + '"' + "x" * (CSV_FIELD_LIMIT + 10) + '",1\n', encoding="utf-8")
    with path.open("rb") as fh:
        response = client.post("/api/v1/checks/batch/file", {"scenario": "bidding", "file": fh}, **auth)
    assert response.status_code == 422 and response.json()["code"] == "file.csv"


@pytest.mark.parametrize("url, params", [
    ("/api/v1/rejections", {"page": BEYOND_64_BITS}),
    ("/api/v1/rejections", {"page": "1", "page_size": BEYOND_64_BITS}),
    ("/api/v1/changes", {"since": BEYOND_64_BITS}),
    ("/api/v1/changes", {"since": "-" + BEYOND_64_BITS}),
    (f"/api/v1/batches/{BEYOND_64_BITS}", {}),
    (f"/api/v1/batches/{BEYOND_64_BITS}/rejections", {}),
    (f"/api/v1/checks/batch/{BEYOND_64_BITS}", {}),
    ("/api/v1/public/search", {"q": "某某", "page": BEYOND_64_BITS}),
])
def test_integers_beyond_64_bits_are_refused_not_a_500(client, auth, url, params):
    response = client.get(url, params, **auth)
    assert response.status_code in (200, 404, 422), response.content[:300]  # a negative cursor reads from the start
    if response.status_code != 200:
        assert set(response.json()) >= SHAPE


def test_a_rejections_page_past_the_bound_is_a_422_naming_the_parameter(client, auth):
    response = client.get("/api/v1/rejections", {"page": "1000001"}, **auth)
    assert response.status_code == 422
    assert response.json()["fields"][0]["field"] == "page"


def test_a_nul_in_a_query_is_a_400_in_the_error_shape(client, auth):
    response = client.get("/api/v1/public/search?q=%00abc")
    assert response.status_code == 400 and set(response.json()) == SHAPE


# --- errors Django and Ninja produce themselves, on /api/ paths ---------------------------------------------------


def test_an_unknown_api_path_is_a_404_in_the_error_shape(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_a_wrong_method_is_a_405_in_the_error_shape(client, auth):
    response = client.delete("/api/v1/rejections", **auth)
    assert response.status_code == 405
    assert set(response.json()) == SHAPE and response.json()["code"] == "request.method"
    assert "GET" in response["Allow"]


def test_ninjas_own_validation_error_is_in_the_error_shape(client, auth):
    response = client.post("/api/v1/checks", json.dumps({"subject": "x"}), content_type="application/json", **auth)
    assert response.status_code == 422
    body = response.json()
    assert set(body) == SHAPE and body["code"] == "request.invalid" and body["fields"]


def test_an_unexpected_error_is_a_500_in_the_error_shape_and_pages_keep_their_own(client, auth, monkeypatch):
    from pubcredit.ingest import selectors

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "rejection_list", broken)
    quiet = Client(raise_request_exception=False)
    response = quiet.get("/api/v1/rejections", **auth)
    assert response.status_code == 500
    assert set(response.json()) == SHAPE and response.json()["code"] == "server.error"
    assert "boom" not in response.content.decode()


def test_a_csrf_failure_on_an_api_path_is_in_the_error_shape_and_pages_get_djangos_page():
    factory = RequestFactory()
    api_answer = csrf_failure(factory.post("/api/v1/checks"), reason="CSRF cookie not set.")
    assert api_answer.status_code == 403 and json.loads(api_answer.content)["code"] == "request.csrf"
    page_answer = csrf_failure(factory.post("/collection/upload/"), reason="CSRF cookie not set.")
    assert page_answer.status_code == 403 and page_answer["Content-Type"].startswith("text/html")


def test_a_rate_limited_answer_gains_the_missing_keys_of_the_shape(client, settings):
    from django.core.cache import cache

    cache.clear()
    settings.PUBCREDIT_PORTAL_RATE_LIMITS = {"search": (1, 60)}
    client.get("/api/v1/public/search", {"q": "某某"})
    response = client.get("/api/v1/public/search", {"q": "某某"})
    cache.clear()
    assert response.status_code == 429
    assert set(response.json()) >= SHAPE and response.json()["code"] == "rate_limited" and "Retry-After" in response


def test_every_operation_documents_what_the_edge_can_answer():
    schema = platform_api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            documented = {int(s) for s in operation["responses"]}
            assert {400, 422} <= documented, (method, path)
            if operation.get("security"):
                assert {401, 403} <= documented, (method, path)
            if "{" in path:
                assert 404 in documented, (method, path)
            if method == "post":
                assert 413 in documented, (method, path)
    batch_422 = schema["paths"]["/api/v1/batches"]["post"]["responses"][422]["content"]["application/json"]["schema"]
    assert {"$ref": "#/components/schemas/ErrorOut"} in batch_422["anyOf"]  # a refused batch, or a malformed request


def test_a_well_formed_upload_still_works(client, auth, tmp_path):
    response = _upload(client, auth, write_csv(tmp_path / "ok.csv", table(penalties(2))))
    assert response.status_code == 201 and response.json()["summary"]["created"] == 2


# --- item 7: browser security headers and the client address behind a proxy ------------------------------------


def test_every_response_carries_the_content_security_policy_enforced_by_default(client, settings):
    response = client.get("/login/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "Content-Security-Policy-Report-Only" not in response
    response = client.get("/api/v1/catalog")
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    settings.PUBCREDIT_CSP_ENFORCE = False  # PUBCREDIT_CSP_ENFORCE=0: reported, not enforced
    assert "script-src 'self'" in client.get("/login/")["Content-Security-Policy-Report-Only"]


def test_the_client_address_comes_from_the_trusted_proxy_header_only_when_configured(settings):
    from pubcredit.request_limits import client_ip

    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_REAL_IP="203.0.113.7")
    settings.PUBCREDIT_PORTAL_CLIENT_IP_HEADER = ""
    assert client_ip(request) == "10.0.0.2"  # a client's own header is not believed
    settings.PUBCREDIT_PORTAL_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    assert client_ip(request) == "203.0.113.7"


# --- CSP: the pages' own scripts only, from static files ----------------------------------------------------------

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.IGNORECASE)


_INLINE_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=|javascript:", re.IGNORECASE)


def test_no_template_has_an_inline_script_or_handler_so_the_enforced_csp_blocks_nothing():
    """Every template of the platform, read as a file: a page added later with an inline ``<script>`` (other than
    ``json_script`` data), an ``on…=`` handler or a ``javascript:`` link would be broken by the enforced policy
    (``script-src 'self'``): it fails here instead, naming the file."""
    src = Path(__file__).resolve().parents[1] / "src" / "pubcredit"
    templates = sorted(src.glob("**/templates/**/*.html"))
    assert len(templates) > 100
    offending = [str(t.relative_to(src)) for t in templates
                 if _INLINE_SCRIPT.search(text := t.read_text(encoding="utf-8")) or _INLINE_HANDLER.search(text)]
    assert offending == []


_STYLE_BLOCK = re.compile(r"<style\b", re.IGNORECASE)
_STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)
# Documents whose stylesheet is rendered with them: the credit report (page and PDF from one template, served with the
# hash of its <style> in the policy) and the monthly dispatch report (PDF only, never served as a page).
DOCUMENTS_WITH_THEIR_OWN_STYLESHEET = {"reports/templates/reports/report.html",
                                       "governance/templates/governance/dispatch_print.html"}


def test_no_page_template_has_a_style_block_or_attribute_so_style_src_self_blocks_nothing():
    """``style-src 'self'``: pages take their looks from stylesheets in static/ (``common/layout.css`` holds the
    small layout classes that used to be written inline); a page added with a ``<style>`` block or a ``style=``
    attribute fails here, naming the file."""
    src = Path(__file__).resolve().parents[1] / "src" / "pubcredit"
    offending = [name for t in sorted(src.glob("**/templates/**/*.html"))
                 if (name := str(t.relative_to(src))) not in DOCUMENTS_WITH_THEIR_OWN_STYLESHEET
                 and (_STYLE_BLOCK.search(text := t.read_text(encoding="utf-8")) or _STYLE_ATTRIBUTE.search(text))]
    assert offending == []


def test_a_document_with_its_own_stylesheet_is_allowed_exactly_that_stylesheet(settings):
    import base64
    import hashlib

    from pubcredit.request_limits import csp_allowing_styles_of

    html = "<html><head><style>h1 { color: #0b4f8a; }</style></head><body><h1>报告</h1></body></html>"
    digest = base64.b64encode(hashlib.sha256(b"h1 { color: #0b4f8a; }").digest()).decode()
    policy = csp_allowing_styles_of(html)
    style_src = [d.strip() for d in policy.split(";") if d.strip().startswith("style-src ")]
    assert style_src == [f"style-src 'self' 'sha256-{digest}'"]
    assert policy.replace(f" 'sha256-{digest}'", "") == settings.PUBCREDIT_CSP  # nothing else loosened
    assert csp_allowing_styles_of("<p>无样式</p>") == settings.PUBCREDIT_CSP


@pytest.mark.django_db
def test_pages_send_no_inline_script_so_the_csp_needs_no_unsafe_inline(client, operator, department, today):
    """The chart pages start their charts from static files (static/console/*-figures.js) and the calendar banner
    takes its colours from the stylesheet: with script-src 'self' enforced, nothing on them is blocked."""
    client.force_login(operator)
    pages = ["/workbench/", "/sanctions/figures/", "/departments/figures/", f"/departments/{department.code}/figures/",
             "/calendar/", "/subjects/", "/lists/"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert not _INLINE_SCRIPT.search(body), f"{url} has an inline script"
        policy = response.get("Content-Security-Policy-Report-Only") or response.get("Content-Security-Policy")
        assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
        assert "style-src 'self';" in policy
    banner = client.get("/workbench/").content.decode()
    assert 'data-testid="calendar-banner"' in banner  # shown from 1 November while next year is not loaded
    assert 'calendar-banner" role="alert" data-testid="calendar-banner">' in banner  # no style attribute
