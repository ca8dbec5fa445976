"""Matches a pasted transport error against the signature table, then reads the context around it.

The table (`llmdoctor.signatures.transport`) says what a wording means; the context says where it
happened: a refusal in httpcore's proxy frames or at a loopback port while the text calls a remote
API is the proxy refusing, not the API; a host that fails to resolve but is not the API's host is
the proxy's; a traceback ended by Ctrl-C names the step that hung in its innermost frames.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from llmdoctor.explain import transcript
from llmdoctor.explain.parse import line_of, url_hosts
from llmdoctor.signatures import transport
from llmdoctor.signatures.evidence import keep_stronger
from llmdoctor.signatures.prefilter import Lazy  # compiled only when the text holds a literal piece

Found = dict[str, tuple[float, str]]

# Words and frames that put a failure on the way to a proxy (httpcore, urllib3/requests, http.client,
# PySocks, Go, Node's tunnel-agent, curl).
_PROXY_CONTEXT = Lazy(
    r"http_proxy\.py|socks_proxy\.py|_prepare_proxy|\b_tunnel\b|sockshttpsconnectionpool|socks\.py|proxyerror|"
    r"proxyconnect|socks connect tcp|tunneling socket|tunnel-agent|while connecting to proxy|"
    r"connecting to (?:socks5?|http) proxy|proxy_url|https?_proxy|all_proxy|\bprox(?:y|ies)\b|"
    r"connecttunnel|createtunnel", re.I)  # OkHttp's tunnel through an HTTP proxy
_LOOPBACK_PORT = re.compile(r"(?:127\.0\.0\.1|localhost|\[?::1\]?)(?::| port |['\"],\s*|,\s*port\s*[=:]\s*)(\d{2,5})\b",
                            re.I)  # Dart's SocketException: "address = 127.0.0.1, port = 7890"
_LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "0.0.0.0")
# A private address on a proxy app's port: Clash / v2rayN with "allow LAN" on another machine of the network
_LAN_PORT = re.compile(r"\b(?:192\.168|10\.\d{1,3}|172\.(?:1[6-9]|2\d|3[01]))\.\d{1,3}\.\d{1,3}(?::| port )(\d{2,5})\b")
# Frames (not words) of a client's proxy step: a timeout raised in them is the connect to the proxy
_PROXY_FRAMES = Lazy(r"http_proxy\.py|socks_proxy\.py|_prepare_proxy|sockshttpsconnectionpool|proxyconnect tcp", re.I)
_NOT_FOUND_HOST = Lazy(r"(?:enotfound|eai_again)\s+([A-Za-z0-9][\w.-]*)", re.I)
_CONNECT_RESET = Lazy(r"connect econnreset", re.I)
_TLS_FRAMES = Lazy(r"do_handshake|_ssl_wrap_socket|wrap_socket|start_tls|tlssocket\.onconnectend|"
                         r"onconnectsecure|before secure tls connection|ssl\.py", re.I)
_INTERRUPTED = Lazy(r"keyboardinterrupt|\^c", re.I)
_NOT_TLS_PEER = Lazy(r"wrong_version_number|wrong version number", re.I)
# Go: "read tcp 127.0.0.1:7076->127.0.0.1:7890: i/o timeout" - the silent peer is the local proxy
_GO_READ_TIMEOUT = Lazy(r"read tcp [\d.:\[\]]+->(?:127\.0\.0\.1|\[::1\]):(\d+): i/o timeout", re.I)

# The step a Ctrl-C'd traceback was waiting in, by its frames; earlier rows win (a proxy handshake
# comes before the TLS handshake, which comes before reading the answer).
_HANG_STEPS: tuple[tuple[str, float, re.Pattern[str]], ...] = tuple(
    (cause, confidence, re.compile(pattern, re.I)) for cause, confidence, pattern in (
        ("proxy.socks_handshake_hang", 0.88, r"socks_proxy\.py|_init_socks5|socksio|_negotiate_socks|socks\.py|"
                                             r"python_socks|aiohttp_socks|_socks5"),
        ("proxy.not_responding", 0.85, r"\b_tunnel\b|http_proxy\.py|_connect_tunnel|_prepare_proxy"),
        ("net.tls_timeout", 0.8, r"do_handshake|start_tls|wrap_socket"),
        ("net.connect_timeout", 0.8, r"sock\.connect|create_connection|connect_tcp|_new_conn|sock_connect"),
        ("dns.failure", 0.7, r"getaddrinfo"),
        ("net.stream_stalled", 0.8, r"iter_lines|iter_bytes|iter_raw|__stream__|_iter_events|iter_text|"
                                    r"iter_content"),
        ("net.read_timeout", 0.75, r"_receive_response_headers|getresponse|_read_status|_receive_event|"
                                   r"_make_request|recv_into"),
    ))


@dataclass
class Transport:
    """What the transport signs showed: definite causes, and candidates from texts that do not tell."""

    found: Found = field(default_factory=dict)
    vague: Found = field(default_factory=dict)
    gateway: bool = False


def match(text: str) -> Transport:
    seen = Transport()
    lowered = text.lower()
    for causes, pattern, vague in transport.compiled():
        hit = pattern.search(text, lowered)
        if not hit:
            continue
        message = f"The error says: {line_of(text, hit)}"
        target = seen.vague if vague else seen.found
        for cause, confidence in causes:
            keep_stronger(target, cause, confidence, message)
    seen.gateway = seen.found.get("gateway.error", (0.0, ""))[0] >= 0.9
    _read_context(text, seen)
    return seen


def _read_context(text: str, seen: Transport) -> None:
    found = seen.found
    hosts = url_hosts(text)
    remote_url = any(host not in _LOOPBACK_HOSTS for host in hosts)
    loopback = [int(m.group(1)) for m in _LOOPBACK_PORT.finditer(text[:200_000])]
    proxy_words = bool(_PROXY_CONTEXT.search(text[:200_000]))

    refused = found.get("net.connect_refused")
    if refused:
        port = _local_proxy_port(loopback)
        if proxy_words:
            keep_stronger(found, "proxy.unreachable", max(refused[0], 0.9) + 0.02, refused[1])
        elif port:
            confidence = 0.92 if remote_url or port[0] not in (8080, 8888) else 0.7
            keep_stronger(found, "proxy.unreachable", confidence,
                          f"Nothing accepts connections on 127.0.0.1:{port[0]}, the usual port of {port[1]}: the "
                          "proxy app is not running or uses another port.")
        elif (lan := _local_proxy_port([int(m.group(1)) for m in _LAN_PORT.finditer(text[:200_000])])):
            keep_stronger(found, "proxy.unreachable", 0.91,
                          f"The refused address is a machine of the local network on port {lan[0]}, the usual port "
                          f"of {lan[1]}: that proxy is not running there or does not allow LAN connections.")
        elif loopback and remote_url:
            keep_stronger(found, "proxy.unreachable", 0.9,
                          f"The refused address is 127.0.0.1:{loopback[0]} while the request is for a remote host: "
                          "that is a local proxy, and it is not running.")

    timed_out = found.get("net.connect_timeout")
    if timed_out and _PROXY_FRAMES.search(text[:200_000]):
        keep_stronger(found, "proxy.unreachable", max(timed_out[0], 0.88) + 0.01,
                      "The connect that timed out was the client's connect to the proxy (its proxy frames raised it): "
                      "the proxy's address does not answer from here.")
    elif timed_out and remote_url:  # the connect that timed out was to a local proxy app's port, not to the API
        port = _local_proxy_port(loopback)
        if port:
            keep_stronger(found, "proxy.unreachable", max(timed_out[0], 0.88) + 0.01,
                          f"The connect that timed out was to 127.0.0.1:{port[0]}, the usual port of {port[1]}, "
                          "while the request is for a remote host: the local proxy is not accepting connections.")

    if "dns.failure" in found and hosts:
        missing = _NOT_FOUND_HOST.search(text)
        if missing and missing.group(1).lower() not in {h.lower() for h in hosts}:
            keep_stronger(found, "proxy.unreachable", 0.91,
                          f"The name that does not resolve, {missing.group(1)!r}, is not the API's host: it is the "
                          "proxy's.")

    if _CONNECT_RESET.search(text):
        port = _local_proxy_port(loopback)
        if port and remote_url:
            keep_stronger(found, "proxy.not_responding", 0.85, f"The proxy on 127.0.0.1:{port[0]} ({port[1]}) "
                          "closed the connection as soon as it was made.")
        else:
            keep_stronger(found, "net.connect_refused", 0.65, "The connection was reset as soon as it was made: "
                          "nothing serves that address and port the way the client expects.")
    if "tls.handshake_reset" in seen.vague and _TLS_FRAMES.search(text):
        keep_stronger(found, "tls.handshake_reset", 0.8, seen.vague["tls.handshake_reset"][1])

    if "tls.protocol_mismatch" in found and proxy_words and _NOT_TLS_PEER.search(text):
        keep_stronger(found, "proxy.protocol_mismatch", found["tls.protocol_mismatch"][0] + 0.03,
                      "TLS was spoken to a proxy that speaks plain HTTP: the proxy URL says https:// (or the proxy "
                      "is SOCKS) where it should say http://.")
    silent = _GO_READ_TIMEOUT.search(text)
    if silent and _local_proxy_port([int(silent.group(1))]):
        keep_stronger(found, "proxy.not_responding", 0.86, f"The read that timed out was from the local proxy on "
                      f"127.0.0.1:{silent.group(1)}: it accepted the connection and then said nothing.")

    if _INTERRUPTED.search(text):
        for cause, confidence, frames in _HANG_STEPS:
            hit = frames.search(text)
            if hit:
                keep_stronger(found, cause, confidence, "The traceback ends in Ctrl-C while waiting in "
                              f"{line_of(text, hit)}: that step never finished.")
                break
        else:  # interrupted, but no frame says where: a hang of unknown step
            for cause, confidence in (("net.connect_timeout", 0.35), ("net.read_timeout", 0.35),
                                      ("proxy.not_responding", 0.3)):
                keep_stronger(seen.vague, cause, confidence, "The program was interrupted (Ctrl-C) while it waited; "
                              "the traceback does not show which step.")

    transcript.read(text, found, seen.vague, lambda: _local_proxy_port(loopback), remote_url)

    if seen.gateway:  # an Envoy or Cloudflare page says "reset" and "timeout" about its own upstream
        for cause in ("tls.handshake_reset", "net.read_timeout", "net.connect_timeout", "net.connect_refused"):
            found.pop(cause, None)
        seen.vague.clear()


def _local_proxy_port(ports: list[int]) -> tuple[int, str] | None:
    """(port, app) when a loopback address is on a local proxy app's usual port (7890: Clash)."""
    from llmdoctor.proxyenv.ports import KNOWN_PORTS

    for port in ports:
        if port in KNOWN_PORTS:
            return port, KNOWN_PORTS[port]
    return None
