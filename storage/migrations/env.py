"""Alembic environment: migrations run on the connection storage.db hands over."""
from alembic import context

import handoff.models  # noqa: F401 - registers the handoff tables on the shared metadata
from knowledge.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
