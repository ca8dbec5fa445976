"""TCP connects to every address of a host at once, each bounded, each timed and classified.

The SDK (httpcore → `socket.create_connection`) tries the addresses one after another in
getaddrinfo order, waiting out each timeout; we try them concurrently so one dead IPv6 address
costs us one timeout, not one per address, and report each on its own.
"""

from __future__ import annotations

import socket
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from llmdoctor.signatures.errnos import is_unreachable


@dataclass(frozen=True)
class Dialed:
    address: str
    family: int  # 4 or 6
    outcome: str  # ok, refused, timeout, unreachable, error
    connect_ms: float | None = None
    error: str | None = None
    sock: socket.socket | None = field(default=None, compare=False, repr=False)  # kept open, when asked

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"

    def to_dict(self) -> dict[str, object]:
        return {"address": self.address, "family": self.family, "outcome": self.outcome,
                "connect_ms": self.connect_ms, "error": self.error}


def family_of(address: str) -> int:
    return 6 if ":" in address else 4


def dial(address: str, port: int, timeout: float, keep: bool = False) -> Dialed:
    """One timed connect; with `keep`, a connected socket is returned open in `Dialed.sock`."""
    family = family_of(address)
    sock = socket.socket(socket.AF_INET6 if family == 6 else socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    start = time.perf_counter()
    try:
        sock.connect((address, port))
        connected = Dialed(address, family, "ok", round((time.perf_counter() - start) * 1000, 1),
                           sock=sock if keep else None)
        if keep:
            sock = None  # type: ignore[assignment]  # the caller owns it now
        return connected
    except ConnectionRefusedError as exc:
        return Dialed(address, family, "refused", error=exc.strerror or "connection refused")
    except TimeoutError:
        return Dialed(address, family, "timeout", error=f"no answer within {timeout:.1f} s")
    except OSError as exc:
        outcome = "unreachable" if is_unreachable(exc.errno) else "error"
        return Dialed(address, family, outcome, error=exc.strerror or str(exc))
    finally:
        if sock is not None:
            sock.close()


def dial_all(addresses: list[str], port: int, timeout: float, keep_first: bool = False) -> list[Dialed]:
    """Every address, concurrently; results in the order given (the order the SDK tries them).

    With `keep_first`, the first address that connected (the one the SDK would use) stays open in
    its `Dialed.sock`; every other socket is closed.
    """
    if not addresses:
        return []
    with ThreadPoolExecutor(max_workers=min(8, len(addresses)), thread_name_prefix="llmdoctor-dial") as pool:
        dialed = list(pool.map(lambda a: dial(a, port, timeout, keep_first), addresses))
    first = next((d for d in dialed if d.ok), None)
    for other in dialed:
        if other.sock is not None and other is not first:
            other.sock.close()
    return dialed
