"""The aiohttp plumbing: middlewares, the Bearer middleware, request
validation, the OpenAPI spec's completion and the logs."""
