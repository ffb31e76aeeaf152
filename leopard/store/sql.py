"""The SQL helpers under every query: rows by name, a unit of work's
transaction, and statements compiled once.

No query module and no service is imported here; both import this."""

import itertools
import logging
import re

import psycopg2.extensions
from aiopg.sa.engine import get_dialect

from ..jsonutil import dumps

log = logging.getLogger("leopard.db")


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


# A bind as SQLAlchemy's psycopg2 dialect writes it: %(name)s.
_BIND = re.compile(r"%\((\w+)\)s")
_names = itertools.count(1)


class _ServerPlan:
    """One compiled statement as a server-side prepared statement: PREPARE
    once per connection, then EXECUTE with the values. PostgreSQL then parses
    and plans it once per connection, not on every run (planning was a third
    of the database's time per task write)."""

    def __init__(self, sql: str):
        self.name = f"leopard_{next(_names)}"
        order = list(dict.fromkeys(_BIND.findall(sql)))
        position = {name: f"${i}" for i, name in enumerate(order, 1)}
        body = _BIND.sub(lambda m: position[m.group(1)], sql).replace("%%", "%")
        # Sent without values, so psycopg2 leaves any % in it alone.
        self.prepare = f"PREPARE {self.name} AS {body}"
        arguments = ", ".join(f"%({name})s" for name in order)
        self.execute = f"EXECUTE {self.name}" + (f"({arguments})" if order else "")


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

    With `server=True` (for statements kept for the process's life, never for
    one-off ones: each takes a name on every connection) they are also
    prepared on the server, once per pooled connection on first use (see
    `prepare`), and run as EXECUTE.
    """

    # JSONB values written by orjson, as the responses are (json.dumps was
    # most of what binding a notification's values cost).
    _dialect = get_dialect(json_serializer=dumps)

    def __init__(self, *statements, server: bool = True):
        self._compiled = [s.compile(dialect=self._dialect) for s in statements]
        self.sql = "; ".join(str(c) for c in self._compiled)
        self._plans = [_ServerPlan(str(c)) for c in self._compiled] if server else []
        self._execute = "; ".join(plan.execute for plan in self._plans)

    def params(self, values: dict) -> dict:
        params = {}
        for compiled in self._compiled:
            processors = compiled._bind_processors
            for key, value in compiled.construct_params(values).items():
                params[key] = processors[key](value) if key in processors else value
        return params

    async def rows(self, conn, **values) -> list[Row]:
        params = self.params(values)
        if self._plans and await prepare(conn, self._plans):
            return await fetch(conn, self._execute, params)
        return await fetch(conn, self.sql, params)

    async def first(self, conn, **values) -> Row | None:
        rows = await self.rows(conn, **values)
        return rows[0] if rows else None


# Plans whose PREPARE failed (a statement PostgreSQL cannot prepare as
# written): they run as plain statements from then on, on every connection.
_unpreparable: set[str] = set()


async def prepare(conn, plans) -> bool:
    """Make sure conn's server session has plans prepared; False when they
    cannot be (then the caller runs the plain statement).

    Prepared statements belong to the session, not to a transaction: they
    outlive a ROLLBACK, and a PREPARE's failure would abort the transaction it
    ran in. So PREPARE runs in its own round trip, inside a savepoint when
    the connection is in a transaction; after a failure the session's
    statements are all deallocated, so what this connection holds is known
    again, and those plans are not tried again."""
    if isinstance(conn, Transaction):
        conn = conn.conn
    session = conn.connection  # aiopg's Connection: one per server session
    held = getattr(session, "leopard_prepared", None)
    if held is None:
        held = session.leopard_prepared = set()
    missing = [plan for plan in plans if plan.name not in held]
    if not missing:  # every run but a connection's first: no more to do
        return True
    if any(plan.name in _unpreparable for plan in plans):
        return False
    status = session.raw.get_transaction_status()
    in_transaction = status != psycopg2.extensions.TRANSACTION_STATUS_IDLE
    statements = [plan.prepare for plan in missing]
    if in_transaction:
        statements = ["SAVEPOINT leopard_prepare", *statements]
        statements.append("RELEASE SAVEPOINT leopard_prepare")
    try:
        await _run(session, "; ".join(statements))
    except psycopg2.ProgrammingError as exc:  # the statement, not the server
        _unpreparable.update(plan.name for plan in missing)
        log.warning("running a statement unprepared: %s", str(exc).strip())
        undo = ["DEALLOCATE ALL"]
        if in_transaction:
            undo[:0] = [
                "ROLLBACK TO SAVEPOINT leopard_prepare",
                "RELEASE SAVEPOINT leopard_prepare",
            ]
        await _run(session, "; ".join(undo))
        held.clear()
        return False
    held.update(plan.name for plan in missing)
    return True


async def _run(session, sql: str) -> None:
    cursor = await session.cursor()
    try:
        await cursor.execute(sql)
    finally:
        cursor.close()


class Shapes:
    """Prepared statements made by build(*shape), one per shape, compiled on
    first use: an INSERT whose columns or row count vary. At most `limit`
    shapes are kept; past that a shape is compiled each time it runs."""

    def __init__(self, build, limit: int = 256):
        self._build, self._limit, self._made = build, limit, {}

    def __call__(self, *shape) -> Prepared:
        prepared = self._made.get(shape)
        if prepared is None:
            if len(self._made) < self._limit:
                prepared = self._made[shape] = Prepared(*self._build(*shape))
            else:  # made for this run only: not prepared on the server
                prepared = Prepared(*self._build(*shape), server=False)
        return prepared
