"""The web inbox in a real Chromium against a real `python run.py`: two people,
live notifications, tabs that follow each other, tasks and comments."""

import re
import time

import pytest
from playwright.sync_api import expect

from ..support.inbox import (
    UNREAD,
    Leopard,
    console_problems,
    note,
    sign_in,
    unread_text,
)

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

expect.set_options(timeout=10_000)


def test_a_task_assigned_in_one_page_reaches_the_colleague_live(leopard, new_context):
    alice, bob = leopard.make_user("Alice Martin"), leopard.make_user("Bob Chen")
    a = new_context().new_page()
    b = new_context().new_page()
    sign_in(a, leopard, alice)
    sign_in(b, leopard, bob)
    expect(unread_text(b)).to_have_text("0 unread notifications")
    b.evaluate("window.sameDocument = true")

    title = "Renew the residence permit of Ana Ruiz"
    a.get_by_role("button", name="New task").click()
    a.get_by_label("Title").fill(title)
    a.get_by_label("Priority").select_option("HIGH")
    a.get_by_label("Assign to").select_option(f"{bob.id}")
    a.get_by_role("button", name="Create task").click()
    expect(a.get_by_role("dialog")).to_be_hidden()

    first = b.locator("#note-list > li").first
    expect(first).to_contain_text(f"Task assigned: {title}")
    expect(first).to_contain_text("assigned you this task")
    expect(first).to_have_class(UNREAD)
    expect(unread_text(b)).to_have_text("1 unread notification")
    expect(b.locator("#unread-badge")).to_have_text("1")
    expect(b.locator("#task-list")).to_contain_text(title)
    assert b.evaluate("window.sameDocument") is True, "no reload happened"


def test_marking_read_in_one_tab_clears_it_in_the_other(leopard, new_context):
    bob = leopard.make_user("Bob Chen")
    context = new_context()
    one, two = context.new_page(), context.new_page()
    sign_in(one, leopard, bob)
    # The second tab signs in by itself, from the browser's refresh cookie.
    two.goto(leopard.url + "/")
    two.locator("#conn[data-state=live]").wait_for()

    leopard.notify(bob, "Office closed on Friday")
    for page in (one, two):
        expect(note(page, "Office closed on Friday")).to_have_class(UNREAD)
        expect(unread_text(page)).to_have_text("1 unread notification")

    one.get_by_role("button", name="Mark read: Office closed on Friday").click()
    expect(note(two, "Office closed on Friday")).not_to_have_class(UNREAD)
    expect(unread_text(two)).to_have_text("0 unread notifications")
    expect(two.locator("#unread-badge")).to_be_hidden()

    two.get_by_role("button", name="Mark unread: Office closed on Friday").click()
    expect(note(one, "Office closed on Friday")).to_have_class(UNREAD)
    expect(unread_text(one)).to_have_text("1 unread notification")

    leopard.notify(bob, "New visa fee schedule")
    expect(unread_text(one)).to_have_text("2 unread notifications")
    two.get_by_role("button", name="Mark all read").click()
    expect(one.locator("#note-list > li.unread")).to_have_count(0)
    expect(unread_text(one)).to_have_text("0 unread notifications")


def test_a_notification_opens_its_task_to_comment_and_mention(leopard, new_context):
    alice, bob = leopard.make_user("Alice Martin"), leopard.make_user("Bob Chen")
    a = new_context().new_page()
    b = new_context().new_page()
    sign_in(a, leopard, alice)
    sign_in(b, leopard, bob)
    title = "Collect bank statements from Li Wei"
    task = leopard.create_task(alice, title=title, assigned_to=bob.id)

    b.get_by_role("link", name=f"Task assigned: {title}").click()
    dialog = b.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name=title)).to_be_visible()
    expect(b).to_have_url(re.compile(rf"#task/{task['id']}$"))
    expect(unread_text(b)).to_have_text("0 unread notifications")  # opened: read

    comment = f"@{alice.username} the <b>scan</b> of page 2 is blurry"
    dialog.get_by_label("Add a comment").fill(comment)
    dialog.get_by_role("button", name="Comment").click()
    expect(dialog.locator("#comment-list li")).to_have_count(1)
    expect(dialog.locator(".mention")).to_have_text(f"@{alice.username}")
    dialog.get_by_label("Status").select_option("IN_PROGRESS")
    expect(
        b.get_by_role("status").filter(has_text="is now in progress")
    ).to_be_visible()

    # Both are about one task: one row, which opens to them.
    group = note(a, title)
    expect(group).to_contain_text(f"{title} — 2 updates, 2 unread")
    group.get_by_role("button", name="Show 2 updates").click()
    inside = group.locator(".group-notes > li")
    mention = inside.filter(has_text=f"Mentioned in a comment: {title}")
    expect(mention).to_contain_text("the <b>scan</b> of page 2")  # as text, not HTML
    updated = inside.filter(has_text=f"Task updated: {title}")
    expect(updated).to_contain_text("(Pending → In progress)")
    expect(unread_text(a)).to_have_text("2 unread notifications")
    mention.get_by_role("link").click()
    comments = a.get_by_role("dialog").locator("#comment-list li")
    expect(comments).to_have_text([re.compile(r"Bob Chen.*blurry")])
    assert a.locator("#comment-list b").count() == 0
    a.keyboard.press("Escape")
    expect(a.get_by_role("dialog")).to_be_hidden()
    expect(a).not_to_have_url(re.compile(r"#task"))  # waits for the URL to follow


