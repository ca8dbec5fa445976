"""HTTP CONNECT through an http:// (or https://) proxy, as httpcore sends it, parsed with h11.

httpcore sends `CONNECT host:port` with `Host: host:port` and, when the proxy URL carries
credentials, `Proxy-Authorization: Basic base64(user:password)` (httpcore `_sync/http_proxy.py`).
"""

from __future__ import annotations

import base64
import socket
import time
from typing import Any

import h11

from llmdoctor.net.portprobe import identify, probe_timeout
from llmdoctor.net.proxytypes import ProxyEndpoint, ProxyProblem, ms_since
from llmdoctor.signatures.proxyanswer import connect_status_cause


def _authority(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _read_response(sock: socket.socket, conn: h11.Connection) -> h11.Response | None:
    """The proxy's response head, or None when it hung up first. Timeouts propagate."""
    while True:
        event = conn.next_event()
        if isinstance(event, h11.Response):
            return event
        if event is h11.NEED_DATA:
            data = sock.recv(65536)
            conn.receive_data(data)
            if not data:
                try:
                    event = conn.next_event()
                except h11.RemoteProtocolError:
                    return None
                return event if isinstance(event, h11.Response) else None
        elif isinstance(event, h11.ConnectionClosed):
            return None


def connect(sock: socket.socket, proxy: ProxyEndpoint, host: str, port: int, timeout: float,
            timings: dict[str, float]) -> dict[str, Any]:
    """Ask for the tunnel; returns facts on success, raises ProxyProblem otherwise."""
    authority = _authority(host, port)
    headers = [("Host", authority)]
    if proxy.has_credentials:
        token = base64.b64encode(f"{proxy.username}:{proxy.password or ''}".encode()).decode()
        headers.append(("Proxy-Authorization", f"Basic {token}"))
    conn = h11.Connection(h11.CLIENT)
    start = time.perf_counter()
    sock.settimeout(timeout)
    try:
        sock.sendall(conn.send(h11.Request(method="CONNECT", target=authority, headers=headers)))
        response = _read_response(sock, conn)
    except TimeoutError:
        _not_http(proxy, timeout, "silent", authority)
        raise ProxyProblem("proxy.not_responding", f"the proxy at {proxy.address} accepted the TCP connection but "
                           f"did not answer the CONNECT request within {timeout:.1f} s",
                           "The proxy program is stuck or overloaded, or the port belongs to something else; "
                           "restart the proxy.", {"error": "timeout"}) from None
    except h11.RemoteProtocolError:
        _not_http(proxy, timeout, "garbled", authority)
        raise ProxyProblem("proxy.protocol_mismatch", f"{proxy.address} answered CONNECT with something that is "
                           "not HTTP", "Check the proxy URL's scheme and port.", {}) from None
    except OSError:  # reset: treated like a hang-up
        response = None
    timings["proxy_handshake_ms"] = ms_since(start)
    if response is None:
        _not_http(proxy, timeout, "closed", authority)
        raise ProxyProblem("proxy.upstream_failed", f"the HTTP proxy at {proxy.address} closed the connection "
                           f"without answering CONNECT {authority} (it could not reach the target, or refused it)",
                           "Check that the proxy itself can reach the API host (its upstream, its rules).",
                           {"connect_status": None})
    return _judge(response, proxy, authority)


def _not_http(proxy: ProxyEndpoint, timeout: float, what: str, authority: str) -> None:
    """When the answer was not HTTP, find out what the port speaks; raise if it is not an HTTP proxy."""
    if proxy.scheme == "https":
        return  # probing a TLS port in clear text tells nothing new
    speaks = identify(proxy.host, proxy.port, probe_timeout(timeout), first="http", authority=authority)
    if speaks.protocol == "socks5":
        fixed = proxy.redacted.replace(f"{proxy.scheme}://", "socks5h://", 1)
        raise ProxyProblem("proxy.protocol_mismatch", f"{proxy.address} is a SOCKS5 proxy, but the proxy URL says "
                           f"{proxy.scheme}:// (HTTP CONNECT)",
                           f"Use {fixed} (and pip install 'httpx[socks]').", {"speaks": "socks5"})
    if speaks.protocol == "tls":
        fixed = proxy.redacted.replace(f"{proxy.scheme}://", "https://", 1)
        raise ProxyProblem("proxy.protocol_mismatch", f"{proxy.address} speaks TLS, not plain HTTP",
                           f"If it is an HTTPS proxy, use {fixed}; otherwise fix the port.", {"speaks": "tls"})
    if speaks.protocol != "http" and what == "garbled":
        raise ProxyProblem("proxy.protocol_mismatch", f"{proxy.address} does not speak HTTP ({speaks.detail or what})",
                           "Check the proxy URL's port: it points at something that is not an HTTP proxy.",
                           {"speaks": speaks.protocol})


def _judge(response: h11.Response, proxy: ProxyEndpoint, authority: str) -> dict[str, Any]:
    status = response.status_code
    reason = response.reason.decode("latin-1", "replace")
    answer = f"{status} {reason}".strip()
    facts: dict[str, Any] = {"connect_status": status, "connect_reason": reason}
    cause = connect_status_cause(status)  # one table with explain's reading of pasted CONNECT answers
    if cause is None:
        return facts
    challenge = next((v.decode("latin-1") for k, v in response.headers if k in (b"proxy-authenticate",
                                                                            b"www-authenticate")), "")
    if challenge:
        facts["proxy_authenticate"] = challenge
    if cause == "proxy.auth_failed":
        scheme = challenge.split(" ", 1)[0].lower() if challenge else "basic"
        if scheme in ("ntlm", "negotiate", "kerberos"):
            hint = (f"The proxy wants {challenge.split(' ', 1)[0]} authentication, which httpx cannot do; run a "
                    "local forwarder such as cntlm or px and point HTTPS_PROXY at it.")
        elif proxy.has_credentials:
            hint = ("Fix the user name or password in the proxy URL (percent-encode special characters: "
                    "@ is %40, : is %3A).")
        else:
            hint = "Put the credentials into the proxy URL: http://USER:PASSWORD@" + proxy.address
        if proxy.has_credentials:
            message = f"the proxy rejected the credentials in the proxy URL ({answer})"
            if status == 401:
                message += " (some proxies, tinyproxy among them, answer a wrong password with 401)"
        else:
            message = f"the proxy requires credentials and the proxy URL has none ({answer})"
        raise ProxyProblem("proxy.auth_failed", message, hint, {**facts, "credentials_sent": proxy.has_credentials})
    if cause == "proxy.upstream_failed":
        raise ProxyProblem("proxy.upstream_failed", f"the proxy could not reach {authority} ({answer})",
                           "The proxy itself cannot reach the API host: check the proxy's own upstream, "
                           "rules or VPN, and that the host and port are right.", facts)
    if cause == "proxy.blocked":
        raise ProxyProblem("proxy.blocked", f"the proxy refuses to open a tunnel to {authority} ({answer})",
                           "The proxy's policy blocks this host or port (an allow-list, or tinyproxy's ConnectPort); "
                           "ask its administrator to allow it.", facts)
    raise ProxyProblem("proxy.protocol_mismatch", f"{proxy.address} answered CONNECT with {answer}: it is an HTTP "
                       "server but not a forward proxy that tunnels", "Check the proxy URL's host and port.", facts)
