"""What the generated spec cannot see: the answers every API route can give,
which bodies refuse unknown fields or may be left out, what a body says as a
whole (`spec_extra`), and that no string of a request may hold a NUL.

Handlers document what is particular to them; the contract's common errors
(malformed input, tokens, a missing id, the body limit, the database) hold for
every route and are written here once.
"""

from ..schemas.common import NO_NUL

ERROR = {"$ref": "#/definitions/Error"}
COMMON = {
    "400": "malformed body or query (not JSON, not an object, text with a NUL)",
    "401": "missing, invalid or expired token",
    "404": "absent, or not yours",
    "413": "body over 1 MiB",
    "422": "invalid field values (`fields` names them)",
    "503": "the database is unavailable",
}


def _applies(code: str, path: str, method: str, operation: dict) -> bool:
    has_body = any(p.get("in") == "body" for p in operation.get("parameters", []))
    if code == "401":
        return operation.get("security") != []
    if code == "404":
        return "{" in path
    if code in ("413", "422"):
        return has_body
    return True


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _no_nul(schema: dict) -> None:
    """A string (or strings in a list) that says nothing stricter of itself
    gets the pattern that refuses NUL, as the server does."""
    stricter = {"enum", "pattern", "format", "x-anyOf"}
    if schema.get("type") == "string" and not stricter & set(schema):
        schema["pattern"] = NO_NUL
    if isinstance(schema.get("items"), dict):
        _no_nul(schema["items"])


def complete(spec: dict, strict_bodies=()) -> dict:
    """Add the common answers to every API operation; mark the schemas of
    strict bodies (unknown fields are a 422) `additionalProperties: false`,
    with what each says of itself as a whole (its class's `spec_extra`), and
    their strings and those of parameters free of NUL; and a body that may
    be left out (`body_optional`, the cookie stands for it) not required."""
    definitions = spec.get("definitions", {})
    optional = set()
    for schema in strict_bodies:
        for cls in (schema, *_subclasses(schema)):
            definition = definitions.get(cls.__name__)
            if definition is None:
                continue
            definition["additionalProperties"] = False
            definition.update(cls.__dict__.get("spec_extra", {}))
            for prop in definition.get("properties", {}).values():
                _no_nul(prop)
            if getattr(cls, "body_optional", False):
                optional.add(f"#/definitions/{cls.__name__}")
    for path, operations in spec.get("paths", {}).items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in operations.items():
            for param in operation.get("parameters", []):
                if param.get("in") in ("query", "path", "header"):
                    _no_nul(param)
                elif param.get("in") == "body":
                    param["required"] = param["schema"].get("$ref") not in optional
            responses = operation.setdefault("responses", {})
            for code, description in COMMON.items():
                if code not in responses and _applies(code, path, method, operation):
                    responses[code] = {"description": description, "schema": ERROR}
    return spec


# --- OpenAPI 3.0 -----------------------------------------------------------
# aiohttp-apispec 2.2.3 builds its APISpec with openapi_version="2.0" written
# in (a second one is a TypeError), and apispec 3.3.2 in 3.0 mode would turn
# each JSON body into one `in: body` parameter per field. So the document is
# generated as Swagger 2.0, as aiohttp-apispec knows it, and rewritten here,
# once at start, into the OpenAPI 3.0 document that is served.

OPENAPI = "3.0.3"
# Swagger 2.0 has no anyOf or oneOf; fields and bodies carry theirs as
# `x-anyOf` and `x-oneOf` (see schemas/).
LIFTED = {"x-nullable": "nullable", "x-anyOf": "anyOf", "x-oneOf": "oneOf"}
# What a Swagger 2.0 parameter says of its value, which 3.0 puts in `schema`.
VALUE_KEYS = (
    "type",
    "format",
    "items",
    "enum",
    "default",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "x-anyOf",
)
BEARER = {
    "bearer": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "`Authorization: Bearer <JWT>`",
    }
}


def _schema(node):
    """A schema (or anything holding schemas) in 3.0 terms: references into
    components, nullable and anyOf lifted, every integer an int64."""
    if isinstance(node, list):
        return [_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "$ref":
            out[key] = value.replace("#/definitions/", "#/components/schemas/")
        else:
            out[LIFTED.get(key, key)] = _schema(value)
    if "anyOf" in out:  # the alternatives carry their own types
        out.pop("type", None)
        out.pop("format", None)
    if out.get("type") == "integer":
        out["format"] = "int64"
    return out


def _parameter(param: dict) -> dict:
    out = {k: v for k, v in param.items() if k not in VALUE_KEYS}
    out["schema"] = _schema({k: param[k] for k in VALUE_KEYS if k in param})
    if out["schema"].get("type") == "array":
        out.update(style="form", explode=False)  # `status=A,B`, as the server reads
    if param["in"] == "path" and param["name"] == "id":
        # routes.ID: 1 to 18 digits, so within a bigint; larger is a 404.
        out["schema"] = {
            "type": "integer",
            "format": "int64",
            "minimum": 1,
            "maximum": 10**18 - 1,
        }
    return out


def _response(response: dict, media_types: list[str]) -> dict:
    out = {"description": response.get("description", "")}
    if "schema" in response:
        schema = _schema(response["schema"])
        out["content"] = {media: {"schema": schema} for media in media_types}
    elif media_types != ["application/json"]:
        # A text answer (the stream, the metrics): its body is not JSON.
        out["content"] = {
            media: {"schema": {"type": "string"}} for media in media_types
        }
    if "headers" in response:
        out["headers"] = {
            name: {
                "description": header.get("description", ""),
                "schema": _schema({k: v for k, v in header.items() if k in VALUE_KEYS}),
            }
            for name, header in response["headers"].items()
        }
    return out


def _operation(operation: dict) -> dict:
    media_types = operation.get("produces", ["application/json"])
    out = {
        k: v
        for k, v in operation.items()
        if k not in ("parameters", "responses", "produces", "consumes")
    }
    parameters = []
    for param in operation.get("parameters", []):
        if param["in"] == "body":
            # The server answers 400 to a request without one, unless the
            # body may be left out (complete() says which).
            out["requestBody"] = {
                "required": param.get("required", True),
                "content": {"application/json": {"schema": _schema(param["schema"])}},
            }
        else:
            parameters.append(_parameter(param))
    if parameters:
        out["parameters"] = parameters
    out["responses"] = {
        str(code): _response(response, media_types)
        if str(code) != "204"
        else {"description": response.get("description", "")}
        for code, response in operation.get("responses", {}).items()
    }
    return out


def name_operations(doc: dict, routes) -> dict:
    """Each operation's `operationId`: its route's name (`tasks-create` →
    `tasks_create`), so generated clients get stable, readable functions."""
    for method, path, name in routes:
        operation = doc.get("paths", {}).get(path, {}).get(method.lower())
        if operation is not None:
            operation["operationId"] = name.replace("-", "_")
    return doc


def to_openapi3(doc: dict) -> dict:
    """The Swagger 2.0 document aiohttp-apispec builds, as OpenAPI 3.0."""
    return {
        "openapi": OPENAPI,
        "info": doc["info"],
        "security": doc.get("security", []),
        "paths": {
            path: {method: _operation(op) for method, op in operations.items()}
            for path, operations in doc.get("paths", {}).items()
        },
        "components": {
            "schemas": _schema(doc.get("definitions", {})),
            "securitySchemes": BEARER,
        },
    }
