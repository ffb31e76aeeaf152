"""How the cost grows with the number of streams (issue 20):

    bench/run.sh curve                      # runs, then draws (python -m bench.curve)
    python -m bench.curve --plot FILE       # draws and tables a previous run

At each size (1,000 … 20,000 streams) the idle, broadcast and reconnect
scenarios run as `bench.run` runs them, the thin server first and Leopard
second, `--runs` times; the lines go to bench/out/curve.jsonl. Then
bench/curve.png gets three panels (streams on x): RSS per idle stream,
broadcast time per 1,000 streams (the median round's slowest stream), and the
reconnect storm's time until every stream is exact. The table printed in
Markdown is the one in RESULTS.md. The reconnect scenario misses one
notification per ten streams, so that each size replays the same share.
"""

import argparse
import asyncio
import json
import statistics
import sys
from pathlib import Path

from . import run as runner
from . import servers

# 20,000 streams need 40,000 descriptors on one box, 20,000 a process; where
# the hard limit is 20,000 (no CAP_SYS_RESOURCE) use --sizes …,19000.
SIZES = (1_000, 2_500, 5_000, 10_000, 20_000)
SCENARIOS = ("idle", "broadcast", "reconnect")
OUT = servers.OUT / "curve.jsonl"
PNG = Path(__file__).parent / "curve.png"
# What each panel shows, from which scenario's line.
PANELS = (
    ("idle", "RSS per idle stream (KiB)", lambda x: x["rss_per_stream_kib"]),
    (
        "broadcast",
        "broadcast: ms per 1,000 streams",
        lambda x: x["all_ms"] / (x["streams"] / 1000) if x.get("all_ms") else None,
    ),
    ("reconnect", "reconnect storm: s until all exact", lambda x: x["all_s"]),
)


def parse(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="bench.curve", description=__doc__)
    p.add_argument("--sizes", default=",".join(map(str, SIZES)))
    p.add_argument("--runs", type=int, default=1)
    p.add_argument("--scenarios", default=",".join(SCENARIOS))
    p.add_argument("--server", choices=("leopard", "thin", "both"), default="both")
    p.add_argument("--env", action="append", default=[], help="KEY=VALUE for Leopard")
    p.add_argument("--idle", default="35", help="idle: seconds measured")
    p.add_argument("--out", default=str(OUT))
    p.add_argument("--plot", metavar="FILE", help="only draw FILE's lines")
    return p.parse_args(argv)


def scenario_args(scenario: str, streams: int, args) -> argparse.Namespace:
    argv = [scenario, "--streams", str(streams), "--thin-backlog", "4096"]
    argv += ["--idle", args.idle]
    if scenario == "reconnect":
        argv += ["--missed", str(streams // 10), "--storm-timeout", "120"]
    for item in args.env:
        argv += ["--env", item]
    return runner.parse(argv)


async def measure(args) -> list[dict]:
    runner.raise_fd_limit()
    kinds = ["thin", "leopard"] if args.server == "both" else [args.server]
    lines = []
    for streams in map(int, args.sizes.split(",")):
        for scenario in args.scenarios.split(","):
            for run in range(1, args.runs + 1):
                for kind in kinds:
                    line = await runner.one(
                        kind, scenario_args(scenario, streams, args), run
                    )
                    line.pop("rounds", None)
                    lines.append(line)
                    print(json.dumps(line), flush=True)
                    runner.append_line(args.out, line)
    return lines


def figures(lines: list[dict]) -> dict:
    """{(panel title, server): {streams: median figure}}."""
    out: dict = {}
    for scenario, title, figure in PANELS:
        for kind in ("leopard", "thin"):
            by_size: dict[int, list[float]] = {}
            for x in lines:
                if x["scenario"] == scenario and x["server"] == kind:
                    value = figure(x)
                    if value is not None:
                        by_size.setdefault(x["streams"], []).append(value)
            out[title, kind] = {
                n: statistics.median(v) for n, v in sorted(by_size.items())
            }
    return out


def table(found: dict) -> str:
    sizes = sorted({n for series in found.values() for n in series})
    head = "| streams | " + " | ".join(f"{n:,}" for n in sizes) + " |"
    rows = [head, "|---" * (len(sizes) + 1) + "|"]
    for (title, kind), series in found.items():
        cells = [f"{series[n]:.1f}" if n in series else "—" for n in sizes]
        rows.append(f"| {title}, {kind} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def bends(found: dict, low: int = 2_500) -> dict:
    """The figure at the largest size over the one at `low`: 1.0 is a
    straight line (the cost per stream does not grow)."""
    out = {}
    for (title, kind), series in found.items():
        if series.get(low):
            high = max(series)
            out[f"{title}, {kind}"] = round(series[high] / series[low], 2)
    return out


def draw(found: dict, path: Path = PNG) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(PANELS), figsize=(15, 4.5))
    for ax, (_, title, _) in zip(axes, PANELS, strict=True):
        for kind, style in (("leopard", "o-"), ("thin", "s--")):
            series = found.get((title, kind), {})
            if series:
                ax.plot(list(series), list(series.values()), style, label=kind)
        ax.set_title(title)
        ax.set_xlabel("open streams")
        ax.set_xscale("log")
        sizes = sorted({n for series in found.values() for n in series})
        ax.set_xticks(sizes, [f"{n / 1000:g}k" for n in sizes])
        ax.set_ylim(bottom=0)
        ax.grid(True, alpha=0.3)
        ax.legend()
    fig.suptitle("Leopard and the thin reference server as streams grow")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main(args) -> int:
    if args.plot:
        with open(args.plot) as f:
            lines = [json.loads(line) for line in f if line.strip()]
    else:
        lines = asyncio.run(measure(args))
    found = figures(lines)
    draw(found)
    print(table(found))
    print(json.dumps({"at the largest size over at 2,500": bends(found)}))
    print(f"drawn into {PNG}")
    return 0


if __name__ == "__main__":
    sys.exit(main(parse()))
