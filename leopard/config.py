"""Environment → one frozen Settings object, validated at start."""

import ipaddress
import os
import secrets
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from .auth.passwords import MAX_LENGTH, MIN_LENGTH
from .urls import masked_url

ALGORITHMS = ("HS256", "RS256", "ES256")
BROKERS = ("memory", "postgres")
LOOPS = ("asyncio", "uvloop")
# uvloop measured faster (bench/RESULTS.md, issue 20); it has no Windows build.
DEFAULT_LOOP = "asyncio" if sys.platform == "win32" else "uvloop"


class ConfigError(Exception):
    """A setting has a value Leopard cannot use; the message names it."""


@dataclass(frozen=True)
class Settings:
    database_url: str | None = None
    data_dir: Path = Path("var")
    host: str = "127.0.0.1"
    port: int = 8080
    jwt_secret: str = field(default="", repr=False)
    jwt_algorithm: str = "HS256"
    jwt_public_key: str | None = field(default=None, repr=False)
    jwt_user_claim: str = "sub"
    jwt_ttl: int = 3600
    jwt_audience: str | None = None
    jwt_issuer: str | None = None
    refresh_ttl: int = 604800
    login_max_failures: int = 10
    trusted_proxies: tuple = ()
    sse_heartbeat: float = 30.0
    sse_retry_ms: int = 3000
    sse_queue_size: int = 1000
    sse_max_streams_per_user: int = 20
    broker: str = "memory"
    reminder_interval: float = 60.0
    due_soon_hours: float = 24.0
    admin_password: str | None = field(default=None, repr=False)
    log_format: str = "text"
    # Holds the SMTP password: never in a repr, a log line or an error.
    smtp_url: str | None = field(default=None, repr=False)
    email_from: str = "leopard@localhost"
    email_interval: float = 60.0
    public_url: str | None = None
    loop: str = DEFAULT_LOOP

    def inbox_url(self) -> str:
        """Where people open the inbox: links in emails start with it."""
        url = self.public_url or f"http://{self.host}:{self.port}/"
        return url if url.endswith("/") else url + "/"


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


SMTP_FORM = "LEOPARD_SMTP_URL must be smtp://user:pass@host:port, smtps://… or log:"


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
        raise ConfigError("LEOPARD_SMTP_URL: starttls must be 1 or 0")
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


def _number(env, name, kind, default, minimum, maximum=None):
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {raw!r}")
    if maximum is not None and value > maximum:
        raise ConfigError(f"{name} must be at most {maximum}, got {raw!r}")
    return value


def _choice(env, name, choices, default):
    value = env.get(name) or default
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


def _networks(env, name) -> tuple:
    """Comma-separated addresses or CIDRs → a tuple of ip_network."""
    networks = []
    for item in (env.get(name) or "").split(","):
        if not item.strip():
            continue
        try:
            networks.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError:
            raise ConfigError(
                f"{name} must list addresses or CIDRs, got {item.strip()!r}"
            ) from None
    return tuple(networks)


def _secret(env, data_dir: Path) -> str:
    """The HMAC secret: from the environment, else generated once into data_dir."""
    if env.get("LEOPARD_JWT_SECRET"):
        return env["LEOPARD_JWT_SECRET"]
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


def load_settings(env=None) -> Settings:
    """Read every LEOPARD_* variable; raise ConfigError on the first bad one."""
    env = os.environ if env is None else env
    url = env.get("LEOPARD_DATABASE_URL") or None
    if url and not url.startswith(("postgresql://", "postgres://")):
        raise ConfigError("LEOPARD_DATABASE_URL must start with postgresql://")
    data_dir = Path(env.get("LEOPARD_DATA_DIR") or "var")
    algorithm = _choice(env, "LEOPARD_JWT_ALGORITHM", ALGORITHMS, "HS256")
    public_key = env.get("LEOPARD_JWT_PUBLIC_KEY") or None
    if algorithm != "HS256" and not public_key:
        raise ConfigError(
            f"LEOPARD_JWT_ALGORITHM={algorithm} needs LEOPARD_JWT_PUBLIC_KEY (PEM)"
        )
    if public_key and "BEGIN PUBLIC KEY" not in public_key:
        raise ConfigError("LEOPARD_JWT_PUBLIC_KEY must be a PEM public key")
    claim = env.get("LEOPARD_JWT_USER_CLAIM") or "sub"
    admin_password = env.get("LEOPARD_ADMIN_PASSWORD") or None
    if admin_password is not None and not (
        MIN_LENGTH <= len(admin_password) <= MAX_LENGTH
    ):
        raise ConfigError(
            f"LEOPARD_ADMIN_PASSWORD must have {MIN_LENGTH} to {MAX_LENGTH} "
            f"characters (the password rule), got {len(admin_password)}"
        )
    return Settings(
        database_url=url,
        data_dir=data_dir,
        host=env.get("LEOPARD_HOST") or "127.0.0.1",
        port=_number(env, "LEOPARD_PORT", int, 8080, 0, 65535),
        jwt_secret=_secret(env, data_dir),
        jwt_algorithm=algorithm,
        jwt_public_key=public_key,
        jwt_user_claim=claim,
        jwt_ttl=_number(env, "LEOPARD_JWT_TTL", int, 3600, 1),
        jwt_audience=env.get("LEOPARD_JWT_AUDIENCE") or None,
        jwt_issuer=env.get("LEOPARD_JWT_ISSUER") or None,
        refresh_ttl=_number(env, "LEOPARD_REFRESH_TTL", int, 604800, 60),
        login_max_failures=_number(env, "LEOPARD_LOGIN_MAX_FAILURES", int, 10, 1),
        trusted_proxies=_networks(env, "LEOPARD_TRUSTED_PROXIES"),
        sse_heartbeat=_number(env, "LEOPARD_SSE_HEARTBEAT", float, 30.0, 0.01),
        sse_retry_ms=_number(env, "LEOPARD_SSE_RETRY_MS", int, 3000, 0),
        sse_queue_size=_number(env, "LEOPARD_SSE_QUEUE_SIZE", int, 1000, 1),
        sse_max_streams_per_user=_number(
            env, "LEOPARD_SSE_MAX_STREAMS_PER_USER", int, 20, 1
        ),
        broker=_choice(env, "LEOPARD_BROKER", BROKERS, "memory"),
        reminder_interval=_number(env, "LEOPARD_REMINDER_INTERVAL", float, 60.0, 0.01),
        due_soon_hours=_number(env, "LEOPARD_DUE_SOON_HOURS", float, 24.0, 0),
        admin_password=admin_password,
        log_format=_choice(env, "LEOPARD_LOG_FORMAT", ("text", "json"), "text"),
        smtp_url=_smtp_url(env),
        email_from=_email_from(env),
        email_interval=_number(env, "LEOPARD_EMAIL_INTERVAL", float, 60.0, 0.01),
        public_url=_public_url(env),
        loop=_choice(env, "LEOPARD_LOOP", LOOPS, DEFAULT_LOOP),
    )


