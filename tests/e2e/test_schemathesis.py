"""Property-based fuzzing of every documented operation from the spec itself
(schemathesis, every check, as `--checks all`): no 5xx, every answer matches
its documented status, content type, headers and schema, valid data is
accepted, invalid data refused, authentication enforced, undocumented methods
answered 405.

Bounded: a few examples per operation, as an admin on a Leopard of its own."""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig

from ..support.common import data_directory
from ..support.processes import Leopard

pytestmark = [pytest.mark.hardening, pytest.mark.e2e]


@pytest.fixture(scope="module")
def leopard(tmp_path_factory, fresh_database):
    # A database of its own on the suite's PostgreSQL (no embedded server to start).
    with data_directory() as data_dir, fresh_database() as url:
        tmp = tmp_path_factory.mktemp("fuzz")
        server = Leopard(tmp, data_dir, LEOPARD_DATABASE_URL=url).start()
        yield server
        server.stop()


@pytest.fixture(scope="module")
def api_schema(leopard):
    # Schema-valid data may still be refused on its meaning (an assignee who
    # does not exist, say): that is a 422 by the contract, so valid data is
    # "accepted" when it is answered 422 too (schemathesis' defaults otherwise;
    # a 5xx fails not_a_server_error).
    accepted = ["2xx", "3xx", "401", "403", "404", "409", "422", "429", "5xx"]
    # Text with a NUL is refused (400, PostgreSQL text cannot hold one): the
    # spec's patterns say so of every string but what meta_info holds (OpenAPI
    # 3.0 cannot constrain an object's keys), so valid data has no NUL.
    config = SchemathesisConfig.from_dict(
        {
            "checks": {"positive_data_acceptance": {"expected-statuses": accepted}},
            # Unknown query parameters are ignored by the contract (cache
            # busters), so sending one is not invalid data.
            "generation": {"allow-x00": False, "allow-extra-parameters": False},
        }
    )
    schema = schemathesis.openapi.from_url(
        f"http://127.0.0.1:{leopard.port}/api/docs/swagger.json", config=config
    )
    # An endless response: the stream has tests of its own (tests/test_stream.py).
    return schema.exclude(path_regex=r"notifications/stream/$")


@pytest.fixture(scope="module")
def admin_headers(leopard):
    return {"Authorization": f"Bearer {leopard.token()}"}


def fuzz(operation, headers, mode):
    # schemathesis' own pytest plugin does not run on pytest 9 yet; hypothesis
    # drives each operation's strategy directly instead.
    @given(case=operation.as_strategy(mode))
    @settings(
        max_examples=int(os.environ.get("LEOPARD_FUZZ_EXAMPLES", "25")),
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        response = case.call(headers=headers)
        # Every check enabled in the config: all of them, none excluded.
        case.validate_response(response, headers=headers)

    check()


def test_every_operation_keeps_its_contract(api_schema, admin_headers):
    failures, seen = [], 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        seen += 1
        # Valid data (accepted) and invalid data (refused), as `--mode all`.
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                fuzz(operation, admin_headers, mode)
            except Unsatisfiable:
                # No input to make invalid (GET /healthz, say): the CLI skips these too.
                assert mode is GenerationMode.NEGATIVE, operation.label
            # schemathesis' FailureGroup is a BaseExceptionGroup.
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert seen >= 30
    assert not failures, "\n\n".join(failures)
