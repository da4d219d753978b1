"""A loopback TCP proxy a test can break on purpose: the database "goes down" or "stops answering"
without anyone touching the machine's PostgreSQL.

- ``up``: bytes pass both ways.
- ``down``: connecting is refused and every open connection is cut (a crashed or restarting server).
- ``silent``: connections are accepted and whatever is sent is swallowed; nothing ever comes back
  (a server or network path that has stopped answering).
"""

from __future__ import annotations

import socket
import threading
from typing import Literal

Mode = Literal["up", "down", "silent"]


class TcpProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.mode: Mode = "up"
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._listener: socket.socket | None = None
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()

    # -- modes ------------------------------------------------------------------------------------

    def start(self, mode: Mode = "up") -> TcpProxy:
        self.mode = mode
        if mode != "down":
            self._listen()
        return self

    def set_mode(self, mode: Mode) -> None:
        self.mode = mode
        if mode == "down":
            self._close_all()
        elif self._listener is None:
            self._listen()

    def stop(self) -> None:
        self.mode = "down"
        self._close_all()

    # -- plumbing ---------------------------------------------------------------------------------

    def _listen(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _close_all(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            sockets, self._sockets = self._sockets, []
        for s in ([listener] if listener else []) + sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # closed: "down"
            with self._lock:
                self._sockets.append(client)
            if self.mode == "silent":
                threading.Thread(target=self._swallow, args=(client,), daemon=True).start()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets.append(upstream)
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client), daemon=True).start()

    def _swallow(self, conn: socket.socket) -> None:
        try:
            while conn.recv(65536):
                pass
        except OSError:
            pass

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if self.mode == "silent":
                    continue  # swallowed: the other side waits for an answer that never comes
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
