"""The client's address: the connection's peer, or what trusted proxies say."""

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


def request_address(request, networks) -> str:
    return client_address(
        request.remote, request.headers.get("X-Forwarded-For"), networks
    )
