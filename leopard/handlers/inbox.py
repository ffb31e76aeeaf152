"""The web inbox: GET / and its static files (plain HTML, CSS and ES modules)."""

from pathlib import Path

from aiohttp import web

from ..web.auth import public

STATIC = Path(__file__).resolve().parent.parent / "static"
TYPES = {".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml"}
# Only these files are served, read once at start: no directory listing, no
# path tricks, and nothing added to the folder later is served by accident.
ASSETS = {
    path.name: TYPES[path.suffix]
    for path in STATIC.iterdir()
    if path.suffix in TYPES and path.is_file()
}
# Revalidate every time (ETag / Last-Modified): a new release shows at once.
# The page's Content-Security-Policy and the other security headers come from
# web/headers.py, as every response's do.
COMMON = {"Cache-Control": "no-cache"}


@public
async def index(request: web.Request) -> web.FileResponse:
    headers = {**COMMON, "Content-Type": "text/html; charset=utf-8"}
    return web.FileResponse(STATIC / "index.html", headers=headers)


@public
async def asset(request: web.Request) -> web.FileResponse:
    name = request.match_info["name"]
    if name not in ASSETS:
        raise web.HTTPNotFound()
    content_type = ASSETS[name]
    if content_type.startswith("text/"):
        content_type += "; charset=utf-8"
    headers = {**COMMON, "Content-Type": content_type}
    return web.FileResponse(STATIC / name, headers=headers)
