"""Environment → one frozen Settings object, validated at start.

Each setting is declared once, in SETTINGS: its variable, how its text is read,
its default, bounds, one line of help, and whether it is secret or shown masked.
The Settings class, load_settings, `leopard settings`, `leopard --help` and the
README's table check all come from that list: a new setting is one line there."""

import ipaddress
import os
import secrets
import sys
from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass, field, fields, make_dataclass
from datetime import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .auth.passwords import MAX_LENGTH, MIN_LENGTH
from .office_calendar import DAY_NAMES, WEEKDAYS, public_holidays
from .urls import masked_url
from .vocabulary import TASK_PRIORITIES

ALGORITHMS = ("HS256", "RS256", "ES256")
BROKERS = ("memory", "postgres")
LOOPS = ("asyncio", "uvloop")
# uvloop serves the same load with less CPU; it has no Windows build.
DEFAULT_LOOP = "asyncio" if sys.platform == "win32" else "uvloop"


class ConfigError(Exception):
    """A setting has a value Leopard cannot use; the message names it."""


@dataclass(frozen=True)
class Setting:
    """One LEOPARD_* variable, read into the Settings attribute named after it
    (LEOPARD_JWT_TTL → jwt_ttl).

    `parse` turns the text into the value, raising ConfigError that says what
    the text must be (the loader puts the variable's name in front; int's and
    float's ValueError reads "must be a number"). `default` is written as in
    the environment and read by the same parser, so it is what `--help` shows;
    None: unset. An empty variable is an unset one."""

    env: str
    parse: Callable[[str], Any]
    default: str | None
    _: KW_ONLY
    help: str
    lo: float | None = None
    hi: float | None = None
    secret: bool = False  # shown as ***, never in a repr
    # Shows a value that must not be shown as it is (it holds a password, or
    # is long); such a value stays out of the repr too.
    show: Callable[[Any], str] | None = None
    # `leopard settings`, when unset: where the value comes from, formatted
    # with the other settings (`{data_dir}`).
    unset: str | None = None

    @property
    def attr(self) -> str:
        return self.env.removeprefix("LEOPARD_").lower()

    def value(self, env) -> Any:
        """Its value in env (a mapping of variables): read, or the default."""
        raw = env.get(self.env) or self.default
        return None if raw is None else self.read(raw)

    def read(self, raw: str) -> Any:
        try:
            value = self.parse(raw)
        except ConfigError as exc:
            raise ConfigError(f"{self.env} {exc}") from None
        except ValueError:
            raise ConfigError(f"{self.env} must be a number, got {raw!r}") from None
        if self.lo is not None and value < self.lo:
            raise ConfigError(f"{self.env} must be at least {self.lo}, got {raw!r}")
        if self.hi is not None and value > self.hi:
            raise ConfigError(f"{self.env} must be at most {self.hi}, got {raw!r}")
        return value

    def shown(self, value) -> str:
        if value is None:
            return "(unset)"
        if self.secret:
            return "***"
        if self.show is not None:
            return self.show(value)
        if isinstance(value, tuple):
            return ",".join(str(item) for item in value) or "(none)"
        return str(value)


# Parsers: text → value, or ConfigError saying what the text must be.


def choice(*options: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if raw not in options:
            raise ConfigError(f"must be one of {', '.join(options)}, got {raw!r}")
        return raw

    return parse


def _postgres_url(raw: str) -> str:
    if not raw.startswith(("postgresql://", "postgres://")):
        raise ConfigError("must start with postgresql://")  # never quoted: a password
    return raw


def _public_key(raw: str) -> str:
    if "BEGIN PUBLIC KEY" not in raw:
        raise ConfigError("must be a PEM public key")
    return raw


def _networks(raw: str) -> tuple:
    """Comma-separated addresses or CIDRs → a tuple of ip_network."""
    networks = []
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ConfigError(f"must list addresses or CIDRs, got {item!r}") from None
    return tuple(networks)


def _password(raw: str) -> str:
    if not MIN_LENGTH <= len(raw) <= MAX_LENGTH:
        raise ConfigError(
            f"must have {MIN_LENGTH} to {MAX_LENGTH} characters (the password "
            f"rule), got {len(raw)}"
        )
    return raw


def _smtp_url(raw: str) -> str:
    smtp_target(raw)  # refuses a bad one now, not at the first email
    return raw


def _email_address(raw: str) -> str:
    if "@" not in raw or any(c in raw for c in "\r\n"):
        raise ConfigError(f"must be an email address, got {raw!r}")
    return raw


def _http_url(raw: str) -> str:
    if not raw.startswith(("http://", "https://")):
        raise ConfigError(f"must be an http(s) URL, got {raw!r}")
    return raw


def _timezone(raw: str) -> ZoneInfo:
    try:
        return ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"must be an IANA time zone such as Europe/Berlin, got {raw!r}"
        ) from None


