"""GET /metrics: what each leopard_ metric counts. Counters are process-wide, so
the tests compare a value after with the value before."""

import asyncio
import time

from prometheus_client.parser import text_string_to_metric_families

from leopard.keys import BROKER, ENGINE
from leopard.services.notifications import NewNotification, create_notifications
from leopard.services.work import unit_of_work

from ..support.metrics import scrape, value
from ..support.sse import SSE

NAMES = (
    "leopard_streams_open",
    "leopard_notifications_created",
    "leopard_notifications_delivered",
    "leopard_delivery_latency_seconds",
    "leopard_http_requests",
    "leopard_http_request_duration_seconds",
    "leopard_db_pool_in_use",
    "leopard_db_pool_size",
    "leopard_db_pool_max",
    "leopard_emails_sent",
    "leopard_emails_failed",
    "leopard_email_sweep_duration_seconds",
    "leopard_event_loop_lag_seconds",
    "leopard_event_loop",
)


async def settled(client, name, expected, **labels) -> dict:
    """A scrape once `name` reaches `expected`: a handler counts just after its
    write, which the client may read first."""
    for _ in range(50):
        samples = await scrape(client)
        if value(samples, name, **labels) >= expected:
            break
        await asyncio.sleep(0.02)
    return samples


async def notify(app, user_id, type_, count=1):
    async with unit_of_work(app[ENGINE], app[BROKER]) as work:
        rows = await create_notifications(
            work, [NewNotification(user_id, type_, "t")] * count
        )
    return [r.id for r in rows]


async def test_metrics_are_public_prometheus_text_naming_every_metric(client):
    resp = await client.get("/metrics")
    assert resp.status == 200
    assert resp.headers["Content-Type"].startswith("text/plain")
    families = {f.name for f in text_string_to_metric_families(await resp.text())}
    assert set(NAMES) <= families


async def test_open_streams_are_counted_when_scraped(client, make_user):
    alice = await make_user()
    before = value(await scrape(client), "leopard_streams_open")
    async with SSE.open(client, headers=alice.headers):
        async with SSE.open(client, headers=alice.headers):
            during = value(await scrape(client), "leopard_streams_open")
    await asyncio.sleep(0.1)  # the handlers unsubscribe once they see the close
    after = value(await scrape(client), "leopard_streams_open")
    assert (during - before, after - before) == (2, 0)


async def test_created_notifications_are_counted_by_type(client, make_user):
    alice, admin = await make_user(), await make_user("admin")
    name = "leopard_notifications_created_total"
    before = await scrape(client)
    await notify(client.app, alice.id, "TASK_OVERDUE", 3)
    resp = await client.post(
        "/api/v1/notifications/",
        json={"recipients": "all", "title": "to everyone"},
        headers=admin.headers,
    )
    assert resp.status == 201
    everyone = (await resp.json())["created"]
    after = await scrape(client)
    for type_, delta in (("TASK_OVERDUE", 3), ("SYSTEM", everyone)):
        assert value(after, name, type=type_) - value(before, name, type=type_) == delta


async def test_live_deliveries_count_and_time_replays_only_count(client, make_user):
    alice = await make_user()
    delivered, latency = (
        "leopard_notifications_delivered_total",
        "leopard_delivery_latency_seconds_count",
    )
    before = await scrape(client)
    counted = value(before, delivered, type="TASK_COMMENT")
    async with SSE.open(client, headers=alice.headers) as sse:
        [first] = await notify(client.app, alice.id, "TASK_COMMENT")
        await sse.notifications(1)
    live = await settled(client, delivered, counted + 1, type="TASK_COMMENT")
    headers = {**alice.headers, "Last-Event-ID": str(first - 1)}
    async with SSE.open(client, headers=headers):
        pass  # the replay came before the first unread_count
    replayed = await settled(client, delivered, counted + 2, type="TASK_COMMENT")

    def delta(a, b, name, **labels):
        return value(b, name, **labels) - value(a, name, **labels)

    assert delta(before, live, delivered, type="TASK_COMMENT") == 1
    assert delta(before, live, latency) == 1
    assert value(live, "leopard_delivery_latency_seconds_bucket", le="5.0") > 0
    assert delta(live, replayed, delivered, type="TASK_COMMENT") == 1
    assert delta(live, replayed, latency) == 0


