"""One-shot commands against the database: migrate, createuser, token."""

from contextlib import asynccontextmanager

from marshmallow import ValidationError

from .auth import tokens
from .errors import LeopardError
from .queries.users import get_login
from .schemas.users import UserCreate
from .services.users import create_user
from .store.db import DatabaseUnavailable, embedded_url, starting_engine
from .store.migrations import MigrationError
from .store.migrations import migrate as apply_migrations


class CommandError(Exception):
    pass


@asynccontextmanager
async def _database(settings):
    """An engine on the configured (or embedded) database, migrated."""
    try:
        async with embedded_url(settings) as url:
            async with starting_engine(url, maxsize=2) as engine:
                await apply_migrations(engine)
                yield engine
    except (MigrationError, LeopardError, DatabaseUnavailable) as exc:
        raise CommandError(getattr(exc, "message", str(exc))) from None


async def migrate(settings, args) -> int:
    async with _database(settings):
        pass
    print("migrations applied", flush=True)
    return 0


async def createuser(settings, args) -> int:
    fields = {
        "username": args.username,
        "password": args.password,
        "full_name": args.full_name,
        "role": "admin" if args.admin else "staff",
    }
    if args.email:
        fields["email"] = args.email
    try:
        fields = UserCreate().load(fields)
    except ValidationError as err:
        problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in err.messages.items())
        raise CommandError(problems) from None
    async with _database(settings) as engine:
        user = await create_user(engine, **fields)
    print(user.id, flush=True)
    return 0


async def token(settings, args) -> int:
    async with _database(settings) as engine:
        async with engine.acquire() as conn:
            user = await get_login(conn, args.username)
    if user is None or not user.is_active:
        raise CommandError(f"no active user named {args.username!r}")
    print(tokens.issue(settings, user.id), flush=True)
    return 0
