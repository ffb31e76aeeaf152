"""Start-up as an operator meets it: each mistake is one line that names its
cause (never a traceback, never a password) and a non-zero exit, and
"listening" is printed only once Leopard really listens."""

import socket
import subprocess
import sys
import time
import urllib.request

import psycopg2
import pytest

from leopard.store.db import with_database

from ..support.common import ROOT
from ..support.processes import call, free_port, leopard_env, run

pytestmark = pytest.mark.e2e


def one_line(result) -> str:
    """The one line on stderr of a failed start: beside it only the INFO log
    of what went well before (migrations applied, say)."""
    assert result.returncode != 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "listening" not in result.stdout
    lines = result.stderr.strip().splitlines()
    failures = [line for line in lines if " INFO " not in line]
    assert len(failures) == 1, result.stderr
    assert lines[-1] == failures[0]
    return failures[0]


@pytest.fixture
def empty_url(fresh_database):
    with fresh_database() as url:
        yield url


def only_line(result, url) -> str:
    """The whole output of a start that could not listen: its one line, and
    nothing before it, the database untouched (the address is checked first)."""
    assert result.returncode == 1 and result.stdout == "", result.stdout
    assert result.stderr.count("\n") == 1, result.stderr
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        assert cur.fetchone() == (0,), "the database was changed"
    conn.close()
    return result.stderr.rstrip("\n")


def test_a_port_already_taken_is_one_line_and_touches_no_database(data_dir, empty_url):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = leopard_env(
            data_dir, LEOPARD_PORT=str(port), LEOPARD_DATABASE_URL=empty_url
        )
        line = only_line(run(env), empty_url)
    assert (
        line
        == f"leopard: cannot listen on 127.0.0.1:{port}: the port is already in use"
    )


def test_a_host_that_does_not_resolve_is_one_line_and_touches_no_database(
    data_dir, empty_url
):
    env = leopard_env(
        data_dir,
        LEOPARD_HOST="nonexistent.invalid",
        LEOPARD_PORT=str(free_port()),
        LEOPARD_DATABASE_URL=empty_url,
    )
    line = only_line(run(env), empty_url)
    assert line.startswith("leopard: cannot listen on nonexistent.invalid:")
    assert line.endswith("the host 'nonexistent.invalid' does not resolve")


def test_workers_check_the_address_before_the_database_too(data_dir, empty_url):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = leopard_env(
            data_dir, LEOPARD_PORT=str(port), LEOPARD_DATABASE_URL=empty_url
        )
        line = only_line(run(env, "serve", "--workers", "2"), empty_url)
    assert line.endswith(f"127.0.0.1:{port}: the port is already in use")


def test_a_database_that_does_not_answer_is_one_line_without_its_password(data_dir):
    url = "postgresql://nobody:s3cret-pw@127.0.0.1:1/x"
    env = leopard_env(data_dir, LEOPARD_DATABASE_URL=url)
    started = time.monotonic()
    result = run(env)
    line = one_line(result)
    masked = "postgresql://nobody:***@127.0.0.1:1/x"
    assert line.startswith(f"leopard: cannot connect to the database {masked}: ")
    assert "Connection refused" in line
    assert "s3cret-pw" not in result.stdout + result.stderr
    assert time.monotonic() - started < 30


def test_a_database_that_does_not_exist_is_one_line(data_dir, server_url):
    url = with_database(server_url, "leopard_no_such_database")
    line = one_line(run(leopard_env(data_dir, LEOPARD_DATABASE_URL=url)))
    assert line.startswith("leopard: cannot connect to the database ")
    assert 'database "leopard_no_such_database" does not exist' in line


def test_the_commands_say_the_same_in_one_line(data_dir):
    url = "postgresql://nobody:s3cret-pw@127.0.0.1:1/x"
    env = leopard_env(data_dir, LEOPARD_DATABASE_URL=url)
    for args in (["migrate"], ["token", "admin"]):
        line = one_line(run(env, *args))
        assert "cannot connect to the database postgresql://nobody:***@" in line


def test_a_short_admin_password_stops_start_up_with_one_line(data_dir, empty_url):
    env = leopard_env(
        data_dir, LEOPARD_ADMIN_PASSWORD="short", LEOPARD_DATABASE_URL=empty_url
    )
    result = run(env)
    assert result.returncode == 2
    assert one_line(result) == (
        "leopard: configuration error: LEOPARD_ADMIN_PASSWORD must have 8 to 1024 "
        "characters (the password rule), got 5"
    )


