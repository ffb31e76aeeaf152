"""The SQL helpers under every query: rows by name, a unit of work's
transaction, and statements compiled once.

No query module and no service is imported here; both import this."""

from aiopg.sa.engine import get_dialect


class Row(dict):
    """A result row by column name, as a mapping and as attributes (like
    aiopg's RowProxy, without holding the result it came from)."""

    __slots__ = ()

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


class Transaction:
    """A unit of work's connection. BEGIN is sent with the first statement, in
    its round trip (a write is a handful of statements, so one round trip
    fewer shows); `end` commits or rolls back what was begun."""

    def __init__(self, conn):
        self.conn, self.begun = conn, False

    def _begin(self, query):
        """The query with BEGIN in front, the first time; BEGIN is sent on its
        own before a first query that is not SQL text."""
        if self.begun:
            return query, False
        self.begun = True
        if isinstance(query, str):
            return "BEGIN; " + query, False
        return query, True

    async def execute(self, query, *multiparams, **params):
        query, begin_first = self._begin(query)
        if begin_first:
            await self.conn.execute("BEGIN")
        return await self.conn.execute(query, *multiparams, **params)

    async def scalar(self, query, *multiparams, **params):
        result = await self.execute(query, *multiparams, **params)
        return await result.scalar()

    async def end(self, commit: bool) -> None:
        if self.begun:
            self.begun = False
            await fetch(self.conn, "COMMIT" if commit else "ROLLBACK", {})


async def fetch(conn, sql: str, params: dict) -> list[Row]:
    """Run sql with params; its rows (none for a statement without any).

    conn is an aiopg.sa connection or a unit of work's Transaction (which
    sends its BEGIN with the first statement). On aiopg's own cursor: the
    ResultProxy aiopg.sa builds for each statement costs a third of a round
    trip's CPU."""
    if isinstance(conn, Transaction):
        sql, conn = conn._begin(sql)[0], conn.conn
    cursor = await conn.connection.cursor()
    try:
        await cursor.execute(sql, params)
        if cursor.description is None:
            return []
        names = [column.name for column in cursor.description]
        rows = await cursor.fetchall()
        return [Row(zip(names, values, strict=True)) for values in rows]
    finally:
        cursor.close()


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

    async def rows(self, conn, **values) -> list[Row]:
        return await fetch(conn, self.sql, self.params(values))

    async def first(self, conn, **values) -> Row | None:
        rows = await self.rows(conn, **values)
        return rows[0] if rows else None


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
