"""The sign-in throttle across processes: two `python run.py` on one
database count one username's failures together, and a refresh token used up
on one is refused by the other."""

import json
import urllib.error
import urllib.request

import pytest

from ..support.processes import ADMIN_PASSWORD, leopards

pytestmark = [pytest.mark.e2e, pytest.mark.hardening]


def sign_in(port, username, password):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/auth/token/",
        method="POST",
        data=json.dumps({"username": username, "password": password}).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            return resp.status, json.loads(resp.read()), resp.headers
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read()), err.headers


def post(port, path, body):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        method="POST",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:
            return resp.status
    except urllib.error.HTTPError as err:
        return err.code


@pytest.fixture
def two_processes(tmp_path, data_dir, fresh_database):
    with (
        fresh_database() as url,
        leopards(
            2,
            tmp_path,
            data_dir,
            LEOPARD_DATABASE_URL=url,
            LEOPARD_LOGIN_MAX_FAILURES="3",
        ) as started,
    ):
        yield started


def test_two_processes_share_the_failure_count_and_the_sessions(two_processes):
    one, two = (p.port for p in two_processes)
    for port in (one, two, one):
        assert sign_in(port, "admin", "wrong")[0] == 401
    status, body, headers = sign_in(two, "admin", ADMIN_PASSWORD)
    assert status == 429 and body["error"]["code"] == "too_many_attempts"
    assert 0 < int(headers["Retry-After"]) <= 900
    status, _, _ = sign_in(one, "nobody-else", "wrong")
    assert status == 401  # the address is far from its 15


def test_a_refresh_token_used_on_one_process_is_refused_by_the_other(two_processes):
    one, two = (p.port for p in two_processes)
    status, body, _ = sign_in(one, "admin", ADMIN_PASSWORD)
    assert status == 200
    first = body["refresh_token"]
    refresh = "/api/v1/auth/token/refresh/"
    assert post(two, refresh, {"refresh_token": first}) == 200
    assert post(one, refresh, {"refresh_token": first}) == 401  # reused
