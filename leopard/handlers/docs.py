"""The API's documentation: Swagger UI on a page of Leopard's own, and the
OpenAPI document aiohttp-apispec generated (web/spec.py completes it)."""

from pathlib import Path

from aiohttp import web
from swagger_ui_bundle import swagger_ui_path

from ..keys import SPEC
from ..web.auth import public

PAGE = Path(__file__).resolve().parent.parent / "apidocs"
BUNDLE = Path(swagger_ui_path)
# Only these files, by name: the page's own initializer, and of the bundle
# its script, style and icons (not its index.html, which reads ?url=).
ASSETS = {
    "docs.js": (PAGE, "text/javascript; charset=utf-8"),
    "swagger-ui-bundle.js": (BUNDLE, "text/javascript; charset=utf-8"),
    "swagger-ui.css": (BUNDLE, "text/css; charset=utf-8"),
    "favicon-32x32.png": (BUNDLE, "image/png"),
    "favicon-16x16.png": (BUNDLE, "image/png"),
}


@public
async def page(request: web.Request) -> web.FileResponse:
    headers = {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-cache"}
    return web.FileResponse(PAGE / "index.html", headers=headers)


@public
async def asset(request: web.Request) -> web.FileResponse:
    found = ASSETS.get(request.match_info["name"])
    if found is None:
        raise web.HTTPNotFound()
    folder, content_type = found
    headers = {"Content-Type": content_type, "Cache-Control": "no-cache"}
    return web.FileResponse(folder / request.match_info["name"], headers=headers)


@public
async def spec(request: web.Request) -> web.Response:
    return web.json_response(request.app[SPEC])