def _smtp_url(env) -> str | None:
    url = env.get("LEOPARD_SMTP_URL") or None
    smtp_target(url)  # refuses a bad one now, not at the first email
    return url


def _email_from(env) -> str:
    value = env.get("LEOPARD_EMAIL_FROM") or "leopard@localhost"
    if "@" not in value or any(c in value for c in "\r\n"):
        raise ConfigError(f"LEOPARD_EMAIL_FROM must be an email address, got {value!r}")
    return value


def _public_url(env) -> str | None:
    value = env.get("LEOPARD_PUBLIC_URL") or None
    if value and not value.startswith(("http://", "https://")):
        raise ConfigError(f"LEOPARD_PUBLIC_URL must be an http(s) URL, got {value!r}")
    return value


# Every variable and the Settings field it sets, for `leopard settings` and
# `leopard --help` (tests/unit/test_config.py checks that none is missing).
VARIABLES = (
    ("LEOPARD_DATABASE_URL", "database_url"),
    ("LEOPARD_DATA_DIR", "data_dir"),
    ("LEOPARD_HOST", "host"),
    ("LEOPARD_PORT", "port"),
    ("LEOPARD_JWT_SECRET", "jwt_secret"),
    ("LEOPARD_JWT_ALGORITHM", "jwt_algorithm"),
    ("LEOPARD_JWT_PUBLIC_KEY", "jwt_public_key"),
    ("LEOPARD_JWT_USER_CLAIM", "jwt_user_claim"),
    ("LEOPARD_JWT_TTL", "jwt_ttl"),
    ("LEOPARD_JWT_AUDIENCE", "jwt_audience"),
    ("LEOPARD_JWT_ISSUER", "jwt_issuer"),
    ("LEOPARD_REFRESH_TTL", "refresh_ttl"),
    ("LEOPARD_LOGIN_MAX_FAILURES", "login_max_failures"),
    ("LEOPARD_TRUSTED_PROXIES", "trusted_proxies"),
    ("LEOPARD_SSE_HEARTBEAT", "sse_heartbeat"),
    ("LEOPARD_SSE_RETRY_MS", "sse_retry_ms"),
    ("LEOPARD_SSE_QUEUE_SIZE", "sse_queue_size"),
    ("LEOPARD_SSE_MAX_STREAMS_PER_USER", "sse_max_streams_per_user"),
    ("LEOPARD_BROKER", "broker"),
    ("LEOPARD_REMINDER_INTERVAL", "reminder_interval"),
    ("LEOPARD_DUE_SOON_HOURS", "due_soon_hours"),
    ("LEOPARD_ADMIN_PASSWORD", "admin_password"),
    ("LEOPARD_LOG_FORMAT", "log_format"),
    ("LEOPARD_SMTP_URL", "smtp_url"),
    ("LEOPARD_EMAIL_FROM", "email_from"),
    ("LEOPARD_EMAIL_INTERVAL", "email_interval"),
    ("LEOPARD_PUBLIC_URL", "public_url"),
    ("LEOPARD_LOOP", "loop"),
)
SECRETS = {"jwt_secret", "admin_password"}


def _shown(attr: str, value) -> str:
    if value is None:
        return "(unset)"
    if attr in SECRETS:
        return "***"
    if attr in ("database_url", "smtp_url"):
        return masked_url(value)
    if attr == "trusted_proxies":
        return ",".join(str(net) for net in value) or "(none)"
    if attr == "jwt_public_key":
        return f"(a PEM key, {len(value)} characters)"
    return str(value)


def describe_settings(settings: Settings, env=None) -> list[tuple[str, str, str]]:
    """(variable, value as shown, where it came from) for every setting;
    secrets are masked, the database URL is shown without its password."""
    env = os.environ if env is None else env
    rows = []
    for name, attr in VARIABLES:
        source = "environment" if env.get(name) else "default"
        if attr == "jwt_secret" and source == "default":
            source = f"generated, kept in {settings.data_dir / 'jwt_secret'}"
        if attr == "database_url" and source == "default":
            source = f"default: embedded PostgreSQL in {settings.data_dir / 'pgdata'}"
        rows.append((name, _shown(attr, getattr(settings, attr)), source))
    return rows
