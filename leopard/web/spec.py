"""What the generated spec cannot see: the answers every API route can give,
and which bodies refuse unknown fields.

Handlers document what is particular to them; the contract's common errors
(malformed input, tokens, a missing id, the body limit, the database) hold for
every route and are written here once.
"""

ERROR = {"$ref": "#/definitions/Error"}
COMMON = {
    "400": "malformed body or query",
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


def complete(spec: dict, strict_bodies=()) -> dict:
    """Add the common answers to every API operation, and mark the schemas of
    strict bodies (unknown fields are a 422) `additionalProperties: false`."""
    definitions = spec.get("definitions", {})
    for schema in strict_bodies:
        for cls in (schema, *_subclasses(schema)):
            if cls.__name__ in definitions:
                definitions[cls.__name__]["additionalProperties"] = False
    for path, operations in spec.get("paths", {}).items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for code, description in COMMON.items():
                if code not in responses and _applies(code, path, method, operation):
                    responses[code] = {"description": description, "schema": ERROR}
    return spec
