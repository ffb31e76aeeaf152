"""Who is calling, without aiohttp: JWTs, password hashes and the short-lived
cache of the users that tokens name."""
