"""The inbox's tasks in a real Chromium: a new task names its client and
visa application, due dates read by one rule, and phones get a tab bar."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from ..support.inbox import console_problems, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

expect.set_options(timeout=10_000)
PHONE = {"width": 390, "height": 844}


def made(leopard, path, body):
    status, data = leopard.call("POST", path, body, leopard.admin_token)
    assert status == 201, data
    return data


def test_a_new_task_names_its_client_and_visa_application(leopard, new_context):
    alice, bob = leopard.make_user("Alice Martin"), leopard.make_user("Maria K")
    ana = made(leopard, "/api/v1/clients/", {"first_name": "Ana", "last_name": "Ruiz"})
    made(leopard, "/api/v1/clients/", {"first_name": "Anabel", "last_name": "Ortiz"})
    visa = {"client_id": ana["id"], "visa_type": "Skilled worker (482)"}
    skilled = made(leopard, "/api/v1/visa-applications/", {**visa, "reference": "T-1"})
    made(leopard, "/api/v1/visa-applications/", {**visa, "visa_type": "Partner (820)"})
    page = new_context().new_page()
    sign_in(page, leopard, alice)

    page.get_by_role("button", name="New task").click()
    page.get_by_label("Title").fill("Certify the passport for the 482")
    page.get_by_label("Assign to").select_option(f"{bob.id}")
    expect(page.get_by_label("Visa application")).to_be_disabled()
    client = page.get_by_role("searchbox", name="Client")
    client.fill("ruiz")
    options = page.locator("#tf-client-results .picker-option")
    expect(options).to_have_text(["Ana Ruiz"])
    # Typed but not picked: the form says so rather than drop it.
    page.get_by_role("button", name="Create task").click()
    expect(page.locator("#task-form-error")).to_contain_text("Pick the client")
    options.first.click()
    expect(client).to_have_value("Ana Ruiz")
    choice = page.get_by_label("Visa application")
    expect(choice).to_be_enabled()
    expect(choice.locator("option")).to_have_text(  # newest first
        [
            "None",
            "Partner (820) · To be applied",
            "Skilled worker (482) (T-1) · To be applied",
        ]
    )
    choice.select_option(f"{skilled['id']}")
    page.get_by_role("button", name="Create task").click()
    expect(page.get_by_role("dialog")).to_be_hidden()

    row = page.locator("#task-list > li", has_text="Certify the passport for the 482")
    task_id = row.get_attribute("data-id")
    _, task = leopard.call("GET", f"/api/v1/tasks/{task_id}/", None, alice.token)
    assert (task["client_id"], task["visa_application_id"]) == (
        ana["id"],
        skilled["id"],
    )
    row.get_by_role("link").click()
    facts = page.locator("#task-facts")
    expect(facts).to_contain_text("ClientAna Ruiz")
    expect(facts).to_contain_text(
        "Visa applicationSkilled worker (482) (T-1) · To be applied"
    )


def when(**delta) -> datetime:
    return datetime.now(UTC) + timedelta(**delta)


def day(moment: datetime) -> str:
    return f"{moment:%b} {moment.day}, {moment.year}"  # en-US, medium


def test_due_dates_are_relative_within_a_week_and_dated_beyond(leopard, new_context):
    alice, bob = leopard.make_user("Alice Martin"), leopard.make_user("Bob Chen")
    soon, late, far = when(days=3, hours=2), when(days=-2, hours=-1), when(days=20)
    for title, due in (("Soon", soon), ("Late", late), ("Far", far)):
        leopard.create_task(
            alice, title=f"{title} task", assigned_to=bob.id, due_date=due.isoformat()
        )
    page = new_context(locale="en-US", timezone_id="UTC").new_page()
    sign_in(page, leopard, bob)

    def due(title):
        return page.locator("#task-list > li", has_text=f"{title} task").locator(".due")

    expect(due("Soon")).to_have_text("Due in 3 days")
    expect(due("Late")).to_have_text("Overdue by 2 days")
    expect(due("Late")).to_have_class(re.compile(r"\boverdue\b"))
    expect(due("Far")).to_have_text(f"Due {day(far)}")
    # The full date and time, always, on hover.
    for title, moment in (("Soon", soon), ("Late", late), ("Far", far)):
        expect(due(title).locator("time")).to_have_attribute(
            "title", re.compile(rf"^{day(moment)}, \d{{1,2}}:\d\d\W[AP]M$")
        )
    # The task view says the same.
    page.locator("#task-list > li", has_text="Late task").get_by_role("link").click()
    expect(page.locator("#task-facts")).to_contain_text("DueOverdue by 2 days")
    # Bob neither created nor assigned it: no receipt, and no stray "null"
    # where the receipt would be.
    expect(page.locator("#task-facts")).to_contain_text("Assigned byAlice Martin")
    expect(page.locator("#task-facts")).not_to_contain_text("null")
    expect(page.locator("#task-facts")).not_to_contain_text("Receipt")


def test_a_phone_shows_the_name_and_a_tab_bar_for_the_tasks(leopard, new_context):
    alice, bob = leopard.make_user("Alice Martin"), leopard.make_user("Bob Chen")
    for n in range(1, 9):  # enough notifications to fill the screen
        leopard.notify(bob, f"Notice number {n}", message="A line of text. " * 6)
    leopard.create_task(alice, title="Renew the bridging visa", assigned_to=bob.id)
    page = new_context(viewport=PHONE).new_page()
    problems = console_problems(page)
    sign_in(page, leopard, bob)

    expect(page.locator("#me-name")).to_have_text("Bob Chen")
    expect(page.locator("#me-name")).to_be_in_viewport(ratio=1)
    tabs = page.get_by_role("tablist", name="Sections")
    expect(tabs.get_by_role("tab", name="Notifications")).to_have_attribute(
        "aria-selected", "true"
    )
    expect(page.locator("#task-list")).to_be_hidden()

    tabs.get_by_role("tab", name="Tasks").click()
    task = page.locator("#task-list > li", has_text="Renew the bridging visa")
    expect(task).to_be_in_viewport(ratio=1)
    expect(page.get_by_role("heading", name="Notifications")).to_be_hidden()
    expect(tabs.get_by_role("tab", name="Tasks")).to_have_attribute(
        "aria-selected", "true"
    )
    # The badge leads back to the notifications.
    page.locator("#unread").click()
    expect(page.locator("#note-list > li").first).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert problems == [], problems


def test_a_desk_shows_both_panels_without_a_tab_bar(leopard, new_context):
    bob = leopard.make_user("Bob Chen")
    page = new_context(viewport={"width": 1280, "height": 800}).new_page()
    sign_in(page, leopard, bob)
    expect(page.get_by_role("tablist", name="Sections")).to_be_hidden()
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    expect(page.get_by_role("heading", name="Tasks")).to_be_visible()
    expect(page.locator("#me-name")).to_be_visible()
