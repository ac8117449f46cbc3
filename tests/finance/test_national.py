"""The outbound link to the national 信易贷 platform (Zibo item 11; the national schema is assumed): the city's monthly
report goes by HTTP to a real local server started in the test (a socket, not a mock of our code), every attempt is
recorded, a failed month is tried again and a sent one is not sent twice."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command

from pubcredit.audit.models import AuditEvent
from pubcredit.finance import national, services
from pubcredit.finance.models import NationalReport
from pubcredit.rules import clock
from pubcredit.rules.errors import DomainError
from tests.finance.test_products import PRODUCT

pytestmark = pytest.mark.django_db


class NationalPlatform:
    """A stand-in national platform on 127.0.0.1: keeps what it receives, answers with the status it is told."""

    def __init__(self):
        self.received: list[dict] = []
        self.status = 200
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                platform.received.append({"path": self.path, "headers": dict(self.headers), "body": body})
                answer = json.dumps({"code": 0 if platform.status == 200 else 1, "msg": "ok"}).encode()
                self.send_response(platform.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/city-reports"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def platform(settings):
    with NationalPlatform() as running:
        settings.PUBCREDIT_NATIONAL_XINYIDAI_URL = running.url
        settings.PUBCREDIT_NATIONAL_XINYIDAI_TOKEN = "national-test-token"
        yield running


@pytest.fixture
def lending(account, bank, department, system_actor, today):
    """One product and, in November 2026, one application approved, disbursed as a first loan."""
    from tests.finance.helpers import social_insurance_row, submit

    submit("social_insurance_payment", [social_insurance_row(1, 9, status="正常")], department, system_actor)
    product = services.loan_product_publish(institution=bank, actor=system_actor, **PRODUCT)
    application = services.loan_apply(account=account, product=product, amount="80", term_months="12", industry="C",
                                      scope=["admin_penalty"], actor=account.user)
    services.application_decide(application=application, institution=bank, approved=True, approved_amount="80",
                                actor=system_actor)
    services.application_disburse(application=application, institution=bank, amount="80", disbursed_on="2026-11-20",
                                  first_loan=True, actor=system_actor)
    return product


def test_the_monthly_report_reaches_the_national_platform_and_is_recorded(platform, lending, system_actor):
    report = services.national_report_send(month=dt.date(2026, 11, 5), actor=system_actor)
    assert report.outcome == "sent" and report.http_status == 200 and report.month == dt.date(2026, 11, 1)
    [received] = platform.received
    assert received["path"] == "/api/city-reports"
    assert received["headers"]["Authorization"] == "Bearer national-test-token"
    assert hashlib.sha256(received["body"]).hexdigest() == report.payload_sha256
    payload = json.loads(received["body"])
    assert payload["schema"] == national.SCHEMA and "assumed" in payload["schema"]
    assert payload["period"] == {"month": "2026-11", "first_day": "2026-11-01", "last_day": "2026-11-30"}
    assert payload["city"] == {"name": "淄博市", "division_code": "370300"}
    assert [p["name"] for p in payload["products"]] == ["税易贷"]
    total = payload["figures"]["total"]
    assert (total["applications"], total["approved"], total["disbursed"], total["first_loans"]) == (1, 1, 1, 1)
    assert total["disbursed_amount_wan"] == "80.00" and total["first_loan_share_percent"] == 100.0
    assert payload["figures"]["by_institution"][0]["name"] == "淄博银行张店支行"
    # counts and sums only: no enterprise is named in what leaves the city
    assert "淄博测试化工有限公司1" not in received["body"].decode() and "91370303MA0000010K" not in received["body"].decode()
    event = AuditEvent.objects.get(action="finance.national_report")
    assert event.object_id == "2026-11" and event.data["outcome"] == "sent"


def test_a_refusal_is_recorded_and_the_daily_job_tries_the_month_again(platform, lending, system_actor):
    platform.status = 503
    with clock.pinned(dt.date(2026, 12, 1)):
        first = services.national_report_due(today=clock.today(), actor=system_actor)
    assert first == {"month": "2026-11", "outcome": "failed", "http_status": 503}
    failed = NationalReport.objects.get()
    assert failed.error == "全国平台拒收（HTTP 503）" and '"code": 1' in failed.response_excerpt
    platform.status = 200
    with clock.pinned(dt.date(2026, 12, 2)):
        assert services.national_report_due(today=clock.today(), actor=system_actor)["outcome"] == "sent"
        assert services.national_report_due(today=clock.today(), actor=system_actor)["outcome"] == "already_sent"
    assert len(platform.received) == 2  # the failed try and the accepted one; never twice once accepted
    assert list(NationalReport.objects.order_by("id").values_list("outcome", flat=True)) == ["failed", "sent"]


def test_an_unreachable_platform_is_recorded_as_failed(settings, system_actor, today):
    with NationalPlatform() as gone:
        url = gone.url
    settings.PUBCREDIT_NATIONAL_XINYIDAI_URL = url  # the server is closed: the connection is refused
    report = services.national_report_send(month=today, actor=system_actor)
    assert report.outcome == "failed" and report.http_status is None and report.error.startswith("无法连接全国平台")


def test_nothing_is_sent_while_no_url_is_set(settings, system_actor, today):
    settings.PUBCREDIT_NATIONAL_XINYIDAI_URL = ""
    assert services.national_report_due(today=today, actor=system_actor)["outcome"] == "not_configured"
    with pytest.raises(DomainError) as refused:
        services.national_report_send(month=today, actor=system_actor)
    assert refused.value.code == "national.not_configured"
    assert not NationalReport.objects.exists()


def test_the_command_sends_a_month_on_demand(platform, system_actor, today):
    call_command("national_xinyidai_report", "--month", "2026-10")
    assert json.loads(platform.received[0]["body"])["period"]["month"] == "2026-10"
    platform.status = 500
    with pytest.raises(CommandError):
        call_command("national_xinyidai_report", "--month", "2026-10")
    assert NationalReport.objects.filter(outcome="failed").count() == 1


def test_the_city_operator_sees_the_attempts_on_the_figures_page(client, operator, platform, system_actor, today):
    platform.status = 502
    services.national_report_send(month=dt.date(2026, 10, 1), actor=system_actor)
    client.force_login(operator)
    page = client.get("/finance/figures/").content.decode()
    assert 'id="national"' in page and "2026年10月" in page and "全国平台拒收（HTTP 502）" in page
