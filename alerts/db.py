"""Engine and sessions: one ``Database`` per app, shared by its routes and its Celery tasks.

The app factory calls :func:`init_app`; routes take the request's session from :func:`db_session`
and tasks the database from :func:`get_db`, both from here, so neither imports the module that
builds the app (``alerts.app`` imports downward only).
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

# A pooled connection idle for longer than this is pinged before it is handed out (see
# ``_ping_after_idle``); one returned to the pool more recently is used as it is.
PING_AFTER_IDLE_SECONDS = 10.0
# PostgreSQL: how long to wait for a connection (TCP, TLS and start-up together), and how long one
# statement may run on the server. Both well under gunicorn's 30 s worker timeout, so a database
# that is down, overloaded or dropping packets answers a request with a 503 instead of holding a
# worker until gunicorn kills it. ``DATABASE_CONNECT_TIMEOUT_SECONDS`` and
# ``DATABASE_STATEMENT_TIMEOUT_SECONDS`` override them (``engine_options``).
CONNECT_TIMEOUT_SECONDS = 5
STATEMENT_TIMEOUT_SECONDS = 15.0


# Execution option for a session that only reads: ``session.connection(execution_options={READ_ONLY: True})``
# before its first query. On SQLite it begins a deferred transaction instead of taking the write lock.
READ_ONLY = "dosewatch_read_only"


# Every engine :func:`make_engine` made in this process, for :func:`forget_inherited_connections`.
_ENGINES: weakref.WeakSet[Engine] = weakref.WeakSet()


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def engine_options(config: Mapping[str, Any]) -> dict[str, object]:
    """``make_engine`` keywords from the app's configuration (the timeouts)."""
    return {"connect_timeout": config.get("DATABASE_CONNECT_TIMEOUT_SECONDS", CONNECT_TIMEOUT_SECONDS),
            "statement_timeout": config.get("DATABASE_STATEMENT_TIMEOUT_SECONDS", STATEMENT_TIMEOUT_SECONDS)}


def make_engine(url: str, **kwargs: object) -> Engine:
    # Statement parameters are people's data (phone numbers, SMS bodies, symptom notes, token
    # hashes): SQLAlchemy prints them in every error message, and error messages reach logs.
    kwargs.setdefault("hide_parameters", True)
    connect_timeout = kwargs.pop("connect_timeout", CONNECT_TIMEOUT_SECONDS)
    statement_timeout = kwargs.pop("statement_timeout", STATEMENT_TIMEOUT_SECONDS)
    if is_sqlite(url):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            # WAL lets the API read while the worker writes; the busy timeout makes writers queue
            # instead of failing with "database is locked" (web, worker and beat share one file).
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        # pysqlite's own transaction handling starts transactions lazily and lets two writers read
        # the same "pending" row; BEGIN IMMEDIATE takes the write lock up front so claims serialise.
        @event.listens_for(engine, "connect")
        def _no_pysqlite_begin(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            dbapi_conn.isolation_level = None

        @event.listens_for(engine, "begin")
        def _begin_immediate(conn):  # type: ignore[no-untyped-def]
            # Except on a connection marked READ_ONLY (a bulk export reading for minutes): in WAL
            # mode a deferred transaction that only reads sees one snapshot and blocks no writer.
            conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(READ_ONLY) else "BEGIN IMMEDIATE")

        _ENGINES.add(engine)
        return engine
    ping_after_idle = float(kwargs.pop("ping_after_idle", PING_AFTER_IDLE_SECONDS))  # type: ignore[arg-type]
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    if url.startswith("postgresql"):
        kwargs["connect_args"] = {**postgres_timeouts(float(connect_timeout), float(statement_timeout)),  # type: ignore[arg-type]
                                  **dict(kwargs.get("connect_args") or {})}  # type: ignore[call-overload]
    engine = create_engine(url, **kwargs)
    if not kwargs.get("pool_pre_ping"):
        _ping_after_idle(engine, ping_after_idle)
    _ENGINES.add(engine)
    return engine


