"""A case's page in a real Chromium, at an office in Sydney seen from a
browser in New York: the assignee opens a client from a visa application's
notification and reads, in words, who did what and when, and that he was
told and saw it, even of a notification he deleted; the history downloads as
CSV; the clients list finds a client, a task opens over the case and its
facts lead back to it; at phone width nothing scrolls sideways."""

import csv
import io
import re
import urllib.request
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from ..support.inbox import console_problems, note, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

expect.set_options(timeout=10_000)
SYDNEY = ZoneInfo("Australia/Sydney")
HEADER = "id,at,actor_id,subject,action,changes,recipient_id"
PHONE = {"width": 390, "height": 844}
VISA = "Skilled worker (482)"
TASK = "Collect police certificate"
COMMENT = "The certificate is at the front desk."
UNREAD = re.compile(r"\bunread\b")


@pytest.fixture(scope="module")
def leopard(start_leopard):
    return start_leopard("case", LEOPARD_TIMEZONE="Australia/Sydney")


def made(leopard, path, body, token):
    status, data = leopard.call("POST", path, body, token)
    assert status in (200, 201), data
    return data


def delete(leopard, path, token):
    request = urllib.request.Request(f"{leopard.url}{path}", method="DELETE")
    request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=10) as resp:
        assert resp.status == 204


def clock(iso: str) -> str:
    """The office's time of a moment as the page writes it (en-AU, short), as
    a pattern: "1:15 pm" (ICU may put a narrow space before "pm")."""
    moment = datetime.fromisoformat(iso).astimezone(SYDNEY)
    hour = moment.hour % 12 or 12
    return rf"{hour}:{moment:%M}\s?{'am' if moment.hour < 12 else 'pm'}"


def a_case(leopard, maria, tom, last_name="Ruiz"):
    """Maria opens an application for Ana assigned to Tom, makes a task for
    herself about it, gives it to Tom and comments."""
    body = {"first_name": "Ana", "last_name": last_name, "email": "ana@example.com"}
    ana = made(leopard, "/api/v1/clients/", body, maria.token)
    body = {"client_id": ana["id"], "visa_type": VISA, "assigned_to": tom.id}
    visa = made(leopard, "/api/v1/visa-applications/", body, maria.token)
    task = leopard.create_task(
        maria,
        title=TASK,
        assigned_to=maria.id,
        client_id=ana["id"],
        visa_application_id=visa["id"],
    )
    path = f"/api/v1/tasks/{task['id']}/"
    made(leopard, f"{path}assign/", {"assigned_to": tom.id}, maria.token)
    made(leopard, f"{path}comments/", {"body": COMMENT}, maria.token)
    return ana, visa, task


def receipt_of(entries, action):
    """(the entry of `action` on the task, and the moments its notification
    was delivered and read), from the history as the API gives it."""
    on_task = [e for e in entries if e["subject"].startswith("task:")]
    [done] = [e for e in on_task if e["action"] == action]
    [told] = [e for e in on_task if e["action"] == "notified" and e["at"] == done["at"]]
    facts = {e["id"] - told["id"]: e["at"] for e in on_task}
    return done, facts[1], facts[2]  # delivered +1, read +2


