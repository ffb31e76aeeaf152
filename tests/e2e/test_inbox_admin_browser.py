"""The admin pages in a real Chromium: an admin writes a task template with
its task rows (added, removed, edited, deactivated), makes a team and
changes its leads, and adds and removes an office closure; staff see no
Admin link and are turned away from the pages' addresses; at phone width
nothing scrolls sideways."""

import re
import uuid
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from ..support.inbox import User, console_problems, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

expect.set_options(timeout=10_000)
PHONE = {"width": 390, "height": 844}


def make_admin(leopard, full_name: str) -> User:
    username = f"{full_name.split()[0].lower()}_{uuid.uuid4().hex[:6]}"
    password = "pw-" + uuid.uuid4().hex
    body = {
        "username": username,
        "password": password,
        "full_name": full_name,
        "role": "admin",
    }
    status, data = leopard.call("POST", "/api/v1/users/", body, leopard.admin_token)
    assert status == 201, data
    return User(data, password, leopard.sign_in(username, password))


def get(leopard, path, user):
    status, data = leopard.call("GET", path, token=user.token)
    assert status == 200, data
    return data


def test_an_admin_writes_a_template_with_its_task_rows(leopard, new_context):
    boss = make_admin(leopard, "Olga Admin")
    tom = leopard.make_user("Tom Becker")
    name = f"Work visa lodged {uuid.uuid4().hex[:6]}"
    body = {"name": f"Medicals {uuid.uuid4().hex[:6]}", "member_ids": [tom.id]}
    status, team = leopard.call("POST", "/api/v1/teams/", body, boss.token)
    assert status == 201, team
    page = new_context(locale="en-AU").new_page()
    problems = console_problems(page)
    sign_in(page, leopard, boss)

    page.get_by_role("link", name="Admin").click()
    expect(page).to_have_url(f"{leopard.url}/#admin/templates")
    expect(page.get_by_role("heading", name="Task templates")).to_be_visible()
    page.get_by_role("button", name="New template").click()
    dialog = page.locator("#template-dialog")
    dialog.get_by_label("Name", exact=True).fill(name)
    dialog.get_by_label("Visa type").fill("Skilled worker (482)")
    dialog.get_by_label("When the application becomes").select_option("VISA_APPLIED")
    rows = dialog.locator(".tpl-task")
    expect(rows).to_have_count(1)
    # Saving with an empty task says which one needs a title.
    dialog.get_by_role("button", name="Save template").click()
    expect(dialog.locator("#template-error")).to_have_text("Task 1 needs a title.")
    first = rows.nth(0)
    first.get_by_label("Title").fill("Request the employer's nomination")
    first.get_by_label("Priority").select_option("HIGH")
    first.get_by_label("Due in business days").fill("5")
    dialog.get_by_role("button", name="Add a task").click()
    dialog.get_by_role("button", name="Add a task").click()
    expect(rows).to_have_count(3)
    rows.nth(1).get_by_label("Title").fill("Book the medical")
    rows.nth(1).get_by_label("Assign to").select_option(f"user:{tom.id}")
    rows.nth(1).get_by_label("Details").fill("Panel physician only.")
    rows.nth(2).get_by_label("Title").fill("A step not needed")
    dialog.get_by_role("button", name="Remove task 3").click()
    expect(rows).to_have_count(2)
    expect(rows.locator("legend")).to_have_text(["Task 1", "Task 2"])
    dialog.get_by_role("button", name="Save template").click()
    expect(dialog).to_be_hidden()

    item = page.locator("#template-list > li", has_text=name)
    expect(item).to_contain_text(
        "When a Skilled worker (482) application becomes visa applied · 2 tasks"
    )
    expect(item.locator(".admin-tasks > li")).to_have_text(
        [
            "Request the employer's nomination — High · due in 5 business days"
            " · to the application's assignee",
            f"Book the medical — Medium · no due date · to {tom.full_name}",
        ]
    )
    [saved] = [
        t
        for t in get(leopard, "/api/v1/task-templates/?limit=200", boss)["results"]
        if t["name"] == name
    ]
    assert saved["active"] and saved["on_status"] == "VISA_APPLIED"
    assert [
        (
            t["title"],
            t["priority"],
            t["due_in_business_days"],
            t["assign_to"],
            t["detail"],
        )
        for t in saved["tasks"]
    ] == [
        ("Request the employer's nomination", "HIGH", 5, "application_assignee", ""),
        ("Book the medical", "MEDIUM", None, {"user": tom.id}, "Panel physician only."),
    ]

    # Edited: the form holds what was saved; tags it does not show are kept.
    tagged = [{**t, "tags": ["intake"]} for t in saved["tasks"]]
    status, _ = leopard.call(
        "PATCH", f"/api/v1/task-templates/{saved['id']}/", {"tasks": tagged}, boss.token
    )
    assert status == 200
    item.get_by_role("button", name=f"Edit {name}").click()
    expect(dialog.get_by_label("Name", exact=True)).to_have_value(name)
    expect(rows.nth(1).get_by_label("Assign to")).to_have_value(f"user:{tom.id}")
    expect(rows.nth(0).get_by_label("Due in business days")).to_have_value("5")
    rows.nth(0).get_by_label("Due in business days").fill("")
    rows.nth(0).get_by_label("Assign to").select_option("acting_user")
    rows.nth(1).get_by_label("Assign to").select_option(f"team:{team['id']}")
    dialog.get_by_role("button", name="Save template").click()
    expect(dialog).to_be_hidden()
    expect(item.locator(".admin-tasks > li")).to_have_text(
        [
            "Request the employer's nomination — High · no due date"
            " · to whoever changes the status",
            f"Book the medical — Medium · no due date · to the {team['name']} queue",
        ]
    )
    after = get(leopard, f"/api/v1/task-templates/{saved['id']}/", boss)
    assert [t["due_in_business_days"] for t in after["tasks"]] == [None, None]
    assert [t["assign_to"] for t in after["tasks"]] == [
        "acting_user",
        {"team": team["id"]},
    ]
    assert [t["tags"] for t in after["tasks"]] == [["intake"], ["intake"]]

    # Deactivated, it stays listed, marked so, and can be activated again.
    item.get_by_role("button", name=f"Deactivate {name}").click()
    expect(item).to_contain_text("Inactive")
    assert (
        get(leopard, f"/api/v1/task-templates/{saved['id']}/", boss)["active"] is False
    )
    item.get_by_role("button", name=f"Activate {name}").click()
    expect(item.locator(".chip")).to_have_text("Active")
    assert (
        get(leopard, f"/api/v1/task-templates/{saved['id']}/", boss)["active"] is True
    )
    assert problems == [], problems


