"""What the inbox's browser test modules share: a `python run.py` per module,
Debian's Chromium, and fresh browser contexts per test."""

from contextlib import ExitStack

import pytest
from playwright.sync_api import sync_playwright

from ..support.common import data_directory
from ..support.inbox import Leopard, launch


@pytest.fixture(scope="module")
def start_leopard(tmp_path_factory, fresh_database):
    """start(name, **env): an inbox Leopard (`python run.py`) for the module,
    on a database of its own on the suite's PostgreSQL rather than an embedded
    server of its own (an initdb and a start saved: the embedded start is
    tested in test_e2e_run, test_shutdown and test_backup). Stopped at the
    module's end."""
    with ExitStack() as stack:

        def start(name: str, **env) -> Leopard:
            log = tmp_path_factory.mktemp(name) / "server.log"
            path = stack.enter_context(data_directory())
            url = stack.enter_context(fresh_database())
            server = Leopard(path, log, LEOPARD_DATABASE_URL=url, **env).start()
            stack.callback(server.stop)
            return server

        yield start


@pytest.fixture(scope="module")
def leopard(start_leopard):
    return start_leopard("inbox")


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser):
    contexts = []

    def make(**options):
        contexts.append(browser.new_context(**options))
        return contexts[-1]

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def database(fresh_database):
    """A database of the test's own on the suite's PostgreSQL, for a Leopard
    that the test starts and stops itself."""
    with fresh_database() as url:
        yield url
