"""marshmallow request/response schemas, read by aiohttp-apispec for the spec."""
