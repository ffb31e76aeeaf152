"""verb_noun(conn, …) functions per resource; the only place SQL is built."""

from aiopg.sa.engine import get_dialect


class Prepared:
    """A Core statement compiled once, then run with named values.

    aiopg.sa compiles every statement on every execute, and building and
    compiling a statement costs more than its round trip to PostgreSQL. For the
    few statements that every request or stream open runs, compile once: write
    the values as `sa.bindparam(name)` and pass them by name. Only for values
    that need no bind processing (ints, text, booleans, arrays of them).
    """

    _dialect = get_dialect()

    def __init__(self, statement):
        self.sql = str(statement.compile(dialect=self._dialect))

    async def execute(self, conn, **values):
        return await conn.execute(self.sql, values)


def like_pattern(text: str) -> str:
    """A substring pattern for ILIKE … ESCAPE '\\' that matches text literally."""
    for char in ("\\", "%", "_"):
        text = text.replace(char, "\\" + char)
    return f"%{text}%"
