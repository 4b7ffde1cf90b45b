"""The Alembic migrations build exactly the schema the models describe, and can be undone."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

import bot.telegram.models  # noqa: F401 - every room's tables are part of the schema
import console.models  # noqa: F401
import handoff.models  # noqa: F401
import knowledge.models  # noqa: F401
from storage.db import Base, engine, migrate


def test_the_migrated_schema_matches_the_models(db_url):
    with engine(db_url).connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []


def test_downgrade_to_nothing_and_back(db_url):
    eng = engine(db_url)
    migrate_down(eng)
    assert set(inspect(eng).get_table_names()) <= {"alembic_version"}
    migrate(eng)
    assert {
        "entries",
        "citations",
        "examples",
        "telegram_updates",
        "cases",
        "case_events",
        "case_messages",
        "advisers",
        "villages",
        "audit_log",
        "entry_revisions",
        "consultations",
        "training_runs",
        "console_users",
        "console_login_attempts",
    } <= set(inspect(eng).get_table_names())


def migrate_down(eng) -> None:
    from alembic import command

    from storage.db import alembic_config

    config = alembic_config()
    with eng.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
