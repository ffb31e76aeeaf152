"""Sending: to an SMTP server with aiosmtplib, or into the log (`log:`).

Only the server's host and port are ever logged, never the credentials."""

import logging

import aiosmtplib

from ..config import SmtpTarget
from ..logtext import Block
from .compose import plain_text

log = logging.getLogger("leopard.email")

# A server that accepts the connection and then says nothing must not hold
# the sweep (and the rows it claimed) for long.
TIMEOUT = 20.0


class SendFailed(Exception):
    """The message was not accepted. `server_down`: the server could not be
    reached at all, so the other emails of the sweep would fail too."""

    def __init__(self, reason: str, server_down: bool):
        super().__init__(reason)
        self.server_down = server_down


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class Mailer:
    """Sends one EmailMessage at a time to target; raises SendFailed."""

    def __init__(self, target: SmtpTarget, timeout: float = TIMEOUT):
        self.target, self.timeout = target, timeout

    async def send(self, message) -> None:
        target = self.target
        if target.kind == "log":
            # Indented, a line of the log each: what a sender wrote in a
            # title cannot pass for a record of its own.
            log.info("email (LEOPARD_SMTP_URL=log:)\n%s", Block(plain_text(message)))
            return
        try:
            await aiosmtplib.send(
                message,
                hostname=target.host,
                port=target.port,
                username=target.username,
                password=target.password,
                use_tls=target.use_tls,
                start_tls=target.start_tls,
                timeout=self.timeout,
            )
        except (
            aiosmtplib.SMTPConnectError,
            aiosmtplib.SMTPServerDisconnected,
            aiosmtplib.SMTPTimeoutError,
            OSError,
            TimeoutError,
        ) as exc:
            raise SendFailed(_reason(exc), server_down=True) from None
        except aiosmtplib.SMTPException as exc:
            # Refused (a recipient, the sender, the login, the data): this
            # email, not necessarily the next one.
            raise SendFailed(_reason(exc), server_down=False) from None
