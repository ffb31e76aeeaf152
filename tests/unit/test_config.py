import re
from dataclasses import fields

import pytest

from leopard.cli import main
from leopard.config import (
    SETTINGS,
    ConfigError,
    Setting,
    Settings,
    describe_settings,
    load_settings,
)

from ..support.common import ROOT


def test_defaults_match_the_contract(tmp_path):
    s = load_settings({"LEOPARD_DATA_DIR": str(tmp_path)})
    assert s.database_url is None
    assert (s.host, s.port) == ("127.0.0.1", 8080)
    assert (s.jwt_algorithm, s.jwt_user_claim, s.jwt_ttl) == ("HS256", "sub", 3600)
    assert (s.sse_heartbeat, s.sse_retry_ms, s.sse_queue_size) == (30.0, 3000, 1000)
    assert s.sse_max_streams_per_user == 20
    assert (s.broker, s.reminder_interval, s.due_soon_hours) == ("memory", 60.0, 24.0)
    assert s.admin_password is None
    assert s.loop == "uvloop"


def test_every_variable_is_read(tmp_path):
    s = load_settings(
        {
            "LEOPARD_DATABASE_URL": "postgresql://u:p@db:5433/leo",
            "LEOPARD_DATA_DIR": str(tmp_path),
            "LEOPARD_HOST": "0.0.0.0",
            "LEOPARD_PORT": "9000",
            "LEOPARD_JWT_SECRET": "s3cret",
            "LEOPARD_JWT_USER_CLAIM": "user_id",
            "LEOPARD_JWT_TTL": "60",
            "LEOPARD_SSE_HEARTBEAT": "5",
            "LEOPARD_SSE_RETRY_MS": "100",
            "LEOPARD_SSE_QUEUE_SIZE": "7",
            "LEOPARD_SSE_MAX_STREAMS_PER_USER": "3",
            "LEOPARD_BROKER": "postgres",
            "LEOPARD_REMINDER_INTERVAL": "2.5",
            "LEOPARD_DUE_SOON_HOURS": "48",
            "LEOPARD_ADMIN_PASSWORD": "pw-pw-pw-pw",
            "LEOPARD_LOOP": "asyncio",
        }
    )
    assert s.database_url == "postgresql://u:p@db:5433/leo"
    assert (s.host, s.port, s.jwt_secret) == ("0.0.0.0", 9000, "s3cret")
    assert (s.jwt_user_claim, s.jwt_ttl) == ("user_id", 60)
    assert (s.sse_heartbeat, s.sse_retry_ms, s.sse_queue_size) == (5.0, 100, 7)
    assert (s.sse_max_streams_per_user, s.broker) == (3, "postgres")
    assert (s.reminder_interval, s.due_soon_hours) == (2.5, 48.0)
    assert s.admin_password == "pw-pw-pw-pw"
    assert s.loop == "asyncio"


@pytest.mark.parametrize(
    "name, value, words",
    [
        ("LEOPARD_PORT", "eighty", "must be a number"),
        ("LEOPARD_PORT", "70000", "at most 65535"),
        ("LEOPARD_JWT_TTL", "0", "at least 1"),
        ("LEOPARD_SSE_QUEUE_SIZE", "-3", "at least 1"),
        ("LEOPARD_BROKER", "redis", "one of memory, postgres"),
        ("LEOPARD_LOOP", "trio", "one of asyncio, uvloop"),
        ("LEOPARD_JWT_ALGORITHM", "none", "one of HS256, RS256, ES256"),
        ("LEOPARD_JWT_ALGORITHM", "RS256", "needs LEOPARD_JWT_PUBLIC_KEY"),
        ("LEOPARD_DATABASE_URL", "sqlite:///x.db", "must start with postgresql://"),
    ],
)
def test_a_bad_value_is_refused_with_its_name(tmp_path, name, value, words):
    with pytest.raises(ConfigError) as err:
        load_settings({"LEOPARD_DATA_DIR": str(tmp_path), name: value})
    assert name in str(err.value)
    assert words in str(err.value)


def test_the_generated_secret_is_kept_in_the_data_dir(tmp_path):
    first = load_settings({"LEOPARD_DATA_DIR": str(tmp_path)}).jwt_secret
    second = load_settings({"LEOPARD_DATA_DIR": str(tmp_path)}).jwt_secret
    assert len(first) >= 40 and first == second
    assert (tmp_path / "jwt_secret").stat().st_mode & 0o777 == 0o600
    assert first not in repr(load_settings({"LEOPARD_DATA_DIR": str(tmp_path)}))


def test_the_session_and_throttle_settings_are_read(tmp_path):
    s = load_settings(
        {
            "LEOPARD_DATA_DIR": str(tmp_path),
            "LEOPARD_JWT_AUDIENCE": "leopard-api",
            "LEOPARD_JWT_ISSUER": "https://office.example/",
            "LEOPARD_REFRESH_TTL": "86400",
            "LEOPARD_LOGIN_MAX_FAILURES": "4",
            "LEOPARD_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8,::1",
        }
    )
    assert (s.jwt_audience, s.jwt_issuer) == ("leopard-api", "https://office.example/")
    assert (s.refresh_ttl, s.login_max_failures) == (86400, 4)
    assert [str(n) for n in s.trusted_proxies] == [
        "127.0.0.1/32",
        "10.0.0.0/8",
        "::1/128",
    ]


