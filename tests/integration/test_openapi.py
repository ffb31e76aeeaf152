"""The OpenAPI 3.0 document: valid, and covering every route with its schemas."""

import re

from aiohttp_apispec.utils import get_path
from openapi_spec_validator import validate

from leopard.routes import API, OPS
from leopard.schemas.common import MAX_ID


async def _spec(client):
    resp = await client.get("/api/docs/swagger.json")
    assert resp.status == 200
    return await resp.json()


async def test_every_api_route_is_in_the_spec_with_its_responses(client):
    spec = await _spec(client)
    # HEAD is GET without the body (routes.py): documented once, as GET.
    routes = {
        (r.method.lower(), r.resource.canonical)
        for r in client.app.router.routes()
        if r.resource.canonical.startswith("/api/v1/")
        and r.resource.canonical.endswith("/")
        and r.method != "HEAD"
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
    optional = set()
    for method, _, handler, name in API:
        path = client.app.router[name].canonical
        schemas = getattr(handler, "__schemas__", [])
        for body_schema in [
            s["schema"] for s in schemas if "json" in (s["locations"] or [])
        ]:
            body = spec["paths"][path][method.lower()]["requestBody"]
            # The server answers 400 "a JSON body is required" without one,
            # except where the leopard_refresh cookie may stand for it.
            may_omit = getattr(body_schema, "body_optional", False)
            assert body["required"] is not may_omit, (method, path)
            assert "$ref" in body["content"]["application/json"]["schema"]
            if may_omit:
                optional.add(path)
    assert optional == {"/api/v1/auth/token/refresh/", "/api/v1/auth/logout/"}


def _strings(schema: dict, components: dict):
    """Every string schema a request body or parameter schema holds."""
    if "$ref" in schema:
        yield from _strings(components[schema["$ref"].rsplit("/", 1)[1]], components)
        return
    if schema.get("type") == "string":
        yield schema
    for key in ("properties",):
        for value in schema.get(key, {}).values():
            yield from _strings(value, components)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            yield from _strings(schema[key], components)
    for option in schema.get("anyOf", []):
        yield from _strings(option, components)


async def test_the_spec_says_what_the_server_refuses_where_openapi_can(client):
    """A NUL anywhere in a request is a 400, SYSTEM cannot be muted, a bulk
    call names one target: schema-valid requests are not refused for these."""
    spec = await _spec(client)
    components = spec["components"]["schemas"]
    checked = 0
    for operations in spec["paths"].values():
        for operation in operations.values():
            schemas = [p["schema"] for p in operation.get("parameters", [])]
            body = operation.get("requestBody")
            if body:
                schemas.append(body["content"]["application/json"]["schema"])
            for schema in schemas:
                for string in _strings(schema, components):
                    checked += 1
                    if "enum" in string or string.get("maxLength") == 0:
                        continue
                    if "format" in string:  # an email, a date: no NUL in any
                        assert string["format"] in ("email", "date", "date-time"), (
                            string
                        )
                        continue
                    assert re.search(string["pattern"], "a\x00b") is None, string
    assert checked > 40
    muted = components["PreferencesUpdate"]["properties"]["muted_types"]["items"]
    assert "SYSTEM" not in muted["enum"] and "TASK_COMMENT" in muted["enum"]
    assert components["BulkRequest"]["oneOf"] == [
        {"required": ["ids"]},
        {"required": ["group"]},
        {"required": ["all"], "properties": {"all": {"enum": [True]}}},
    ]
    assert components["UserUpdate"]["properties"]["is_active"]["type"] == "boolean"


async def test_a_blank_title_is_refused_by_the_spec_and_by_the_server_alike(
    client, make_user
):
    """Python's \\s and JavaScript's differ (\\x1f, \\ufeff): the pattern
    spells its whitespace out, and the server checks that very pattern."""
    alice = await make_user()
    title = (await _spec(client))["components"]["schemas"]["TaskCreate"]
    pattern = re.compile(title["properties"]["title"]["pattern"])
    for text, blank in [("x", False), (" \t\x1f\u3000", True), ("\ufeff", True)]:
        assert (pattern.search(text) is None) is blank
        resp = await client.post(
            "/api/v1/tasks/", json={"title": text}, headers=alice.headers
        )
        assert resp.status == (422 if blank else 201), text


async def test_the_slashless_aliases_stay_out_of_the_spec(client):
    spec = await _spec(client)
    # The calendar feed is a file (…/feed/<secret>.ics), documented as one.
    paths = [p for p in spec["paths"] if p.startswith("/api")]
    assert all(path.endswith(("/", ".ics")) for path in paths)
    assert "/api/v1/calendar/feed/{secret}.ics" in paths


async def test_swagger_ui_is_served_from_leopard_with_its_own_initializer(client):
    resp = await client.get("/api/docs/")
    assert resp.status == 200
    page = await resp.text()
    scripts = [
        '<script src="/api/docs/static/swagger-ui-bundle.js"></script>',
        '<script src="/api/docs/static/docs.js"></script>',
    ]
    assert all(script in page for script in scripts)
    init = await (await client.get("/api/docs/static/docs.js")).text()
    assert 'url: "/api/docs/swagger.json"' in init
    assert "queryConfigEnabled: false" in init
    bundle = await client.get("/api/docs/static/swagger-ui-bundle.js")
    assert bundle.status == 200
    # The bundle's own index.html reads ?url=: it is not served.
    assert (await client.get("/api/docs/static/index.html")).status == 404


def test_the_bundled_swagger_ui_is_past_cve_2021_46708():
    """Swagger UI before 4.1.3 loads the document ?url= names (on this origin)."""
    from swagger_ui_bundle import swagger_ui_path

    version = str(swagger_ui_path).rsplit("swagger-ui-", 1)[1]
    assert tuple(map(int, version.split("."))) >= (4, 1, 3)


async def test_the_stream_states_its_order_guarantee(client):
    op = (await _spec(client))["paths"]["/api/v1/notifications/stream/"]["get"]
    assert "strictly increasing order" in op["description"]
    assert "reconnects" in op["description"]


async def test_the_document_is_valid_openapi_3(client):
    spec = await _spec(client)
    assert spec["openapi"].startswith("3.0.")
    validate(spec)  # openapi-spec-validator: raises on the first error


async def test_health_and_metrics_are_documented(client):
    paths = (await _spec(client))["paths"]
    for _, path, _, _ in OPS:
        assert "get" in paths[path] and paths[path]["get"]["security"] == []
    assert set(paths["/readyz"]["get"]["responses"]) == {"200", "503"}


async def test_answers_without_a_body_declare_no_content(client):
    paths = (await _spec(client))["paths"]
    no_content = [
        (path, method)
        for path, ops in paths.items()
        for method, op in ops.items()
        if "204" in op["responses"]
    ]
    assert len(no_content) >= 5  # ticket set and cleared, three DELETEs
    for path, method in no_content:
        assert "content" not in paths[path][method]["responses"]["204"]


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


async def test_every_integer_is_an_int64_and_bounds_match_the_server(client):
    spec = await _spec(client)
    integers = [n for n in _walk(spec) if n.get("type") == "integer"]
    assert integers and all(n["format"] == "int64" for n in integers)
    tasks = spec["paths"]["/api/v1/tasks/"]["get"]["parameters"]
    page = {p["name"]: p["schema"] for p in tasks if p["name"] in ("limit", "offset")}
    assert (page["limit"]["minimum"], page["limit"]["maximum"]) == (1, MAX_ID)
    assert (page["offset"]["minimum"], page["offset"]["maximum"]) == (0, MAX_ID)
    stream = spec["paths"]["/api/v1/notifications/stream/"]["get"]["parameters"]
    by_name = {p["name"]: p for p in stream}
    assert by_name["last_event_id"]["schema"]["maximum"] == MAX_ID
    header = by_name["Last-Event-ID"]
    assert header["in"] == "header" and header["schema"]["format"] == "int64"


async def test_emails_and_recipients_are_typed(client):
    schemas = (await _spec(client))["components"]["schemas"]
    assert schemas["UserCreate"]["properties"]["email"]["format"] == "email"
    for name in ("User", "Client", "ClientCreate", "ClientUpdate"):
        email = schemas[name]["properties"]["email"]
        assert {"type": "string", "format": "email"} in email["anyOf"], name
    recipients = schemas["NotificationCreate"]["properties"]["recipients"]
    kinds = {option["type"] for option in recipients["anyOf"]}
    assert kinds == {"array", "string"}


async def test_a_bad_user_reference_reads_the_same_on_every_list(client, make_user):
    alice = await make_user()
    messages = set()
    for path in ("/api/v1/tasks/", "/api/v1/visa-applications/"):
        resp = await client.get(f"{path}?assigned_to=nobody", headers=alice.headers)
        assert resp.status == 400
        messages.add(tuple((await resp.json())["error"]["fields"]["assigned_to"]))
    assert messages == {("a user id, `me` or `none`",)}


async def test_each_operation_is_named_after_its_route(client):
    """Generated clients name their functions by operationId: one per
    operation, unique, the route's name."""
    spec = await _spec(client)
    ids = {
        (method, path): op.get("operationId")
        for path, ops in spec["paths"].items()
        for method, op in ops.items()
    }
    names = {name for _, _, _, name in API + OPS}
    expected = {
        (route.method.lower(), get_path(route)): route.name.replace("-", "_")
        for route in client.app.router.routes()
        if route.name in names
    }
    assert len(expected) == len(API + OPS)
    assert {k: ids[k] for k in expected} == expected
    assert ids[("post", "/api/v1/tasks/")] == "tasks_create"
    named = [i for i in ids.values() if i]
    assert len(named) == len(set(named))