def test_a_visa_notification_opens_the_case_and_its_history_in_words(
    leopard, new_context
):
    maria = leopard.make_user("Maria Kowalski")
    tom = leopard.make_user("Tom Becker")
    ana, visa, task = a_case(leopard, maria, tom)
    page = new_context(locale="en-AU", timezone_id="America/New_York").new_page()
    problems = console_problems(page)
    sign_in(page, leopard, tom)

    # Tom reads what he was told about the task (its group's row opens the
    # task and marks both read), then deletes the assignment's notification.
    page.locator("#note-list > li.group").get_by_role("link").click()
    expect(page.locator("#task-dialog")).to_be_visible()
    page.locator("#task-dialog [data-close]").click()
    expect(page.locator("#task-dialog")).to_be_hidden()
    expect(page.locator("#note-list > li.group")).not_to_have_class(UNREAD)
    _, notes = leopard.call("GET", "/api/v1/notifications/", token=tom.token)
    kinds = {n["notification_type"]: n for n in notes["results"]}
    assignment = kinds["TASK_ASSIGNED"]
    assert assignment["read"]
    delete(leopard, f"/api/v1/notifications/{assignment['id']}/", tom.token)

    # The application's notification: read, then opened.
    row = note(page, "Visa application assigned")
    row.get_by_role("button", name=re.compile("^Mark read")).click()
    expect(row).not_to_have_class(UNREAD)
    row.get_by_role("link").click()
    expect(page).to_have_url(f"{leopard.url}/#visa/{visa['id']}")
    expect(page.locator("#case-heading")).to_have_text(VISA)
    expect(page.locator("#case-visas li.focus")).to_contain_text(VISA)
    heading = page.locator("#case-history-heading")
    expect(heading).to_have_text("History of this application")
    expect(page.locator("#case-tasks > li")).to_have_text([re.compile(f"^{TASK}")])

    page.locator("#case-crumbs").get_by_role("link", name="Ana Ruiz").click()
    expect(page).to_have_url(f"{leopard.url}/#client/{ana['id']}")
    expect(page.locator("#case-heading")).to_have_text("Ana Ruiz")
    expect(page.locator("#case-details")).to_contain_text("ana@example.com")
    expect(page.locator("#case-visas > li")).to_contain_text([f"{VISA}To be applied"])

    _, history = leopard.call(
        "GET", f"/api/v1/clients/{ana['id']}/history/", token=maria.token
    )
    items = page.locator(".timeline-item")
    assigned, seen, read = receipt_of(history["results"], "assigned")
    told = f"^Tom Becker was told — seen {clock(seen)}, read {clock(read)}$"
    item = items.filter(has_text=f"Maria Kowalski assigned '{TASK}' to Tom Becker")
    expect(item.locator("time")).to_have_text(re.compile(f"^{clock(assigned['at'])}$"))
    expect(item.locator(".receipts")).to_have_text(re.compile(told))
    _, seen, read = receipt_of(history["results"], "commented")
    told = f"^Tom Becker was told — seen {clock(seen)}, read {clock(read)}$"
    item = items.filter(has_text=f"Maria Kowalski commented on '{TASK}': “{COMMENT}”")
    expect(item.locator(".receipts")).to_have_text(re.compile(told))
    opened = f"Maria Kowalski opened the {VISA} application, assigned to Tom Becker"
    item = items.filter(has_text=opened)
    told = r"^Tom Becker was told — seen .+, read .+$"
    expect(item.locator(".receipts")).to_have_text(re.compile(told))
    # Newest first: the comment, the assignment, … the client.
    expect(items.first).to_contain_text("commented on")
    expect(items.last).to_have_text(re.compile("added the client Ana Ruiz$"))

    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    assert download.value.suggested_filename == f"client-{ana['id']}-history.csv"
    with open(download.value.path(), encoding="utf-8") as file:
        text = file.read()
    assert text.splitlines()[0] == HEADER
    rows = list(csv.reader(io.StringIO(text)))[1:]
    assert [int(r[0]) for r in rows] == [e["id"] for e in history["results"]]
    assert problems == []