def _holidays(raw: str) -> str:
    """The code as the holidays package spells it: "au-nsw" → "AU-NSW"."""
    try:
        return public_holidays(raw).code
    except NotImplementedError:
        raise ConfigError(
            f"must be a country and optional subdivision the holidays package "
            f"knows (AU-NSW, US-CA, GB-ENG, DE), got {raw!r}"
        ) from None
    return raw


def _weekdays(raw: str) -> tuple:
    """The days "Sat,Sun" → (5, 6); "none": an office open every day."""
    if raw.strip().lower() == "none":
        return ()
    days = []
    for item in (part.strip().title() for part in raw.split(",")):
        item = item[:3] if item in DAY_NAMES else item
        if item not in WEEKDAYS or WEEKDAYS.index(item) in days:
            raise ConfigError(
                f"must list distinct days as Mon,Tue,…,Sun (or none), got {raw!r}"
            )
        days.append(WEEKDAYS.index(item))
    if len(days) == 7:
        raise ConfigError(f"leaves no working day, got {raw!r}")
    return tuple(sorted(days))


def _clock(raw: str) -> time:
    try:
        hours, minutes = raw.split(":")
        if len(minutes) != 2:
            raise ValueError
        return time(int(hours), int(minutes))
    except ValueError:
        raise ConfigError(f"must be a time of day as HH:MM, got {raw!r}") from None


def _days_before(raw: str) -> tuple:
    """The days "180,90,30,7" → (180, 90, 30, 7), distinct, the farthest first."""
    try:
        days = {int(part) for part in raw.split(",")}
    except ValueError:
        raise ConfigError(
            f"must list whole days such as 180,90,30,7, got {raw!r}"
        ) from None
    if not days or min(days) < 1 or max(days) > 3660:
        raise ConfigError(f"must list days from 1 to 3660, got {raw!r}")
    return tuple(sorted(days, reverse=True))


def _escalate_unseen(raw: str) -> tuple:
    """Minutes per priority: "URGENT=30,HIGH=240" → (("URGENT", 30), ("HIGH",
    240)), a tuple (Settings is frozen); "off": ()."""
    if raw.strip().lower() == "off":
        return ()
    pairs = {}
    for item in raw.split(","):
        name, _, minutes = (part.strip() for part in item.partition("="))
        name = name.upper()
        if (
            name not in TASK_PRIORITIES
            or name in pairs
            or not (minutes.isascii() and minutes.isdigit())
            or not 1 <= int(minutes) <= 525_600
        ):
            raise ConfigError(
                "must list PRIORITY=MINUTES such as URGENT=30,HIGH=240 (each of "
                f"{', '.join(TASK_PRIORITIES)} once, 1 to 525600 minutes), or off, "
                f"got {raw!r}"
            )
        pairs[name] = int(minutes)
    return tuple(pairs.items())


def _pairs(pairs: tuple) -> str:
    return ",".join(f"{name}={minutes}" for name, minutes in pairs) or "off"


def _pem_size(key: str) -> str:
    return f"(a PEM key, {len(key)} characters)"


