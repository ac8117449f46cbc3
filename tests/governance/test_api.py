"""Scorecard API (issue 20): the month's cards and the rows behind a figure, for staff sessions."""

from __future__ import annotations

import datetime as dt

import pytest

from pubcredit.governance.services import scorecards_compute
from pubcredit.rules import clock
from tests.figures.test_figures import penalties, submit, when

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(department, system_actor):
    with clock.pinned(dt.date(2026, 11, 20)):
        submit(department, system_actor, penalties(1, 2, "2026-11-16"), when("2026-11-17"))
        submit(department, system_actor, penalties(3, 1, "2026-10-28"), when("2026-11-09"))
        scorecards_compute(actor=system_actor)
        yield department


def test_scorecards_and_their_rows_agree(client, operator, scored):
    client.force_login(operator)
    with clock.pinned(dt.date(2026, 11, 20)):
        board = client.get("/api/v1/governance/scorecards", {"month": "2026-11"}).json()
        assert board["month"] == "2026-11" and not board["frozen"]
        city = board["cards"][0]
        assert city["kind"] == "city" and city["scope"] == "city"
        department = next(c for c in board["cards"] if c["scope"] == "SCJGJ")
        late = next(f for f in department["figures"] if f["key"] == "double_publicity_on_time")
        assert (late["total"], late["failing"], late["status"]) == (3, 1, "red")
        rows = client.get("/api/v1/governance/scorecards/rows",
                          {"month": "2026-11", "scope": "SCJGJ", "figure": "double_publicity_on_time"}).json()
        assert rows["failing"] == len(rows["rows"]) == 1 and rows["rows"][0]["reference"] == "淄市监罚〔2026〕3号"


def test_scorecard_api_errors(client, operator, provider, scored):
    assert client.get("/api/v1/governance/scorecards").status_code == 401
    client.force_login(provider)
    assert client.get("/api/v1/governance/scorecards").status_code == 403
    client.force_login(operator)
    assert client.get("/api/v1/governance/scorecards", {"month": "2026-13"}).status_code == 422
    unknown = client.get("/api/v1/governance/scorecards/rows", {"month": "2026-11", "scope": "SCJGJ",
                                                                "figure": "sharing_typo"})
    assert unknown.status_code == 400 and unknown.json()["code"] == "governance.unknown_figure"
    missing = client.get("/api/v1/governance/scorecards/rows", {"month": "2026-11", "scope": "NOPE",
                                                                "figure": "realtime_sharing"})
    assert missing.status_code == 404 and missing.json()["code"] == "governance.not_found"
