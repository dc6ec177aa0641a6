"""Alembic environment: runs on the connection handed over by `outreach_app.storage.migrate`."""

from __future__ import annotations

from alembic import context

from outreach_app.storage.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite can only change tables by copying them
    transactional_ddl=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
