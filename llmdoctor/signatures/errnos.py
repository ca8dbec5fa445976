"""Socket errors by name and number on Linux, macOS and Windows, and what each means at connect time.

One row per error, so the live checks (which see an `OSError` and its `errno`) and `explain`
(which sees `[Errno 111] Connection refused`, `[WinError 10061] 由于目标计算机积极拒绝，无法连接。`
or Node's `ECONNREFUSED`) read the same facts. Numbers come from the platforms' headers: Linux
<asm-generic/errno.h>, macOS <sys/errno.h>, Windows <winsock2.h> (WSAE*) and <winerror.h>; the
Chinese texts are what `FormatMessageW` prints on a zh-CN Windows, as users paste them.
Resolver errors (getaddrinfo's EAI_* and Windows' WSAHOST_NOT_FOUND) are rows here too.
"""

from __future__ import annotations

import errno as _errno
import functools
from dataclasses import dataclass

# What happened at the connect step; the live dialer reports these words, explain maps them to causes.
REFUSED, TIMEOUT, RESET, UNREACHABLE, DNS, FORBIDDEN = "refused", "timeout", "reset", "unreachable", "dns", "forbidden"
# the client's own machine ran out of something (a local port): not the network, not the server
LOCAL = "local"

OUTCOME_CAUSE = {REFUSED: "net.connect_refused", TIMEOUT: "net.connect_timeout", RESET: "tls.handshake_reset",
                 UNREACHABLE: "net.unreachable", DNS: "dns.failure", FORBIDDEN: "net.connect_refused",
                 LOCAL: "net.error"}


@dataclass(frozen=True)
class SocketError:
    """One socket error as every platform names and numbers it."""

    name: str  # the POSIX / Node name: ECONNREFUSED
    outcome: str
    linux: tuple[int, ...] = ()
    macos: tuple[int, ...] = ()
    windows: tuple[int, ...] = ()  # WSAE* codes and Win32 errors, as [WinError N] shows them
    texts: tuple[str, ...] = ()  # strerror wordings, English and zh-CN Windows, lower-case


SOCKET_ERRORS: tuple[SocketError, ...] = (
    SocketError("ECONNREFUSED", REFUSED, (111,), (61,), (10061, 1225),
                ("connection refused", "actively refused", "由于目标计算机积极拒绝", "远程计算机拒绝网络连接",
                 "connect call failed", "(connectionrefused)")),
    SocketError("ETIMEDOUT", TIMEOUT, (110,), (60,), (10060, 121),
                ("connection timed out", "由于连接方在一段时间后没有正确答复",
                 "信号灯超时时间已到", "connected party did not properly respond")),
    SocketError("ECONNRESET", RESET, (104,), (54,), (10054,),
                ("connection reset by peer", "forcibly closed by the remote host", "远程主机强迫关闭了一个现有的连接",
                 "socket hang up")),
    SocketError("ECONNABORTED", RESET, (103,), (53,), (10053,),
                ("software caused connection abort", "你的主机中的软件中止了一个已建立的连接",
                 "established connection was aborted by the software in your host machine")),
    # Win32 1231/1232 (ERROR_NETWORK_UNREACHABLE / ERROR_HOST_UNREACHABLE): what Windows' overlapped connect (asyncio's
    # proactor, .NET) reports for WSAENETUNREACH / WSAEHOSTUNREACH, "The network location cannot be reached."
    SocketError("ENETUNREACH", UNREACHABLE, (101,), (51,), (10051, 1231),
                ("network is unreachable", "向一个无法连接的网络尝试了一个套接字操作",
                 "attempted to an unreachable network", "the network location cannot be reached", "不能访问网络位置")),
    SocketError("EHOSTUNREACH", UNREACHABLE, (113,), (65,), (10065, 1232),
                ("no route to host", "attempted to an unreachable host", "套接字操作尝试一个无法连接的主机")),
    SocketError("ENETDOWN", UNREACHABLE, (100,), (50,), (10050,), ("network is down",)),
    SocketError("EADDRNOTAVAIL", UNREACHABLE, (99,), (49,), (10049,),
                ("cannot assign requested address", "在其上下文中，该请求的地址无效")),
    SocketError("EAFNOSUPPORT", UNREACHABLE, (97,), (47,), (10047,), ("address family not supported",)),
    # WSAEACCES: a firewall, antivirus or VPN client (or a reserved port range) forbids the connection.
    SocketError("EACCES", FORBIDDEN, (), (), (10013,),
                ("forbidden by its access permissions", "以一种访问权限不允许的方式做了一个访问套接字的尝试")),
    # Resolver errors: getaddrinfo's EAI_* (negative on Linux, small positive on macOS) and Windows' WSA*.
    SocketError("ENOTFOUND", DNS, (-2, -5), (8,), (11001, 11004),
                ("name or service not known", "nodename nor servname provided", "getaddrinfo failed",
                 "no address associated with hostname", "name does not resolve", "不知道这样的主机",
                 "could not resolve host", "temporary failure in name resolution", "no such host",
                 "no such host is known", "requested name is valid, but no data of the requested type",
                 "请求的名称有效，但是找不到请求的类型的数据")),
    SocketError("EAI_AGAIN", DNS, (-3,), (), (11002,),
                ("temporary failure in name resolution", "temporary error during hostname resolution",
                 "这通常是在主机名解析时出现的暂时错误")),
    # WSAEADDRINUSE at connect time: the client's machine has no free local port left (a program opening a new
    # connection per request, thousands in TIME_WAIT). Seen in "Failed to establish a new connection: [WinError
    # 10048] 通常每个套接字地址(协议/网络地址/端口)只允许使用一次。"
    SocketError("EADDRINUSE", LOCAL, (98,), (48,), (10048,),
                ("address already in use", "only one usage of each socket address",
                 "通常每个套接字地址(协议/网络地址/端口)只允许使用一次")),
)

