"""Against a real PostgreSQL: queries, services, and handlers through
aiohttp_client."""
