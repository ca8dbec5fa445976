"""Raw TCP peers that misbehave below HTTP: reset, EOF, silence, dropped SYNs, garbage.

Each is a context manager bound to an ephemeral port on `host` (127.0.0.1 or ::1) and
already listening when constructed. Accept loops poll a stop flag every 50 ms and run in
daemon threads, so a test never hangs on teardown.
"""

from __future__ import annotations

import contextlib
import select
import socket
import struct
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ._wake import StopSignal

_POLL = 0.05
_READ_TIMEOUT = 2.0  # how long a peer waits for the client's first bytes (e.g. the ClientHello)


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def free_port(host: str = "127.0.0.1") -> int:
    """A port that was free a moment ago (for daemons that need a port on the command line)."""
    with socket.socket(_family(host), socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def closed_port(host: str = "127.0.0.1") -> int:
    """A port with nothing listening: connecting gives `[Errno 111] Connection refused`."""
    return free_port(host)


class _TcpPeer:
    """Listen on (host, 0); hand each accepted connection to `_serve` in a daemon thread."""

    backlog = 16

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self._stop = StopSignal()
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()
        self._sock = socket.socket(_family(host), socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, port))  # port 0: any free one; a fixed one for a fault generator's netns
        self._sock.listen(self.backlog)
        self.port: int = self._sock.getsockname()[1]
        self.accepted = 0
        self._thread = threading.Thread(target=self._accept_loop, name=type(self).__name__, daemon=True)
        self._thread.start()

    @property
    def address(self) -> tuple[str, int]:
        return (self.host, self.port)

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self._sock.fileno(), self._stop.fileno()], [], [], _POLL)
            if self._stop.is_set() or self._sock.fileno() not in ready:
                continue
            try:
                conn, _ = self._sock.accept()
            except OSError:
                continue
            with self._lock:
                self._conns.append(conn)
                self.accepted += 1
            threading.Thread(target=self._serve_quietly, args=(conn,), daemon=True).start()

    def _serve_quietly(self, conn: socket.socket) -> None:
        with contextlib.suppress(OSError):  # the client hung up first; that is its right
            self._serve(conn)

    def _serve(self, conn: socket.socket) -> None:
        raise NotImplementedError

    def _read_some(self, conn: socket.socket) -> bytes:
        """Wait (bounded) for the client's first bytes, so a reply lands after its request."""
        conn.settimeout(_READ_TIMEOUT)
        try:
            return conn.recv(65536)
        except (TimeoutError, OSError):
            return b""

    def stop(self) -> None:
        """Stop accepting and close every connection. Idempotent."""
        self._stop.set()
        self._thread.join(timeout=1)
        self._sock.close()
        with self._lock:
            conns, self._conns = self._conns, []
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.close()
        self._stop.close()

    def __enter__(self) -> _TcpPeer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class ResetServer(_TcpPeer):
    """Accept, read the ClientHello, then close with SO_LINGER 0: the client gets an RST.

    httpx: `ConnectError: [Errno 104] Connection reset by peer`.
    """

    def _serve(self, conn: socket.socket) -> None:
        self._read_some(conn)
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conn.close()


class FinServer(_TcpPeer):
    """Accept, read the ClientHello, then close normally: EOF in the middle of the handshake.

    httpx over TLS: `ConnectError: [SSL: UNEXPECTED_EOF_WHILE_READING] EOF occurred in violation of protocol`.
    """

    def _serve(self, conn: socket.socket) -> None:
        self._read_some(conn)
        conn.shutdown(socket.SHUT_RDWR)
        conn.close()


class BlackholeServer(_TcpPeer):
    """Accept and never answer, keeping the socket open until stop().

    The kernel completes the TCP handshake, so a TLS client gets a *handshake* timeout
    (`ConnectTimeout: _ssl.c:989: The handshake operation timed out`), an HTTP proxy client a
    ReadTimeout, and a SOCKS5 client in httpcore 1.0.9 hangs forever (no handshake timeout).
    """

    def _serve(self, conn: socket.socket) -> None:
        self._stop.wait()


class GarbageServer(_TcpPeer):
    """Answer every connection with fixed `data`, then close (after the client's first bytes)."""

    def __init__(self, data: bytes, host: str = "127.0.0.1", *, read_first: bool = True, port: int = 0) -> None:
        self.data = data
        self.read_first = read_first
        super().__init__(host, port)

    def _serve(self, conn: socket.socket) -> None:
        if self.read_first:
            self._read_some(conn)
        conn.sendall(self.data)
        conn.shutdown(socket.SHUT_WR)
        # Drain briefly: closing with unread input would turn our FIN into an RST and the
        # client might lose the garbage we want it to see.
        conn.settimeout(0.2)
        try:
            while conn.recv(65536):
                pass
        except OSError:
            pass
        conn.close()


class ClosingConnectProxy(_TcpPeer):
    """An HTTP proxy that answers CONNECT with 200 and closes the tunnel at once: a proxy app whose node is down
    (what the client then sees is the TLS handshake cut, at the proxy's address)."""

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        head = b""
        while b"\r\n\r\n" not in head:
            data = conn.recv(4096)
            if not data:
                return
            head += data
        conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        time.sleep(0.05)
        conn.close()


def _syn_sent(port: int) -> int:
    """Sockets of the calling thread's network namespace in SYN-SENT towards `port`."""
    count = 0
    for table in ("tcp", "tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/thread-self/net/{table}").read_text().splitlines()[1:]:
                fields = line.split()
                count += fields[3] == "02" and int(fields[2].rsplit(":", 1)[1], 16) == port
    return count


def connecting_to(port: int) -> Callable[[], bool]:
    """True once one more socket is in SYN-SENT towards `port` than now (a peer's own queue fillers are some):
    a client stuck in connect(), seen without any timing."""
    before = _syn_sent(port)
    return lambda: _syn_sent(port) > before


class SynDropServer:
    """A port whose SYNs are dropped: a real TCP connect timeout, no root needed.

    listen(0), never accept(), and fill the accept queue with our own connects; once it is
    full the kernel silently drops new SYNs. httpx: `ConnectTimeout: timed out`.
    """

    def __init__(self, host: str = "127.0.0.1", *, max_fillers: int = 64, port: int = 0) -> None:
        self.host = host
        family = _family(host)
        self._sock = socket.socket(family, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a fixed port after another peer's
        self._sock.bind((host, port))
        self._sock.listen(0)
        self.port: int = self._sock.getsockname()[1]
        self._fillers: list[socket.socket] = []
        for _ in range(max_fillers):
            filler = socket.socket(family, socket.SOCK_STREAM)
            filler.setblocking(False)
            filler.connect_ex((host, self.port))
            self._fillers.append(filler)
            _, writable, _ = select.select([], [filler], [], 0.05)
            if not writable:
                return  # this SYN was dropped: the queue is full
        self.stop()
        raise RuntimeError(f"could not fill the accept queue of {host}:{self.port}")

    @property
    def address(self) -> tuple[str, int]:
        return (self.host, self.port)

    def stop(self) -> None:
        for s in [*self._fillers, self._sock]:
            s.close()
        self._fillers = []

    def __enter__(self) -> SynDropServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