# One declaration a setting, a line or two each: ruff's format would give every
# argument a line of its own and bury the table.
# fmt: off
SETTINGS = (
    Setting("LEOPARD_DATABASE_URL", _postgres_url, None, show=masked_url,
            unset="default: embedded PostgreSQL in {data_dir}/pgdata",
            help="postgresql://user:pass@host:port/db of an existing server; "
                 "unset: an embedded PostgreSQL in LEOPARD_DATA_DIR"),
    Setting("LEOPARD_DATA_DIR", Path, "var",
            help="where the embedded database and generated secrets live"),
    Setting("LEOPARD_HOST", str, "127.0.0.1", help="address to listen on"),
    Setting("LEOPARD_PORT", int, "8080", lo=0, hi=65535, help="port to listen on"),
    Setting("LEOPARD_JWT_SECRET", str, "", secret=True,
            unset="generated, kept in {data_dir}/jwt_secret",
            help="HMAC secret of HS256 tokens; unset: generated once into "
                 "LEOPARD_DATA_DIR/jwt_secret"),
    Setting("LEOPARD_JWT_ALGORITHM", choice(*ALGORITHMS), "HS256",
            help="RS256 or ES256 (with LEOPARD_JWT_PUBLIC_KEY) also accepts "
                 "tokens issued elsewhere"),
    Setting("LEOPARD_JWT_PUBLIC_KEY", _public_key, None, show=_pem_size,
            help="PEM public key that verifies RS256/ES256 tokens issued elsewhere"),
    Setting("LEOPARD_JWT_USER_CLAIM", str, "sub",
            help="claim holding the user id (user_id for SimpleJWT)"),
    Setting("LEOPARD_JWT_TTL", int, "3600", lo=1,
            help="lifetime in seconds of the access tokens Leopard issues"),
    Setting("LEOPARD_JWT_AUDIENCE", str, None,
            help="the aud of Leopard's tokens; tokens without it are refused"),
    Setting("LEOPARD_JWT_ISSUER", str, None,
            help="the iss of Leopard's tokens; tokens without it are refused"),
    Setting("LEOPARD_REFRESH_TTL", int, "604800", lo=60,
            help="lifetime in seconds of a refresh token; each refresh renews it"),
    Setting("LEOPARD_LOGIN_MAX_FAILURES", int, "10", lo=1,
            help="failed sign-ins for one username in 15 minutes before a 429"),
    Setting("LEOPARD_TRUSTED_PROXIES", _networks, "",
            help="comma-separated addresses/CIDRs of the proxies whose "
                 "X-Forwarded-For names the client"),
    Setting("LEOPARD_SSE_HEARTBEAT", float, "30", lo=0.01,
            help="seconds between heartbeat comments on a stream"),
    Setting("LEOPARD_SSE_RETRY_MS", int, "3000", lo=0,
            help="the retry: sent to EventSource clients"),
    Setting("LEOPARD_SSE_QUEUE_SIZE", int, "1000", lo=1,
            help="events buffered per stream before a stalled client is cut off"),
    Setting("LEOPARD_SSE_MAX_STREAMS_PER_USER", int, "20", lo=1,
            help="open streams one user may hold; the next answers 429"),
    Setting("LEOPARD_BROKER", choice(*BROKERS), "memory",
            help="memory: one process; postgres: LISTEN/NOTIFY across processes"),
    Setting("LEOPARD_REMINDER_INTERVAL", float, "60", lo=0.01,
            help="seconds between due-date sweeps"),
    Setting("LEOPARD_DUE_SOON_HOURS", float, "24", lo=0,
            help="how far ahead a task counts as due soon"),
    Setting("LEOPARD_ADMIN_PASSWORD", _password, None, secret=True,
            help="password of the admin created when there is none; unset: "
                 "random, printed once"),
    Setting("LEOPARD_LOG_FORMAT", choice("text", "json"), "text",
            help="json: one JSON object per log line"),
    Setting("LEOPARD_SMTP_URL", _smtp_url, None, show=masked_url,
            help="smtp://user:pass@host:port, smtps://… or log:; unset: no email"),
    Setting("LEOPARD_EMAIL_FROM", _email_address, "leopard@localhost",
            help="the From address of emails"),
    Setting("LEOPARD_EMAIL_INTERVAL", float, "60", lo=0.01,
            help="seconds between sweeps for notifications to email"),
    Setting("LEOPARD_PUBLIC_URL", _http_url, None,
            help="the inbox's address, for the links in emails; unset: "
                 "http://LEOPARD_HOST:LEOPARD_PORT/"),
    Setting("LEOPARD_LOOP", choice(*LOOPS), DEFAULT_LOOP,
            help="the event loop: uvloop (libuv) or asyncio (Python's own)"),
    Setting("LEOPARD_TIMEZONE", _timezone, "UTC",
            help="the office's IANA zone: business days, today, dates in messages"),
    Setting("LEOPARD_HOLIDAYS", _holidays, None,
            help="public holidays: a country and subdivision (AU-NSW, US-CA, GB-ENG)"),
    Setting("LEOPARD_WEEKEND", _weekdays, "Sat,Sun",
            show=lambda days: ",".join(WEEKDAYS[d] for d in days) or "none",
            help="the days of the week the office is closed (or none)"),
    Setting("LEOPARD_CLOSING_TIME", _clock, "17:00", show=lambda t: f"{t:%H:%M}",
            help="end of the working day: when business-day deadlines fall due"),
    Setting("LEOPARD_EXPIRY_REMINDER_DAYS", _days_before, "180,90,30,7",
            help="days before a document expires on which its user is told"),
    Setting("LEOPARD_ESCALATE_UNSEEN", _escalate_unseen, "URGENT=30,HIGH=240",
            show=_pairs, help="minutes an assignment of each priority may stay "
                              "unseen before its leads are told; off: never"),
)
# fmt: on


