"""Prometheus metrics. No aiohttp here, so services can count what they do.

Counters and histograms are process-wide, in the default registry: Prometheus
scrapes one process as one target. The gauges that read an app's state (open
streams, the database pool) are computed by `AppCollector` at scrape time, so
they cost nothing per event; each app keeps its own registry for them.
"""

import asyncio
import contextlib
import functools
import time

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

# The `*_created` timestamp series only double the output; nothing here reads them.
disable_created_metrics()

CREATED = Counter(
    "leopard_notifications_created", "Notifications inserted, by type", ["type"]
)
DELIVERED = Counter(
    "leopard_notifications_delivered",
    "Notification events written to a stream (replays included), by type",
    ["type"],
)
# Commit → written on a stream is milliseconds when all is well; the upper
# buckets catch a slow client or a busy loop.
LATENCY = Histogram(
    "leopard_delivery_latency_seconds",
    "From the commit of a notification to its write on a live stream",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
REQUESTS = Counter(
    "leopard_http_requests",
    "HTTP requests by route name and status",
    ["route", "status"],
)
DURATION = Histogram(
    "leopard_http_request_duration_seconds",
    "HTTP request duration by route name (a stream lasts as long as it is open)",
    ["route"],
)

HISTORY = Counter(
    "leopard_history_entries",
    "History entries written, by action (delivered, read and emailed are read "
    "from the notification while it exists, and counted when stored)",
    ["action"],
)
# What a notification's meta_info may name (queries.history.SUBJECT_KEYS).
SUBJECT_KEYS = ("task_id", "document_id", "visa_application_id", "client_id")
REMINDERS = Counter(
    "leopard_reminders_sent",
    "Reminders the sweeper wrote (muted ones are not), by type",
    ["type"],
)
CLAIMS = Counter(
    "leopard_task_claims",
    "Claims of queued tasks, by outcome (claimed, or already_claimed: another "
    "claim came first)",
    ["outcome"],
)
DELEGATIONS = Counter(
    "leopard_task_delegations",
    "Assignments that went to an absent user's delegate instead",
)
ESCALATIONS = Counter(
    "leopard_task_escalations",
    "Tasks escalated to their leads or the admins, by reason (unseen, overdue)",
    ["reason"],
)
EMAILS_SENT = Counter("leopard_emails_sent", "Emails the SMTP server accepted")
EMAILS_FAILED = Counter(
    "leopard_emails_failed", "Emails refused or not sent (tried again later)"
)
EMAIL_SWEEP = Histogram(
    "leopard_email_sweep_duration_seconds",
    "How long one sweep for notifications to email took",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
# How late the loop runs a timer: every request and every event waits behind
# whatever the loop was doing. Sub-millisecond when all is well.
LOOP_LAG = Histogram(
    "leopard_event_loop_lag_seconds",
    "How much later than asked the event loop ran a timer set every 0.25 s",
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1),
)
LAG_INTERVAL = 0.25


async def watch_loop_lag(interval: float = LAG_INTERVAL) -> None:
    """Sleep `interval` again and again; observe by how much each sleep
    overran. One timer a quarter of a second: nothing next to the load."""
    loop = asyncio.get_running_loop()
    while True:
        asked = loop.time() + interval
        await asyncio.sleep(interval)
        LOOP_LAG.observe(max(0.0, loop.time() - asked))


@functools.cache
def _child(metric, *labels):
    """metric.labels(*labels), looked up once: a broadcast counts ten
    thousand rows and events, and labels() costs a lock and a tuple each."""
    return metric.labels(*labels)


def _about_something(meta) -> bool:
    return bool(meta) and any(isinstance(meta.get(k), int) for k in SUBJECT_KEYS)


def _count(metric, labels) -> None:
    """One inc per distinct label (a broadcast's ten thousand rows are one),
    without a Counter's cost for the one or two of a change."""
    counts: dict = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    for label, count in counts.items():
        _child(metric, label).inc(count)


def created(rows) -> None:
    _count(CREATED, (row.notification_type for row in rows))
    notified = sum(1 for row in rows if _about_something(row.meta_info))
    if notified:  # their "notified" entries, written by the same statement
        _child(HISTORY, "notified").inc(notified)


def history_written(actions) -> None:
    if actions:
        _count(HISTORY, actions)


def delivered(event) -> None:
    _child(DELIVERED, event.type).inc()
    # Live events only: replayed ones (committed_at None) were committed long
    # ago. committed_at is wall-clock time, comparable across processes; a clock
    # step must not make an observation negative.
    if event.committed_at is not None:
        LATENCY.observe(max(0.0, time.time() - event.committed_at))


def observe_request(route: str, status: int, seconds: float) -> None:
    _child(REQUESTS, route, str(status)).inc()
    _child(DURATION, route).observe(seconds)


class AppCollector:
    """Open streams and the database pool of one app, read when scraped.

    `hub` and `engine` are callables: the app has neither until it has started.
    """

    def __init__(self, hub, engine):
        self.hub, self.engine = hub, engine

    def describe(self):
        # Names only, so that registering never calls collect() too early.
        return [
            GaugeMetricFamily("leopard_streams_open", ""),
            GaugeMetricFamily("leopard_db_pool_in_use", ""),
            GaugeMetricFamily("leopard_db_pool_size", ""),
            GaugeMetricFamily("leopard_db_pool_max", ""),
            GaugeMetricFamily("leopard_event_loop", ""),
        ]

    def collect(self):
        hub, engine = self.hub(), self.engine()
        with contextlib.suppress(RuntimeError):  # scraped outside a loop
            loop = GaugeMetricFamily(
                "leopard_event_loop",
                "1, labelled with the event loop that runs this process (LEOPARD_LOOP)",
                labels=["loop"],
            )
            kind = type(asyncio.get_running_loop()).__module__.split(".")[0]
            loop.add_metric([kind], 1)
            yield loop
        if hub is not None:
            yield GaugeMetricFamily(
                "leopard_streams_open", "Streams open now", value=hub.count()
            )
        if engine is not None:
            yield GaugeMetricFamily(
                "leopard_db_pool_in_use",
                "Database connections lent out now",
                value=engine.size - engine.freesize,
            )
            yield GaugeMetricFamily(
                "leopard_db_pool_size", "Database connections open", value=engine.size
            )
            yield GaugeMetricFamily(
                "leopard_db_pool_max", "The pool's bound", value=engine.maxsize
            )


def app_registry(hub, engine) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(AppCollector(hub, engine))
    return registry


def exposition(app_registry: CollectorRegistry) -> bytes:
    """The process's metrics, then the app's, in the Prometheus text format."""
    return generate_latest(REGISTRY) + generate_latest(app_registry)