def test_the_clients_list_finds_a_client_whose_tasks_open_over_the_case(
    leopard, new_context
):
    maria = leopard.make_user("Maria Kowalski")
    tom = leopard.make_user("Tom Becker")
    last_name = f"Quintero-{uuid.uuid4().hex[:6]}"
    ana, visa, task = a_case(leopard, maria, tom, last_name)
    body = {"first_name": "Anabel", "last_name": "Ortiz"}
    made(leopard, "/api/v1/clients/", body, maria.token)
    page = new_context(locale="en-AU").new_page()
    problems = console_problems(page)
    sign_in(page, leopard, maria)

    page.get_by_role("link", name="Clients").click()
    expect(page).to_have_url(f"{leopard.url}/#clients")
    page.get_by_role("searchbox", name="Search").fill(last_name)
    rows = page.locator("#client-list > li")
    expect(rows).to_have_count(1)
    rows.get_by_role("link", name=f"Ana {last_name}").click()
    expect(page).to_have_url(f"{leopard.url}/#client/{ana['id']}")
    expect(page.locator("#case-heading")).to_have_text(f"Ana {last_name}")

    # A task opens over the case; closed, the address is the case's again.
    tasks = page.locator("#case-tasks")
    tasks.get_by_role("link", name=TASK).click()
    expect(page).to_have_url(f"{leopard.url}/#task/{task['id']}")
    dialog = page.locator("#task-dialog")
    expect(dialog).to_be_visible()
    dialog.locator("[data-close]").click()
    expect(page).to_have_url(f"{leopard.url}/#client/{ana['id']}")
    expect(page.locator("#case-view")).to_be_visible()

    # Its facts lead to the application's page and the client's.
    tasks.get_by_role("link", name=TASK).click()
    facts = dialog.locator("#task-facts")
    facts.get_by_role("link", name=re.compile("^Skilled worker")).click()
    expect(page).to_have_url(f"{leopard.url}/#visa/{visa['id']}")
    expect(dialog).to_be_hidden()
    page.goto(f"{leopard.url}/#task/{task['id']}")
    facts.get_by_role("link", name=f"Ana {last_name}").click()
    expect(page).to_have_url(f"{leopard.url}/#client/{ana['id']}")
    expect(dialog).to_be_hidden()
    expect(page.locator("#case-heading")).to_have_text(f"Ana {last_name}")
    assert problems == []


