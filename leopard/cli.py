"""The commands of run.py and the `leopard` console script."""

import argparse
import asyncio
import gc
import getpass
import sys

from aiohttp import web

from .config import ConfigError, load_settings
from .web.logs import setup_logging


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="leopard", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    serve = sub.add_parser("serve", help="apply pending migrations, then serve HTTP")
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="serve from N processes on one port (needs LEOPARD_BROKER=postgres)",
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
    return parser


def _tune_gc() -> None:
    """Fewer, cheaper garbage collections for a process that holds thousands
    of streams. With CPython's young generation of 700 objects, the rows and
    events of a request are promoted before they die, and full collections
    (0.5 s each with 10,000 streams open) run during broadcasts and reconnect
    storms; at 10,000 they mostly die young. What exists at start (modules,
    the app) is frozen out of every collection. See bench/RESULTS.md."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"leopard: configuration error: {exc}", file=sys.stderr)
        return 2
    setup_logging(settings.log_format)
    command = args.command or "serve"
    if command == "serve" and getattr(args, "workers", 1) != 1:
        from .workers import serve_workers

        return serve_workers(settings, args.workers)
    if command == "serve":
        from .app import SERVER_KWARGS, init_app

        print(
            f"Leopard listening on http://{settings.host}:{settings.port}/", flush=True
        )
        app = init_app(settings)
        _tune_gc()
        web.run_app(
            app,
            host=settings.host,
            port=settings.port,
            print=None,
            shutdown_timeout=10.0,  # on SIGTERM/SIGINT, in-flight requests' bound
            reuse_port=getattr(args, "reuse_port", False),
            # aiohttp's 128 drops the SYNs of a reconnect storm (every stream
            # back at once after a restart): they retry 1 s, 3 s, 7 s later.
            # The kernel caps it at net.core.somaxconn.
            backlog=4096,
            **SERVER_KWARGS,
        )
        return 0
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
