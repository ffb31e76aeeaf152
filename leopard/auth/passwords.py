"""Salted slow password hashes (scrypt from the standard library)."""

import asyncio
import base64
import contextlib
import hashlib
import hmac
import os
import threading
import weakref
from concurrent.futures import ThreadPoolExecutor

from ..errors import Busy

# The password rule: new passwords (the API, createuser, LEOPARD_ADMIN_PASSWORD).
MIN_LENGTH, MAX_LENGTH = 8, 1024

# n=2**14, r=8: 16 MiB and tens of milliseconds of a core a hash, costly to guess
# at and quick enough to sign in; the format records them for later changes.
N, R, P = 2**14, 8, 1


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=N, r=R, p=P, dklen=32)
    return f"scrypt${N}${R}${P}${_b64(salt)}${_b64(digest)}"


def check_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode(),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


# A hash of nothing anyone knows: checking against it when the user does not exist
# takes as long as a real check, so timing does not reveal which usernames exist.
DUMMY_HASH = hash_password(os.urandom(16).hex())


# Hash threads run at the lowest priority (nice 19, for these threads alone
# on Linux): while the event loop, PostgreSQL or anything else wants a core
# they give it up, and on a busy box a hash still gets its share and ends.
HASH_NICE = 19


def _lower_priority() -> None:
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASH_NICE)


_hashers: ThreadPoolExecutor | None = None


def _hasher() -> ThreadPoolExecutor:
    """The hash threads, HASH_SLOTS of them, made on first use."""
    global _hashers
    if _hashers is None:
        _hashers = ThreadPoolExecutor(
            HASH_SLOTS, "leopard-hash", initializer=_lower_priority
        )
    return _hashers


async def hash_password_async(password: str) -> str:
    return await asyncio.get_running_loop().run_in_executor(
        _hasher(), hash_password, password
    )


async def check_password_async(password: str, stored: str | None) -> bool:
    ok = await asyncio.get_running_loop().run_in_executor(
        _hasher(), check_password, password, stored or DUMMY_HASH
    )
    return ok and stored is not None


# Bounded hashing. Each hash holds a thread and a core for tens of milliseconds;
# a flood of sign-ins on the default executor would take every core from the
# event loop, and so from the streams. At most HASH_SLOTS run at once (half the
# cores); a caller waits HASH_WAIT seconds for a slot, then is told to come back
# (Busy) rather than queueing without end.
HASH_SLOTS = max(1, (os.cpu_count() or 2) // 2)
HASH_WAIT = 2.0
_slots: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore]"
_slots = weakref.WeakKeyDictionary()


def hash_slots() -> asyncio.Semaphore:
    """The running loop's semaphore in front of the executor (one per loop:
    a semaphore belongs to the loop it first waits on)."""
    loop = asyncio.get_running_loop()
    slots = _slots.get(loop)
    if slots is None:
        slots = _slots[loop] = asyncio.Semaphore(HASH_SLOTS)
    return slots


@contextlib.asynccontextmanager
async def _slot():
    slots = hash_slots()
    try:
        await asyncio.wait_for(slots.acquire(), HASH_WAIT)
    except TimeoutError:
        raise Busy(
            "too many password checks at once; try again shortly",
            headers={"Retry-After": "1"},
        ) from None
    try:
        yield
    finally:
        slots.release()


async def check_password_bounded(password: str, stored: str | None) -> bool:
    """check_password_async, at most HASH_SLOTS at a time (Busy past HASH_WAIT)."""
    async with _slot():
        return await check_password_async(password, stored)


async def hash_password_bounded(password: str) -> str:
    async with _slot():
        return await hash_password_async(password)
