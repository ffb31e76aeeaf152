"""The client's address and whether it came over TLS: the connection's own,
or what trusted proxies say."""

import ipaddress


def _trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(peer: str | None, forwarded_for: str | None, networks) -> str:
    """Walk X-Forwarded-For from its end while the hop that added the entry is
    a trusted proxy: the first address a trusted proxy vouches for and that is
    not itself a trusted proxy is the client. Entries further left were
    written by the client and may be anything, so they are never read unless
    a trusted proxy added them."""
    address = peer or "unknown"
    hops = [h.strip() for h in (forwarded_for or "").split(",") if h.strip()]
    while hops and _trusted(address, networks):
        hop = hops.pop()
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break  # not an address: keep the proxy's own
        address = hop
    return address


def over_tls(request, networks) -> bool:
    """Whether the client reached Leopard over TLS: on this very connection,
    or through a trusted proxy that says so in X-Forwarded-Proto (its own
    entry, the last). aiohttp's request.secure sees only the connection, and
    behind nginx that is plain HTTP. A peer that is not a trusted proxy
    cannot claim it."""
    if request.secure:
        return True
    if not _trusted(request.remote or "", networks):
        return False
    proto = request.headers.get("X-Forwarded-Proto", "")
    return proto.rsplit(",", 1)[-1].strip().lower() == "https"


def request_address(request, networks) -> str:
    return client_address(
        request.remote, request.headers.get("X-Forwarded-For"), networks
    )
