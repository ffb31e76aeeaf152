"""Text as the log may show it: what a client sent can never start a line of
its own, move the cursor or colour a terminal.

A decoded path, a username or a query may hold CR and LF (a forged record on
a line of its own), ESC (terminal control sequences), NUL, or the characters
that a viewer takes for a line break or that reorder a line. Each is written
as its escape, `\\x0d` or `\\u2028`, so the line stays one line and says
exactly what was sent. No aiohttp here: the mailer uses it too.
"""

_CONTROLS = [
    *range(0x00, 0x20),  # C0, with CR, LF, ESC, NUL
    *range(0x7F, 0xA0),  # DEL and C1 (0x85 is a line break, 0x9b a CSI)
    0x2028,  # line separator
    0x2029,  # paragraph separator
    *range(0x202A, 0x202F),  # bidirectional embeddings and overrides
    *range(0x2066, 0x206A),  # bidirectional isolates
]
ESCAPES = {c: f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}" for c in _CONTROLS}
INDENT = "    "


def printable(text: str) -> str:
    """text with every control character escaped."""
    return text.translate(ESCAPES)


class Block(str):
    """Text of several lines meant to be read as such (an email written to the
    log): each line is escaped and indented, so none can pass for a record."""

    def __str__(self) -> str:
        return "\n".join(INDENT + printable(line) for line in self.split("\n"))
