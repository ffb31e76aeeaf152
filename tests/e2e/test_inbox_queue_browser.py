"""A team's queue in a real Chromium: three members watch it; a task queued
from "New task" appears in the others' queues as it is queued; one claims it
and it leaves everyone's queue without a reload, within seconds even for a
member who had read their TASK_QUEUED (the stream's `event: queue`, not the
30-second poll); a claim that comes second says who has the task; a task
opened from its TASK_QUEUED is claimed from its dialog; a task is released
back to the queue from its dialog; at phone width nothing scrolls
sideways."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from ..support.inbox import console_problems, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

expect.set_options(timeout=10_000)
PHONE = {"width": 390, "height": 844}


def a_team(leopard, lead, *members):
    body = {
        "name": f"Intake {uuid.uuid4().hex[:6]}",
        "lead_ids": [lead.id],
        "member_ids": [lead.id, *(m.id for m in members)],
    }
    status, team = leopard.call("POST", "/api/v1/teams/", body, leopard.admin_token)
    assert status == 201, team
    return team


def queue_row(page, title):
    return page.locator("#queue-list > li", has_text=title)


def test_a_claimed_task_leaves_everyones_queue_live(leopard, new_context):
    maria = leopard.make_user("Maria Kowalski")
    tom = leopard.make_user("Tom Becker")
    ana = leopard.make_user("Ana Lima")
    team = a_team(leopard, maria, tom, ana)
    waiting = leopard.create_task(
        maria, title="Scan the new passports", assigned_team=team["id"]
    )
    pages = {}
    for person in (maria, tom, ana):
        page = new_context(locale="en-AU").new_page()
        problems = console_problems(page)
        sign_in(page, leopard, person)
        page.get_by_role("link", name="Queue").click()
        expect(page).to_have_url(f"{leopard.url}/#queue")
        pages[person.username] = (page, problems)
    tom_page, ana_page = pages[tom.username][0], pages[ana.username][0]
    for page in (tom_page, ana_page):
        expect(queue_row(page, "Scan the new passports")).to_contain_text(team["name"])
        page.evaluate("window.notReloaded = true")

    # Maria queues a task for the team from "New task": the others see it come.
    maria_page = pages[maria.username][0]
    maria_page.get_by_role("link", name="Inbox").click()
    maria_page.get_by_role("button", name="New task").click()
    maria_page.get_by_label("Title").fill("Call Mrs Ruiz back")
    maria_page.get_by_label("Priority").select_option("URGENT")
    maria_page.get_by_label("Assign to").select_option(f"team:{team['id']}")
    maria_page.get_by_role("button", name="Create task").click()
    expect(maria_page.locator("#toast")).to_have_text(
        f"Task created in the {team['name']} queue."
    )
    for page in (tom_page, ana_page):
        row = queue_row(page, "Call Mrs Ruiz back")
        expect(row).to_contain_text("Urgent")
        expect(page.locator("#queue-list > li")).to_have_count(2)
        expect(page.locator("#queue-count")).to_have_text("2")

    # Ana claims it: it is hers, and it leaves Tom's queue without a reload.
    queue_row(ana_page, "Call Mrs Ruiz back").get_by_role(
        "button", name="Claim Call Mrs Ruiz back"
    ).click()
    expect(ana_page.locator("#toast")).to_have_text(
        "“Call Mrs Ruiz back” is yours now."
    )
    expect(queue_row(ana_page, "Call Mrs Ruiz back")).to_have_count(0)
    expect(queue_row(tom_page, "Call Mrs Ruiz back")).to_have_count(0)
    expect(queue_row(tom_page, "Scan the new passports")).to_have_count(1)
    expect(tom_page.locator("#queue-count")).to_have_text("1")
    assert tom_page.evaluate("window.notReloaded") is True
    ana_page.get_by_role("link", name="Inbox").click()
    expect(
        ana_page.locator("#task-list > li", has_text="Call Mrs Ruiz back")
    ).to_have_count(1)
    _, mine = leopard.call("GET", "/api/v1/tasks/?queue=mine", token=tom.token)
    assert [t["id"] for t in mine["results"]] == [waiting["id"]]
    for _, problems in pages.values():
        assert problems == [], problems


def test_a_claim_that_comes_second_says_who_has_the_task(leopard, new_context):
    maria = leopard.make_user("Maria Kowalski")
    tom = leopard.make_user("Tom Becker")
    ana = leopard.make_user("Ana Lima")
    team = a_team(leopard, maria, tom, ana)
    task = leopard.create_task(
        maria, title="Renew the 482 nomination", assigned_team=team["id"]
    )
    # Tom's stream is cut, as if he clicked between Ana's claim and the
    # `event: queue` reaching him: his queue still shows it when he clicks.
    page = new_context(locale="en-AU").new_page()
    page.route("**/api/v1/notifications/stream/?*", lambda route: route.abort())
    page.goto(leopard.url + "/")
    page.get_by_label("Username").fill(tom.username)
    page.get_by_label("Password", exact=True).fill(tom.password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name=re.compile("^Queue")).click()
    row = queue_row(page, "Renew the 482 nomination")
    expect(row).to_have_count(1)
    expect(page.locator("#queue-list")).to_have_attribute("aria-busy", "false")
    status, _ = leopard.call(
        "POST", f"/api/v1/tasks/{task['id']}/claim/", {}, ana.token
    )
    assert status == 200
    row.get_by_role("button", name="Claim Renew the 482 nomination").click()
    expect(page.locator("#toast")).to_have_text(f"Too late: {ana.full_name} has it.")
    expect(row).to_have_count(0)
    expect(page.locator("#conn")).not_to_have_attribute("data-state", "live")
    _, got = leopard.call("GET", f"/api/v1/tasks/{task['id']}/", token=tom.token)
    assert got["assigned_to"] == ana.id


def test_a_queued_task_is_claimed_from_its_notification(leopard, new_context):
    maria = leopard.make_user("Maria Kowalski")
    tom = leopard.make_user("Tom Becker")
    team = a_team(leopard, maria, tom)
    page = new_context(viewport=PHONE, locale="en-AU").new_page()
    problems = console_problems(page)
    sign_in(page, leopard, tom)
    task = leopard.create_task(
        maria, title="Certify the passport copy", assigned_team=team["id"]
    )

    note = page.locator("#note-list > li", has_text="Certify the passport copy")
    expect(note.locator(".kind")).to_have_text("Queued")
    note.get_by_role("link").click()
    dialog = page.locator("#task-dialog")
    expect(dialog.locator("#task-facts")).to_contain_text(f"Team{team['name']}")
    expect(dialog.get_by_label("Assigned to")).to_have_value("")
    dialog.get_by_role("button", name="Claim it").click()
    expect(dialog.get_by_label("Assigned to")).to_have_value(str(tom.id))
    expect(dialog.get_by_role("button", name="Claim it")).to_be_hidden()
    _, got = leopard.call("GET", f"/api/v1/tasks/{task['id']}/", token=tom.token)
    assert got["assigned_to"] == tom.id
    dialog.locator("[data-close]").click()
    page.get_by_role("link", name=re.compile("^Queue")).click()
    expect(page.locator("#queue-empty")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert problems == [], problems


def test_a_claim_takes_the_task_from_a_queue_whose_notice_was_read(
    leopard, new_context
):
    maria = leopard.make_user("Maria Kowalski")
    tom = leopard.make_user("Tom Becker")
    ana = leopard.make_user("Ana Lima")
    team = a_team(leopard, maria, tom, ana)
    task = leopard.create_task(
        maria, title="Book the medical exam", assigned_team=team["id"]
    )
    # Tom read his TASK_QUEUED: no `event: read` can reach him on a claim.
    body = {"action": "mark_read", "all": True}
    assert (
        leopard.call("POST", "/api/v1/notifications/bulk/", body, tom.token)[0] == 200
    )
    page = new_context(locale="en-AU").new_page()
    problems = console_problems(page)
    sign_in(page, leopard, tom)
    page.get_by_role("link", name=re.compile("^Queue")).click()
    row = queue_row(page, "Book the medical exam")
    expect(row).to_have_count(1)
    expect(page.locator("#queue-count")).to_have_text("1")
    expect(page.locator("#queue-list")).to_have_attribute("aria-busy", "false")
    page.evaluate("window.notReloaded = true")

    status, _ = leopard.call(
        "POST", f"/api/v1/tasks/{task['id']}/claim/", {}, ana.token
    )
    assert status == 200
    # Far sooner than the 30-second poll: the stream said so.
    expect(row).to_have_count(0, timeout=5_000)
    expect(page.locator("#queue-count")).to_be_hidden(timeout=5_000)
    expect(page.locator("#queue-empty")).to_be_visible(timeout=5_000)
    assert page.evaluate("window.notReloaded") is True
    assert problems == [], problems


def test_a_task_is_released_back_to_its_queue_from_its_dialog(leopard, new_context):
    maria = leopard.make_user("Maria Kowalski")
    tom = leopard.make_user("Tom Becker")
    ana = leopard.make_user("Ana Lima")
    team = a_team(leopard, maria, tom, ana)
    task = leopard.create_task(
        maria, title="Chase the police certificate", assigned_team=team["id"]
    )
    path = f"/api/v1/tasks/{task['id']}/"
    assert leopard.call("POST", f"{path}claim/", {}, tom.token)[0] == 200

    # Ana is a member, not its assignee nor a lead: no Release for her. Her
    # queue is open in another tab.
    ana_page = new_context(locale="en-AU").new_page()
    sign_in(ana_page, leopard, ana)
    ana_page.goto(f"{leopard.url}/#task/{task['id']}")
    ana_dialog = ana_page.locator("#task-dialog")
    expect(ana_dialog.locator("#task-facts")).to_contain_text(f"Team{team['name']}")
    expect(ana_dialog.get_by_role("button", name="Release to the queue")).to_be_hidden()
    ana_dialog.locator("[data-close]").click()
    ana_page.get_by_role("link", name=re.compile("^Queue")).click()
    expect(ana_page.locator("#queue-empty")).to_be_visible()

    # Tom, who has it, releases it: it waits in the queue again.
    page = new_context(locale="en-AU").new_page()
    problems = console_problems(page)
    sign_in(page, leopard, tom)
    page.goto(f"{leopard.url}/#task/{task['id']}")
    dialog = page.locator("#task-dialog")
    expect(dialog.get_by_label("Assigned to")).to_have_value(str(tom.id))
    dialog.get_by_role("button", name="Release to the queue").click()
    expect(page.locator("#toast")).to_have_text(
        f"“Chase the police certificate” is back in the {team['name']} queue."
    )
    expect(dialog.get_by_label("Assigned to")).to_have_value("")
    expect(dialog.get_by_role("button", name="Release to the queue")).to_be_hidden()
    expect(dialog.get_by_role("button", name="Claim it")).to_be_visible()
    _, got = leopard.call("GET", path, token=tom.token)
    assert (got["assigned_to"], got["assigned_team"]) == (None, team["id"])
    # Ana's queue has it back at once.
    expect(queue_row(ana_page, "Chase the police certificate")).to_have_count(
        1, timeout=5_000
    )

    # Ana claims it; Maria, a lead, sees Release on it and sends it back.
    assert leopard.call("POST", f"{path}claim/", {}, ana.token)[0] == 200
    lead_page = new_context(locale="en-AU").new_page()
    sign_in(lead_page, leopard, maria)
    lead_page.goto(f"{leopard.url}/#task/{task['id']}")
    lead_dialog = lead_page.locator("#task-dialog")
    expect(lead_dialog.get_by_label("Assigned to")).to_have_value(str(ana.id))
    lead_dialog.get_by_role("button", name="Release to the queue").click()
    expect(lead_dialog.get_by_label("Assigned to")).to_have_value("")
    _, got = leopard.call("GET", path, token=tom.token)
    assert got["assigned_to"] is None
    assert problems == [], problems
