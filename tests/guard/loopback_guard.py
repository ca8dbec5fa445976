"""Fail loudly when a test (or the CLI under test) reaches beyond loopback.

`install()` wraps the socket entry points that send packets or resolve names. A destination
outside 127.0.0.0/8 and ::1, or a name lookup through the system resolver, raises
`LoopbackViolation` *before* anything is sent. The violation is also recorded, so a test
still fails when the code under test swallows the OSError (see `pop_violations()` and the
`LLMDOCTOR_TEST_GUARD_LOG` file used by subprocess runs).

The system resolver may be allowed with `LLMDOCTOR_TEST_ALLOW_SYSTEM_DNS=1`: only inside a
private network namespace, whose resolv.conf points at a DNS server on its own loopback. There,
`LLMDOCTOR_TEST_NETNS_ADDRESSES` (comma-separated) also allows the addresses a test put on that
namespace's own lo (a gateway, a fake-IP, a poisoned answer): they exist nowhere else.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import sys
import threading
from collections.abc import Callable
from typing import Any

ALLOW_SYSTEM_DNS_ENV = "LLMDOCTOR_TEST_ALLOW_SYSTEM_DNS"
LOG_ENV = "LLMDOCTOR_TEST_GUARD_LOG"  # subprocesses append one line per violation here
ALLOWED_NAMES = frozenset({"localhost"})  # in /etc/hosts, so glibc never asks DNS
NETNS_ADDRESSES_ENV = "LLMDOCTOR_TEST_NETNS_ADDRESSES"


class LoopbackViolation(OSError):
    """A test tried to send traffic, or resolve a name, beyond loopback."""

    def __init__(self, message: str) -> None:
        super().__init__(f"loopback guard: {message}")


_state: dict[str, Any] = {"installed": False, "allow_dns": False, "stderr": False}
_originals: dict[str, Callable[..., Any]] = {}
_violations: list[str] = []
_lock = threading.Lock()


def pop_violations() -> list[str]:
    """Violations recorded in this process since the last call (and forget them)."""
    with _lock:
        found = list(_violations)
        _violations.clear()
    return found


def _violate(message: str) -> LoopbackViolation:
    error = LoopbackViolation(message)
    with _lock:
        _violations.append(str(error))
    log = os.environ.get(LOG_ENV)
    if log:
        try:
            with open(log, "a", encoding="utf-8") as fh:
                fh.write(f"{error}\n")
        except OSError:
            pass
    if _state["stderr"]:
        print(f"LoopbackViolation: {error}", file=sys.stderr)
    return error


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return None


def is_loopback(host: str | bytes) -> bool:
    """True for 127.0.0.0/8, ::1, their IPv4-mapped forms, and the name `localhost`."""
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if host.lower() in ALLOWED_NAMES:
        return True
    ip = _ip(host)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip is not None and ip.is_loopback


def _namespace() -> str:
    try:
        return os.readlink("/proc/thread-self/ns/net")
    except OSError:
        return ""


def _in_private_namespace() -> bool:
    """This thread entered another network namespace (NetNamespace.inside) than the process started in."""
    home = _state.get("home_ns", "")
    return bool(home) and _namespace() not in ("", home)


def _check_destination(sock: socket.socket, address: Any, action: str) -> None:
    if sock.family not in (socket.AF_INET, socket.AF_INET6):
        return  # AF_UNIX, netlink, ...: never leaves the machine
    host = address[0] if isinstance(address, tuple) and address else address
    if _in_private_namespace():
        return  # a thread inside a namespace a test made reaches only that namespace's own lo
    inside = {a.strip() for a in os.environ.get(NETNS_ADDRESSES_ENV, "").split(",") if a.strip()} \
        if _state["allow_dns"] else set()
    if isinstance(host, str) and host.split("%", 1)[0] in inside:
        return
    if not isinstance(host, (str, bytes)) or not is_loopback(host):
        port = address[1] if isinstance(address, tuple) and len(address) > 1 else "?"
        raise _violate(
            f"{action} to {host!r} port {port} is outside loopback; tests may only reach "
            "127.0.0.0/8 and ::1"
        )


def _check_name(host: Any, what: str) -> None:
    if host is None or _state["allow_dns"]:
        return
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str) or host == "" or host.lower() in ALLOWED_NAMES or _ip(host) is not None:
        return
    raise _violate(
        f"{what}({host!r}) would ask the system resolver, which is off loopback; use an IP "
        f"literal, 'localhost', or a test DnsServer ({ALLOW_SYSTEM_DNS_ENV}=1 only inside a netns)"
    )


def _wrap_methods() -> None:
    cls = socket.socket
    connect, connect_ex = cls.connect, cls.connect_ex
    sendto, sendmsg = cls.sendto, cls.sendmsg
    _originals.update(connect=connect, connect_ex=connect_ex, sendto=sendto, sendmsg=sendmsg)

    def guarded_connect(self: socket.socket, address: Any) -> None:
        _check_destination(self, address, "connect")
        return connect(self, address)

    def guarded_connect_ex(self: socket.socket, address: Any) -> int:
        _check_destination(self, address, "connect")
        return connect_ex(self, address)

    def guarded_sendto(self: socket.socket, data: Any, *args: Any) -> int:
        _check_destination(self, args[-1], "sendto")  # sendto(data, [flags,] address)
        return sendto(self, data, *args)

    def guarded_sendmsg(self: socket.socket, buffers: Any, *args: Any, **kwargs: Any) -> int:
        address = kwargs.get("address", args[2] if len(args) > 2 else None)
        if address is not None:
            _check_destination(self, address, "sendmsg")
        return sendmsg(self, buffers, *args, **kwargs)

    cls.connect = guarded_connect  # type: ignore[method-assign,assignment]
    cls.connect_ex = guarded_connect_ex  # type: ignore[method-assign,assignment]
    cls.sendto = guarded_sendto  # type: ignore[method-assign,assignment]
    cls.sendmsg = guarded_sendmsg  # type: ignore[method-assign,assignment]


def _wrap_resolver() -> None:
    getaddrinfo, gethostbyname = socket.getaddrinfo, socket.gethostbyname
    gethostbyname_ex, gethostbyaddr = socket.gethostbyname_ex, socket.gethostbyaddr
    getnameinfo = socket.getnameinfo
    _originals.update(
        getaddrinfo=getaddrinfo, gethostbyname=gethostbyname, gethostbyname_ex=gethostbyname_ex,
        gethostbyaddr=gethostbyaddr, getnameinfo=getnameinfo,
    )

    def guarded_getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        flags = kwargs.get("flags", args[3] if len(args) > 3 else 0)
        if not flags & socket.AI_NUMERICHOST:
            _check_name(host, "getaddrinfo")
        return getaddrinfo(host, port, *args, **kwargs)

    def guarded_gethostbyname(host: str) -> str:
        _check_name(host, "gethostbyname")
        return gethostbyname(host)

    def guarded_gethostbyname_ex(host: str) -> Any:
        _check_name(host, "gethostbyname_ex")
        return gethostbyname_ex(host)

    def guarded_gethostbyaddr(host: str) -> Any:
        # Only 127.0.0.1 is in /etc/hosts here; any other reverse lookup asks DNS.
        if host not in ("127.0.0.1", "localhost") and not _state["allow_dns"]:
            raise _violate(f"gethostbyaddr({host!r}) would ask the system resolver (reverse DNS)")
        return gethostbyaddr(host)

    def guarded_getnameinfo(sockaddr: Any, flags: int) -> Any:
        numeric = flags & socket.NI_NUMERICHOST
        if not numeric and sockaddr[0] != "127.0.0.1" and not _state["allow_dns"]:
            raise _violate(f"getnameinfo({sockaddr!r}) would ask the system resolver (reverse DNS)")
        return getnameinfo(sockaddr, flags)

    socket.getaddrinfo = guarded_getaddrinfo
    socket.gethostbyname = guarded_gethostbyname
    socket.gethostbyname_ex = guarded_gethostbyname_ex
    socket.gethostbyaddr = guarded_gethostbyaddr
    socket.getnameinfo = guarded_getnameinfo


def install(allow_system_dns: bool | None = None, *, report_to_stderr: bool = False) -> None:
    """Guard this process. Idempotent; a second call only updates the options.

    `allow_system_dns=None` reads LLMDOCTOR_TEST_ALLOW_SYSTEM_DNS. Destinations are always
    checked, whatever the DNS setting.
    """
    if allow_system_dns is None:
        allow_system_dns = os.environ.get(ALLOW_SYSTEM_DNS_ENV) == "1"
    _state["allow_dns"] = bool(allow_system_dns)
    _state["stderr"] = report_to_stderr
    _state.setdefault("home_ns", _namespace())
    if _state["installed"]:
        return
    _wrap_methods()
    _wrap_resolver()
    _state["installed"] = True


def uninstall() -> None:
    """Restore the original socket functions (for the guard's own tests)."""
    if not _state["installed"]:
        return
    for name in ("connect", "connect_ex", "sendto", "sendmsg"):
        setattr(socket.socket, name, _originals[name])
    for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr", "getnameinfo"):
        setattr(socket, name, _originals[name])
    _state["installed"] = False


def installed() -> bool:
    return bool(_state["installed"])
