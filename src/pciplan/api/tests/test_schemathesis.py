"""Schemathesis against the API, in process (WSGI): generated requests with a valid token, for every
operation of /api/openapi.json — never a 5xx, and every answer matches the published schema.

The operations are walked one by one with Hypothesis (schemathesis's pytest plug-in does not run under
pytest 9); each gets a bounded number of examples so the whole run takes well under a minute.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from pciplan.wsgi import application

SCHEMA = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
OPERATIONS = {op.label: op for op in (result.ok() for result in SCHEMA.get_all_operations())}
EXAMPLES = 15


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Calls go straight to the WSGI application, whose request signals close the database connection —
    on PostgreSQL that would close the test's transaction. Django's test client detaches the same
    handler; so do we."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def token(personas):
    from pciplan.api.services import token_create

    # A unit member meets the widest set of answers: reads, their own task updates, refusals (403/404).
    _, raw = token_create(actor=personas["unit_member"], user=personas["unit_member"], name="schemathesis")
    return raw


def test_every_operation_is_exercised():
    assert len(OPERATIONS) >= 12
    assert "POST /api/tasks/{task_id}/status" in OPERATIONS


@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_api_conforms_to_its_schema(label, token):
    operation = OPERATIONS[label]
    headers = {"Authorization": f"Bearer {token}"}

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case):
        case.call_and_validate(headers=headers)

    check()
