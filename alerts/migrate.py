"""Schema migrations: Alembic, configured in code so no ``alembic.ini`` has to be found at run time.

``dosewatch up``, ``dosewatch db upgrade``, the Procfile's release step and the tests all call
:func:`upgrade`; the migration scripts live in ``alerts/migrations`` and ship inside the package.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Render app-only types as plain SQLAlchemy ones, so migrations never import app code.

    ``UTCDateTime`` only converts values in Python; in the database it is ``DateTime(timezone=True)``
    (``timestamptz`` on PostgreSQL). A migration that imported it would break the day it moves.
    """
    from alerts.models.base import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def context_options() -> dict[str, Any]:
    """What ``env.py`` passes to ``context.configure`` (and the drift test to ``compare_metadata``)."""
    from alerts.models import Base

    return {
        "target_metadata": Base.metadata,
        # SQLite cannot ALTER most things; batch mode copies the table instead (a no-op elsewhere).
        "render_as_batch": True,
        "compare_type": True,
        "render_item": render_item,
    }


def alembic_config(database_url: str) -> Config:
    """An Alembic ``Config`` for ``database_url`` pointing at the packaged migration scripts.

    ``env.py`` reads the URL from the ``sqlalchemy.url`` main option. ``%`` is doubled because
    Alembic's ini-style options interpolate it (a password with ``%`` would otherwise break).
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def _ensure_sqlite_dir(database_url: str) -> None:
    # SQLite creates the file but not its folder: a fresh clone has no var/ yet.
    if database_url.startswith("sqlite") and "///" in database_url:
        path = database_url.split("///", 1)[1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the database at ``database_url`` up to ``revision`` (default: the newest). Idempotent."""
    _ensure_sqlite_dir(database_url)
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "-1") -> None:
    """Step the database back to ``revision`` (``"-1"``: one step, ``"base"``: drop every table)."""
    command.downgrade(alembic_config(database_url), revision)


def current(database_url: str) -> str | None:
    """The revision the database is at, or None for an empty (never migrated) database."""
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import create_engine

    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def autogenerate(message: str, rev_id: str | None = None) -> str:
    """Write a new revision with the difference between ``alerts.models`` and the migrations so far.

    It diffs against a throw-away SQLite database upgraded to the current head, so the result does
    not depend on whatever database the developer has configured. Returns the new file's path.
    Always read the result: autogenerate cannot see renames and may need hand edits.
    """
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'autogenerate.sqlite3'}"
        upgrade(url)
        script = command.revision(alembic_config(url), message=message, autogenerate=True, rev_id=rev_id)
    scripts = script if isinstance(script, list) else [script]
    return ", ".join(str(s.path) for s in scripts if s is not None)
