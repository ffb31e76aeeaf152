"""Property-based fuzzing of every documented operation from the spec itself
(schemathesis): no 5xx, every answer matches its documented schema and status.

Bounded: a few examples per operation, as an admin on a Leopard of its own."""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import content_type_conformance
from schemathesis.specs.openapi.checks import positive_data_acceptance

from ..support.common import data_directory
from ..support.processes import Leopard

pytestmark = [pytest.mark.hardening, pytest.mark.e2e]


@pytest.fixture(scope="module")
def leopard(tmp_path_factory):
    with data_directory() as data_dir:
        server = Leopard(tmp_path_factory.mktemp("fuzz"), data_dir).start()
        yield server
        server.stop()


@pytest.fixture(scope="module")
def api_schema(leopard):
    schema = schemathesis.openapi.from_url(
        f"http://127.0.0.1:{leopard.port}/api/docs/swagger.json"
    )
    # An endless response: the stream has tests of its own (tests/test_stream.py).
    return schema.exclude(path_regex=r"notifications/stream/$")


@pytest.fixture(scope="module")
def admin_headers(leopard):
    return {"Authorization": f"Bearer {leopard.token()}"}


def fuzz(operation, headers):
    # schemathesis' own pytest plugin does not run on pytest 9 yet; hypothesis
    # drives each operation's strategy directly instead.
    @given(case=operation.as_strategy())
    @settings(
        max_examples=int(os.environ.get("LEOPARD_FUZZ_EXAMPLES", "25")),
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        response = case.call(headers=headers)
        # Schema-valid data may still be refused on its meaning (an assignee
        # who does not exist, say): that is a 422 by the contract, not a bug.
        # A 204 has no body, hence no content type to conform.
        excluded = [positive_data_acceptance]
        if response.status_code == 204:
            excluded.append(content_type_conformance)
        case.validate_response(response, excluded_checks=excluded)

    check()


def test_every_operation_keeps_its_contract(api_schema, admin_headers):
    failures, seen = [], 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        seen += 1
        try:
            fuzz(operation, admin_headers)
        except Exception as exc:  # noqa: BLE001 - collect them all, then report
            failures.append(f"{operation.label}: {exc}")
    assert seen >= 30
    assert not failures, "\n\n".join(failures)