@pytest.mark.parametrize(
    "name, value",
    [
        ("LEOPARD_HOLIDAYS", "Atlantis"),
        ("LEOPARD_TIMEZONE", "Office/Basement"),
        ("LEOPARD_WEEKEND", "Caturday"),
        ("LEOPARD_CLOSING_TIME", "late"),
    ],
)
def test_a_bad_office_calendar_setting_stops_start_up_with_one_line(
    data_dir, empty_url, name, value
):
    env = leopard_env(data_dir, LEOPARD_DATABASE_URL=empty_url, **{name: value})
    result = run(env)
    assert result.returncode == 2
    line = one_line(result)
    assert line.startswith(f"leopard: configuration error: {name} must ")
    assert repr(value) in line


def test_a_bad_escalation_setting_stops_start_up_with_one_line(data_dir, empty_url):
    env = leopard_env(
        data_dir, LEOPARD_DATABASE_URL=empty_url, LEOPARD_ESCALATE_UNSEEN="URGENT=soon"
    )
    result = run(env)
    assert result.returncode == 2
    assert one_line(result) == (
        "leopard: configuration error: LEOPARD_ESCALATE_UNSEEN must list "
        "PRIORITY=MINUTES such as URGENT=30,HIGH=240 (each of LOW, MEDIUM, HIGH, "
        "URGENT once, 1 to 525600 minutes), or off, got 'URGENT=soon'"
    )


def serving(env) -> subprocess.Popen:
    """`python run.py` with its stdout to read line by line."""
    return subprocess.Popen(
        [sys.executable, "run.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def test_listening_is_printed_once_listening_and_staff_first_still_get_an_admin(
    tmp_path, data_dir, empty_url
):
    """`createuser maria` before the first serve: an admin is created all the
    same, and `listening` comes only once a request is answered at once."""
    port = free_port()
    env = leopard_env(data_dir, LEOPARD_PORT=str(port), LEOPARD_DATABASE_URL=empty_url)
    made = run(env, "createuser", "maria", "--password", "a-long-password")
    assert made.returncode == 0, made.stderr
    proc = serving(env)
    try:
        password = None
        for line in proc.stdout:
            if line.startswith("Created user 'admin' with password: "):
                password = line.rsplit(" ", 1)[1].strip()
            if line.startswith("Leopard listening on "):
                assert line.strip() == f"Leopard listening on http://127.0.0.1:{port}/"
                break
        else:
            raise AssertionError(f"it stopped with {proc.wait()}")
        # No retry: once it says so, it answers.
        assert call(port, "GET", "/readyz")[0] == 200
        assert password, "no admin was created beside the staff user"
        body = {"username": "admin", "password": password}
        assert call(port, "POST", "/api/v1/auth/token/", body)[0] == 200
    finally:
        proc.terminate()
        assert proc.wait(timeout=30) == 0
        proc.stdout.close()


def test_the_settings_command_shows_values_and_sources_with_secrets_masked(data_dir):
    env = leopard_env(
        data_dir,
        LEOPARD_DATABASE_URL="postgresql://leo:s3cret-pw@db.internal/leopard",
        LEOPARD_JWT_SECRET="jwt-s3cret-value",
        LEOPARD_PORT="9001",
    )
    result = run(env, "settings")
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line for line in result.stdout.splitlines()}
    assert rows["LEOPARD_DATABASE_URL"].split()[1:] == [
        "postgresql://leo:***@db.internal/leopard",
        "(environment)",
    ]
    assert rows["LEOPARD_PORT"].split()[1:] == ["9001", "(environment)"]
    assert rows["LEOPARD_HOST"].split()[1:] == ["127.0.0.1", "(default)"]
    assert "s3cret" not in result.stdout
    help_text = run(env, "--help").stdout + run(env, "serve", "--help").stdout
    assert "leopard settings" in help_text and "LEOPARD_BROKER=postgres" in help_text


@pytest.mark.parametrize("loop", ["uvloop", "asyncio"])
def test_leopard_loop_chooses_the_event_loop_that_serves(data_dir, empty_url, loop):
    """LEOPARD_LOOP: the running process reports the loop it runs on."""
    port = free_port()
    env = leopard_env(
        data_dir,
        LEOPARD_PORT=str(port),
        LEOPARD_DATABASE_URL=empty_url,
        LEOPARD_LOOP=loop,
    )
    proc = serving(env)
    try:
        for line in proc.stdout:
            if line.startswith("Leopard listening on "):
                break
        else:
            raise AssertionError(f"it stopped with {proc.wait()}")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics") as resp:
            text = resp.read().decode()
        assert f'leopard_event_loop{{loop="{loop}"}} 1.0' in text.splitlines()
        assert "leopard_event_loop_lag_seconds_count" in text
    finally:
        proc.terminate()
        assert proc.wait(timeout=30) == 0
        proc.stdout.close()
