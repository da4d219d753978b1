"""gunicorn settings for production: ``gunicorn --config deploy/gunicorn.conf.py``.

Everything that differs between machines comes from the environment (see the README's table).
The API's requests are short (a database write and a commit; messages go out from the worker),
so a few processes with a few threads each are plenty; scale out with more machines, not here.
"""

from __future__ import annotations

import os
import shutil
import tempfile

# Metrics of every gunicorn worker process, added up at /metrics (prometheus-client's multiprocess
# mode). Set before the app (and prometheus_client) is imported in the workers; emptied on start.
METRICS_DIR = os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR",
                                    os.path.join(tempfile.gettempdir(), "dosewatch-web-metrics"))

wsgi_app = "alerts.wsgi:app"

# 0.0.0.0 inside a container (the port is published by Docker or a platform); set HOST=127.0.0.1
# on a bare machine where a reverse proxy on the same host forwards to it.
bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"

# WEB_CONCURRENCY is the variable Heroku-style platforms set from the machine size.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# On: the app is imported once, in the master, and every worker is a fork of it. Imported after
# the fork instead, each worker boot (at start, and whenever max_requests recycles one) cost 1-1.6 s
# of CPU on a 2-core machine (a fork: ~20 ms) while the other worker served alone: check-in p99
# ~1 s at half the floor's rate (bench/README.md). Safe because the master builds the app without
# opening anything to share (create_app connects lazily: no database, broker or Redis connection,
# no thread; tests/ops/test_preload.py checks), and post_fork below drops in each worker whatever
# it inherited anyway. The price: `kill -HUP` re-forks workers from the code already imported, so
# new code needs a restart of the master (a new container or process), as every deploy here does.
preload_app = True

# A request that takes 30 s is stuck (a locked row, a dead database): kill it rather than pile up.
timeout = 30
# On deploy or SIGTERM, requests in flight get this long to finish. A supervisor must wait longer
# before SIGKILL: docker-compose.yml's stop_grace_period for web is 30 s.
graceful_timeout = 20
# Seconds an idle keep-alive connection from the reverse proxy stays open.
keepalive = 5
# Recycle workers now and then so a slow leak never becomes an outage; jitter avoids all at once.
# A recycle is not free: the leaving worker stops accepting at once but lingers up to 2 s for its
# kept-alive connections (gunicorn 27's STOP_KEEPALIVE_LINGER), and its replacement is forked only
# when it has gone, so for that while one worker of two carries all the traffic. At 2,000 requests
# that happened every 2-3 s at the ingest bench's rates, and the paced check-in p99 was 109-172 ms
# against 25 ms with no recycling (bench/README.md). A worker's RSS grew 1.5 MB over 125,000
# requests (106 to 107.5 MB: caches filling, not a leak), so 50,000 still bounds any leak while
# recycling stays rare: under steady load, about once per worker per 2-3 minutes at 400 requests/s.
max_requests = 50_000
max_requests_jitter = 5_000

# Trust X-Forwarded-For/-Proto only from the reverse proxy. The scheme matters: Twilio signs the
# https:// URL it called, and Flask must see https to build the same URL.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Logs: gunicorn's own records go through the same structured, scrubbed formatter as the app's
# (LOG_FORMAT=json in production). No access log: the app logs one event per request itself, with
# its request id, route template and status, and never a query string or a token.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"structured": {"()": "alerts.ops.logs.handler", "fmt": os.environ.get("LOG_FORMAT", "console")}},
    "root": {"level": loglevel.upper(), "handlers": ["structured"]},
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": [], "propagate": True},
        "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
    },
}


def on_starting(server):  # type: ignore[no-untyped-def]
    # Files of a previous run's processes would be added to this run's counters. Runs after the
    # preload: the master's own files (zeros: it imported the metrics but counts nothing) go too;
    # each worker writes files under its own pid (prometheus-client starts new ones on a pid change).
    shutil.rmtree(METRICS_DIR, ignore_errors=True)
    os.makedirs(METRICS_DIR, exist_ok=True)


def post_fork(server, worker):  # type: ignore[no-untyped-def]
    # First thing in the new worker, before it serves: its own database connections, Celery/kombu
    # pools and Sentry client, never the master's (alerts.app.after_fork says what and why).
    if server.cfg.preload_app:  # otherwise the worker imports the app itself, after this
        from alerts.app import after_fork

        after_fork(worker.app.wsgi())


def child_exit(server, worker):  # type: ignore[no-untyped-def]
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