# Winsock's own names for the rows above (<winsock2.h>, <winerror.h>): C programs, Delphi/Indy and .NET's
# SocketError print these instead of the POSIX name. The numbers are the same in every Windows locale, so a
# Chinese, Russian or mojibake message still carries its row in the number and in these names.
WINSOCK_NAMES: dict[str, tuple[str, ...]] = {
    "ECONNREFUSED": ("WSAECONNREFUSED",), "ETIMEDOUT": ("WSAETIMEDOUT",), "ECONNRESET": ("WSAECONNRESET",),
    "ECONNABORTED": ("WSAECONNABORTED",), "ENETUNREACH": ("WSAENETUNREACH",), "EHOSTUNREACH": ("WSAEHOSTUNREACH",),
    "ENETDOWN": ("WSAENETDOWN",), "EADDRNOTAVAIL": ("WSAEADDRNOTAVAIL",), "EAFNOSUPPORT": ("WSAEAFNOSUPPORT",),
    "EACCES": ("WSAEACCES",), "ENOTFOUND": ("WSAHOST_NOT_FOUND", "WSANO_DATA"), "EAI_AGAIN": ("WSATRY_AGAIN",),
    "EADDRINUSE": ("WSAEADDRINUSE",),
}

# Short stems of the zh-CN messages: a console wraps long lines anywhere ("你的主机中的软件中止了一个已\n建立的连接"),
# Windows 7 says 您 where 10 says 你, and a half-repaired mojibake keeps only part of a message.
ZH_STEMS: dict[str, tuple[str, ...]] = {
    "ECONNREFUSED": ("积极拒绝",), "ETIMEDOUT": ("没有正确答复",), "ECONNRESET": ("强迫关闭",),
    "ECONNABORTED": ("主机中的软件中止了",), "ENETUNREACH": ("无法连接的网络",), "EHOSTUNREACH": ("无法连接的主机",),
    "ENOTFOUND": ("不知道这样的主机",), "EADDRINUSE": ("只允许使用一次",),
}


# strerror() on a Linux in a zh_CN locale (glibc's zh_CN.po): Java ("java.net.ConnectException: 拒绝连接"), Python
# ("[Errno 111] 拒绝连接"), ssh and curl print these where an English system says "Connection refused". They are
# everyday words too ("是连接超时了吗"), so `transport` reads them only where strerror puts them, after ": " or "] ".
GLIBC_ZH: dict[str, tuple[str, ...]] = {
    "ECONNREFUSED": ("拒绝连接",), "ETIMEDOUT": ("连接超时",), "ECONNRESET": ("连接被对方重设", "连接被对方重置"),
    "ENETUNREACH": ("网络不可达",), "EHOSTUNREACH": ("没有到主机的路由",), "ENOTFOUND": ("未知的名称或服务",),
    "EAI_AGAIN": ("域名解析暂时失败",), "EADDRINUSE": ("地址已在使用",),
}


@functools.cache
def _by_name() -> dict[str, SocketError]:
    return {row.name: row for row in SOCKET_ERRORS}


def outcome_of(code: int | None) -> str | None:
    """What an `OSError.errno` seen on *this* machine means at connect time (None: not a connect error).

    The number is turned into its name with this platform's `errno` module, because the same number
    means different things on Linux and macOS; Windows' WSA codes (10000+) are unique everywhere.
    """
    if code is None:
        return None
    name = _errno.errorcode.get(code)
    if name is not None and name in _by_name():
        return _by_name()[name].outcome
    for row in SOCKET_ERRORS:
        if code in row.windows:
            return row.outcome
    return None


def cause_of(code: int | None) -> str | None:
    outcome = outcome_of(code)
    return OUTCOME_CAUSE[outcome] if outcome else None


def is_unreachable(code: int | None) -> bool:
    return outcome_of(code) == UNREACHABLE