def test_an_admin_makes_a_team_and_changes_its_leads(leopard, new_context):
    boss = make_admin(leopard, "Olga Admin")
    maria = leopard.make_user("Maria Kowalski")
    tom = leopard.make_user("Tom Becker")
    name = f"Intake {uuid.uuid4().hex[:6]}"
    page = new_context(locale="en-AU").new_page()
    problems = console_problems(page)
    sign_in(page, leopard, boss)
    page.goto(f"{leopard.url}/#admin/teams")

    page.get_by_role("button", name="New team").click()
    dialog = page.locator("#team-dialog")
    dialog.get_by_label("Name").fill(name)
    # A lead is a member: ticking lead ticks member too.
    dialog.get_by_role(
        "checkbox", name=f"{maria.full_name} (@{maria.username}) leads the team"
    ).check()
    expect(
        dialog.get_by_role(
            "checkbox", name=f"{maria.full_name} (@{maria.username}) is a member"
        )
    ).to_be_checked()
    dialog.get_by_role(
        "checkbox", name=f"{tom.full_name} (@{tom.username}) is a member"
    ).check()
    dialog.get_by_role("button", name="Save team").click()
    expect(dialog).to_be_hidden()
    item = page.locator("#team-list > li", has_text=name)
    expect(item.locator(".team-leads")).to_have_text(f"Leads: {maria.full_name}")
    expect(item.locator(".team-members")).to_have_text(f"Members: {tom.full_name}")
    [team] = [
        t
        for t in get(leopard, "/api/v1/teams/?limit=200", boss)["results"]
        if t["name"] == name
    ]
    assert team["lead_ids"] == [maria.id]
    assert sorted(team["member_ids"]) == sorted([maria.id, tom.id])

    # Renamed, Tom leads too, and Maria is no longer a member (nor a lead).
    item.get_by_role("button", name=f"Edit {name}").click()
    expect(
        dialog.get_by_role(
            "checkbox", name=f"{tom.full_name} (@{tom.username}) is a member"
        )
    ).to_be_checked()
    dialog.get_by_label("Name").fill(f"{name} desk")
    dialog.get_by_role(
        "checkbox", name=f"{tom.full_name} (@{tom.username}) leads the team"
    ).check()
    dialog.get_by_role(
        "checkbox", name=f"{maria.full_name} (@{maria.username}) is a member"
    ).uncheck()
    expect(
        dialog.get_by_role(
            "checkbox", name=f"{maria.full_name} (@{maria.username}) leads the team"
        )
    ).not_to_be_checked()
    dialog.get_by_role("button", name="Save team").click()
    expect(dialog).to_be_hidden()
    item = page.locator("#team-list > li", has_text=f"{name} desk")
    expect(item.locator(".team-leads")).to_have_text(f"Leads: {tom.full_name}")
    changed = get(leopard, f"/api/v1/teams/{team['id']}/", boss)
    assert (changed["name"], changed["lead_ids"], changed["member_ids"]) == (
        f"{name} desk",
        [tom.id],
        [tom.id],
    )

    # A name taken already: the dialog says so and stays open.
    page.get_by_role("button", name="New team").click()
    dialog.get_by_label("Name").fill(f"{name} desk")
    dialog.get_by_role("button", name="Save team").click()
    expect(dialog.locator("#team-error")).to_be_visible()
    expect(dialog).to_be_visible()
    assert [p for p in problems if "409" not in p] == [], problems


