"""The SOCKS5 handshake httpcore performs (greeting, RFC 1929 login, CONNECT), with a timeout on each read.

The protocol bytes come from socksio (sans-I/O); we only move them. Like httpcore we offer exactly
one method (username/password when the URL has credentials, else none) and send the host *name*
for CONNECT, so the proxy resolves it — for socks5:// as much as for socks5h://.
"""

from __future__ import annotations

import socket
import time
from typing import Any

from llmdoctor.net.portprobe import identify, probe_timeout
from llmdoctor.net.proxytypes import ProxyEndpoint, ProxyProblem, ms_since

# RFC 1928 §6 reply codes, in plain words (httpcore's REPLY_CODES, explained).
REPLY_CODES = {
    1: "general SOCKS server failure",
    2: "connection not allowed by the proxy's rules",
    3: "network unreachable (from the proxy)",
    4: "host unreachable (from the proxy)",
    5: "connection refused by the target",
    6: "TTL expired",
    7: "command not supported",
    8: "address type not supported",
}
HANG_HINT = ("httpx has no timeout on the SOCKS5 handshake (encode/httpcore#1015), so your SDK hangs forever "
             "here, whatever timeout you set. Restart the proxy, or check that this port is really its SOCKS5 port.")


def _recv_exact(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            break
        data += chunk
    return data


def _reply_length(head: bytes, sock: socket.socket) -> bytes:
    """A CONNECT reply is 4 bytes, then an address whose length depends on ATYP, then 2 port bytes."""
    atype = head[3:4]
    if atype == b"\x01":
        return _recv_exact(sock, 4 + 2)
    if atype == b"\x04":
        return _recv_exact(sock, 16 + 2)
    if atype == b"\x03":
        length = _recv_exact(sock, 1)
        return length + _recv_exact(sock, (length[0] if length else 0) + 2)
    return b""


def _mismatch_or(proxy: ProxyEndpoint, timeout: float, otherwise: ProxyProblem, authority: str,
                 first: str = "http") -> ProxyProblem:
    """Probe the port: an HTTP proxy there means the scheme is wrong; else `otherwise`.

    After a hang-up, ask SOCKS5 first (offering username/password): pproxy hangs up on a
    no-authentication greeting when it wants a login, yet speaks HTTP on the same port.
    """
    speaks = identify(proxy.host, proxy.port, probe_timeout(timeout), first=first, authority=authority)
    if speaks.protocol == "http":
        fixed = proxy.redacted.replace(f"{proxy.scheme}://", "http://", 1)
        return ProxyProblem("proxy.protocol_mismatch", f"{proxy.address} is an HTTP proxy ({speaks.detail}), but "
                            f"the proxy URL says {proxy.scheme}://", f"Use {fixed}", {"speaks": "http"})
    if speaks.protocol == "tls":
        return ProxyProblem("proxy.protocol_mismatch", f"{proxy.address} speaks TLS, not SOCKS5",
                            "Check the proxy URL's port and scheme.", {"speaks": "tls"})
    if speaks.protocol == "socks5" and speaks.detail == "username/password" and not proxy.has_credentials:
        return ProxyProblem("proxy.auth_failed", f"the SOCKS5 proxy at {proxy.address} requires credentials and "
                            "the proxy URL has none (it hung up on a no-authentication greeting)",
                            f"Put them into the proxy URL: socks5h://USER:PASSWORD@{proxy.address}",
                            {"speaks": "socks5", "credentials_sent": False})
    return otherwise


def handshake(sock: socket.socket, proxy: ProxyEndpoint, host: str, port: int, timeout: float,
              timings: dict[str, float]) -> dict[str, Any]:
    """Greeting, login, CONNECT; returns facts, raises ProxyProblem with the step that failed."""
    from socksio import socks5
    from socksio.exceptions import ProtocolError

    conn = socks5.SOCKS5Connection()
    authority = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    method = socks5.SOCKS5AuthMethod.USERNAME_PASSWORD if proxy.has_credentials \
        else socks5.SOCKS5AuthMethod.NO_AUTH_REQUIRED
    sock.settimeout(timeout)
    step = "greeting"
    start = time.perf_counter()
    try:
        conn.send(socks5.SOCKS5AuthMethodsRequest([method]))
        sock.sendall(conn.data_to_send())
        data = _recv_exact(sock, 2)
        timings["socks_greeting_ms"] = ms_since(start)
        if not data:
            raise _mismatch_or(proxy, timeout, ProxyProblem(
                "proxy.protocol_mismatch", f"{proxy.address} hung up on the SOCKS5 greeting: it does not speak SOCKS5",
                "Check the proxy URL's port and scheme.", {"step": step}), authority, "socks5")
        reply = conn.receive_data(data)
        assert isinstance(reply, socks5.SOCKS5AuthReply)
        if reply.method != method:
            hint = (f"Put the credentials into the proxy URL: socks5h://USER:PASSWORD@{proxy.address}"
                    if not proxy.has_credentials else "The proxy does not accept a user name and password; "
                    "remove them from the proxy URL or fix the proxy's configuration.")
            message = (f"the SOCKS5 proxy at {proxy.address} requires credentials and the proxy URL has none"
                       if not proxy.has_credentials else
                       f"the SOCKS5 proxy at {proxy.address} refused the username/password method")
            raise ProxyProblem("proxy.auth_failed", f"{message} (it answered: no acceptable methods)", hint,
                               {"step": step, "credentials_sent": proxy.has_credentials})
        if reply.method == socks5.SOCKS5AuthMethod.USERNAME_PASSWORD:
            step, start = "login", time.perf_counter()
            conn.send(socks5.SOCKS5UsernamePasswordRequest((proxy.username or "").encode(),
                                                           (proxy.password or "").encode()))
            sock.sendall(conn.data_to_send())
            login = conn.receive_data(_recv_exact(sock, 2))
            timings["socks_auth_ms"] = ms_since(start)
            assert isinstance(login, socks5.SOCKS5UsernamePasswordReply)
            if not login.success:
                raise ProxyProblem("proxy.auth_failed", f"the SOCKS5 proxy at {proxy.address} rejected the user "
                                   "name or password in the proxy URL",
                                   "Fix the credentials in the proxy URL (percent-encode special characters: "
                                   "@ is %40, : is %3A).", {"step": step, "credentials_sent": True})
        step, start = "connect", time.perf_counter()
        conn.send(socks5.SOCKS5CommandRequest.from_address(socks5.SOCKS5Command.CONNECT, (host, port)))
        sock.sendall(conn.data_to_send())
        head = _recv_exact(sock, 4)
        command_reply = conn.receive_data(head + _reply_length(head, sock))
        timings["socks_connect_ms"] = ms_since(start)
        assert isinstance(command_reply, socks5.SOCKS5Reply)
    except TimeoutError:
        hang = ProxyProblem("proxy.socks_handshake_hang", f"the SOCKS5 proxy at {proxy.address} accepted TCP but "
                            f"did not answer the {step} within {timeout:.1f} s", HANG_HINT, {"step": step})
        raise (_mismatch_or(proxy, timeout, hang, authority) if step == "greeting" else hang) from None
    except (ProtocolError, ValueError, IndexError):
        raise _mismatch_or(proxy, timeout, ProxyProblem(
            "proxy.protocol_mismatch", f"{proxy.address} answered the SOCKS5 {step} with bytes that are not SOCKS5",
            "Check the proxy URL's port and scheme.", {"step": step}), authority) from None
    except OSError as exc:
        raise ProxyProblem("proxy.not_responding", f"the SOCKS5 proxy at {proxy.address} dropped the connection "
                           f"during the {step} ({exc.strerror or exc})", "Restart the proxy and try again.",
                           {"step": step}) from None
    code = int.from_bytes(command_reply.reply_code, "big")
    if code != 0:
        meaning = REPLY_CODES.get(code, f"reply code {code:#04x}")
        raise ProxyProblem("proxy.upstream_failed", f"the SOCKS5 proxy could not connect to {host}:{port}: "
                           f"{meaning} (reply {code:#04x})",
                           "The proxy itself cannot reach the API host: check its rules, its upstream or VPN, and "
                           "the host and port.", {"step": step, "socks_reply": code, "socks_reply_text": meaning})
    return {"socks_reply": 0}
