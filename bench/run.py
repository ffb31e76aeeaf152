"""`python -m bench.run SCENARIO [--server leopard|thin|both] [--runs K] …`

Each run starts the server afresh (Leopard on a new database `leopard_bench`,
dropped afterwards), creates its users, runs the scenario, stops the server and
prints one JSON line; `both` runs the thin reference server first in each run,
so the ratios compare figures taken minutes apart. Lines are also appended to
bench/out/results.jsonl. Use bench/run.sh, which raises `ulimit -n` first.
"""

import argparse
import asyncio
import contextlib
import importlib
import json
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

from leopard.store.db import stop_embedded

from . import proc, servers

SCENARIOS = ("idle", "targeted", "broadcast", "reconnect", "tasks", "soak", "signin")
STREAMS = {"idle": 10_000, "targeted": 1_000, "broadcast": 10_000, "signin": 1_000}
STREAMS |= {"reconnect": 10_000, "tasks": 5_000, "soak": 5_000}
PORTS = {"leopard": 8089, "thin": 8090}


def parse(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="bench.run", description=__doc__)
    p.add_argument("scenario", choices=SCENARIOS)
    p.add_argument("--server", choices=("leopard", "thin", "both"), default="both")
    p.add_argument("--runs", type=int, default=1)
    p.add_argument("--streams", type=int, help="open streams (scenario default)")
    p.add_argument("--idle", type=float, default=35.0, help="idle: seconds measured")
    p.add_argument("--rate", type=float, help="requests/s (targeted 100, tasks 1000)")
    p.add_argument("--requests", type=int, default=10_000, help="tasks at --rate 0")
    p.add_argument("--duration", type=float, default=30.0, help="seconds of load")
    p.add_argument("--connections", type=int, help="keep-alive connections")
    p.add_argument("--repeat", type=int, default=3, help="broadcast: rounds")
    p.add_argument("--pause", type=float, default=3.0, help="broadcast: between")
    p.add_argument("--missed", type=int, default=1_000, help="reconnect: created")
    p.add_argument("--storm-timeout", type=float, default=60.0)
    p.add_argument("--soak", type=float, default=600.0, help="soak: seconds")
    p.add_argument("--notify-rate", type=float, default=100.0, help="soak: targeted")
    p.add_argument("--targeted-streams", type=int, default=1_000)
    p.add_argument("--flood-rate", type=float, default=50.0, help="signin: tries/s")
    p.add_argument("--flood-connections", type=int, default=8, help="signin")
    p.add_argument(
        "--heartbeat", type=float, default=30.0, help="seconds between pings (both)"
    )
    p.add_argument(
        "--thin-backlog", type=int, default=128, help="the thin server's listen()"
    )
    p.add_argument("--env", action="append", default=[], help="KEY=VALUE for Leopard")
    p.add_argument(
        "--database",
        choices=("system", "embedded"),
        default="system",
        help="system: BENCH_POSTGRES_URL's server; embedded: the one Leopard "
        "starts when LEOPARD_DATABASE_URL is unset (in bench/out/pgdata)",
    )
    p.add_argument("--workers", type=int, default=1, help="Leopard's serve --workers")
    p.add_argument("--out", default=str(servers.OUT / "results.jsonl"))
    p.add_argument(
        "--profile",
        nargs="?",
        const="python",
        choices=("python", "native"),
        help="record Leopard with py-spy (pip install py-spy) into bench/out/",
    )
    args = p.parse_args(argv)
    args.streams = args.streams or STREAMS[args.scenario]
    default_rate = {"targeted": 100.0, "signin": 100.0}.get(args.scenario, 1000.0)
    args.rate = default_rate if args.rate is None else args.rate
    if args.connections is None:
        args.connections = 8 if args.scenario in ("targeted", "signin") else 64
    return args


def raise_fd_limit(want: int = 65536) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    for limit in ((want, max(want, hard)), (hard, hard)):
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, limit)
            return
        except (ValueError, OSError):
            continue


@contextlib.contextmanager
def profiling(server, name: str, wanted: str | None):
    """py-spy's collapsed stacks of the server for the block (Leopard only);
    read them with `python -m bench.profile bench/out/profile-NAME.txt`."""
    if not wanted or server.kind != "leopard":
        yield
        return
    path = servers.OUT / f"profile-{name}.txt"
    spy = subprocess.Popen(
        [shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")]
        + ["record", "--format", "raw", "-r", "200", "-o", str(path)]
        + ["-p", str(server.proc.pid)]
        + (["--native"] if wanted == "native" else []),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        spy.send_signal(signal.SIGINT)
        spy.wait(30)


async def one(kind: str, args, run: int) -> dict:
    scenario = importlib.import_module(f"bench.scenarios.{args.scenario}")
    env = dict(item.split("=", 1) for item in args.env)
    env.setdefault("LEOPARD_SSE_HEARTBEAT", f"{args.heartbeat:g}")
    server = servers.Server(kind, PORTS[kind], env if kind == "leopard" else {})
    server.heartbeat, server.backlog = args.heartbeat, args.thin_backlog
    server.workers = args.workers if kind == "leopard" else 1
    if kind == "leopard":
        servers.create_database()
    load = proc.load_average()
    try:
        await server.start()
        server.create_users(args.streams)
        with profiling(server, f"{args.scenario}-{run}", args.profile):
            result = await scenario.run(server, args)
    finally:
        await server.stop()
        if kind == "leopard":
            servers.drop_database()
    line = {"scenario": args.scenario, "server": kind, "run": run}
    line |= {"at": time.strftime("%H:%M:%S"), "load1_before": load, "env": env}
    line |= {"database": args.database, "workers": server.workers}
    return line | result


def summary(lines: list[dict]) -> dict:
    """Median of every numeric top-level figure per server, and leopard/thin."""
    medians: dict[str, dict] = {}
    for kind in ("thin", "leopard"):
        mine = [x for x in lines if x["server"] == kind]
        keys = {k for x in mine for k, v in x.items() if isinstance(v, int | float)}
        medians[kind] = {
            k: statistics.median(
                x[k] for x in mine if isinstance(x.get(k), int | float)
            )
            for k in sorted(keys - {"run"})
        }
    thin, leo = medians.get("thin", {}), medians.get("leopard", {})
    ratios = {k: round(leo[k] / thin[k], 2) for k in leo if thin.get(k)}
    return {"median": medians, "leopard/thin": ratios}


def append_line(path: str, line: dict) -> None:
    with open(path, "a") as f:
        f.write(json.dumps(line) + "\n")


async def main(args) -> int:
    raise_fd_limit()
    embedded = None
    if args.database == "embedded":
        embedded = servers.use_embedded(servers.OUT)
    try:
        return await _runs(args)
    finally:
        if embedded is not None:
            stop_embedded(embedded)


async def _runs(args) -> int:
    kinds = ["thin", "leopard"] if args.server == "both" else [args.server]
    lines = []
    for run in range(1, args.runs + 1):
        for kind in kinds:
            line = await one(kind, args, run)
            lines.append(line)
            print(json.dumps(line), flush=True)
            append_line(args.out, line)
    print(json.dumps({"summary": args.scenario, **summary(lines)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse())))