def test_the_tasks_assigned_to_me_list_changes_status(leopard, new_context):
    alice, bob = leopard.make_user("Alice Martin"), leopard.make_user("Bob Chen")
    leopard.create_task(
        alice,
        title="Book the biometrics appointment",
        assigned_to=bob.id,
        due_date="2031-03-04T09:30:00+00:00",
        priority="URGENT",
    )
    leopard.create_task(alice, title="Not for Bob", assigned_to=alice.id)
    b = new_context().new_page()
    sign_in(b, leopard, bob)
    row = b.locator("#task-list > li", has_text="Book the biometrics appointment")
    expect(row).to_contain_text("Urgent")
    expect(row.locator("time")).to_have_attribute("datetime", re.compile("2031-03-04"))
    expect(b.locator("#task-list")).not_to_contain_text("Not for Bob")

    row.get_by_label("Status of Book the biometrics appointment").select_option(
        "COMPLETED"
    )
    expect(row).to_have_class(re.compile(r"\bdone\b"))
    b.get_by_label("Show").select_option("open")
    expect(b.locator("#task-list")).not_to_contain_text("biometrics")
    b.get_by_label("Show").select_option("all")
    expect(b.locator("#task-list")).to_contain_text("biometrics")


def test_a_bad_or_expired_token_goes_back_to_sign_in(leopard, new_context):
    page = new_context().new_page()
    page.goto(leopard.url + "/")
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password", exact=True).fill("wrong-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Wrong username or password.")

    page.evaluate(
        "sessionStorage.setItem('leopard.token', JSON.stringify("
        "{token: 'not-a-token', expiresAt: Date.now() + 60000}))"
    )
    page.reload()
    expect(page.get_by_role("alert")).to_contain_text("session has expired")
    expect(page.get_by_label("Username")).to_be_focused()


def test_sign_out_forgets_the_token(leopard, new_context):
    bob = leopard.make_user("Bob Chen")
    page = new_context().new_page()
    sign_in(page, leopard, bob)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_label("Username")).to_be_visible()
    assert page.evaluate("sessionStorage.getItem('leopard.token')") is None
    page.reload()
    expect(page.get_by_label("Username")).to_be_visible()


def test_the_page_has_no_console_errors_at_desk_and_phone_widths(leopard, new_context):
    alice, bob = leopard.make_user("Alice Martin"), leopard.make_user("Bob Chen")
    leopard.notify(bob, "Welcome to Leopard")
    leopard.create_task(alice, title="Check the passport expiry", assigned_to=bob.id)
    for viewport in ({"width": 1280, "height": 800}, {"width": 390, "height": 844}):
        page = new_context(viewport=viewport).new_page()
        problems = console_problems(page)
        sign_in(page, leopard, bob)
        expect(note(page, "Welcome to Leopard")).to_be_visible()
        if viewport["width"] < 760:  # a phone shows one panel: the tab bar
            page.get_by_role("tab", name="Tasks").click()
        page.get_by_role("button", name="New task").click()
        expect(page.get_by_label("Title")).to_be_focused()
        page.keyboard.press("Escape")
        page.locator("#task-list").get_by_role("link").first.click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_label("Add a comment").fill(f"Done, @{alice.username}")
        dialog.get_by_role("button", name="Comment").click()
        expect(dialog.locator("#comment-list li").last).to_contain_text("Done")
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], "nothing overflows sideways"
        assert problems == [], problems


def test_the_stream_reconnects_after_a_restart_and_misses_nothing(
    tmp_path, data_dir, database, new_context
):
    server = Leopard(
        data_dir,
        tmp_path / "server.log",
        LEOPARD_DATABASE_URL=database,
        LEOPARD_SSE_RETRY_MS="300",
    )
    server.start()
    try:
        alice, bob = server.make_user("Alice Martin"), server.make_user("Bob Chen")
        page = new_context().new_page()
        sign_in(page, server, bob)
        server.stop()
        expect(page.locator("#conn")).to_have_text("Reconnecting…")
        # The stream cookie is gone too: the browser's own retry is refused
        # (401), and the page must fetch a new ticket and reopen by itself.
        page.context.clear_cookies()
        server.start()
        server.create_task(alice, title="Call the consulate", assigned_to=bob.id)
        expect(note(page, "Task assigned: Call the consulate")).to_be_visible()
        expect(page.locator("#conn")).to_have_text("Live")
        expect(unread_text(page)).to_have_text("1 unread notification")
    finally:
        server.stop()


