"""The listening sockets, bound before anything else starts: a port already
taken or a host that does not resolve is known before the database is
touched, so a process that cannot serve changes nothing."""

import os
import socket


def bind(host: str, port: int, reuse_port: bool = False) -> list[socket.socket]:
    """Sockets bound to every address host resolves to, as asyncio's
    create_server would bind them, not yet listening (aiohttp listens on
    them once the app has started). Raises the OSError of the first that
    fails (socket.gaierror when host does not resolve)."""
    infos = socket.getaddrinfo(
        host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )
    sockets = []
    try:
        for family, kind, proto, _, address in dict.fromkeys(infos):
            sock = socket.socket(family, kind, proto)
            sockets.append(sock)
            if os.name == "posix":  # elsewhere it would let two servers share
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if reuse_port:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind(address)
    except BaseException:
        for sock in sockets:
            sock.close()
        raise
    return sockets