async def test_requests_are_counted_by_route_name_never_by_path(client, make_user):
    alice = await make_user()
    name = "leopard_http_requests_total"
    before = await scrape(client)
    await client.get("/api/v1/users/me/", headers=alice.headers)
    await client.get("/api/v1/users/me", headers=alice.headers)  # the alias
    await client.get("/api/v1/tasks/987654321/", headers=alice.headers)
    await client.get("/no/such/page/")
    await client.get("/api/v1/users/me/")
    after = await scrape(client)
    expected = {
        ("users-me", "200"): 2,
        ("tasks-get", "404"): 1,
        ("unmatched", "404"): 1,
        ("users-me", "401"): 1,
    }
    for (route, status), delta in expected.items():
        got = value(after, name, route=route, status=status)
        assert got - value(before, name, route=route, status=status) == delta
    assert not any("987654321" in str(labels) for _, labels in after)
    durations = "leopard_http_request_duration_seconds_count"
    assert (
        value(after, durations, route="users-me")
        - value(before, durations, route="users-me")
        == 3
    )


async def test_a_stream_its_client_left_is_counted_with_its_200(client, make_user):
    alice = await make_user()
    key = {"route": "notifications-stream", "status": "200"}
    before = value(await scrape(client), "leopard_http_requests_total", **key)
    async with SSE.open(client, headers=alice.headers):
        pass  # the client leaves: the handler is cancelled, not returned
    samples = await settled(client, "leopard_http_requests_total", before + 1, **key)
    assert value(samples, "leopard_http_requests_total", **key) - before == 1


async def test_the_pool_gauges_show_connections_in_use(client):
    engine = client.app[ENGINE]
    before = await scrape(client)
    async with engine.acquire():
        during = await scrape(client)
    assert value(during, "leopard_db_pool_max") == engine.maxsize
    in_use = "leopard_db_pool_in_use"
    assert value(during, in_use) - value(before, in_use) == 1
    assert value(during, in_use) <= value(during, "leopard_db_pool_size")


async def test_two_apps_in_one_process_each_report_their_own_streams(
    serve, make_app, make_user
):
    one, two = await serve(make_app()), await serve(make_app())
    alice = await make_user()
    async with SSE.open(one, headers=alice.headers):
        first, second = await scrape(one), await scrape(two)
    assert value(first, "leopard_streams_open") == 1
    assert value(second, "leopard_streams_open") == 0


async def test_metrics_is_in_the_openapi_document(client):
    spec = await (await client.get("/api/docs/swagger.json")).json()
    assert spec["paths"]["/metrics"]["get"]["summary"]


async def test_a_blocked_loop_shows_as_lag(client):
    """The app watches its own loop: a 0.6 s block is one observation of more
    than 0.25 s (its timer, due within 0.25 s of the block's start, runs at its
    end), and the sleeps that were not blocked observe next to nothing."""
    name = "leopard_event_loop_lag_seconds"
    await asyncio.sleep(0.3)  # the watcher has slept at least once
    before = await scrape(client)
    time.sleep(0.6)  # noqa: ASYNC251 - the test shares the app's loop: it blocks it
    await asyncio.sleep(0.3)  # the overrun timer fires, and is observed
    after = await scrape(client)
    late = value(after, f"{name}_count") - value(after, f"{name}_bucket", le="0.25")
    late_before = value(before, f"{name}_count") - value(
        before, f"{name}_bucket", le="0.25"
    )
    assert late - late_before == 1
    # 0.6 s less the part of its 0.25 s the timer had slept already: 0.35 to
    # 0.6 s, and a little more on a busy machine.
    added = value(after, f"{name}_sum") - value(before, f"{name}_sum")
    assert 0.3 < added < 0.9


async def test_the_event_loop_in_use_is_named(client):
    samples = await scrape(client)
    assert value(samples, "leopard_event_loop", loop="asyncio") == 1
    assert value(samples, "leopard_event_loop", loop="uvloop") == 0
