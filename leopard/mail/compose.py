"""One email listing a user's unread notifications: plain text and a simple
HTML part, UTF-8, with Message-ID and Date."""

import html
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from ..office_calendar import DEFAULT


def link(inbox_url: str, note) -> str:
    """The inbox, opened at the notification's task when it is about one."""
    task_id = note.meta_info.get("task_id") if note.meta_info else None
    if isinstance(task_id, int) and not isinstance(task_id, bool):
        return f"{inbox_url}#task/{task_id}"
    return inbox_url


def _due(note, calendar) -> str | None:
    if note.due_date is None:
        return None
    return calendar.words(note.due_date)


def one_line(text: str) -> str:
    """A title as one line: a header may hold no line break, and a list item
    reads better without one."""
    return " ".join(text.split())


def subject(notes) -> str:
    if len(notes) == 1:
        return f"Leopard: {one_line(notes[0].title)}"
    return f"Leopard: {len(notes)} unread notifications"


def _text(person, notes, inbox_url, calendar) -> str:
    lines = [f"Hello {person.full_name or person.username},", ""]
    lines += ["Still unread in Leopard:", ""]
    for note in notes:
        lines.append(f"* {one_line(note.title)}")
        if note.message:
            lines.append(f"  {note.message}")
        if due := _due(note, calendar):
            lines.append(f"  Due: {due}")
        lines += [f"  {link(inbox_url, note)}", ""]
    lines += [f"Open your inbox: {inbox_url}", ""]
    lines.append("You get this email because your Leopard preferences ask for it.")
    return "\n".join(lines) + "\n"


def _html(person, notes, inbox_url, calendar) -> str:
    e = html.escape
    items = []
    for note in notes:
        parts = [f'<a href="{e(link(inbox_url, note))}"><b>{e(note.title)}</b></a>']
        if note.message:
            parts.append(e(note.message))
        if due := _due(note, calendar):
            parts.append(f"Due: {e(due)}")
        items.append("<li>" + "<br>".join(parts) + "</li>")
    name = e(person.full_name or person.username)
    return (
        "<!doctype html><html><body>"
        f"<p>Hello {name},</p><p>Still unread in Leopard:</p>"
        f"<ul>{''.join(items)}</ul>"
        f'<p><a href="{e(inbox_url)}">Open your inbox</a></p>'
        "<p><small>You get this email because your Leopard preferences ask for it."
        "</small></p></body></html>"
    )


def compose(
    sender: str, person, notes, inbox_url: str, calendar=DEFAULT
) -> EmailMessage:
    """The email to person (a users row with email, full_name, username) listing
    notes (notification rows, oldest first); times as the office reads them."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = person.email
    message["Subject"] = subject(notes)
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(_text(person, notes, inbox_url, calendar), charset="utf-8")
    message.add_alternative(_html(person, notes, inbox_url, calendar), subtype="html")
    return message


def plain_text(message: EmailMessage) -> str:
    """The headers that matter and the text part, for the log backend."""
    body = message.get_body(("plain",)).get_content()
    head = "".join(f"{name}: {message[name]}\n" for name in ("From", "To", "Subject"))
    return head + "\n" + body