def forget_inherited_connections() -> None:
    """In a child process just forked: give every engine made before the fork an empty pool.

    SQLAlchemy's recipe for pools across ``fork`` ("Using Connection Pools with Multiprocessing or
    os.fork()"): ``dispose(close=False)`` replaces the pool without closing its connections, which
    are the parent's sockets (closing them here would end the parent's sessions too); the child then
    opens its own on first use. gunicorn's ``post_fork`` calls this (``deploy/gunicorn.conf.py``).
    """
    for engine in list(_ENGINES):
        engine.dispose(close=False)


def postgres_timeouts(connect_seconds: float, statement_seconds: float) -> dict[str, object]:
    """libpq connection parameters that bound how long a request can wait on PostgreSQL.

    - ``connect_timeout``: a server that is down or unreachable fails the connect in this time.
    - ``statement_timeout`` (server side): a query stuck behind a lock or on an overloaded server
      is cancelled, and the request gets a 503 instead of waiting.
    - ``tcp_user_timeout`` and keepalives (client side): when packets to the server are dropped
      (a failover, a dead network path) the kernel gives the connection up instead of retrying
      for ~15 minutes, and the statement fails rather than hanging past the statement timeout.
    Zero disables a timeout, as in libpq.
    """
    params: dict[str, object] = {"connect_timeout": max(int(connect_seconds + 0.999), 0)}
    if statement_seconds > 0:
        params["options"] = f"-c statement_timeout={int(statement_seconds * 1000)}"
        params["tcp_user_timeout"] = int((statement_seconds + connect_seconds) * 1000)
        params.update(keepalives=1, keepalives_idle=max(int(statement_seconds), 1), keepalives_interval=2,
                      keepalives_count=3)
    return params


def _ping_after_idle(engine: Engine, seconds: float) -> None:
    """Ping a pooled connection before use only if it sat idle for ``seconds`` or more.

    ``pool_pre_ping`` pings on every checkout: a round trip added to every API request and every
    task, to catch the rare connection the server dropped (a restart, a failover, an idle timeout
    on a proxy). Those happen to connections that sat idle; one returned to the pool moments ago was
    alive then. A dead idle connection is replaced before anyone sees it (the pool's documented
    custom ping: ``DisconnectionError`` makes it reconnect). One that dies within the window fails
    its request once, and the pool then drops every connection older than the failure; clients
    retry with the same idempotency key, and tasks retry.
    """

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection, record):  # type: ignore[no-untyped-def]
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, _proxy):  # type: ignore[no-untyped-def]
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None or time.monotonic() - idle_since < seconds:
            return  # new, or back in the pool a moment ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError(f"pooled connection was dead after {seconds:.0f} s idle: {exc}") from exc


class Database:
    """One engine and its session factory."""

    def __init__(self, url: str, **engine_kwargs: object) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on error."""
        with self.sessionmaker() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        self.engine.dispose()


# -- wiring into a Flask app -----------------------------------------------------------------------

_EXTENSION = "dosewatch.db"


def init_app(app: Flask) -> Database:
    """Give ``app`` its database (from ``DATABASE_URL``) and close each request's session at teardown."""
    database = Database(app.config["DATABASE_URL"], **engine_options(app.config))
    app.extensions[_EXTENSION] = database

    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        # ``g`` resolved once, then popped: through the proxy, ``g.pop`` is a context-variable
        # lookup and a bound method made on every request, most of which never opened a session.
        session: Session | None = g._get_current_object().pop("db_session", None)  # type: ignore[attr-defined]
        if session is not None:
            session.close()

    return database


def get_db(app: Flask) -> Database:
    """The app's database (tasks and commands; routes use :func:`db_session`)."""
    database: Database = app.extensions[_EXTENSION]
    return database


def db_session() -> Session:
    """The request's session (created on first use, closed at teardown; the route commits)."""
    if "db_session" not in g:
        g.db_session = get_db(current_app).sessionmaker()
    session: Session = g.db_session
    return session
