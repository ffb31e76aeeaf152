"""A real SMTP server for the email tests: aiosmtpd on 127.0.0.1 and a free
port, in its own thread, keeping every message it accepts. It can refuse
chosen recipients (550) or require a login; `free_port()` gives an address
where no server answers."""

import email
import email.policy
import socket
from contextlib import contextmanager
from dataclasses import dataclass

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: email.message.EmailMessage

    @property
    def text(self) -> str:
        body = self.message.get_body(("plain",)).get_content()
        return body.replace("\r\n", "\n")  # as sent over SMTP

    @property
    def html(self) -> str:
        return self.message.get_body(("html",)).get_content()

    @property
    def titles(self) -> list[str]:
        """The titles the email lists, in its order."""
        return [line[2:] for line in self.text.splitlines() if line.startswith("* ")]


class Recording:
    """The server's handler: refuses the addresses in `refused`, keeps the rest."""

    def __init__(self):
        self.received: list[Received] = []
        self.refused: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(
            envelope.content, policy=email.policy.default
        )
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), message)
        )
        return "250 Message accepted"

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.recipients]


class Login:
    """Accepts one username and password (over plain SMTP: a test server)."""

    def __init__(self, username: str, password: str):
        self.expected = LoginPassword(username.encode(), password.encode())

    def __call__(self, server, session, envelope, mechanism, auth_data):
        # handled=False: aiosmtpd answers a refusal itself (535), as a real
        # server does; by default it would answer nothing, and the client
        # would wait out its timeout instead.
        return AuthResult(success=auth_data == self.expected, handled=False)


@contextmanager
def smtp_server(port: int | None = None, login: Login | None = None):
    """`with smtp_server() as (handler, port):` a server until the block ends."""
    handler, port = Recording(), port or free_port()
    extra = {"authenticator": login, "auth_require_tls": False} if login else {}
    controller = Controller(handler, hostname="127.0.0.1", port=port, **extra)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()
