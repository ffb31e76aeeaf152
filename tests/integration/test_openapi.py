"""The OpenAPI document covers every /api/v1/ route with its schemas."""

from leopard.routes import API


async def _spec(client):
    resp = await client.get("/api/docs/swagger.json")
    assert resp.status == 200
    return await resp.json()


async def test_every_api_route_is_in_the_spec_with_its_responses(client):
    spec = await _spec(client)
    routes = {
        (r.method.lower(), r.resource.canonical)
        for r in client.app.router.routes()
        if r.resource.canonical.startswith("/api/v1/")
        and r.resource.canonical.endswith("/")
    }
    assert routes, "the app has API routes"
    documented = {
        (method, path) for path, ops in spec["paths"].items() for method in ops
    }
    missing = routes - documented
    assert not missing, f"routes missing from the spec: {sorted(missing)}"
    for method, path in routes:
        op = spec["paths"][path][method]
        assert op.get("summary"), f"{method} {path} has no summary"
        assert any(code.startswith("2") for code in op["responses"]), (method, path)


async def test_routes_with_a_body_document_its_schema(client):
    spec = await _spec(client)
    for method, _, handler, name in API:
        path = client.app.router[name].canonical
        schemas = getattr(handler, "__schemas__", [])
        if any("json" in (s["locations"] or []) for s in schemas):
            params = spec["paths"][path][method.lower()]["parameters"]
            body = [p for p in params if p["in"] == "body"]
            assert body and "$ref" in body[0]["schema"], (method, path)


async def test_the_slashless_aliases_stay_out_of_the_spec(client):
    spec = await _spec(client)
    assert all(path.endswith("/") for path in spec["paths"] if path.startswith("/api"))


async def test_swagger_ui_is_served(client):
    resp = await client.get("/api/docs/")
    assert resp.status == 200
    assert "swagger" in (await resp.text()).lower()


async def test_the_stream_states_its_order_guarantee(client):
    op = (await _spec(client))["paths"]["/api/v1/notifications/stream/"]["get"]
    assert "strictly increasing order" in op["description"]
    assert "reconnects" in op["description"]
