"""Every path works with and without its trailing slash: the API, health,
metrics and the docs alike (no 404, no redirect that would lose a POST body)."""

from aiohttp.test_utils import make_mocked_request

from leopard.routes import API, OPS, twin

# Served files keep their one name; the inbox is `/`.
FILES = {"inbox", "inbox-asset", "swagger.static", "calendar-feed"}


def _concrete(path: str) -> str:
    return path.replace("{id}", "7")


async def test_every_route_answers_with_and_without_its_slash(make_app):
    app = make_app()
    checked = set()
    for resource in app.router.resources():
        if resource.name is None or resource.name in FILES:
            continue
        path = _concrete(resource.canonical)
        for route in resource:
            for candidate in (path, twin(path)):
                request = make_mocked_request(route.method, candidate, app=app)
                match = await app.router.resolve(request)
                assert match.http_exception is None, (route.method, candidate)
                assert match.handler is route.handler or (
                    getattr(match.handler, "route_name", None) == resource.name
                ), (route.method, candidate)
                checked.add((route.method, candidate))
    # Everything the contract names, both ways round.
    for path in ("/healthz", "/readyz", "/metrics", "/api/docs/", "/api/v1/tasks/"):
        assert ("GET", path) in checked and ("GET", twin(path)) in checked
    assert ("POST", "/api/v1/auth/token") in checked
    # Every API and ops route, and the two of the docs, each both ways.
    assert len(checked) == 2 * (len(API) + len(OPS) + 2)


async def test_docs_and_health_answer_without_and_with_the_slash(client):
    for path in ("/api/docs", "/api/docs/"):
        resp = await client.get(path)
        assert resp.status == 200 and "swagger" in (await resp.text()).lower()
    for path in ("/api/docs/swagger.json", "/api/docs/swagger.json/"):
        resp = await client.get(path)
        assert resp.status == 200 and (await resp.json())["info"]["title"] == "Leopard"
    for path in ("/healthz", "/healthz/", "/readyz", "/readyz/"):
        resp = await client.get(path)
        assert (resp.status, (await resp.json())["status"]) == (200, "ok")
    resp = await client.post(
        "/api/v1/auth/token",
        json={"username": "nobody-here", "password": "not-the-password"},
    )
    assert resp.status == 401
