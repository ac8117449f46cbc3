"""``GET /api/v1/subjects/{uscc}/evaluation`` (token): the current evaluation and its explanation."""

from __future__ import annotations

import pytest

from pubcredit.evaluation import services
from tests.factories import uscc

pytestmark = pytest.mark.django_db


@pytest.fixture
def auth(department, system_actor):
    from pubcredit.accounts.services import token_create

    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(department=department, actor=system_actor).plaintext}"}


@pytest.fixture
def evaluated(city, system_actor):
    run = services.evaluation_run_start(actor=system_actor, enqueue=False)
    return services.evaluation_run_execute(run_id=run.pk, actor=system_actor)


def test_subject_evaluation_has_score_grade_class_version_and_items_that_sum(client, auth, evaluated):
    body = client.get(f"/api/v1/subjects/{uscc(1)}/evaluation", **auth).json()
    assert set(body) >= {"score", "grade", "class", "model_version", "as_of", "items", "overrides"}
    assert (body["score"], body["grade"], body["class"], body["model_version"]) == (780, "D", "serious", "zibo-v2")
    assert 1000 + sum(line["points"] for line in body["items"]) == body["score"]
    assert body["items"][0]["source_kind"] == "record" and body["items"][0]["source_id"] is not None


def test_history_lists_every_result(client, auth, evaluated, system_actor):
    services.evaluation_run_execute(run_id=services.evaluation_run_start(
        actor=system_actor, trigger="quarterly", enqueue=False).pk, actor=system_actor)
    body = client.get(f"/api/v1/subjects/{uscc(1)}/evaluation/history", **auth).json()
    assert [row["grade"] for row in body] == ["D", "A"]


def test_unknown_or_unevaluated_subject_is_404_and_no_token_is_401(client, auth, evaluated):
    assert client.get(f"/api/v1/subjects/{uscc(99)}/evaluation", **auth).status_code == 404
    assert client.get(f"/api/v1/subjects/{uscc(1)}/evaluation").status_code == 401
