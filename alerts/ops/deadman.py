"""A dead man's switch outside the process: ping ``HEARTBEAT_URL`` around every tick.

The convention of missed-ping monitors (healthchecks.io, Cronitor, Uptime Kuma's push monitors):
``<url>/start`` when a tick begins, ``<url>`` when it succeeded, ``<url>/fail`` (the reason in the
body) when it raised. When the pings stop, because beat, the worker, the machine or the network is
gone, the monitor pages someone; dosewatch cannot report its own death, so something else must
notice it.

Pings go out from one background thread per process, in order, each with a short timeout: a slow
or dead monitor delays nothing and fails nothing. A ping that fails is logged and dropped (the next
tick pings again). The reason sent with ``/fail`` is an exception's class name, never its message,
which could carry a phone number from a failed statement.
"""

from __future__ import annotations

import logging
import os
import threading
import urllib.request
import uuid
from concurrent.futures import Future, ThreadPoolExecutor

log = logging.getLogger("dosewatch.deadman")

TIMEOUT_SECONDS = 5.0

_lock = threading.Lock()
_executor: ThreadPoolExecutor | None = None
_executor_pid: int | None = None


def _pool() -> ThreadPoolExecutor:
    # One per process, made on first use: Celery's prefork children must not inherit the parent's
    # (a forked executor has no thread behind it).
    global _executor, _executor_pid
    with _lock:
        if _executor is None or _executor_pid != os.getpid():
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="deadman")
            _executor_pid = os.getpid()
        return _executor


def _send(url: str, body: bytes, timeout: float) -> int | None:
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "text/plain; charset=utf-8",
                                              "User-Agent": "dosewatch"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - configured URL
            return int(response.status)
    except Exception as exc:  # noqa: BLE001 - a monitor that is down must not matter here
        log.warning("heartbeat ping failed", extra={"url_path": url.rsplit("/", 1)[-1],
                                                     "error": exc.__class__.__name__})
        return None


class Pinger:
    """Pings for one run of the tick: ``start()``, then ``success()`` or ``fail(reason)``.

    Every method returns the ping's future (tests wait on it); callers ignore it.
    """

    def __init__(self, base_url: str | None, timeout: float = TIMEOUT_SECONDS) -> None:
        self.base_url = (base_url or "").rstrip("/")
        self.timeout = timeout
        # healthchecks.io pairs /start with its outcome by run id, so overlapping runs time right.
        self.run_id = str(uuid.uuid4())

    def _ping(self, suffix: str, body: str = "") -> Future[int | None] | None:
        if not self.base_url:
            return None
        url = f"{self.base_url}{suffix}?rid={self.run_id}"
        return _pool().submit(_send, url, body.encode("utf-8")[:10_000], self.timeout)

    def start(self) -> Future[int | None] | None:
        return self._ping("/start")

    def success(self, body: str = "") -> Future[int | None] | None:
        return self._ping("", body)

    def fail(self, reason: str) -> Future[int | None] | None:
        return self._ping("/fail", reason)
