"""Deadlines in a real Chromium, at an office in Sydney with NSW's public
holidays, seen from a browser in New York: a passport's expiry arrives live
and leads to its client's page, and the deadlines list it with a task by the
office's days; the calendar feed's address is made and serves both; a task
"in 3 business days" gets the office's date; a task's client shows its
documents."""

import re
import urllib.request
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from ..support.inbox import console_problems, note, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

expect.set_options(timeout=10_000)
SYDNEY = ZoneInfo("Australia/Sydney")


@pytest.fixture(scope="module")
def leopard(start_leopard):
    env = {
        "LEOPARD_TIMEZONE": "Australia/Sydney",
        "LEOPARD_HOLIDAYS": "AU-NSW",
        "LEOPARD_REMINDER_INTERVAL": "0.3",
    }
    return start_leopard("deadlines", **env)


def made(leopard, path, body, token=None):
    status, data = leopard.call("POST", path, body, token or leopard.admin_token)
    assert status == 201, data
    return data


def office_today():
    return datetime.now(SYDNEY).date()


def test_a_passport_expiring_arrives_live_and_shows_in_the_deadlines(
    leopard, new_context
):
    alice = leopard.make_user("Alice Martin")
    page = new_context(locale="en-AU", timezone_id="America/New_York").new_page()
    problems = console_problems(page)
    sign_in(page, leopard, alice)

    ana = made(leopard, "/api/v1/clients/", {"first_name": "Ana", "last_name": "Ruiz"})
    expires = office_today() + timedelta(days=29)
    body = {
        "client_id": ana["id"],
        "kind": "PASSPORT",
        "number": "PA-SECRET-77",
        "expires_on": expires.isoformat(),
        "responsible_id": alice.id,
    }
    made(leopard, "/api/v1/documents/", body)
    row = note(page, "Passport expires in 29 days: Ana Ruiz")
    expect(row).to_be_visible()  # live, from the sweeper, no reload
    expect(row.locator(".kind")).to_have_text("Expiring")

    due = datetime.now(UTC) + timedelta(days=3)
    leopard.create_task(
        alice, title="Lodge the 482", assigned_to=alice.id, due_date=due.isoformat()
    )
    row.click()  # a document's notification leads to its client's page
    expect(page).to_have_url(f"{leopard.url}/#client/{ana['id']}")
    documents = page.locator("#case-documents > li")
    expect(documents).to_have_count(1)
    expect(documents.first).to_contain_text("Passportexpires in 29 days")
    page.get_by_role("link", name="Deadlines").click()
    expect(page).to_have_url(leopard.url + "/#deadlines")
    view = page.locator("#deadlines-view")
    expect(view).to_be_visible()
    expect(page.locator("#main")).to_be_hidden()
    days = view.locator(".deadline-day")
    expect(days).to_have_count(2)
    expect(days.nth(0)).to_contain_text("Lodge the 482")
    expect(days.nth(0)).to_contain_text("In 3 days")
    expect(days.nth(1)).to_contain_text("PassportAna Ruiz: expires in 29 days")
    # The office's date of the expiry, whatever the browser's zone.
    expect(days.nth(1).locator("h3")).to_contain_text(f"{expires.day}")
    expect(days.nth(1).locator("h3")).to_contain_text(str(expires.year))

    page.get_by_role("button", name="Make my feed address").click()
    address = page.get_by_label("Feed address")
    expect(address).to_have_value(re.compile(r"/api/v1/calendar/feed/[\w-]+\.ics$"))
    url = address.input_value()
    path = url.split("/api/v1/", 1)[1]
    with urllib.request.urlopen(f"{leopard.url}/api/v1/{path}", timeout=10) as resp:
        feed = resp.read().decode()
    assert "SUMMARY:Lodge the 482" in feed
    assert "SUMMARY:Passport expires: Ana Ruiz" in feed
    assert "PA-SECRET-77" not in feed

    page.get_by_role("link", name="Inbox").click()
    expect(page.locator("#main")).to_be_visible()
    expect(view).to_be_hidden()
    assert problems == []


def test_a_task_in_business_days_gets_the_offices_date(leopard, new_context):
    alice = leopard.make_user("Alice Martin")
    page = new_context(locale="en-AU", timezone_id="America/New_York").new_page()
    sign_in(page, leopard, alice)
    status, answer = leopard.call(
        "GET",
        f"/api/v1/calendar/business-days/?from={office_today()}&add=3",
        token=alice.token,
    )
    assert status == 200
    day = datetime.fromisoformat(answer["date"]).date()

    page.get_by_role("button", name="New task").click()
    page.get_by_label("Title").fill("Reply to the department")
    page.get_by_label("Or due in business days").fill("3")
    hint = page.locator("#tf-due-days-hint")
    expect(hint).to_contain_text("at 17:00 (office time)")
    expect(hint).to_contain_text(str(day.year))
    page.get_by_role("button", name="Create task").click()
    expect(page.locator("#task-form-dialog")).to_be_hidden()
    status, tasks = leopard.call(
        "GET", "/api/v1/tasks/?created_by=me", token=alice.token
    )
    [task] = [t for t in tasks["results"] if t["title"] == "Reply to the department"]
    due = datetime.fromisoformat(task["due_date"]).astimezone(SYDNEY)
    assert (due.date(), due.hour, due.minute) == (day, 17, 0)

    # Both ways at once: the form says so and creates nothing.
    page.get_by_role("button", name="New task").click()
    page.get_by_label("Title").fill("Two deadlines")
    page.locator("#tf-due").fill("2031-01-01T10:00")
    page.get_by_label("Or due in business days").fill("2")
    page.get_by_role("button", name="Create task").click()
    expect(page.locator("#task-form-error")).to_contain_text("not both")


def test_a_tasks_client_shows_its_documents(leopard, new_context):
    alice = leopard.make_user("Alice Martin")
    ana = made(leopard, "/api/v1/clients/", {"first_name": "Ana", "last_name": "Ruiz"})
    expires = office_today() + timedelta(days=10)
    made(
        leopard,
        "/api/v1/documents/",
        {"client_id": ana["id"], "kind": "VISA", "expires_on": expires.isoformat()},
    )
    task = leopard.create_task(alice, title="Renew the visa", client_id=ana["id"])
    page = new_context(locale="en-AU", timezone_id="UTC").new_page()
    sign_in(page, leopard, alice)
    page.goto(f"{leopard.url}/#task/{task['id']}")
    docs = page.locator("#task-document-list > li")
    expect(docs).to_have_count(1)
    expect(docs.first).to_contain_text("Visaexpires in 10 days")
