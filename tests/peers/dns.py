"""An authoritative DNS server on loopback (UDP and TCP on one port), built on dnslib.

Zones map a name to what the server should do with it::

    DnsServer({
        "api.openai.test": {"A": ["127.0.0.1"], "AAAA": ["::1"]},
        "alias.test": {"CNAME": ["api.openai.test"]},   # chased within the zones
        "nx.test": "NXDOMAIN", "bad.test": "SERVFAIL", "ref.test": "REFUSED",
        "slow.test": ("DELAY", 1.0, {"A": ["127.0.0.1"]}),   # answer after 1 s
        "drop.test": "DROP",                                 # never answer
        "*.wild.test": {"A": ["127.0.0.2"]},                 # any name under wild.test
    })

Names not listed give NXDOMAIN; a listed name without the asked type gives NOERROR with no
answer (NODATA). Answers may contain any address (a "hijacked" 10.x answer is fine): the
server only ever answers, it never connects anywhere.
"""

from __future__ import annotations

import contextlib
import select
import socket
import struct
import threading
from dataclasses import dataclass
from typing import Any

from dnslib import QTYPE, RCODE, RDMAP, RR, DNSRecord

from ._wake import StopSignal

#: {type: [values]}, an rcode name / "DROP", or ("DELAY", seconds, inner entry).
ZoneEntry = dict[str, list[str]] | str | tuple[str, float, Any]
Zones = dict[str, ZoneEntry]
_RCODES = {"NXDOMAIN": RCODE.NXDOMAIN, "SERVFAIL": RCODE.SERVFAIL, "REFUSED": RCODE.REFUSED}
_POLL = 0.05


@dataclass(frozen=True)
class Query:
    """One question the server received: proves what a client asked, and over which transport."""

    name: str  # lower case, no trailing dot
    qtype: str  # "A", "AAAA", ...
    transport: str  # "udp" or "tcp"


def _norm(name: str) -> str:
    return name.rstrip(".").lower()


class DnsServer:
    """Serve `zones` on (host, port) over UDP and TCP; port 0 picks a free port for both."""

    def __init__(self, zones: Zones, *, host: str = "127.0.0.1", port: int = 0, ttl: int = 60) -> None:
        self.zones: Zones = {_norm(k): v for k, v in zones.items()}
        self.host = host
        self.ttl = ttl
        self._queries: list[Query] = []
        self._lock = threading.Lock()
        self._stop = StopSignal()
        self._udp, self._tcp = self._bind(host, port)
        self.port: int = self._udp.getsockname()[1]
        self._threads = [
            threading.Thread(target=self._serve_udp, name="DnsServer-udp", daemon=True),
            threading.Thread(target=self._serve_tcp, name="DnsServer-tcp", daemon=True),
        ]
        for t in self._threads:
            t.start()

    @staticmethod
    def _bind(host: str, port: int) -> tuple[socket.socket, socket.socket]:
        """A UDP and a TCP socket on the same port (retrying if port 0 gave a TCP-busy port)."""
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        for _ in range(50):
            udp = socket.socket(family, socket.SOCK_DGRAM)
            udp.bind((host, port))
            tcp = socket.socket(family, socket.SOCK_STREAM)
            tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                tcp.bind((host, udp.getsockname()[1]))
            except OSError:
                udp.close()
                tcp.close()
                if port:
                    raise
                continue
            tcp.listen(16)
            return udp, tcp
        raise OSError(f"no port free for both UDP and TCP on {host}")

    @property
    def address(self) -> str:
        """`127.0.0.1:PORT`, the form a `--dns-server` option would take."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def queries(self) -> list[Query]:
        """Every question received so far, in arrival order."""
        with self._lock:
            return list(self._queries)

    # --- answering ------------------------------------------------------------------------

    def _lookup(self, name: str) -> ZoneEntry | None:
        if name in self.zones:
            return self.zones[name]
        labels = name.split(".")
        for i in range(1, len(labels)):
            wildcard = "*." + ".".join(labels[i:])
            if wildcard in self.zones:
                return self.zones[wildcard]
        return None

    def answer(self, data: bytes, transport: str) -> bytes | None:
        """The wire reply for one query, or None to stay silent (DROP, or not a DNS query)."""
        try:
            request = DNSRecord.parse(data)
        except Exception:
            return None
        qname = str(request.q.qname)
        qtype = QTYPE.get(request.q.qtype, str(request.q.qtype))
        with self._lock:
            self._queries.append(Query(_norm(qname), str(qtype), transport))
        reply = request.reply()
        entry = self._lookup(_norm(qname))
        while isinstance(entry, tuple):  # ("DELAY", seconds, inner)
            if self._stop.wait(float(entry[1])):
                return None
            entry = entry[2]
        if entry is None:
            reply.header.rcode = RCODE.NXDOMAIN
        elif isinstance(entry, str):
            if entry.upper() == "DROP":
                return None
            reply.header.rcode = _RCODES[entry.upper()]
        else:
            self._add_records(reply, qname, str(qtype), entry, depth=0)
        return bytes(reply.pack())

    def _add_records(
        self, reply: DNSRecord, qname: str, qtype: str, entry: dict[str, list[str]], depth: int
    ) -> None:
        records = {k.upper(): v for k, v in entry.items()}
        if qtype in records:
            for value in records[qtype]:
                reply.add_answer(RR(qname, getattr(QTYPE, qtype), rdata=RDMAP[qtype](value), ttl=self.ttl))
        elif "CNAME" in records and depth < 8:
            target = records["CNAME"][0]
            reply.add_answer(RR(qname, QTYPE.CNAME, rdata=RDMAP["CNAME"](target), ttl=self.ttl))
            inner = self._lookup(_norm(target))
            if isinstance(inner, dict):
                self._add_records(reply, target, qtype, inner, depth + 1)

    # --- transports -----------------------------------------------------------------------

    def _serve_udp(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self._udp.fileno(), self._stop.fileno()], [], [], _POLL)
            if self._stop.is_set() or self._udp.fileno() not in ready:
                continue
            try:
                data, peer = self._udp.recvfrom(65535)
            except OSError:
                continue
            # A thread per query, so one DELAY entry does not hold up the others.
            threading.Thread(target=self._reply_udp, args=(data, peer), daemon=True).start()

    def _reply_udp(self, data: bytes, peer: Any) -> None:
        wire = self.answer(data, "udp")
        if wire is not None and not self._stop.is_set():
            with contextlib.suppress(OSError):
                self._udp.sendto(wire, peer)

    def _serve_tcp(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self._tcp.fileno(), self._stop.fileno()], [], [], _POLL)
            if self._stop.is_set() or self._tcp.fileno() not in ready:
                continue
            try:
                conn, _ = self._tcp.accept()
            except OSError:
                continue
            threading.Thread(target=self._handle_tcp, args=(conn,), daemon=True).start()

    def _handle_tcp(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        with conn, contextlib.suppress(OSError):
            while not self._stop.is_set():
                head = conn.recv(2, socket.MSG_WAITALL)
                if len(head) < 2:
                    return
                (length,) = struct.unpack("!H", head)
                wire = self.answer(conn.recv(length, socket.MSG_WAITALL), "tcp")
                if wire is None:
                    return
                conn.sendall(struct.pack("!H", len(wire)) + wire)

    def stop(self) -> None:
        """Stop serving and close both sockets. Idempotent."""
        self._stop.set()
        for t in self._threads:
            t.join(timeout=1)
        self._udp.close()
        self._tcp.close()
        self._stop.close()

    def __enter__(self) -> DnsServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
