"""Alembic environment: migrations run on the connection storage.db hands over. The revisions
are written out in full (no model imports here); tests/test_migrations.py checks that they
build exactly the schema the models describe."""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(
    connection=connection, target_metadata=context.config.attributes.get("target_metadata"), render_as_batch=True
)
with context.begin_transaction():
    context.run_migrations()
