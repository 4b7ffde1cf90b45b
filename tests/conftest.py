"""Shared fixtures: real SQLite files and a real PostgreSQL database per test session."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg2
import pytest

#: An existing database the tests may connect to in order to create their own (trust auth).
ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database, dropped after the session."""
    name = f"legalbot_test_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(ADMIN_URL)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    base = ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        from storage.db import engine

        engine(f"{base}/{name}").dispose()
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """Each knowledge-base test runs on both databases the product supports."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'kb.db'}"
    url = request.getfixturevalue("postgres_url")
    from sqlalchemy import text

    from storage.db import engine, migrate

    eng = engine(url)
    with eng.begin() as connection:  # start from an empty database, then migrate it
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    migrate(eng)
    return url


@pytest.fixture
def registry(db_url) -> str:
    """A database of either kind holding the shipped sample registry of villages and advisers."""
    from handoff.registry import SEED_REGISTRY, load_registry
    from storage.db import Database

    with Database(db_url).session() as s, s.begin():
        load_registry(s, SEED_REGISTRY)
    return db_url
