"""What the inbox's browser test modules share: a `python run.py` per module,
Debian's Chromium, and fresh browser contexts per test."""

import pytest
from playwright.sync_api import sync_playwright

from ..support.common import data_directory
from ..support.inbox import Leopard, launch


@pytest.fixture(scope="module")
def leopard(tmp_path_factory):
    log = tmp_path_factory.mktemp("inbox") / "server.log"
    with data_directory() as path:
        server = Leopard(path, log).start()
        yield server
        server.stop()


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
