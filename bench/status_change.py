"""`python -m bench.status_change [--rate R] [--duration S] [--tasks N]`

A visa application's status change that a template answers with N tasks
(default 10, each assigned to the application's assignee and due in business
days): Leopard on a fresh database `leopard_bench` (BENCH_POSTGRES_URL's
server), one template, applications of its type inserted beforehand, then
PATCH …/visa-applications/{id}/ {"status": "VISA_APPLIED"} at R changes/s
(default 50) for S seconds, each on an application of its own, over 16
keep-alive connections. Prints one JSON line: latency from the request's
scheduled time and from its sending (p50, p99, max), the tasks made, and the
server's CPU.
"""

import argparse
import asyncio
import json
import time

from . import servers
from .common import pct

PORT = 8091
CONNECTIONS = 16


def template(n_tasks: int) -> dict:
    return {
        "name": "Bench checklist",
        "visa_type": "Partner (820/801)",
        "on_status": "VISA_APPLIED",
        "tasks": [
            {"title": f"Step {i}", "due_in_business_days": 1 + i, "priority": "HIGH"}
            for i in range(n_tasks)
        ],
    }


async def main(args) -> dict:
    servers.create_database()
    server = servers.Server("leopard", PORT)
    try:
        await server.start()
        server.create_users(20)
        count = int(args.rate * args.duration)
        ids = [
            row[0]
            for row in servers.sql(
                "INSERT INTO clients (first_name, last_name) VALUES ('Bench', 'Client')"
                " RETURNING id"
            )
        ]
        apps = servers.sql(
            "INSERT INTO visa_applications (client_id, visa_type, assigned_to)"
            " SELECT %s, 'Partner (820/801)', (%s::bigint[])[1 + mod(g, 20)]"
            " FROM generate_series(1, %s) AS g RETURNING id",
            (ids[0], server.users, count),
        )
        apps = [row[0] for row in apps]
        admin = server.http()
        status, _ = await admin.request(
            "POST", "/api/v1/task-templates/", json.dumps(template(args.tasks)).encode()
        )
        assert status == 201, status
        admin.close()
        queue = asyncio.Queue()
        for i, app_id in enumerate(apps):
            queue.put_nowait((i / args.rate, app_id))
        late, took, errors = [], [], 0
        start = time.perf_counter() + 0.5
        before = server.sample()

        async def worker():
            nonlocal errors
            client = server.http()
            body = json.dumps({"status": "VISA_APPLIED"}).encode()
            try:
                while not queue.empty():
                    at, app_id = queue.get_nowait()
                    wait = start + at - time.perf_counter()
                    if wait > 0:
                        await asyncio.sleep(wait)
                    sent = time.perf_counter()
                    status, _ = await client.request(
                        "PATCH", f"/api/v1/visa-applications/{app_id}/", body
                    )
                    done = time.perf_counter()
                    errors += status != 200
                    late.append(done - (start + at))
                    took.append(done - sent)
            finally:
                client.close()

        await asyncio.gather(*(worker() for _ in range(CONNECTIONS)))
        after = server.sample()
        made = servers.sql(
            "SELECT count(*) FROM tasks WHERE visa_application_id = ANY(%s)", (apps,)
        )[0][0]
    finally:
        await server.stop()
        servers.drop_database()
    ms = lambda s: round(s * 1000, 1)  # noqa: E731
    return {
        "scenario": "status_change",
        "rate": args.rate,
        "changes": len(took),
        "errors": errors,
        "tasks_per_change": args.tasks,
        "tasks_made": made,
        "p50_ms": ms(pct(took, 0.5)),
        "p99_ms": ms(pct(took, 0.99)),
        "max_ms": ms(max(took)),
        "p99_from_schedule_ms": ms(pct(late, 0.99)),
        "server_cpu_s": round(after.cpu_s - before.cpu_s, 2),
        "server_cpu_ms_per_change": round(
            (after.cpu_s - before.cpu_s) * 1000 / len(took), 2
        ),
    }


def parse(argv=None):
    p = argparse.ArgumentParser(prog="bench.status_change", description=__doc__)
    p.add_argument("--rate", type=float, default=50.0)
    p.add_argument("--duration", type=float, default=20.0)
    p.add_argument("--tasks", type=int, default=10)
    return p.parse_args(argv)


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(parse()))))