def test_the_inbox_stays_signed_in_past_its_tokens_and_misses_nothing(
    tmp_path, data_dir, database, new_context
):
    """Access tokens of 6 s: the page renews its token and its stream ticket
    by itself, the stream ended by each old token reconnects with
    Last-Event-ID, and what was sent meanwhile all arrives, once."""
    server = Leopard(
        data_dir,
        tmp_path / "server.log",
        LEOPARD_DATABASE_URL=database,
        LEOPARD_JWT_TTL="6",
        LEOPARD_SSE_RETRY_MS="500",
    )
    server.start()
    try:
        bob = server.make_user("Bob Chen")
        page = new_context().new_page()
        problems = console_problems(page)
        sign_in(page, server, bob)
        first = page.evaluate("JSON.parse(sessionStorage.getItem('leopard.token'))")
        started = time.monotonic()
        sent = 0
        while time.monotonic() - started < 20:
            time.sleep(2)
            sent += 1
            server.admin_token = server.token()  # the test's own expire too
            server.notify(bob, f"Update number {sent}")
        for n in range(1, sent + 1):
            expect(note(page, re.compile(rf"Update number {n}(?!\d)"))).to_have_count(1)
        expect(unread_text(page)).to_have_text(f"{sent} unread notifications")
        expect(page.get_by_label("Username")).to_be_hidden()
        expect(page.locator("#conn")).to_have_text("Live")
        now = page.evaluate("JSON.parse(sessionStorage.getItem('leopard.token'))")
        assert now["token"] != first["token"] and now["expiresAt"] > first["expiresAt"]
        # No sign-in form and no error on the way; the page still acts.
        assert not [p for p in problems if "401" not in p], problems
        page.get_by_role("button", name="Mark all read").click()
        expect(unread_text(page)).to_have_text("0 unread notifications")
    finally:
        server.stop()


def test_a_reload_and_a_new_tab_sign_in_from_the_refresh_cookie(leopard, new_context):
    bob = leopard.make_user("Bob Chen")
    leopard.notify(bob, "Kept across tabs")
    context = new_context()
    page = context.new_page()
    sign_in(page, leopard, bob)
    page.evaluate("sessionStorage.clear()")  # as a tab opened afresh has it
    page.reload()
    page.locator("#conn[data-state=live]").wait_for()
    expect(page.locator("#me-name")).to_have_text("Bob Chen")
    other = context.new_page()
    other.goto(leopard.url + "/")
    other.locator("#conn[data-state=live]").wait_for()
    expect(note(other, "Kept across tabs")).to_be_visible()
    # Sign out ends the session: a new tab now shows the sign-in form.
    other.get_by_role("button", name="Sign out").click()
    expect(other.get_by_label("Username")).to_be_visible()
    third = context.new_page()
    third.goto(leopard.url + "/")
    expect(third.get_by_label("Username")).to_be_visible()


def test_a_user_changes_their_password_in_the_inbox(leopard, new_context):
    bob = leopard.make_user("Bob Chen")
    page = new_context().new_page()
    sign_in(page, leopard, bob)
    page.get_by_role("button", name="Change password").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Current password").fill("not-my-password")
    dialog.get_by_label("New password", exact=False).first.fill("a-new-passphrase")
    dialog.get_by_label("New password again").fill("a-new-passphrase")
    dialog.get_by_role("button", name="Change password").click()
    expect(dialog.get_by_role("alert")).to_have_text("The current password is wrong.")
    dialog.get_by_label("Current password").fill(bob.password)
    dialog.get_by_role("button", name="Change password").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#toast")).to_contain_text("Password changed")
    status, _ = leopard.call(
        "POST",
        "/api/v1/auth/token/",
        {"username": bob.username, "password": "a-new-passphrase"},
    )
    assert status == 200


