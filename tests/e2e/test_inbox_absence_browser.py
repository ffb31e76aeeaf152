"""Absence and escalation in a real Chromium, at an office in Sydney: Tom
says he is away (from, until, who stands in, a note) from the user menu and
sees it beside his name; a colleague's assignee picker marks him with his
delegate, and a task for him lands with her; he ends it; an admin sets and
ends a colleague's absence from the teams page; an escalation stands out in
the lead's notifications, with why; at phone width nothing scrolls
sideways."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from ..support.inbox import console_problems, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

expect.set_options(timeout=10_000)
SYDNEY = ZoneInfo("Australia/Sydney")
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def leopard(start_leopard):
    return start_leopard("absence", LEOPARD_TIMEZONE="Australia/Sydney")


def short_day(day) -> str:
    """A day as the page writes it in en-AU, short: "14 Dec"."""
    return f"{day.day} {day:%b}"


def test_away_from_the_user_menu_sends_new_tasks_to_the_delegate(leopard, new_context):
    tom = leopard.make_user("Tom Becker")
    ana = leopard.make_user("Ana Lima")
    maria = leopard.make_user("Maria Kowalski")
    office_today = datetime.now(SYDNEY).date()
    last = office_today + timedelta(days=6)
    # Maria's page is open before Tom goes away: her picker learns of it
    # when she opens "New task".
    maria_page = new_context(locale="en-AU", timezone_id="Europe/Berlin").new_page()
    maria_problems = console_problems(maria_page)
    sign_in(maria_page, leopard, maria)

    page = new_context(locale="en-AU", timezone_id="America/New_York").new_page()
    problems = console_problems(page)
    sign_in(page, leopard, tom)
    expect(page.locator("#me-away")).to_be_hidden()
    page.get_by_role("button", name="Away", exact=True).click()
    dialog = page.locator("#away-dialog")
    expect(dialog.locator("#away-current")).to_be_hidden()
    expect(dialog.get_by_label("Away from")).to_have_value(office_today.isoformat())
    # Without someone to stand in, it says so.
    dialog.get_by_label("Until").fill(last.isoformat())
    dialog.get_by_role("button", name="Save absence").click()
    expect(dialog.locator("#away-error")).to_have_text("Choose who stands in for you.")
    dialog.get_by_label("Who stands in").select_option(str(ana.id))
    dialog.get_by_label("Note").fill("Annual leave")
    dialog.get_by_role("button", name="Save absence").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#me-away")).to_have_text(f"Away until {short_day(last)}")

    # Stored as the office's days: from the start of today in Sydney to the
    # start of the day after the last (whatever the browser's zone).
    _, answer = leopard.call("GET", "/api/v1/users/me/absence/", token=tom.token)
    absence = answer["absence"]
    start = datetime.combine(office_today, datetime.min.time(), SYDNEY)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), SYDNEY)
    assert datetime.fromisoformat(absence["starts_at"]) == start
    assert datetime.fromisoformat(absence["ends_at"]) == end
    assert (absence["delegate_id"], absence["note"], absence["current"]) == (
        ana.id,
        "Annual leave",
        True,
    )

    page.get_by_role("button", name="Away", exact=True).click()
    expect(dialog.locator("#away-current-text")).to_have_text(
        re.compile(
            rf"^You are away until \w+, {last.day} {last:%b} {last.year} "
            rf"\(Annual leave\); {ana.full_name} stands in\.$"
        )
    )
    expect(dialog.get_by_label("Until")).to_have_value(last.isoformat())
    dialog.locator("[data-close]").first.click()

    # Maria's picker marks Tom, with who gets his tasks; one for him goes to Ana.
    maria_page.get_by_role("button", name="New task").click()
    picker = maria_page.get_by_label("Assign to")
    marked = (
        f"{tom.full_name} (@{tom.username}) — away until {short_day(last)}, "
        f"goes to {ana.full_name}"
    )
    expect(picker.locator(f"option[value='{tom.id}']")).to_have_text(marked)
    expect(picker.locator(f"option[value='{ana.id}']")).to_have_text(
        f"{ana.full_name} (@{ana.username})"
    )
    maria_page.get_by_label("Title").fill("Call the employer")
    picker.select_option(str(tom.id))
    maria_page.get_by_role("button", name="Create task").click()
    expect(maria_page.locator("#toast")).to_have_text(
        f"Task created for {ana.full_name}."
    )
    _, made = leopard.call(
        "GET", f"/api/v1/tasks/?created_by={maria.id}", token=maria.token
    )
    [task] = made["results"]
    assert (task["assigned_to"], task["delegated_from"]) == (ana.id, tom.id)
    maria_page.goto(f"{leopard.url}/#task/{task['id']}")
    expect(maria_page.locator("#task-facts")).to_contain_text(
        f"Standing in for{tom.full_name}, who is away"
    )

    # Back: he ends it, and his name is no longer marked.
    page.get_by_role("button", name="Away", exact=True).click()
    dialog.get_by_role("button", name="I am back: end it").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#me-away")).to_be_hidden()
    _, answer = leopard.call("GET", "/api/v1/users/me/absence/", token=tom.token)
    assert answer["absence"] is None
    assert problems == [], problems
    assert maria_problems == [], maria_problems


def test_an_escalation_stands_out_with_its_reason(leopard, new_context):
    maria = leopard.make_user("Maria Kowalski")
    tom = leopard.make_user("Tom Becker")
    task = leopard.create_task(
        maria, title="Lodge the 482 today", assigned_to=tom.id, priority="URGENT"
    )
    page = new_context(viewport=PHONE, locale="en-AU").new_page()
    problems = console_problems(page)
    sign_in(page, leopard, maria)
    # What the sweeper sends a lead (LEOPARD_ESCALATE_UNSEEN), as it sends it.
    meta = {"task_id": task["id"], "reason": "unseen", "assignee_id": tom.id}
    leopard.notify(
        maria,
        f"Not seen yet: {task['title']}",
        notification_type="TASK_ESCALATED",
        message=f"{tom.full_name} has not yet seen this urgent task assigned to them.",
        meta_info=meta,
    )
    leopard.notify(maria, "Office closed on Friday")
    row = page.locator("#note-list > li", has_text="Not seen yet: Lodge the 482 today")
    expect(row).to_have_class(re.compile(r"\bescalated\b"))
    expect(row.locator(".kind")).to_have_text("Escalated: not seen in time")
    plain = page.locator("#note-list > li", has_text="Office closed on Friday")
    expect(plain).not_to_have_class(re.compile(r"\bescalated\b"))
    # Its mark is plain to see: a bar down its side.
    shadow = row.evaluate("li => getComputedStyle(li).boxShadow")
    assert "inset" in shadow, shadow
    row.get_by_role("link").click()
    expect(page).to_have_url(f"{leopard.url}/#task/{task['id']}")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert problems == [], problems


def test_a_copy_for_a_delegate_says_for_whom(leopard, new_context):
    ana = leopard.make_user("Ana Lima")
    tom = leopard.make_user("Tom Becker")
    page = new_context(locale="en-AU").new_page()
    sign_in(page, leopard, ana)
    leopard.notify(
        ana,
        "Task overdue: Renew the visa",
        notification_type="TASK_OVERDUE",
        meta_info={"on_behalf_of": tom.id},
    )
    row = page.locator("#note-list > li", has_text="Renew the visa")
    expect(row.locator(".note-behalf")).to_have_text(
        f"For {tom.full_name}, who is away"
    )


def test_an_admin_sets_and_ends_a_colleagues_absence(leopard, new_context):
    boss = leopard.make_user("Olga Admin", role="admin")
    tom = leopard.make_user("Tom Becker")
    ana = leopard.make_user("Ana Lima")
    office_today = datetime.now(SYDNEY).date()
    last = office_today + timedelta(days=3)
    page = new_context(locale="en-AU", timezone_id="Europe/Berlin").new_page()
    problems = console_problems(page)
    sign_in(page, leopard, boss)
    page.goto(f"{leopard.url}/#admin/teams")
    row = page.locator("#people-list > li", has_text=f"@{tom.username}")
    expect(row.locator(".person-absence")).to_have_text("At work")

    # Tom is off sick: Olga says so for him, Ana standing in.
    row.get_by_role("button", name=f"Absence of {tom.full_name}").click()
    dialog = page.locator("#away-dialog")
    expect(dialog.locator("#away-heading")).to_have_text(f"Away: {tom.full_name}")
    expect(dialog.locator("#away-current")).to_be_hidden()
    picker = dialog.get_by_label("Who stands in")
    expect(picker.locator(f"option[value='{tom.id}']")).to_have_count(0)
    dialog.get_by_label("Until").fill(last.isoformat())
    dialog.get_by_role("button", name="Save absence").click()
    expect(dialog.locator("#away-error")).to_have_text(
        f"Choose who stands in for {tom.full_name}."
    )
    picker.select_option(str(ana.id))
    dialog.get_by_label("Note").fill("Sick leave")
    dialog.get_by_role("button", name="Save absence").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#toast")).to_have_text(
        f"Saved: {ana.full_name} gets what is assigned to {tom.full_name} "
        "while they are away."
    )
    expect(row.locator(".person-absence")).to_have_text(
        re.compile(
            rf"^{tom.full_name} is away until \w+, {last.day} {last:%b} {last.year} "
            rf"\(Sick leave\); {ana.full_name} stands in\.$"
        )
    )
    expect(row.get_by_role("button")).to_have_text("Change absence")
    # Olga's own absence is untouched; Tom's is stored as the office's days.
    _, mine = leopard.call("GET", "/api/v1/users/me/absence/", token=boss.token)
    assert mine["absence"] is None
    _, answer = leopard.call("GET", "/api/v1/users/me/absence/", token=tom.token)
    absence = answer["absence"]
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), SYDNEY)
    assert datetime.fromisoformat(absence["ends_at"]) == end
    assert (absence["delegate_id"], absence["note"], absence["current"]) == (
        ana.id,
        "Sick leave",
        True,
    )
    task = leopard.create_task(boss, title="Call the tribunal", assigned_to=tom.id)
    assert (task["assigned_to"], task["delegated_from"]) == (ana.id, tom.id)

    # He is back early: Olga ends it.
    row.get_by_role("button", name=f"Absence of {tom.full_name}").click()
    expect(dialog.locator("#away-current-text")).to_contain_text(
        f"{tom.full_name} is away until"
    )
    dialog.get_by_role("button", name="End it now").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#toast")).to_have_text(
        f"Ended: what is assigned to {tom.full_name} goes to them again."
    )
    expect(row.locator(".person-absence")).to_have_text("At work")
    _, answer = leopard.call("GET", "/api/v1/users/me/absence/", token=tom.token)
    assert answer["absence"] is None

    # Her own Away, from the user menu, is hers again.
    page.get_by_role("button", name="Away", exact=True).click()
    expect(dialog.locator("#away-heading")).to_have_text("Away")
    expect(dialog.get_by_role("button", name="Save absence")).to_be_visible()
    expect(picker.locator(f"option[value='{tom.id}']")).to_have_count(1)
    expect(picker.locator(f"option[value='{boss.id}']")).to_have_count(0)
    assert problems == [], problems
