"""The inbox's preferences panel and its "emailed" mark, in a real Chromium
against a real `python run.py` that emails to its log (LEOPARD_SMTP_URL=log:)."""

import time

import pytest
from playwright.sync_api import expect, sync_playwright

from ..support.inbox import launch, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

expect.set_options(timeout=10_000)
P = "/api/v1/users/me/preferences/"


@pytest.fixture(scope="module")
def leopard(start_leopard):
    env = {"LEOPARD_SMTP_URL": "log:", "LEOPARD_EMAIL_INTERVAL": "0.2"}
    return start_leopard("inbox-prefs", **env)


@pytest.fixture
def page():
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            yield browser.new_context().new_page()
        finally:
            browser.close()


def test_preferences_are_set_in_the_panel_and_an_emailed_note_says_so(leopard, page):
    bob = leopard.make_user("Bob Chen")
    change = {"email": "bob@example.com"}
    path = f"/api/v1/users/{bob.id}/"
    status, _ = leopard.call("PATCH", path, change, leopard.admin_token)
    assert status == 200
    sign_in(page, leopard, bob)

    page.get_by_role("button", name="Preferences").click()
    dialog = page.get_by_role("dialog", name="Notification preferences")
    expect(dialog).to_be_visible()
    muted = page.locator("#prefs-muted")
    expect(muted.get_by_label("Assigned")).not_to_be_checked()
    expect(muted.get_by_label("Announcement")).to_have_count(0)  # never muted
    muted.get_by_label("Comment").check()
    dialog.get_by_label("Email me what stays unread").check()
    page.locator("#prefs-email-types").get_by_label("Announcement").check()
    dialog.get_by_label("After how many minutes unread").fill("0")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_be_hidden()

    status, prefs = leopard.call("GET", P, None, bob.token)
    assert status == 200
    assert prefs["muted_types"] == ["TASK_COMMENT"]
    assert prefs["email"]["enabled"] is True
    assert prefs["email"]["after_minutes"] == 0
    assert "SYSTEM" in prefs["email"]["types"]

    title = "Office closed on Friday"
    note_id = leopard.notify(bob, title)
    deadline = time.monotonic() + 10
    while True:
        status, note = leopard.call(
            "GET", f"/api/v1/notifications/{note_id}/", None, bob.token
        )
        if note["emailed_at"] or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert note["emailed_at"], "the sweeper emailed it (to the log)"
    page.reload()
    row = page.locator("#note-list > li", has_text=title)
    expect(row.locator(".emailed")).to_have_text("emailed")
    # What a newcomer with LEOPARD_SMTP_URL=log: sees in the server's log.
    logged = leopard.log.read_text()
    assert "email (LEOPARD_SMTP_URL=log:)" in logged
    assert "To: bob@example.com" in logged
    assert f"Subject: Leopard: {title}" in logged

    # The panel opens again with what was saved.
    page.get_by_role("button", name="Preferences").click()
    expect(page.locator("#prefs-muted").get_by_label("Comment")).to_be_checked()
    expect(page.get_by_label("After how many minutes unread")).to_have_value("0")
