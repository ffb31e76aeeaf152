"""A real `python run.py` and a Chromium to drive the web inbox with.

Chromium is Debian's (/usr/bin/chromium), never a browser playwright downloads.
"""

import os
import re
import urllib.request
import uuid
from pathlib import Path

from . import metrics, processes

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def launch(playwright):
    if not os.access(CHROMIUM, os.X_OK):
        raise RuntimeError(
            f"the browser tests need Chromium at {CHROMIUM}: run ./scripts/test as "
            "root (it installs it) or `apt-get install chromium`"
        )
    return playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )


class User:
    def __init__(self, data: dict, password: str, token: str):
        self.id = data["id"]
        self.username = data["username"]
        self.full_name = data["full_name"]
        self.password = password
        self.token = token


class Leopard(processes.Leopard):
    """processes.Leopard (`python run.py` on a free port, its own embedded
    database), with its admin signed in and the calls the inbox tests make."""

    def __init__(self, data_dir: Path, log: Path, **env):
        super().__init__(log.parent, data_dir, name=log.stem, **env)
        self.url = f"http://127.0.0.1:{self.port}"
        self.admin_token = None

    def start(self) -> "Leopard":
        super().start()
        self.admin_token = self.sign_in("admin", processes.ADMIN_PASSWORD)
        return self

    def sign_in(self, username: str, password: str) -> str:
        return self.token(username, password)

    def _made(self, path: str, body: dict, token: str) -> dict:
        status, data = self.call("POST", path, body, token)
        assert status == 201, (status, data)
        return data

    def make_user(
        self, full_name: str, username: str | None = None, role: str = "staff"
    ) -> User:
        first = full_name.split()[0].lower()
        username = username or f"{first}_{uuid.uuid4().hex[:6]}"
        password = "pw-" + uuid.uuid4().hex
        body = {
            "username": username,
            "password": password,
            "full_name": full_name,
            "role": role,
        }
        data = self._made("/api/v1/users/", body, self.admin_token)
        return User(data, password, self.sign_in(username, password))

    def notify(self, user: User, title: str, **fields) -> int:
        body = {"recipients": [user.id], "title": title, **fields}
        return self._made("/api/v1/notifications/", body, self.admin_token)["ids"][0]

    def create_task(self, by: User, **fields) -> dict:
        return self._made("/api/v1/tasks/", fields, by.token)

    def metric(self, name: str, **labels) -> float:
        """One sample of GET /metrics, now."""
        with urllib.request.urlopen(f"{self.url}/metrics", timeout=10) as resp:
            return metrics.value(metrics.parse(resp.read().decode()), name, **labels)


def sign_in(page, leopard: Leopard, user: User) -> None:
    """Open the inbox in page and sign in through the form, until it is live."""
    page.goto(leopard.url + "/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password", exact=True).fill(user.password)
    page.get_by_role("button", name="Sign in").click()
    page.locator("#conn[data-state=live]").wait_for()


UNREAD = re.compile(r"\bunread\b")


def console_problems(page) -> list[str]:
    """Errors and warnings the page logs, and uncaught exceptions, from now on."""
    problems = []
    page.on(
        "console",
        lambda m: m.type in ("error", "warning") and problems.append(m.text),
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def unread_text(page):
    return page.locator("#unread-text")


def note(page, text):
    """The row of the notification list (a notification, or a group) with text."""
    return page.locator("#note-list > li", has_text=text)
