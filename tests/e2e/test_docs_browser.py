"""The API docs page in Chromium: Swagger UI shows Leopard's own document
whatever the query string says, and nothing leaves for another origin."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from ..support.inbox import console_problems

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.hardening]

expect.set_options(timeout=15_000)

EVIL = {
    "openapi": "3.0.3",
    "info": {
        "title": "Evil API",
        "version": "1",
        "description": "[Sign in again](http://evil.example/phish)",
    },
    "paths": {},
}


@pytest.fixture
def elsewhere():
    """Another origin serving an attacker's document (and config), counting
    what it is asked for."""
    asked = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            body = json.dumps(
                {"url": "/evil.json"} if "config" in self.path else EVIL
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", asked
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "query",
    [
        "?url={evil}/evil.json",
        "?configUrl={evil}/config.json",
        "?url={evil}/evil.json&urls.primaryName=x",
    ],
    ids=["url", "configUrl", "urls"],
)
def test_the_docs_page_shows_leopards_document_whatever_the_query_says(
    leopard, new_context, elsewhere, query
):
    evil, asked = elsewhere
    page = new_context().new_page()
    problems = console_problems(page)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(leopard.url + "/api/docs/" + query.format(evil=evil))
    expect(page.locator(".info .title")).to_contain_text("Leopard")
    # The document's operations are drawn: Leopard's own, from its own URL.
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    assert page.locator("text=Evil API").count() == 0
    assert asked == [], "the page fetched the other origin's document"
    ours = urlsplit(leopard.url).netloc
    assert {urlsplit(url).netloc for url in requested} == {ours}, requested
    assert leopard.url + "/api/docs/swagger.json" in requested
    assert problems == [], problems  # no CSP violation, no script error


def test_the_docs_page_cannot_be_framed_by_another_site(leopard, new_context):
    page = new_context().new_page()
    response = page.goto(leopard.url + "/api/docs/")
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
