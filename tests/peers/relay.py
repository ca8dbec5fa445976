"""A TCP relay that adds one-way delay, because this kernel has no netem (RECIPES §5).

Every chunk is queued with release time = receive time + `delay` and sent when due, so
chunks pipeline like a real slow link (RTT = 2 x delay) instead of serialising one sleep
per chunk. `connect_delay` holds the client after accept() and before dialling the target,
which a TLS client sees as a slow handshake.
"""

from __future__ import annotations

import contextlib
import queue
import select
import socket
import threading
import time

from ._wake import StopSignal

_POLL = 0.05


def _nodelay(sock: socket.socket) -> None:
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class DelayRelay:
    """Listen on (host, 0) and relay each connection to (target_host, target_port) with delay."""

    def __init__(
        self,
        target_host: str,
        target_port: int,
        delay: float = 0.05,
        connect_delay: float = 0.0,
        *,
        host: str = "127.0.0.1",
    ) -> None:
        self.target = (target_host, target_port)
        self.delay = delay
        self.connect_delay = connect_delay
        self.host = host
        self.connections = 0
        self._stop = StopSignal()
        self._socks: list[socket.socket] = []
        self._lock = threading.Lock()
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._listener = socket.socket(family, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((host, 0))
        self._listener.listen(32)
        self.port: int = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._accept_loop, name="DelayRelay", daemon=True)
        self._thread.start()

    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._socks.append(sock)

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self._listener.fileno(), self._stop.fileno()], [], [], _POLL)
            if self._stop.is_set() or self._listener.fileno() not in ready:
                continue
            try:
                client, _ = self._listener.accept()
            except OSError:
                continue
            self._track(client)
            self.connections += 1
            threading.Thread(target=self._open, args=(client,), daemon=True).start()

    def _open(self, client: socket.socket) -> None:
        if self.connect_delay and self._stop.wait(self.connect_delay):
            return
        try:
            upstream = socket.create_connection(self.target, timeout=5)
        except OSError:
            with contextlib.suppress(OSError):
                client.close()
            return
        self._track(upstream)
        upstream.settimeout(None)
        _nodelay(client)
        _nodelay(upstream)
        for src, dst in ((client, upstream), (upstream, client)):
            pending: queue.Queue[tuple[float, bytes]] = queue.Queue()
            threading.Thread(target=self._read, args=(src, pending), daemon=True).start()
            threading.Thread(target=self._write, args=(dst, pending), daemon=True).start()

    def _read(self, src: socket.socket, pending: queue.Queue[tuple[float, bytes]]) -> None:
        """Stamp each chunk with its release time; b"" marks EOF (or a broken leg)."""
        while True:
            try:
                data = src.recv(65536)
            except OSError:
                data = b""
            pending.put((time.monotonic() + self.delay, data))
            if not data:
                return

    def _write(self, dst: socket.socket, pending: queue.Queue[tuple[float, bytes]]) -> None:
        while not self._stop.is_set():
            try:
                due, data = pending.get(timeout=_POLL)
            except queue.Empty:
                continue
            wait = due - time.monotonic()
            if wait > 0 and self._stop.wait(wait):
                return
            try:
                if not data:
                    dst.shutdown(socket.SHUT_WR)
                    return
                dst.sendall(data)
            except OSError:
                return

    def stop(self) -> None:
        """Stop accepting and close both legs of every connection. Idempotent."""
        self._stop.set()
        self._thread.join(timeout=1)
        self._listener.close()
        with self._lock:
            socks, self._socks = self._socks, []
        for sock in socks:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self._stop.close()

    def __enter__(self) -> DelayRelay:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
