"""Engine and sessions: SQLite under var/ by default, DATABASE_URL for PostgreSQL."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def database_url() -> str:
    default = f"sqlite:///{PROJECT_ROOT / 'var' / 'legalbot.db'}"
    return os.environ.get("DATABASE_URL", default)


def engine(url: str | None = None) -> Engine:
    """The engine of ``url`` (default: DATABASE_URL as it is now), one per URL."""
    return _engine(url or database_url())


@lru_cache(maxsize=None)
def _engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    eng = create_engine(url, future=True, pool_pre_ping=True)
    migrate(eng)
    return eng


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def migrate(eng: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` with Alembic (knowledge/migrations)."""
    config = alembic_config()
    with eng.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def session(url: str | None = None) -> Session:
    """A new session; use it as a context manager (``with session() as s, s.begin(): ...``)."""
    return sessionmaker(engine(url), future=True, expire_on_commit=False)()
