"""The commands of run.py and the `leopard` console script."""

import argparse
import asyncio
import errno
import gc
import getpass
import logging
import socket
import sys
import textwrap

from aiohttp import web

from .config import SETTINGS, ConfigError, describe_settings, load_settings
from .store.db import DatabaseUnavailable
from .store.migrations import MigrationError
from .web.logs import setup_logging
from .web.sockets import bind


def _settings_help() -> str:
    """Every variable with its default and its line of help, for --help."""
    lines = [
        "Configuration is by environment variable; `leopard settings` prints each",
        "with its value in force and where it came from.",
        "",
    ]
    indent = " " * 6
    for setting in SETTINGS:
        default = f"default {setting.default}" if setting.default else "unset"
        lines.append(f"  {setting.env} ({default})")
        lines += textwrap.wrap(
            setting.help,
            79,
            initial_indent=indent,
            subsequent_indent=indent,
            break_on_hyphens=False,
        )
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    # Raw: the settings' help keeps its one entry per variable.
    raw = argparse.RawDescriptionHelpFormatter
    epilog = _settings_help()
    parser = argparse.ArgumentParser(
        prog="leopard", description=__doc__, epilog=epilog, formatter_class=raw
    )
    sub = parser.add_subparsers(dest="command")
    serve = sub.add_parser(
        "serve",
        help="apply pending migrations, then serve HTTP (the default)",
        description="Apply pending migrations, then serve HTTP on "
        "LEOPARD_HOST:LEOPARD_PORT\nuntil SIGTERM or SIGINT.",
        epilog=epilog,
        formatter_class=raw,
    )
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="serve from N processes on one port; they share events through "
        "PostgreSQL, so this sets LEOPARD_BROKER=postgres for them (an explicit "
        "LEOPARD_BROKER=memory is refused)",
    )
    serve.add_argument(
        "--reuse-port",
        action="store_true",
        help="listen with SO_REUSEPORT, beside other Leopard processes",
    )
    sub.add_parser("migrate", help="apply pending migrations and exit")
    create = sub.add_parser("createuser", help="create a user and print its id")
    create.add_argument("username")
    create.add_argument("--password")
    create.add_argument("--admin", action="store_true")
    create.add_argument("--full-name", default="")
    create.add_argument("--email", default="")
    token = sub.add_parser("token", help="print a fresh access token for a user")
    token.add_argument("username")
    dump = sub.add_parser(
        "backup",
        help="write a consistent dump of the whole database (pg_dump custom "
        "format) to FILE, while Leopard may keep serving",
    )
    dump.add_argument("file", metavar="FILE")
    load = sub.add_parser(
        "restore",
        help="load a backup into an empty database (refuses one with data), "
        "then apply pending migrations",
    )
    load.add_argument("file", metavar="FILE")
    templates = sub.add_parser(
        "templates",
        help="export every task template to FILE as JSON, or import (create or "
        "update by name) the templates of such a file",
    )
    templates.add_argument("action", choices=("export", "import"))
    templates.add_argument("file", metavar="FILE")
    sub.add_parser(
        "settings",
        help="print each setting, its value and where it came from (secrets masked)",
    )
    return parser


def _tune_gc() -> None:
    """Fewer, cheaper garbage collections for a process that holds thousands
    of streams. With CPython's young generation of 700 objects, the rows and
    events of a request are promoted before they die, and full collections
    (whose pause grows with every stream open) run during broadcasts and
    reconnect storms; at 10,000 they mostly die young. What exists at start
    (modules, the app) is frozen out of every collection."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


def _new_loop(settings) -> asyncio.AbstractEventLoop:
    """LEOPARD_LOOP: asyncio's own event loop, or uvloop's (libuv)."""
    if settings.loop == "uvloop":
        import uvloop

        loop = uvloop.new_event_loop()
    else:
        loop = asyncio.new_event_loop()
    logging.getLogger("leopard").info("event loop: %s", settings.loop)
    return loop


def _listen_failure(exc: OSError, settings) -> str:
    where = f"cannot listen on {settings.host}:{settings.port}"
    if isinstance(exc, socket.gaierror):
        return f"{where}: the host {settings.host!r} does not resolve"
    if exc.errno == errno.EADDRINUSE:
        return f"{where}: the port is already in use"
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"{where}: the address is not one of this machine's"
    return f"{where}: {exc.strerror or exc}"


def _serve(settings, args) -> int:
    if getattr(args, "workers", 1) != 1:
        from .workers import serve_workers

        return serve_workers(settings, args.workers)
    from .app import SERVER_KWARGS, init_app

    # Bound first, before the database is started, migrated or written to.
    sockets = bind(settings.host, settings.port, getattr(args, "reuse_port", False))
    app = init_app(settings)
    _tune_gc()
    url = f"http://{settings.host}:{settings.port}/"
    web.run_app(
        app,
        loop=_new_loop(settings),
        sock=sockets,
        # Called once listening on every socket, after the database is ready.
        print=lambda _: print(f"Leopard listening on {url}", flush=True),
        shutdown_timeout=10.0,  # on SIGTERM/SIGINT, in-flight requests' bound
        # aiohttp's 128 drops the SYNs of a reconnect storm (every stream
        # back at once after a restart): they retry 1 s, 3 s, 7 s later.
        # The kernel caps it at net.core.somaxconn.
        backlog=4096,
        **SERVER_KWARGS,
    )
    return 0


def _fail(message: str) -> int:
    print(f"leopard: {message}", file=sys.stderr, flush=True)
    return 1


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"leopard: configuration error: {exc}", file=sys.stderr)
        return 2
    setup_logging(settings.log_format)
    command = args.command or "serve"
    if command == "settings":
        rows = describe_settings(settings)
        width = max(len(name) for name, _, _ in rows)
        for name, value, source in rows:
            print(f"{name:<{width}}  {value}  ({source})")
        return 0
    if command == "serve":
        # Start-up failures are one line each, never a traceback.
        try:
            return _serve(settings, args)
        except (DatabaseUnavailable, MigrationError) as exc:
            return _fail(str(exc))
        except TimeoutError:  # an OSError too, but not a binding's
            return _fail("the database did not answer in time at start-up")
        except OSError as exc:  # binding: the database's are DatabaseUnavailable
            return _fail(_listen_failure(exc, settings))
    from . import commands

    if command == "createuser" and args.password is None:
        if not sys.stdin.isatty():
            print(
                "leopard: --password is required when stdin is not a terminal",
                file=sys.stderr,
            )
            return 2
        args.password = getpass.getpass("Password: ")
    try:
        return asyncio.run(getattr(commands, command)(settings, args))
    except commands.CommandError as exc:
        print(f"leopard: {exc}", file=sys.stderr)
        return 1