def test_a_case_fits_a_phone(leopard, new_context):
    maria = leopard.make_user("Maria Kowalski")
    tom = leopard.make_user("Tom Becker")
    ana, _, _ = a_case(leopard, maria, tom)
    page = new_context(viewport=PHONE, locale="en-AU").new_page()
    sign_in(page, leopard, maria)
    page.goto(f"{leopard.url}/#client/{ana['id']}")
    expect(page.locator(".timeline-item")).not_to_have_count(0)
    expect(page.locator(".tabbar")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # Its forms too.
    for button, dialog in (
        ("Add document", "#document-dialog"),
        ("New application", "#visa-dialog"),
    ):
        page.get_by_role("button", name=button).click()
        expect(page.locator(dialog)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.locator(f"{dialog} [data-close]").first.click()
    page.get_by_role("link", name="Clients", exact=True).first.click()
    expect(page.locator("#client-list > li")).not_to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_an_applications_checklist_is_ticked_off_on_its_case(leopard, new_context):
    maria = leopard.make_user("Maria Kowalski")
    tom = leopard.make_user("Tom Becker")
    ana = leopard.make_user("Ana Lima")
    visa_type = f"Partner {uuid.uuid4().hex[:6]}"
    steps = [
        {"title": "Request police certificates", "assign_to": "application_assignee"},
        {"title": "Book the medical", "assign_to": {"user": ana.id}},
        {
            "title": "Diarise the follow-up",
            "due_in_business_days": 20,
            "assign_to": "acting_user",
        },
    ]
    body = {"name": visa_type, "visa_type": visa_type, "on_status": "VISA_APPLIED"}
    made(
        leopard,
        "/api/v1/task-templates/",
        {**body, "tasks": steps},
        leopard.admin_token,
    )
    body = {"first_name": "Ana", "last_name": "Ruiz"}
    client = made(leopard, "/api/v1/clients/", body, maria.token)
    body = {"client_id": client["id"], "visa_type": "Visitor (600)"}
    made(leopard, "/api/v1/visa-applications/", body, maria.token)
    body = {
        "client_id": client["id"],
        "visa_type": visa_type,
        "status": "VISA_APPLIED",
        "assigned_to": tom.id,
    }
    visa = made(leopard, "/api/v1/visa-applications/", body, maria.token)
    page = new_context(locale="en-AU").new_page()
    problems = console_problems(page)
    sign_in(page, leopard, tom)

    # On the client's page each application shows how far its checklist is;
    # one without tasks shows none.
    page.goto(f"{leopard.url}/#client/{client['id']}")
    row = page.locator("#case-visas > li", has_text=visa_type)
    checklist = row.locator("details.checklist")
    expect(checklist.locator("summary")).to_have_text(
        re.compile("Checklist0 of 3 done")
    )
    other = page.locator("#case-visas > li", has_text="Visitor (600)")
    expect(other.locator(".checklist")).to_have_count(0)
    items = checklist.locator(".checklist-item")
    expect(items.first).to_be_hidden()  # folded on the client's page
    checklist.locator("summary").click()
    expect(items).to_have_text(
        [
            re.compile(f"^Request police certificates{tom.full_name}"),
            re.compile(f"^Book the medical{ana.full_name}"),
            re.compile(f"^Diarise the follow-up{maria.full_name}Due "),
        ]
    )

    # Tom ticks his task off: the count follows, and the box stays unfolded.
    items.first.get_by_role(
        "checkbox", name="Done: Request police certificates"
    ).check()
    expect(checklist.locator("summary")).to_have_text(re.compile("1 of 3 done"))
    expect(items.first).to_have_class(re.compile(r"\bdone\b"))
    expect(items.first.get_by_role("checkbox")).to_be_checked()
    _, task = leopard.call(
        "GET", f"/api/v1/tasks/?visa_application_id={visa['id']}", token=tom.token
    )
    statuses = {t["title"]: t["status"] for t in task["results"]}
    assert statuses["Request police certificates"] == "COMPLETED"

    # Ana's task is not his to change (its creator, assignee or an admin).
    medical = items.nth(1).get_by_role("checkbox", name="Done: Book the medical")
    expect(medical).to_be_disabled()
    expect(medical).not_to_be_checked()

    # The application's own page shows its checklist unfolded.
    page.goto(f"{leopard.url}/#visa/{visa['id']}")
    focus = page.locator("#case-visas li.focus .checklist-item")
    expect(focus).to_have_count(3)
    expect(focus.first).to_be_visible()
    expect(focus.first.get_by_role("link")).to_have_attribute(
        "href", re.compile(r"^#task/\d+$")
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert problems == [], problems


def test_staff_open_a_case_and_keep_it_up_to_date_from_its_page(leopard, new_context):
    maria = leopard.make_user("Maria Kowalski")
    tom = leopard.make_user("Tom Becker")
    last_name = f"Lindqvist-{uuid.uuid4().hex[:6]}"
    visa_type = f"Partner {uuid.uuid4().hex[:6]}"
    steps = [{"title": "Book the medical", "assign_to": "application_assignee"}]
    body = {"name": visa_type, "visa_type": visa_type, "on_status": "VISA_APPLIED"}
    made(
        leopard,
        "/api/v1/task-templates/",
        {**body, "tasks": steps},
        leopard.admin_token,
    )
    page = new_context(locale="en-AU", timezone_id="America/New_York").new_page()
    problems = console_problems(page)
    sign_in(page, leopard, maria)

    # A new client, from the clients list.
    page.get_by_role("link", name="Clients").click()
    page.get_by_role("button", name="New client").click()
    dialog = page.locator("#client-dialog")
    dialog.get_by_label("First name").fill("Eva")
    dialog.get_by_role("button", name="Save client").click()
    expect(dialog.locator("#client-error")).to_have_text(
        "A client needs a first and a last name."
    )
    dialog.get_by_label("Last name").fill(last_name)
    dialog.get_by_label("Email").fill("eva@example.com")
    dialog.get_by_role("button", name="Save client").click()
    expect(page.locator("#case-heading")).to_have_text(f"Eva {last_name}")
    client_id = int(re.search(r"#client/(\d+)$", page.url).group(1))
    page.get_by_role("button", name="Edit client").click()
    expect(dialog.get_by_label("Email")).to_have_value("eva@example.com")
    dialog.get_by_label("Phone").fill("+61 2 9000 0000")
    dialog.get_by_role("button", name="Save client").click()
    expect(page.locator("#case-details")).to_contain_text("+61 2 9000 0000")

    # An application, then its status changed: its checklist starts.
    page.get_by_role("button", name="New application").click()
    dialog = page.locator("#visa-dialog")
    expect(dialog.get_by_role("heading")).to_have_text(
        f"New application for Eva {last_name}"
    )
    dialog.get_by_label("Visa type").fill(visa_type)
    dialog.get_by_label("Assigned to").select_option(str(tom.id))
    dialog.get_by_role("button", name="Save application").click()
    row = page.locator("#case-visas > li", has_text=visa_type)
    expect(row).to_contain_text(f"To be applied{'Assigned to'} {tom.full_name}")
    expect(row.locator(".checklist")).to_have_count(0)
    row.get_by_role("button", name=f"Edit {visa_type}").click()
    dialog.get_by_label("Status").select_option("VISA_APPLIED")
    dialog.get_by_label("Lodged on").fill("2026-12-08")
    dialog.get_by_role("button", name="Save application").click()
    expect(row.locator(".chip")).to_have_text("Visa applied")
    expect(row.locator(".checklist summary")).to_contain_text("0 of 1 done")
    _, visas = leopard.call(
        "GET", f"/api/v1/visa-applications/?client_id={client_id}", token=maria.token
    )
    [visa] = visas["results"]
    assert (visa["status"], visa["assigned_to"]) == ("VISA_APPLIED", tom.id)
    lodged = datetime.fromisoformat(visa["lodged_at"]).astimezone(SYDNEY)
    assert (lodged.date().isoformat(), lodged.hour, lodged.minute) == (
        "2026-12-08",
        0,
        0,
    )

    # A document for that application, then its expiry changed.
    page.get_by_role("button", name="Add document").click()
    dialog = page.locator("#document-dialog")
    dialog.get_by_label("Kind").select_option("PASSPORT")
    dialog.get_by_label("Number").fill("PA1234567")
    dialog.get_by_label("Issued on").fill("2030-01-10")
    dialog.get_by_label("Expires on").fill("2030-01-01")
    dialog.get_by_label("For the application").select_option(str(visa["id"]))
    dialog.get_by_role("button", name="Save document").click()
    expect(dialog.locator("#document-error")).to_have_text(
        "It cannot expire before it was issued."
    )
    dialog.get_by_label("Issued on").fill("2020-01-10")
    dialog.get_by_role("button", name="Save document").click()
    docs = page.locator("#case-documents > li")
    expect(docs).to_have_count(1)
    expect(docs.first).to_contain_text("Passport")
    expect(docs.first).to_contain_text("1 Jan 2030")
    expect(docs.first).to_contain_text(f"{visa_type} · {tom.full_name}")
    docs.first.get_by_role("button", name="Edit the passport").click()
    expect(dialog.get_by_label("Number")).to_have_value("PA1234567")
    dialog.get_by_label("Expires on").fill("2031-06-30")
    dialog.get_by_role("button", name="Save document").click()
    expect(docs.first).to_contain_text(
        re.compile(r"\(30 June? 2031\)")
    )  # en-AU: "June"
    _, documents = leopard.call(
        "GET", f"/api/v1/documents/?client_id={client_id}", token=maria.token
    )
    [document] = documents["results"]
    assert (document["expires_on"], document["visa_application_id"]) == (
        "2031-06-30",
        visa["id"],
    )
    assert document["number"] == "PA1234567"
    # The history tells it, in words.
    expect(page.locator(".timeline-item").first).to_contain_text(maria.full_name)
    assert problems == [], problems
