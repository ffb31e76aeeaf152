"""A real PostgreSQL for the suite: LEOPARD_TEST_DATABASE_URL's server, or an
embedded one. Each session gets its own database built by the migrations; tests
keep apart by unique names, never by truncating."""

import asyncio
import os
import uuid
from contextlib import contextmanager
from dataclasses import replace

import pytest
from aiohttp.test_utils import TestServer

from leopard.app import SERVER_KWARGS, init_app
from leopard.auth import tokens
from leopard.config import Settings
from leopard.services.users import create_user
from leopard.store.db import (
    admin_sql,
    open_engine,
    start_embedded,
    stop_embedded,
    with_database,
)
from leopard.store.migrations import migrate

from .support.common import data_directory, unique


@pytest.fixture
def data_dir():
    with data_directory() as path:
        yield path


@pytest.fixture(scope="session")
def server_url():
    url = os.environ.get("LEOPARD_TEST_DATABASE_URL")
    if url:
        yield url
        return
    with data_directory() as path:
        server, url = start_embedded(path)
        yield url
        stop_embedded(server)


@pytest.fixture(scope="session")
def fresh_database(server_url):
    """A factory of empty databases on the test server, dropped at the end."""
    created = []

    @contextmanager
    def make():
        name = f"leopard_test_{uuid.uuid4().hex[:12]}"
        admin_sql(server_url, f'CREATE DATABASE "{name}"')
        created.append(name)
        yield with_database(server_url, name)

    yield make
    for name in created:
        admin_sql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def database_url(fresh_database):
    with fresh_database() as url:

        async def build():
            async with open_engine(url, maxsize=1) as engine:
                await migrate(engine)

        asyncio.run(build())
        yield url


@pytest.fixture
def settings(database_url, tmp_path) -> Settings:
    return Settings(
        database_url=database_url,
        data_dir=tmp_path,
        jwt_secret="test-secret-" + "x" * 32,
        admin_password="admin-password",
        sse_heartbeat=30.0,
        # Every test signs in from 127.0.0.1 against one database: the
        # contract's 10 (50 per address) would throttle the suite itself. The
        # throttle's own tests set their limit.
        login_max_failures=1000,
    )


@pytest.fixture
def make_app(settings):
    def make(**overrides):
        return init_app(replace(settings, **overrides))

    return make


@pytest.fixture
def serve(aiohttp_client):
    """Start an app on a test server configured as `python run.py` does."""

    async def start(app):
        # TestServer always cancels handlers on disconnect; add the rest.
        server = TestServer(app)
        extra = {k: v for k, v in SERVER_KWARGS.items() if k != "handler_cancellation"}
        await server.start_server(**extra)
        return await aiohttp_client(server)

    return start


@pytest.fixture
async def client(serve, make_app):
    return await serve(make_app())


@pytest.fixture
async def engine(database_url):
    async with open_engine(database_url, maxsize=4) as engine:
        yield engine


class Person:
    """A user made for one test, with a ready token and headers."""

    def __init__(self, row, password, settings):
        self.id = row.id
        self.username = row.username
        self.role = row.role
        self.password = password
        self.token = tokens.issue(settings, row.id)
        self.headers = {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
def make_user(engine, settings):
    async def make(role: str = "staff", **fields) -> Person:
        password = "pw-" + uuid.uuid4().hex
        fields.setdefault("username", unique(role))
        row = await create_user(engine, password=password, role=role, **fields)
        return Person(row, password, settings)

    return make
