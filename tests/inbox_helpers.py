"""A real `python run.py` and a Chromium to drive the web inbox with.

Chromium is Debian's (/usr/bin/chromium), never a browser playwright downloads.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

from .conftest import ROOT

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
ADMIN_PASSWORD = "inbox-admin-password"


def launch(playwright):
    if not os.access(CHROMIUM, os.X_OK):
        raise RuntimeError(
            f"the browser tests need Chromium at {CHROMIUM}: run ./scripts/test as "
            "root (it installs it) or `apt-get install chromium`"
        )
    return playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class User:
    def __init__(self, data: dict, password: str, token: str):
        self.id = data["id"]
        self.username = data["username"]
        self.full_name = data["full_name"]
        self.password = password
        self.token = token


class Leopard:
    """`python run.py` on a free port and its own embedded database."""

    def __init__(self, data_dir: Path, log: Path, **env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("LEOPARD_")}
        self.env.update(
            LEOPARD_DATA_DIR=str(data_dir / "var"),
            LEOPARD_PORT=str(self.port),
            LEOPARD_ADMIN_PASSWORD=ADMIN_PASSWORD,
            **env,
        )
        self.proc = None
        self.admin_token = None

    def start(self) -> "Leopard":
        with open(self.log, "a") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "run.py"],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=out,
            )
        deadline = time.monotonic() + 60
        while True:
            assert self.proc.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, self.log.read_text()
            try:
                self.call("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        self.admin_token = self.sign_in("admin", ADMIN_PASSWORD)
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=30)

    def call(self, method, path, body=None, token=None):
        request = urllib.request.Request(
            self.url + path,
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Content-Type": "application/json"},
        )
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        with urllib.request.urlopen(request, timeout=10) as resp:
            raw = resp.read()
            return json.loads(raw) if raw else None

    def sign_in(self, username: str, password: str) -> str:
        body = {"username": username, "password": password}
        return self.call("POST", "/api/v1/auth/token/", body)["access_token"]

    def make_user(self, full_name: str, username: str | None = None) -> User:
        first = full_name.split()[0].lower()
        username = username or f"{first}_{uuid.uuid4().hex[:6]}"
        password = "pw-" + uuid.uuid4().hex
        body = {"username": username, "password": password, "full_name": full_name}
        data = self.call("POST", "/api/v1/users/", body, self.admin_token)
        return User(data, password, self.sign_in(username, password))

    def notify(self, user: User, title: str, **fields) -> int:
        body = {"recipients": [user.id], "title": title, **fields}
        return self.call("POST", "/api/v1/notifications/", body, self.admin_token)[
            "ids"
        ][0]

    def create_task(self, by: User, **fields) -> dict:
        return self.call("POST", "/api/v1/tasks/", fields, by.token)


def sign_in(page, leopard: Leopard, user: User) -> None:
    """Open the inbox in page and sign in through the form, until it is live."""
    page.goto(leopard.url + "/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(user.password)
    page.get_by_role("button", name="Sign in").click()
    page.locator("#conn[data-state=live]").wait_for()
