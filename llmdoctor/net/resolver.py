"""Name lookups, each bounded and classified: the system resolver (what the SDK uses) and dnspython.

httpcore connects with `socket.create_connection`, i.e. `getaddrinfo` (hosts file, nsswitch,
resolv.conf), which has no timeout of its own, so it runs under `call_with_cap`. dnspython asks
named servers directly and tells NXDOMAIN, NODATA, SERVFAIL, REFUSED and timeout apart, which
getaddrinfo cannot (it folds the last three into EAI_AGAIN). Both return a `Lookup`, so a test can
stand a dnspython resolver on a loopback DNS server in for "the system".
"""

from __future__ import annotations

import socket
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

from llmdoctor.net.bounded import WallClockTimeout, call_with_cap

# getaddrinfo error -> failure kind. EAI_AGAIN covers SERVFAIL, REFUSED and timeouts alike.
_GAI = {socket.EAI_NONAME: "nxdomain", socket.EAI_AGAIN: "temporary", socket.EAI_FAIL: "servfail"}
if hasattr(socket, "EAI_NODATA"):
    _GAI[socket.EAI_NODATA] = "no_answer"


@dataclass
class Lookup:
    """One resolver's answer for one name."""

    resolver: str
    a: list[str] = field(default_factory=list)
    aaaa: list[str] = field(default_factory=list)
    ordered: list[str] = field(default_factory=list)  # in the order a client would try them
    ms: float | None = None
    failure: str | None = None  # nxdomain, no_answer, servfail, refused, temporary, timeout, error
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.failure is None and bool(self.ordered)

    def to_dict(self) -> dict[str, Any]:
        return {"resolver": self.resolver, "a": self.a, "aaaa": self.aaaa, "ms": self.ms,
                "failure": self.failure, "detail": self.detail}


class Resolver(Protocol):
    name: str

    def lookup(self, host: str, port: int, timeout: float) -> Lookup: ...


def _split(addresses: list[str]) -> tuple[list[str], list[str]]:
    return [a for a in addresses if ":" not in a], [a for a in addresses if ":" in a]


class SystemResolver:
    """`getaddrinfo(host, port, SOCK_STREAM)`, exactly as the SDK's connection does it."""

    name = "system (getaddrinfo)"

    def lookup(self, host: str, port: int, timeout: float) -> Lookup:
        start = time.perf_counter()
        try:
            infos = call_with_cap(lambda: socket.getaddrinfo(host, port, type=socket.SOCK_STREAM), timeout,
                                  name="llmdoctor-getaddrinfo")
        except WallClockTimeout:
            return Lookup(self.name, failure="timeout", detail=f"no answer within {timeout:.1f} s")
        except socket.gaierror as exc:
            return Lookup(self.name, ms=_ms(start), failure=_GAI.get(exc.errno or 0, "error"), detail=str(exc))
        except (OSError, UnicodeError) as exc:
            return Lookup(self.name, ms=_ms(start), failure="error", detail=str(exc))
        ordered = list(dict.fromkeys(str(info[4][0]) for info in infos))
        a, aaaa = _split(ordered)
        return Lookup(self.name, a, aaaa, ordered, _ms(start))


class DnsPythonResolver:
    """Asks the given nameservers directly (no /etc/hosts, no cache), A and AAAA at once."""

    def __init__(self, nameservers: list[tuple[str, int]], name: str = "") -> None:
        self.nameservers = nameservers
        shown = ", ".join(f"{h}:{p}" if p != 53 else h for h, p in nameservers)
        self.name = name or f"DNS server {shown}"

    @classmethod
    def from_system(cls) -> DnsPythonResolver | None:
        """The nameservers of /etc/resolv.conf (or the OS settings); None when there are none."""
        try:
            import dns.resolver

            found = dns.resolver.Resolver(configure=True)
        except Exception:  # no resolv.conf, unreadable registry, ...: nothing to compare with
            return None
        servers = [(str(ns), 53) for ns in found.nameservers]
        return cls(servers, "DNS servers of the system (resolv.conf)") if servers else None

    def _resolver(self, timeout: float) -> Any:
        import dns.nameserver
        import dns.resolver

        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = [dns.nameserver.Do53Nameserver(h, p) for h, p in self.nameservers]
        # dnspython overshoots `lifetime` by ~0.2-0.4 s (RECIPES §4a): leave it room inside `timeout`.
        resolver.lifetime = max(0.2, timeout * 0.8)
        resolver.timeout = max(0.2, timeout * 0.8)
        return resolver

    def _query(self, host: str, rdtype: str, timeout: float) -> tuple[list[str], str | None, str]:
        import dns.exception
        import dns.resolver

        try:
            answer = self._resolver(timeout).resolve(host, rdtype, search=False)
        except dns.resolver.NXDOMAIN as exc:
            return [], "nxdomain", str(exc)
        except dns.resolver.NoAnswer:
            return [], None, ""
        except dns.resolver.NoNameservers as exc:
            codes = " ".join(str(err[3]) for err in exc.kwargs.get("errors", []) if len(err) > 3)
            kind = "servfail" if "SERVFAIL" in codes else "refused" if "REFUSED" in codes else "error"
            return [], kind, str(exc)
        except dns.exception.Timeout as exc:
            return [], "timeout", str(exc)
        except dns.exception.DNSException as exc:
            return [], "error", str(exc)
        return [r.to_text() for r in answer], None, ""

    def lookup(self, host: str, port: int, timeout: float) -> Lookup:
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="llmdoctor-dns") as pool:
            a_job = pool.submit(self._query, host, "A", timeout)
            aaaa_job = pool.submit(self._query, host, "AAAA", timeout)
            (a, a_fail, a_detail), (aaaa, aaaa_fail, aaaa_detail) = a_job.result(), aaaa_job.result()
        ms = _ms(start)
        failure = a_fail or aaaa_fail
        if a or aaaa:
            failure = None  # one family answered: the name resolves
        elif failure is None:
            failure = "no_answer"
        detail = a_detail or aaaa_detail or ("NOERROR with no A or AAAA record" if failure == "no_answer" else "")
        # getaddrinfo (glibc, default gai.conf) puts IPv6 first when the host has a global IPv6 route.
        return Lookup(self.name, a, aaaa, aaaa + a, ms, failure, detail)


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 1)
