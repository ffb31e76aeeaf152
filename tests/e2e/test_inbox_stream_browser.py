"""One stream per browser: the tabs of one user elect a leader (Web Locks),
which alone holds the EventSource and passes every event to the others
(BroadcastChannel); when it closes another takes over, missing nothing.
This module's `python run.py` is its own, so `leopard_streams_open` counts
only the streams of these tests."""

import re
import time

import pytest
from playwright.sync_api import expect

from ..support.inbox import note, sign_in, unread_text

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

expect.set_options(timeout=10_000)


def streams_open(leopard):
    return leopard.metric("leopard_streams_open")


def until_streams(leopard, n, timeout=10):
    """Until exactly n streams are open (a closed tab's stream is noticed at
    once, but not within the same instant)."""
    deadline = time.monotonic() + timeout
    while (now := streams_open(leopard)) != n:
        assert time.monotonic() < deadline, f"{now} streams open, not {n}"
        time.sleep(0.05)


def tabs(leopard, context, user, n):
    """n pages of one browser context signed in as user, all live."""
    pages = [context.new_page() for _ in range(n)]
    sign_in(pages[0], leopard, user)
    for page in pages[1:]:
        page.goto(leopard.url + "/")
        page.locator("#conn[data-state=live]").wait_for()
        expect(page.locator("#me-name")).to_have_text(user.full_name)
    return pages


def roles(pages):
    return [p.locator("#conn").get_attribute("data-stream") for p in pages]


def test_three_tabs_of_one_user_hold_one_stream(leopard, new_context):
    bob = leopard.make_user("Bob Chen")
    until_streams(leopard, 0)
    pages = tabs(leopard, new_context(), bob, 3)
    until_streams(leopard, 1)
    assert sorted(roles(pages)) == ["follower", "follower", "leader"]

    leopard.notify(bob, "Biometrics moved to Thursday")
    for page in pages:
        expect(note(page, "Biometrics moved to Thursday")).to_have_count(1)
        expect(unread_text(page)).to_have_text("1 unread notification")
        expect(page.locator("#conn")).to_have_text("Live")
    assert streams_open(leopard) == 1

    # Another person in another browser has a stream of their own.
    alice = leopard.make_user("Alice Martin")
    sign_in(new_context().new_page(), leopard, alice)
    until_streams(leopard, 2)


def test_when_the_leader_tab_closes_another_takes_over_and_misses_nothing(
    leopard, new_context
):
    bob = leopard.make_user("Bob Chen")
    until_streams(leopard, 0)
    pages = tabs(leopard, new_context(), bob, 3)
    until_streams(leopard, 1)
    leopard.notify(bob, "Before the handover")
    for page in pages:
        expect(note(page, "Before the handover")).to_be_visible()

    leader = pages[roles(pages).index("leader")]
    left = [p for p in pages if p is not leader]
    leader.close()
    sent = []
    for n in range(1, 6):  # while the lock passes and the new stream opens
        sent.append(leopard.notify(bob, f"During the handover {n}"))
        time.sleep(0.15)

    deadline = time.monotonic() + 5
    while roles(left).count("leader") != 1:
        assert time.monotonic() < deadline, roles(left)
        time.sleep(0.05)
    until_streams(leopard, 1, timeout=5)
    for page in left:
        for n in range(1, 6):
            expect(
                note(page, re.compile(rf"During the handover {n}(?!\d)"))
            ).to_have_count(1)
        expect(unread_text(page)).to_have_text("6 unread notifications")
        expect(page.locator("#conn")).to_have_text("Live")
    assert sorted(roles(left)) == ["follower", "leader"]

    # And the new leader passes on what comes next.
    leopard.notify(bob, "After the handover")
    for page in left:
        expect(note(page, "After the handover")).to_have_count(1)
    assert streams_open(leopard) == 1


def test_without_web_locks_each_tab_keeps_its_own_stream(leopard, new_context):
    bob = leopard.make_user("Bob Chen")
    until_streams(leopard, 0)
    context = new_context()
    context.add_init_script("delete Navigator.prototype.locks")
    pages = tabs(leopard, context, bob, 2)
    until_streams(leopard, 2)
    assert roles(pages) == ["own", "own"]
    leopard.notify(bob, "Each tab hears it")
    for page in pages:
        expect(note(page, "Each tab hears it")).to_have_count(1)
