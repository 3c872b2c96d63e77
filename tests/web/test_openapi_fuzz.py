"""Schemathesis against the OpenAPI document: generated requests to every /api/ operation get an
answer that matches the document, and never a server error."""

from __future__ import annotations

import warnings

import pytest
from hypothesis import HealthCheck, given, settings

from crawler.web.app import WebConfig, create_app
from tests.web.conftest import Store

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import schemathesis

pytestmark = pytest.mark.slow


def test_api_matches_its_openapi_document(store: Store) -> None:
    app = create_app(WebConfig(store.engine, store.archive, "http://127.0.0.2:18701"))
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 6
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def call(case) -> None:  # type: ignore[no-untyped-def]
            case.call_and_validate()

        call()
