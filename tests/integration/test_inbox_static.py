"""GET / serves the web inbox, and its assets, with the right types."""

from pathlib import Path

import leopard

STATIC = Path(leopard.__file__).parent / "static"


async def test_the_root_serves_the_inbox_page_without_a_token(client):
    resp = await client.get("/")
    assert resp.status == 200
    assert resp.headers["Content-Type"] == "text/html; charset=utf-8"
    html = await resp.text()
    # One ES module that imports the others: no inline script, no build step.
    assert '<script type="module" src="/static/main.js"></script>' in html
    assert "<script>" not in html
    assert '<link rel="stylesheet" href="/static/app.css">' in html
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "connect-src 'self'" in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


async def test_the_assets_are_served_with_their_content_types(client):
    for name, content_type in [
        ("main.js", "text/javascript; charset=utf-8"),
        ("api.js", "text/javascript; charset=utf-8"),
        ("app.css", "text/css; charset=utf-8"),
        ("icon.svg", "image/svg+xml"),
    ]:
        resp = await client.get(f"/static/{name}")
        assert resp.status == 200, name
        assert resp.headers["Content-Type"] == content_type, name
        assert await resp.read() == (STATIC / name).read_bytes()
        assert resp.headers["Cache-Control"] == "no-cache"


async def test_an_unchanged_asset_answers_304_to_a_revalidation(client):
    first = await client.get("/static/main.js")
    resp = await client.get(
        "/static/main.js", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert resp.status == 304


async def test_only_the_inbox_files_are_served(client):
    for path in [
        "/static/index.html",
        "/static/missing.js",
        "/static/app.js",
        "/static/..%2Fapp.py",
        "/static/",
    ]:
        resp = await client.get(path)
        assert resp.status == 404, path


def test_pip_install_would_ship_every_static_file():
    import configparser

    from setuptools import find_namespace_packages

    config = configparser.ConfigParser()
    config.read(Path(leopard.__file__).parent.parent / "setup.cfg")
    # leopard/static has no __init__.py: a namespace package of data files.
    patterns = config["options.package_data"]["leopard.static"]
    assert "*" in [p.strip() for p in patterns.split(",")]
    found = find_namespace_packages(include=["leopard", "leopard.*"])
    assert {"leopard", "leopard.static"} <= set(found)
    names = {p.name for p in STATIC.iterdir()}
    assert {"index.html", "app.css", "main.js", "icon.svg"} <= names


def test_every_module_the_inbox_imports_is_served():
    import re

    from leopard.handlers.inbox import ASSETS

    imported = set()
    for path in STATIC.glob("*.js"):
        imported |= set(re.findall(r'from "\./([\w-]+\.js)"', path.read_text()))
    assert imported, "the modules import one another"
    assert imported <= set(ASSETS), imported - set(ASSETS)
    assert "main.js" in ASSETS and "index.html" not in ASSETS
