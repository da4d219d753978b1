"""Alembic environment for dosewatch. Configured from ``alerts.migrate.alembic_config`` (no ini file).

The URL comes from the ``sqlalchemy.url`` option, or a caller may hand over an open connection in
``config.attributes["connection"]`` (for callers that already hold one).
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import engine_from_config, pool

from alerts.migrate import context_options

config = context.config


def _configure(**kwargs: Any) -> None:
    context.configure(**context_options(), **kwargs)


def run_migrations_offline() -> None:
    """``alembic upgrade --sql``: print the SQL instead of running it (for a DBA to review)."""
    _configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True,
               dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    # A plain engine, not ``alerts.db.make_engine``: its SQLite pragmas (foreign_keys=ON) would make
    # batch mode's DROP TABLE of a copied parent table cascade into its children.
    engine = engine_from_config(config.get_section(config.config_ini_section, {}),
                                prefix="sqlalchemy.", poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            _configure(connection=conn)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
