"""Grouped notifications in the inbox: what one task brought is one row that
opens to its notifications, grows as more arrive, and is marked read at once,
in every tab."""

import re

import pytest
from playwright.sync_api import expect

from ..support.inbox import UNREAD, note, sign_in, unread_text

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

expect.set_options(timeout=10_000)
T = "/api/v1/tasks/"


def update(leopard, by, task, **change):
    status, _ = leopard.call("PATCH", f"{T}{task['id']}/", change, by.token)
    assert status == 200


def five_updates(leopard, alice, bob, title):
    """A task for bob and four changes to it: five notifications, the two
    oldest read."""
    task = leopard.create_task(alice, title=title, assigned_to=bob.id)
    update(leopard, alice, task, status="IN_PROGRESS")
    update(leopard, alice, task, priority="HIGH")
    update(leopard, alice, task, detail="The employer's letter is in.")
    update(leopard, alice, task, priority="URGENT")
    _, page = leopard.call("GET", "/api/v1/notifications/?limit=5", token=bob.token)
    oldest = [n["id"] for n in page["results"][-2:]]
    body = {"action": "mark_read", "ids": oldest}
    assert (
        leopard.call("POST", "/api/v1/notifications/bulk/", body, bob.token)[0] == 200
    )
    return task


def test_five_updates_to_one_task_are_one_row_that_opens(leopard, new_context):
    alice, bob = leopard.make_user("Alice Martin"), leopard.make_user("Maria K")
    title = "Lodge the 482 application"
    task = five_updates(leopard, alice, bob, title)
    leopard.notify(bob, "Office closed on Friday")  # a row of its own
    page = new_context().new_page()
    sign_in(page, leopard, bob)

    rows = page.locator("#note-list > li")
    expect(rows).to_have_count(2)
    group = page.locator(f"#note-list > li[data-group='task:{task['id']}']")
    expect(group).to_contain_text(f"{title} — 5 updates, 3 unread")
    expect(group).to_have_class(UNREAD)
    expect(unread_text(page)).to_have_text("4 unread notifications")

    group.get_by_role("button", name="Show 5 updates").click()
    inside = group.locator(".group-notes > li")
    expect(inside).to_have_count(5)
    expect(inside.first).to_contain_text("Task updated")
    expect(inside.last).to_contain_text(f"Task assigned: {title}")
    expect(group.locator(".group-notes > li.unread")).to_have_count(3)
    expect(group.get_by_role("button", name="Hide updates")).to_have_attribute(
        "aria-expanded", "true"
    )

    # A new one joins the row (and the open list) rather than adding a row.
    update(leopard, alice, task, status="PENDING")
    expect(group).to_contain_text(f"{title} — 6 updates, 4 unread")
    expect(inside).to_have_count(6)
    expect(inside.first).to_contain_text("In progress → Pending")
    expect(rows).to_have_count(2)
    expect(rows.first).to_have_attribute("data-group", f"task:{task['id']}")
    expect(unread_text(page)).to_have_text("5 unread notifications")

    # One of them opens the task and is read; the row counts one fewer.
    inside.first.locator(".note-message").click()
    expect(page).to_have_url(re.compile(rf"#task/{task['id']}$"))
    expect(group).to_contain_text(f"{title} — 6 updates, 3 unread")


def test_marking_a_group_read_clears_it_in_the_other_tab(leopard, new_context):
    alice, bob = leopard.make_user("Alice Martin"), leopard.make_user("Maria K")
    title = "Certify the passport copies"
    task = five_updates(leopard, alice, bob, title)
    context = new_context()
    one, two = context.new_page(), context.new_page()
    sign_in(one, leopard, bob)
    two.goto(leopard.url + "/")
    two.locator("#conn[data-state=live]").wait_for()
    for page in (one, two):
        expect(note(page, title)).to_contain_text(f"{title} — 5 updates, 3 unread")

    one.get_by_role("button", name=f"Mark read: {title}").click()
    for page in (two, one):
        row = note(page, title)
        expect(row).not_to_have_class(UNREAD)
        expect(row.locator(".group-count")).to_have_text(" — 5 updates")
        expect(row.get_by_role("button", name=f"Mark read: {title}")).to_be_hidden()
        expect(unread_text(page)).to_have_text("0 unread notifications")
    _, left = leopard.call(
        "GET",
        f"/api/v1/notifications/?group=task:{task['id']}&read=false",
        None,
        bob.token,
    )
    assert left["count"] == 0
