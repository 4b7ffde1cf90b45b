"""The application's database: one engine per URL, migrated to the newest schema on first use,
and sessions on it. Every room keeps its tables here, on the one declarative ``Base``."""

from __future__ import annotations

from datetime import datetime, timezone
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, declarative_base, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

Base = declarative_base()


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@cache
def engine(url: str) -> Engine:
    """The engine of ``url``, one per URL and process, its schema migrated on creation."""
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
    """Bring the schema to ``revision`` with Alembic (storage/migrations)."""
    config = alembic_config()
    with eng.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


class Database:
    """One database as the components use it: built from the settings at start-up and handed
    to whoever needs sessions. The engine is created (and migrated) at the first session."""

    def __init__(self, url: str):
        self.url = url

    @property
    def engine(self) -> Engine:
        return engine(self.url)

    def session(self) -> Session:
        """A new session; use it as a context manager (``with db.session() as s, s.begin(): ...``)."""
        return sessionmaker(self.engine, future=True, expire_on_commit=False)()
