"""One-shot commands against the database: migrate, createuser, token,
backup, restore, and templates import/export."""

import json
from contextlib import asynccontextmanager
from pathlib import Path

from marshmallow import ValidationError

from .auth import tokens
from .errors import LeopardError
from .queries.database import count_tables, get_server_major
from .queries.users import get_login
from .schemas.templates import TemplateCreate
from .schemas.users import UserCreate
from .services import templates as template_service
from .services.users import create_user
from .store import backup as backups
from .store.db import DatabaseUnavailable, embedded_url, starting_engine
from .store.migrations import MigrationError
from .store.migrations import migrate as apply_migrations
from .urls import masked_url


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


async def templates(settings, args) -> int:
    """`templates export FILE` / `templates import FILE`: every task template
    as JSON {"templates": [...]}, or created and updated from such a file by
    name (each checked as POST /api/v1/task-templates/ checks a body)."""
    path = Path(args.file)
    if args.action == "export":
        async with _database(settings) as engine:
            data = await template_service.export_templates(engine)
        _write_json(path, data)
        print(f"{len(data['templates'])} templates written to {path}", flush=True)
        return 0
    items = _read_templates(path)
    async with _database(settings) as engine:
        counts = await template_service.import_templates(engine, items)
    print(", ".join(f"{n} {what}" for what, n in counts.items()), flush=True)
    return 0


def _write_json(path: Path, data) -> None:
    try:
        text = json.dumps(data, indent=2, ensure_ascii=False)
        path.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"cannot write {path}: {exc.strerror}") from None


def _read_templates(path: Path) -> list[dict]:
    """The templates of a file, each checked as the API checks a new one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror}") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise CommandError(f"{path} is not JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("templates"), list):
        raise CommandError(f'{path}: expected {{"templates": [...]}}')
    items = []
    for i, item in enumerate(data["templates"], 1):
        try:
            items.append(TemplateCreate().load(item))
        except ValidationError as err:
            raise CommandError(f"{path}: template {i}: {err.messages}") from None
    return items


def _checked(file: str, command: str) -> Path:
    """The FILE of backup (its folder must exist) or restore (it must exist)."""
    path = Path(file)
    if command == "backup" and not path.parent.is_dir():
        raise CommandError(f"no folder {str(path.parent)!r} to write the backup in")
    if command == "restore" and not path.is_file():
        raise CommandError(f"no backup file {str(path)!r}")
    return path


async def _inspect(url: str) -> tuple[int, int]:
    """(how many tables the database has, the server's major version)."""
    async with starting_engine(url, maxsize=1) as engine:
        async with engine.acquire() as conn:
            return await count_tables(conn), await get_server_major(conn)


async def backup(settings, args) -> int:
    """pg_dump takes one snapshot: consistent while Leopard keeps serving."""
    path = _checked(args.file, "backup")
    try:
        async with embedded_url(settings) as url:
            _, major = await _inspect(url)
            await backups.dump(url, path, major)
    except (backups.BackupError, DatabaseUnavailable) as exc:
        raise CommandError(str(exc)) from None
    print(f"backup written to {path}", flush=True)
    return 0


async def restore(settings, args) -> int:
    """Into an empty database only, then migrated to this version's schema."""
    path = _checked(args.file, "restore")
    try:
        async with embedded_url(settings) as url:
            tables, major = await _inspect(url)
            if tables:
                raise CommandError(
                    f"the database {masked_url(url)} already has {tables} tables: "
                    "restore only into an empty one (a new LEOPARD_DATA_DIR, or a "
                    "new database); nothing was changed"
                )
            await backups.restore(url, path, major)
            async with starting_engine(url, maxsize=1) as engine:
                await apply_migrations(engine)
    except (backups.BackupError, DatabaseUnavailable, MigrationError) as exc:
        raise CommandError(str(exc)) from None
    print(f"restored from {path}", flush=True)
    return 0
