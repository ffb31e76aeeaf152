"""What every layer of the tests uses: the checkout's root, unique names,
and folders and databases of their own."""

import shutil
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from leopard.store.db import admin_sql

ROOT = Path(__file__).resolve().parent.parent.parent


def drop_database(server_url: str, url: str) -> None:
    """Drop url's database at once, closing every connection to it."""
    name = urlsplit(url).path.lstrip("/")
    admin_sql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def data_directory():
    """A data dir for an embedded PostgreSQL, outside pytest's tmp tree: a new
    pytest session (a second one running) resets /tmp/pytest-of-<user> to 0700,
    cutting the `pgserver` system user off from a server's files beneath it."""
    path = Path(tempfile.mkdtemp(prefix="leopard-test-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def unique(prefix: str = "user") -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


class Recorder:
    """A broker that keeps what it is given to publish, for the services
    without streams: the messages are the ticket, and a commit never fails."""

    def __init__(self):
        self.published = []

    async def stage(self, conn, messages):
        return messages

    def committed(self, ticket):
        self.published.extend(ticket)

    def commit_unknown(self, ticket):
        raise AssertionError("a commit failed")
