"""URLs fit to show: a database's or a mail server's without its password.
Imports nothing of Leopard, so settings and storage can both use it."""

from urllib.parse import urlsplit, urlunsplit


def masked_url(url: str) -> str:
    """url with its password masked, fit for a message or a log line."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    userinfo, host = parts.netloc.rsplit("@", 1)
    user = userinfo.split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))
