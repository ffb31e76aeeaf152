"""The security headers, set in one place for every response the app sends.

A prepare hook rather than a middleware: the stream prepares its response
inside its handler, and the static files are prepared after the middlewares
return, where a middleware would not reach; every response passes here just
before its headers go out, the JSON errors of the middlewares included.
"""

from .logs import route_name

# Each page runs only its own scripts and style and talks only to its own
# origin. Swagger UI's stylesheet draws its icons as data: images.
PAGES = {
    "inbox": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'"
    ),
    "swagger.docs": (
        "default-src 'none'; script-src 'self'; style-src 'self'; "
        "img-src 'self' data:; connect-src 'self'; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"
    ),
}
# Any other HTML (none today): nothing runs, nothing loads, nothing frames it.
STRICT = (
    "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


async def security_headers(request, response) -> None:
    """on_response_prepare: no response is sniffed into another type, and no
    page runs what it did not bring or shows inside another site's frame."""
    headers = response.headers
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    # The header as written (aiohttp writes the type in lower case), not
    # response.content_type, which parses it on every response.
    if headers.get("Content-Type", "").startswith("text/html"):
        headers["Content-Security-Policy"] = PAGES.get(route_name(request), STRICT)
        headers["X-Frame-Options"] = "DENY"
