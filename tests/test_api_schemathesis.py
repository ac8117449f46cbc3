"""Issue 19, item 2: schemathesis over the whole API with a department token, bounded examples.

Every operation in the OpenAPI description gets generated requests, valid and invalid (positive and negative
modes); the run fails on any 500, on a status the description does not list for the operation, and on a body
that does not match the documented schema. The requests go to the WSGI application in this process, on the test
database, with a few records, a batch and a check in place so that reads find something.
"""

from __future__ import annotations

import logging
from collections import Counter

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (content_type_conformance, response_headers_conformance,
                                               response_schema_conformance, status_code_conformance)

from pubcredit.accounts.services import token_create
from pubcredit.ingest.services import batch_submit_records
from tests.factories import penalty

EXAMPLES_PER_OPERATION = 25  # per operation and mode (valid, invalid): 29 operations, at most 1,450 requests

# what the run fails on: a 500, a status the operation does not document, a body or header off its schema (the
# "valid data rejected" check is left out: schemathesis's multipart bodies are not what a department system sends)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_schema(department, system_actor, today):
    # the application runs in this thread and this test's transaction: it must not close the connection at the start
    # or end of each request (Django's own test client disconnects the same receivers)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    batch_submit_records(class_code="admin_penalty", records=[penalty(i) for i in range(1, 4)],
                         department=department, actor=system_actor)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(department, system_actor):
    return {"Authorization": f"Bearer {token_create(department=department, actor=system_actor).plaintext}"}


def test_no_request_gets_a_500_or_an_undocumented_answer(api_schema, bearer, caplog):
    caplog.set_level(logging.ERROR, logger="django.request")  # thousands of 4xx warnings otherwise
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 29
    sent: Counter = Counter()
    statuses: Counter = Counter()
    failures: dict[str, str] = {}
    unsatisfiable: list[str] = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
            def exercise(case):
                with transaction.atomic():  # a savepoint: a request that breaks its transaction breaks only its own
                    response = case.call(headers=bearer)
                sent[operation.label] += 1
                statuses[response.status_code] += 1
                case.validate_response(response, headers=bearer, checks=CHECKS)

            try:
                exercise()
            except Unsatisfiable:  # nothing in the operation can be made invalid (no parameters, free-text only)
                unsatisfiable.append(f"{operation.label} ({mode.value})")
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 -- every operation's failures reported at once
                failures[f"{operation.label} ({mode.value})"] = str(exc)[:1500]
    print(f"schemathesis: {len(operations)} operations, {sum(sent.values())} requests, statuses {dict(statuses)}; "
          f"no invalid request possible for {unsatisfiable}")
    assert not failures, "\n\n".join(f"{label}: {text}" for label, text in failures.items())
    assert statuses[500] == 0
