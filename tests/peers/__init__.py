"""Real loopback peers for llmdoctor's tests: TLS/HTTP servers, hostile TCP peers, a delaying
relay, DNS servers, real proxy daemons and a private network namespace.

Import from here or from the submodules: `from peers import HttpServer, Reply, make_certs`.
(tests/conftest.py puts `tests/` and `tests/guard/` on sys.path.) Every peer binds 127.0.0.1
(or ::1) only, starts on a free port, and is a context manager with `.port`.
"""

from __future__ import annotations

from .certs import LEAF_KINDS, VALID_NAMES, Certs, make_certs
from .daemons import (
    DaemonError,
    DnsmasqServer,
    MicrosocksServer,
    PproxyServer,
    TinyproxyServer,
    requires_dnsmasq,
    requires_microsocks,
    requires_pproxy,
    requires_tinyproxy,
    which,
)
from .dns import DnsServer, Query
from .http import HttpServer, Reply, Request, close_without_answer, many_headers, raw_bytes
from .netns import NetNamespace, netns_available, requires_netns
from .raw import (
    BlackholeServer,
    FinServer,
    GarbageServer,
    ResetServer,
    SynDropServer,
    closed_port,
    free_port,
)
from .relay import DelayRelay

__all__ = [
    "LEAF_KINDS", "VALID_NAMES", "BlackholeServer", "Certs", "DaemonError", "DelayRelay",
    "DnsServer", "DnsmasqServer", "FinServer", "GarbageServer", "HttpServer", "MicrosocksServer",
    "NetNamespace", "PproxyServer", "Query", "Reply", "Request", "ResetServer", "SynDropServer",
    "TinyproxyServer", "close_without_answer", "closed_port", "free_port", "make_certs",
    "many_headers", "netns_available", "raw_bytes", "requires_dnsmasq", "requires_microsocks",
    "requires_netns", "requires_pproxy", "requires_tinyproxy", "which",
]