def test_the_session_and_throttle_defaults_match_the_contract(tmp_path):
    s = load_settings({"LEOPARD_DATA_DIR": str(tmp_path)})
    assert (s.jwt_audience, s.jwt_issuer) == (None, None)
    assert (s.refresh_ttl, s.login_max_failures, s.trusted_proxies) == (604800, 10, ())


@pytest.mark.parametrize(
    "name, value",
    [
        ("LEOPARD_TRUSTED_PROXIES", "10.0.0.0/8,nginx"),
        ("LEOPARD_LOGIN_MAX_FAILURES", "0"),
        ("LEOPARD_REFRESH_TTL", "soon"),
    ],
)
def test_a_bad_session_or_throttle_setting_names_itself(tmp_path, name, value):
    with pytest.raises(ConfigError, match=name):
        load_settings({"LEOPARD_DATA_DIR": str(tmp_path), name: value})


def test_the_admin_password_obeys_the_password_rule(tmp_path):
    env = {"LEOPARD_DATA_DIR": str(tmp_path)}
    with pytest.raises(ConfigError, match="LEOPARD_ADMIN_PASSWORD must have 8"):
        load_settings({**env, "LEOPARD_ADMIN_PASSWORD": "7-chars"})
    s = load_settings({**env, "LEOPARD_ADMIN_PASSWORD": "8-chars!"})
    assert s.admin_password == "8-chars!"


def test_every_settings_attribute_is_declared_once_with_a_line_of_help():
    names = [setting.env for setting in SETTINGS]
    assert len(names) == len(set(names))
    assert [setting.attr for setting in SETTINGS] == [f.name for f in fields(Settings)]
    for setting in SETTINGS:
        assert setting.help.strip() and "\n" not in setting.help, setting.env


def test_a_setting_with_its_own_parser_is_one_declaration():
    """What a new setting needs: its line in SETTINGS and, when no parser
    fits, a function from text to value that raises ConfigError."""
    days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

    def weekdays(raw):
        chosen = tuple(day.strip() for day in raw.split(","))
        if not set(chosen) <= set(days):
            raise ConfigError(f"must list days as Sat,Sun, got {raw!r}")
        return chosen

    weekend = Setting("LEOPARD_WEEKEND", weekdays, "Sat,Sun", help="days off")
    assert weekend.attr == "weekend"
    assert weekend.value({}) == ("Sat", "Sun")
    assert weekend.value({"LEOPARD_WEEKEND": "Fri, Sat"}) == ("Fri", "Sat")
    assert weekend.shown(("Fri", "Sat")) == "Fri,Sat"
    with pytest.raises(ConfigError) as err:
        weekend.value({"LEOPARD_WEEKEND": "Caturday"})
    assert str(err.value) == "LEOPARD_WEEKEND must list days as Sat,Sun, got 'Caturday'"


@pytest.mark.parametrize("argv", [["--help"], ["serve", "--help"]])
def test_help_lists_every_setting_with_its_default_and_help(capsys, argv):
    with pytest.raises(SystemExit):
        main(argv)
    text = " ".join(capsys.readouterr().out.split())
    for setting in SETTINGS:
        default = f"default {setting.default}" if setting.default else "unset"
        assert f"{setting.env} ({default}) {setting.help}" in text


def test_the_readmes_settings_table_names_every_setting_and_no_other():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `LEOPARD_")]
    named = set(re.findall(r"LEOPARD_[A-Z_]+[A-Z]", "\n".join(rows)))
    assert named == {setting.env for setting in SETTINGS}


def test_settings_are_described_with_their_source_and_secrets_masked(tmp_path):
    env = {
        "LEOPARD_DATA_DIR": str(tmp_path),
        "LEOPARD_DATABASE_URL": "postgresql://leo:hunter2-pw@db:5433/leo",
        "LEOPARD_ADMIN_PASSWORD": "admin-hunter2",
        "LEOPARD_PORT": "9000",
    }
    rows = {
        name: (value, source)
        for name, value, source in describe_settings(load_settings(env), env)
    }
    assert rows["LEOPARD_DATABASE_URL"] == (
        "postgresql://leo:***@db:5433/leo",
        "environment",
    )
    assert rows["LEOPARD_PORT"] == ("9000", "environment")
    assert rows["LEOPARD_HOST"] == ("127.0.0.1", "default")
    assert rows["LEOPARD_ADMIN_PASSWORD"] == ("***", "environment")
    assert rows["LEOPARD_JWT_SECRET"] == (
        "***",
        f"generated, kept in {tmp_path / 'jwt_secret'}",
    )
    assert "hunter2" not in repr(rows)
    assert "hunter2" not in repr(load_settings(env))
    assert list(rows) == [setting.env for setting in SETTINGS]


def test_the_smtp_password_is_masked_in_the_settings(tmp_path):
    env = {
        "LEOPARD_DATA_DIR": str(tmp_path),
        "LEOPARD_SMTP_URL": "smtp://mailer:sm7p-secret@mail.office.example:587",
    }
    rows = {
        name: value for name, value, _ in describe_settings(load_settings(env), env)
    }
    assert rows["LEOPARD_SMTP_URL"] == "smtp://mailer:***@mail.office.example:587"
    assert "sm7p-secret" not in repr(rows)
