"""Change feed for downstream systems: GET /api/v1/changes?since=CURSOR with a department token."""

import datetime as dt

import pytest

from pubcredit.accounts.services import token_create
from pubcredit.publicity.models import FeedConsumer
from pubcredit.publicity.services import publicity_repair
from pubcredit.records.models import CreditRecord
from pubcredit.rules import clock
from tests.publicity.factories import ndrc_penalty, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(department, system_actor):
    return token_create(department=department, actor=system_actor)


def get(client, token, **params):
    return client.get("/api/v1/changes", params, HTTP_AUTHORIZATION=f"Bearer {token.plaintext}")


def test_changes_need_a_token(client):
    response = client.get("/api/v1/changes")
    assert response.status_code == 401 and response.json()["code"] == "auth.token"


def test_changes_in_order_with_a_cursor_and_resume(client, eco, system_actor):
    token = token_create(department=eco, actor=system_actor)  # the records' own department: it sees the withholding
    submit([ndrc_penalty(1), ndrc_penalty(2), ndrc_penalty(3, penalty_types="警告", fine_amount=None)],
           department=eco, actor=system_actor)
    first = get(client, token, since=0, limit=2).json()
    assert [c["event"] for c in first["changes"]] == ["due", "due"] and first["has_more"] is True
    assert first["head"] == first["changes"][0]["cursor"] + 2
    change = first["changes"][0]
    assert {"cursor", "record_id", "state", "shown", "shared", "severity", "publish_until", "repairable_from",
            "decision_no", "subject_code", "effective_on"} <= set(change)
    assert change["severity"] == "general" and change["publish_until"] == "2027-11-15" and change["shown"] is True
    rest = get(client, token, since=first["next_cursor"]).json()
    assert [c["event"] for c in rest["changes"]] == ["withhold"] and rest["has_more"] is False
    assert rest["changes"][0]["shown"] is False
    empty = get(client, token, since=rest["next_cursor"]).json()
    assert empty["changes"] == [] and empty["next_cursor"] == rest["next_cursor"]


def test_repair_reaches_the_feed_and_stops_sharing(client, token, eco, system_actor):
    """Order 36 art. 3, 24: a repair stops publication and sharing; third parties follow the feed."""
    submit([ndrc_penalty(1)], department=eco, actor=system_actor)
    cursor = get(client, token).json()["next_cursor"]
    with clock.pinned(dt.date(2027, 3, 1)):
        publicity_repair(record=CreditRecord.objects.get(), actor=system_actor, reason="已整改")
    change = get(client, token, since=cursor).json()["changes"][0]
    assert (change["event"], change["state"], change["shown"], change["shared"]) == ("repair", "repaired", False, False)


def test_each_consumer_cursor_is_recorded(client, token, eco, system_actor):
    submit([ndrc_penalty(1), ndrc_penalty(2)], department=eco, actor=system_actor)
    body = get(client, token, since=0, limit=1).json()
    consumer = FeedConsumer.objects.get()
    assert (consumer.acknowledged_cursor, consumer.delivered_cursor, consumer.reads) == (0, body["next_cursor"], 1)
    assert consumer.department.code == "SCJGJ" and consumer.token_prefix == token.token.prefix
    get(client, token, since=body["next_cursor"])
    consumer.refresh_from_db()
    assert consumer.acknowledged_cursor == body["next_cursor"] and consumer.reads == 2


def test_changes_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/changes" in paths and "/api/v1/public/search" in paths
    assert "/api/v1/public/subjects/{uscc}" in paths


def test_another_departments_token_reads_publications_but_not_its_withheld_records(client, token, eco,
                                                                                      system_actor):
    # issue 19: any token read every department's feed, withheld items included
    submit([ndrc_penalty(1), ndrc_penalty(3, penalty_types="警告", fine_amount=None)], department=eco,
           actor=system_actor)
    other = get(client, token, since=0).json()
    assert [c["event"] for c in other["changes"]] == ["due"]  # the publication, not the withholding
    assert other["next_cursor"] == other["head"] and other["has_more"] is False
    own = get(client, token_create(department=eco, actor=system_actor), since=0).json()
    assert [c["event"] for c in own["changes"]] == ["due", "withhold"]


def test_a_cursor_moves_only_to_a_position_the_consumer_was_served(client, token, eco, system_actor):
    # issue 19: a token could move its cursor anywhere (and so confirm changes it never read)
    submit([ndrc_penalty(1), ndrc_penalty(2)], department=eco, actor=system_actor)
    ahead = get(client, token, since=10**12, limit=1).json()
    assert ahead["since"] == 0 and len(ahead["changes"]) == 1  # read from where it stands: the start
    skip = get(client, token, since=ahead["head"]).json()
    assert skip["since"] == ahead["next_cursor"]  # not the head: only the one change it was handed
    assert [c["cursor"] for c in skip["changes"]] == [ahead["head"]]
    consumer = FeedConsumer.objects.get()
    assert consumer.acknowledged_cursor == ahead["next_cursor"] and consumer.delivered_cursor == ahead["head"]