def test_an_admin_adds_and_removes_an_office_closure(leopard, new_context):
    boss = make_admin(leopard, "Olga Admin")
    day = (date.today() + timedelta(days=40 + uuid.uuid4().int % 200)).isoformat()
    page = new_context(locale="en-AU").new_page()
    sign_in(page, leopard, boss)
    page.get_by_role("link", name="Admin").click()
    page.locator(".subviews").get_by_role("link", name="Office closures").click()
    expect(page).to_have_url(f"{leopard.url}/#admin/closures")
    expect(page.locator("#closures-note")).to_contain_text("the weekend (Sat and Sun)")

    form = page.locator("#closure-form")
    form.get_by_label("Date").fill(day)
    form.get_by_label("Name").fill("Office move")
    form.get_by_role("button", name="Add closure").click()
    row = page.locator("#closure-list > li", has_text="Office move")
    expect(row.locator("time")).to_have_attribute("datetime", day)
    expect(row).to_contain_text(re.compile(r"In \d+ days"))
    closures = get(leopard, f"/api/v1/calendar/closures/?from={day}&to={day}", boss)[
        "results"
    ]
    assert [(c["date"], c["name"]) for c in closures] == [(day, "Office move")]

    # The same day again: a closure already.
    form.get_by_label("Date").fill(day)
    form.get_by_label("Name").fill("Again")
    form.get_by_role("button", name="Add closure").click()
    expect(page.locator("#closure-error")).to_contain_text("is a closure already")
    expect(page.locator("#closure-list > li", has_text="Again")).to_have_count(0)

    row.get_by_role("button", name=re.compile("^Remove the closure of")).click()
    expect(row).to_have_count(0)
    assert (
        get(leopard, f"/api/v1/calendar/closures/?from={day}&to={day}", boss)["results"]
        == []
    )


def test_staff_see_no_admin_pages(leopard, new_context):
    maria = leopard.make_user("Maria Kowalski")
    page = new_context().new_page()
    sign_in(page, leopard, maria)
    expect(page.locator(".views").get_by_role("link", name="Admin")).to_be_hidden()
    page.goto(f"{leopard.url}/#admin/teams")
    expect(page.locator("#toast")).to_have_text("Only admins can open that page.")
    expect(page.locator("#teams-view")).to_be_hidden()
    expect(page.locator("#main")).to_be_visible()


def test_the_admin_pages_fit_a_phone(leopard, new_context):
    boss = make_admin(leopard, "Olga Admin")
    page = new_context(viewport=PHONE).new_page()
    sign_in(page, leopard, boss)
    for name in ("templates", "teams", "closures"):
        page.goto(f"{leopard.url}/#admin/{name}")
        expect(page.locator(f"#{name}-view")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.goto(f"{leopard.url}/#admin/templates")
    page.get_by_role("button", name="New template").click()
    page.get_by_role("button", name="Add a task").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
