"""verb_noun(conn, …) functions per resource; the only place SQL is built."""

from aiopg.sa.engine import get_dialect


class Prepared:
    """Core statements compiled once, then run with named values.

    aiopg.sa compiles every statement on every execute, and building and
    compiling a statement costs more than its round trip to PostgreSQL (an
    INSERT … RETURNING of a dozen columns, several times more). For the
    statements that every request, stream open or write runs, compile once:
    write the values as `sa.bindparam(name)` and pass them by name. Values go
    through their types' bind processing (JSONB is serialised) as aiopg.sa
    would do it.

    Several statements become one round trip: they run in order, in the
    caller's transaction, and the result is the last one's. Their bind names
    must not clash.
    """

    _dialect = get_dialect()

    def __init__(self, *statements):
        self._compiled = [s.compile(dialect=self._dialect) for s in statements]
        self.sql = "; ".join(str(c) for c in self._compiled)

    def params(self, values: dict) -> dict:
        params = {}
        for compiled in self._compiled:
            processors = compiled._bind_processors
            for key, value in compiled.construct_params(values).items():
                params[key] = processors[key](value) if key in processors else value
        return params

    async def execute(self, conn, **values):
        return await conn.execute(self.sql, self.params(values))


class Shapes:
    """Prepared statements made by build(*shape), one per shape, compiled on
    first use: an INSERT whose columns or row count vary. At most `limit`
    shapes are kept; past that a shape is compiled each time it runs."""

    def __init__(self, build, limit: int = 256):
        self._build, self._limit, self._made = build, limit, {}

    def __call__(self, *shape) -> Prepared:
        prepared = self._made.get(shape)
        if prepared is None:
            prepared = Prepared(*self._build(*shape))
            if len(self._made) < self._limit:
                self._made[shape] = prepared
        return prepared


def like_pattern(text: str) -> str:
    """A substring pattern for ILIKE … ESCAPE '\\' that matches text literally."""
    for char in ("\\", "%", "_"):
        text = text.replace(char, "\\" + char)
    return f"%{text}%"
