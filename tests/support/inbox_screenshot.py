"""Make the README's pictures of the web inbox, with realistic data:

    .venv/bin/python -m tests.support.inbox_screenshot [docs/inbox.png]

Starts `python run.py` on a throwaway embedded database, fills it through the
API as a small office would, signs in as Maria in Chromium and saves the page
(a task's updates grouped in one row); then Tom, who gave her a task she saw
and read, opens it: that view, with its receipt, goes to inbox-task.png
beside the first.
"""

import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import sync_playwright

from .common import ROOT, data_directory
from .inbox import Leopard, launch, sign_in


def iso(**delta) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).isoformat()


def fill(server: Leopard):
    maria = server.make_user("Maria Kowalski", "maria")
    tom = server.make_user("Tom Becker", "tom")
    priya = server.make_user("Priya Shah", "priya")

    def call(method, path, body=None, token=None):
        status, data = server.call(method, path, body, token)
        assert status < 300, (status, data)
        return data

    client = call(
        "POST",
        "/api/v1/clients/",
        {"first_name": "Ana", "last_name": "Ruiz", "email": "ana.ruiz@example.com"},
        tom.token,
    )
    server.create_task(
        tom,
        title="Book biometrics appointment for the Nguyen family",
        priority="LOW",
        due_date=iso(days=9),
        assigned_to=maria.id,
    )
    server.create_task(
        priya,
        title="Translate birth certificate for Ana Ruiz",
        priority="MEDIUM",
        due_date=iso(days=3, hours=4),
        assigned_to=maria.id,
        client_id=client["id"],
    )
    server.notify(
        maria,
        "Office closed on Monday",
        message="Public holiday: streams and tasks carry on as usual on Tuesday.",
    )
    visa = call(
        "POST",
        "/api/v1/visa-applications/",
        {"client_id": client["id"], "visa_type": "Skilled worker (482)"},
        priya.token,
    )
    call(
        "PATCH",
        f"/api/v1/visa-applications/{visa['id']}/",
        {"assigned_to": maria.id},
        priya.token,
    )
    urgent = server.create_task(
        tom,
        title="Lodge the partner visa for Ana Ruiz",
        detail="All documents are in. Lodge before the fee increase.",
        priority="URGENT",
        due_date=iso(hours=20),
        assigned_to=maria.id,
        client_id=client["id"],
    )
    call(
        "POST",
        f"/api/v1/tasks/{urgent['id']}/comments/",
        {"body": f"@{maria.username} the police certificate arrived this morning."},
        priya.token,
    )
    for change in (
        {"due_date": iso(hours=18)},
        {"status": "IN_PROGRESS"},
    ):
        call("PATCH", f"/api/v1/tasks/{urgent['id']}/", change, tom.token)
    page = call("GET", "/api/v1/notifications/?limit=10", token=maria.token)
    oldest = [n["id"] for n in page["results"][-2:]]
    call(
        "POST",
        "/api/v1/notifications/bulk/",
        {"action": "mark_read", "ids": oldest},
        maria.token,
    )
    return maria, tom, client, visa


def task_view(server, browser, maria_page, tom, client, visa, out: Path):
    """Tom gives Maria a task while her inbox is open; she opens it; Tom's
    view of it then shows when she saw and read it."""
    title = "Send the skills assessment to Ana Ruiz"
    task = server.create_task(
        tom,
        title=title,
        detail="The assessment letter came in today; scan it in colour.",
        priority="HIGH",
        due_date=iso(days=2, hours=3),
        assigned_to=maria_page.maria.id,
        client_id=client["id"],
        visa_application_id=visa["id"],
    )
    row = maria_page.locator("#note-list > li", has_text=title)
    row.wait_for()
    time.sleep(1.5)  # seen first, read a moment later
    row.locator(".note-message").click()
    maria_page.get_by_label("Add a comment").fill("On it: I will send it by noon.")
    maria_page.get_by_role("button", name="Comment").click()
    maria_page.locator("#comment-list li").first.wait_for()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # delivered_at is written in batches
        _, seen = server.call("GET", f"/api/v1/tasks/{task['id']}/", token=tom.token)
        if seen["assignee_seen_at"] and seen["assignee_read_at"]:
            break
        time.sleep(0.1)
    context = browser.new_context(
        viewport={"width": 1200, "height": 720}, device_scale_factor=2
    )
    page = context.new_page()
    sign_in(page, server, tom)
    page.goto(f"{server.url}/#task/{task['id']}")
    page.locator("#task-facts", has_text="read at").wait_for()
    page.locator("#comment-list li").first.wait_for()
    page.mouse.move(10, 700)
    time.sleep(0.3)
    page.screenshot(path=str(out), animations="disabled")


def main(out: Path) -> None:
    with data_directory() as path:
        server = Leopard(path, path / "server.log").start()
        try:
            maria, tom, client, visa = fill(server)
            with sync_playwright() as playwright:
                browser = launch(playwright)
                context = browser.new_context(
                    viewport={"width": 1200, "height": 720}, device_scale_factor=2
                )
                page = context.new_page()
                page.maria = maria
                sign_in(page, server, maria)
                page.locator(".note.group").first.wait_for()
                page.mouse.move(1100, 700)  # hover nothing
                time.sleep(0.3)
                page.screenshot(path=str(out), animations="disabled")
                second = out.with_name("inbox-task.png")
                task_view(server, browser, page, tom, client, visa, second)
                browser.close()
        finally:
            server.stop()
    print(f"saved {out} and {second}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "inbox.png")