def test_signing_in_as_someone_else_in_another_tab_switches_the_first(
    tmp_path, data_dir, database, new_context
):
    """One browser, one refresh cookie: when bob signs in in a second tab, the
    first tab's next renewal names bob, and it starts over as bob rather than
    show alice's notifications under either name."""
    server = Leopard(
        data_dir,
        tmp_path / "server.log",
        LEOPARD_DATABASE_URL=database,
        LEOPARD_JWT_TTL="6",
    )
    server.start()
    try:
        alice, bob = server.make_user("Alice Martin"), server.make_user("Bob Chen")
        server.notify(alice, "For Alice only")
        context = new_context()
        one = context.new_page()
        sign_in(one, server, alice)
        expect(note(one, "For Alice only")).to_be_visible()
        two = context.new_page()
        two.goto(server.url + "/")
        two.locator("#conn[data-state=live]").wait_for()
        # Forget this tab's session (as if it were another person at the
        # desk) and sign in as bob through the form.
        two.evaluate("localStorage.clear(); sessionStorage.clear()")
        two.reload()
        sign_in(two, server, bob)
        expect(one.locator("#me-name")).to_have_text("Bob Chen", timeout=15_000)
        expect(note(one, "For Alice only")).to_have_count(0)
    finally:
        server.stop()


def test_a_created_task_is_shown_to_its_creator(leopard, new_context):
    alice, bob = leopard.make_user("Alice Martin"), leopard.make_user("Maria K")
    page = new_context().new_page()
    sign_in(page, leopard, alice)
    expect(page.locator("#task-view")).to_have_value("open")
    title = "Lodge the 482 application"
    page.get_by_role("button", name="New task").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Assign to").select_option(f"{bob.id}")
    page.get_by_role("button", name="Create task").click()
    # Not assigned to her, so "Assigned to me" would not list it.
    expect(page.locator("#task-view")).to_have_value("created")
    row = page.locator("#task-list > li", has_text=title)
    expect(row).to_be_visible()
    leopard.call(
        "POST",
        f"/api/v1/tasks/{row.get_attribute('data-id')}/comments/",
        {"body": "the passport scan is in"},
        alice.token,
    )
    page.reload()
    page.locator("#task-view").select_option("created")
    # Each part of the row apart: not "For Maria K1 comment".
    meta = page.locator("#task-list > li", has_text=title).locator(".task-meta > *")
    expect(meta.filter(has_text="For Maria K")).to_have_text("For Maria K")
    expect(meta.filter(has_text="comment")).to_have_text("1 comment")


def test_clicking_anywhere_on_a_notification_opens_its_task(leopard, new_context):
    alice, bob = leopard.make_user("Alice Martin"), leopard.make_user("Bob Chen")
    b = new_context().new_page()
    sign_in(b, leopard, bob)
    task = leopard.create_task(
        alice, title="Scan the birth certificate", assigned_to=bob.id
    )
    row = note(b, "Scan the birth certificate")
    expect(row).to_have_class(UNREAD)
    row.locator(".note-message").click()  # the message, not the title link
    expect(b).to_have_url(re.compile(rf"#task/{task['id']}$"))
    expect(b.get_by_role("dialog")).to_contain_text("Scan the birth certificate")
    expect(row).not_to_have_class(UNREAD)


def seen_by_server(leopard, user, task_id, timeout=10):
    """Until the task's assignee_seen_at is written (delivered_at is written in
    batches, every half second)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        _, task = leopard.call("GET", f"/api/v1/tasks/{task_id}/", token=user.token)
        if task["assignee_seen_at"]:
            return
        time.sleep(0.1)
    raise AssertionError("the assignment was never marked seen")


def test_the_creator_sees_when_the_assignee_saw_and_read_the_task(leopard, new_context):
    alice, bob = leopard.make_user("Alice Martin"), leopard.make_user("Maria K")
    a, b = new_context().new_page(), new_context().new_page()
    sign_in(a, leopard, alice)
    url = f"http://127.0.0.1:{leopard.port}/"
    # Assigned while her inbox is closed: listed when she opens it, but her
    # stream never carried it, so it counts as not seen (delivered_at).
    unseen = leopard.create_task(
        alice, title="Certify the translations", assigned_to=bob.id
    )
    a.goto(f"{url}#task/{unseen['id']}")
    expect(a.locator("#task-facts")).to_contain_text("Not seen yet by Maria K")
    a.get_by_role("button", name="Close").last.click()

    sign_in(b, leopard, bob)
    task = leopard.create_task(alice, title="Book the medical exam", assigned_to=bob.id)
    expect(note(b, "Book the medical exam")).to_have_class(UNREAD)  # live
    seen_by_server(leopard, alice, task["id"])
    a.goto(f"{url}#task/{task['id']}")
    expect(a.locator("#task-facts")).to_contain_text(
        re.compile(r"Seen by Maria K at \S")
    )
    expect(a.locator("#task-facts")).not_to_contain_text("read at")
    a.get_by_role("button", name="Close").last.click()

    note(b, "Book the medical exam").locator(".note-message").click()
    expect(note(b, "Book the medical exam")).not_to_have_class(UNREAD)
    a.goto(f"{url}#task/{task['id']}")
    expect(a.locator("#task-facts")).to_contain_text(
        re.compile(r"Seen by Maria K at .+ · read at \S")
    )