def _field(setting: Setting):
    plain = not (setting.secret or setting.show)
    return setting.attr, Any, field(default=setting.value({}), repr=plain)


def _inbox_url(self) -> str:
    """Where people open the inbox: links in emails start with it."""
    url = self.public_url or f"http://{self.host}:{self.port}/"
    return url if url.endswith("/") else url + "/"


Settings = make_dataclass(
    "Settings",
    [_field(setting) for setting in SETTINGS],
    frozen=True,
    namespace={"inbox_url": _inbox_url, "__module__": __name__},
)
Settings.__doc__ = "Every setting, an attribute each; secrets stay out of the repr."


def load_settings(env=None) -> Settings:
    """Read every LEOPARD_* variable; raise ConfigError on the first bad one."""
    env = os.environ if env is None else env
    values = {setting.attr: setting.value(env) for setting in SETTINGS}
    # What one setting cannot check alone.
    algorithm = values["jwt_algorithm"]
    if algorithm != "HS256" and not values["jwt_public_key"]:
        raise ConfigError(
            f"LEOPARD_JWT_ALGORITHM={algorithm} needs LEOPARD_JWT_PUBLIC_KEY (PEM)"
        )
    if not values["jwt_secret"]:
        values["jwt_secret"] = _generated_secret(values["data_dir"])
    return Settings(**values)


def _generated_secret(data_dir: Path) -> str:
    """The HMAC secret when none is set: generated once into data_dir."""
    path = data_dir / "jwt_secret"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    data_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    # O_EXCL: when two processes start at once, one writes and both read it.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(value)
    return value


def describe_settings(settings: Settings, env=None) -> list[tuple[str, str, str]]:
    """(variable, value as shown, where it came from) for every setting;
    secrets are masked, the database URL is shown without its password."""
    env = os.environ if env is None else env
    values = {f.name: getattr(settings, f.name) for f in fields(settings)}
    rows = []
    for setting in SETTINGS:
        if env.get(setting.env):
            source = "environment"
        else:
            source = (setting.unset or "default").format(**values)
        value = setting.shown(getattr(settings, setting.attr))
        rows.append((setting.env, value, source))
    return rows


@dataclass(frozen=True)
class SmtpTarget:
    """Where emails go: `log` (into the log) or an SMTP server."""

    kind: str  # "log" or "smtp"
    host: str = ""
    port: int = 0
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    use_tls: bool = False  # smtps://: TLS from the first byte
    start_tls: bool = False  # ?starttls=1: upgrade a plain connection

    def __str__(self) -> str:
        """For logs: the server, never the credentials."""
        return "the log" if self.kind == "log" else f"{self.host}:{self.port}"


SMTP_FORM = "must be smtp://user:pass@host:port, smtps://… or log:"


def smtp_target(url: str | None) -> SmtpTarget | None:
    """LEOPARD_SMTP_URL → a target (None: no email). The error never quotes the
    URL: it may hold the password."""
    if not url:
        return None
    if url == "log:":
        return SmtpTarget("log")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise ConfigError(SMTP_FORM) from None
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ConfigError(SMTP_FORM)
    flag = parse_qs(parts.query).get("starttls", ["0"])[-1].lower()
    if flag not in ("0", "1", "true", "false", "yes", "no"):
        raise ConfigError("must have starttls=1 or starttls=0")
    use_tls = parts.scheme == "smtps"
    return SmtpTarget(
        "smtp",
        host=parts.hostname,
        port=port or (465 if use_tls else 25),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        use_tls=use_tls,
        start_tls=flag in ("1", "true", "yes"),
    )
