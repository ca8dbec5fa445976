"""Matches a pasted transport error against the signature table, then reads the context around it.

The table (`llmdoctor.signatures.transport`) says what a wording means; the context says where it
happened: a refusal in httpcore's proxy frames or at a loopback port while the text calls a remote
API is the proxy refusing, not the API; a host that fails to resolve but is not the API's host is
the proxy's; a traceback ended by Ctrl-C names the step that hung in its innermost frames.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from llmdoctor.explain import hop, transcript, wrappers
from llmdoctor.explain.parse import line_of, message_lines, url_hosts
from llmdoctor.signatures import aiohttp, tls, transport, trust
from llmdoctor.signatures.evidence import keep_stronger
from llmdoctor.signatures.prefilter import Lazy  # compiled only when the text holds a literal piece

Found = dict[str, tuple[float, str]]

# Words and frames that put a failure on the way to a proxy (httpcore, urllib3/requests, http.client,
# PySocks, Go, Node's tunnel-agent, curl). "proxy" as a directory of a traceback's paths is no proxy: a project
# named llm-proxy, LiteLLM's proxy/ package, a checkout in .../proxy/.venv.
_PROXY_CONTEXT = Lazy(
    r"http_proxy\.py|socks_proxy\.py|_prepare_proxy|\b_tunnel\b|sockshttpsconnectionpool|socks\.py|proxyerror|"
    r"proxyconnect|socks connect tcp|tunneling socket|tunnel-agent|while connecting to proxy|"
    r"connecting to (?:socks5?|http) proxy|proxy_url|https?_proxy|all_proxy|(?<![/\\.-])\bprox(?:y|ies)\b(?![/\\])|"
    r"connecttunnel|createtunnel", re.I)  # OkHttp's tunnel through an HTTP proxy
# An app's advice that names a proxy as one possibility is no sign one was used: Claude Code's "Connection refused -
# a firewall or proxy may be blocking it", GitHub Copilot's "Is a proxy or firewall intercepting this request?"
_PROXY_ADVICE = re.compile(r"(?:firewall|vpn|antivirus)(?: or |/)(?:a )?proxy (?:may|might|could) be blocking|"
                           r"is a proxy or firewall intercepting", re.I)
# Dart's SocketException says "address = 127.0.0.1, port = 7890"; .NET prints an IPv4-mapped address in brackets
# ("actively refused it. [::ffff:127.0.0.1]:7890")
_LOOPBACK_PORT = re.compile(r"(?:127\.0\.0\.1\]?|localhost|\[?::1\]?)"
                            r"(?::| port |['\"],\s*|,\s*port\s*[=:]\s*)(\d{2,5})\b", re.I)
_LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "0.0.0.0")
# A private address on a proxy app's port: Clash / v2rayN with "allow LAN" on another machine of the network
_LAN_PORT = re.compile(r"\b(?:192\.168|10\.\d{1,3}|172\.(?:1[6-9]|2\d|3[01]))\.\d{1,3}\.\d{1,3}(?::| port )(\d{2,5})\b")
# Frames (not words) of a client's proxy step: a timeout raised in them is the connect to the proxy
_PROXY_FRAMES = Lazy(r"http_proxy\.py|socks_proxy\.py|_prepare_proxy|sockshttpsconnectionpool|proxyconnect tcp", re.I)
# "getaddrinfo ENOTFOUND host" first: bower's "EAI_AGAIN Request to https://..." names no host after the code
_NOT_FOUND_HOST = Lazy(r"getaddrinfo\s+(?:enotfound|eai_again)\s+([A-Za-z0-9][\w.-]*)|"
                       r"(?:enotfound|eai_again)\s+(?!request\b)([A-Za-z0-9][\w.-]*)", re.I)
_CONNECT_RESET = Lazy(r"connect econnreset", re.I)
_TLS_FRAMES = Lazy(r"do_handshake|_ssl_wrap_socket|wrap_socket|start_tls|tlssocket\.onconnectend|"
                         r"onconnectsecure|before secure tls connection|ssl\.py", re.I)
_INTERRUPTED = Lazy(r"keyboardinterrupt|\^c", re.I)
# OpenSSL's read or write, not its handshake: "OpenSSL SSL_read: SSL_ERROR_SYSCALL, errno 104" (curl, git) is a
# connection reset after TLS was up, in the middle of the answer
_SSL_MID_TRANSFER = Lazy(r"ssl_(?:read|write)(?:\(\))?\s*:\s*ssl_error_syscall", re.I)
_NOT_TLS_PEER = Lazy(r"wrong_version_number|wrong version number", re.I)
# A body cut short while streaming is a stalled stream; otherwise the server broke off its answer. Stream signs:
# the SDKs' stream frames, SSE lines, stream=True in the code line the traceback shows, and a cut *chunked* body
# (h11's "incomplete chunked read", urllib3's InvalidChunkLength and "Response ended prematurely", curl's
# "outstanding read data"): streams are sent chunked, while a cut body with a length says "expected 812".
_BODY_CUT = Lazy(transport.BODY_CUT, re.I)
_STREAMING = Lazy(r"_streaming\.py|__stream__|_iter_events|iter_lines|iter_events|stream=true|stream: true|"
                  r"text/event-stream|chat\.completion\.chunk|content_block_delta|^data: |incomplete chunked read|"
                  r"outstanding read data remaining|invalidchunklength|response ended prematurely|"
                  r"transferencodingerror", re.I | re.M)
# curl's connect phase includes the TLS handshake: "Connection timed out after N milliseconds" alone does not say
# which of the two hung (the errno table reads "connection timed out" as a TCP connect timeout)
_CURL_CONNECT_PHASE = Lazy(r"connection timed out after \d+ milli", re.I)
_TCP_CONNECT_NAMED = Lazy(r"failed to connect|connecttimeout|etimedout|errno 110\b|winerror 10060|connect_tcp|"
                          r"sock\.connect|create_connection|dial tcp", re.I)
# The proxy step a timeout hit, by frames only that step runs (a request through a working tunnel shows
# http_proxy.py and socks_proxy.py frames too): httpcore's CONNECT ("connect_response = self._connection.
# handle_request(connect_request)"), http.client's _tunnel (urllib3, requests), the SOCKS5 handshake (httpcore's
# _init_socks5_connection, PySocks' _negotiate_SOCKS5 / _SOCKS5_request / _negotiate_SOCKS4).
_PROXY_STEPS = (
    ("proxy.socks_handshake_hang", Lazy(r"_init_socks5_connection|_negotiate_socks[45]|_socks5_request", re.I)),
    ("proxy.not_responding", Lazy(r"connect_response = (?:await )?self\._connection\.handle_(?:async_)?request|"
                                  r"\b_tunnel\b", re.I)),
)
_TIMEOUT_CAUSES = ("net.read_timeout", "net.connect_timeout", "net.tls_timeout")
# The TLS step on the stack (the frame, not the code it calls: ssl.py also reads). A ConnectTimeout there is the
# handshake timing out (AsyncOpenAI's anyio backend raises it bare, without "handshake operation timed out"); a
# ConnectError there with no message at all is the peer cutting the handshake (anyio keeps no reason; a
# certificate failure always says why).
_TLS_STEP = Lazy(r"start_tls\(|do_handshake\(|_ssl_wrap_socket|onconnectsecure|tlssocket\.onconnectend", re.I)
_BARE_CONNECT_ERROR = Lazy(r"^(?:httpcore2?|httpx2?)\.ConnectError\s*$", re.I | re.M)
# anyio (async httpx) after every address failed: "All connection attempts failed", no errno kept
_ALL_ATTEMPTS_FAILED = Lazy(r"all connection attempts failed", re.I)
# the generic "Connection error." candidates are no timeout; a timeout is said outside the frames' code lines
_TIMEOUT_WORDS = Lazy(r"timed? ?out|timeout", re.I)
# an answer that is not HTTP where the proxy's answer to CONNECT was read (h11's "illegal status line")
_NOT_HTTP_ANSWER = Lazy(r"illegal (?:request|status) line|badstatusline", re.I)
# curl 7.88+ says "Couldn't connect to server" for a refusal and for no route alike; a loopback host cannot be
# unreachable, so only a remote one leaves the two open
_CURL_COULD_NOT_CONNECT = Lazy(r"curl: \(7\) failed to connect to (\S+) port \d+ after \d+ ms: "
                               r"couldn't connect to server", re.I)
# urllib3 wraps a socket error raised *after* the connect (sending the request, reading the answer) as
# ProtocolError('Connection aborted.', <the OSError>); one raised by the connect itself becomes NewConnectionError /
# ConnectTimeoutError. So "('Connection aborted.', TimeoutError(10060, ...))" is an established connection that went
# silent (the TCP retransmission timeout), not a connect that timed out.
_ABORTED_TIMEOUT = Lazy(r"connection aborted\.?['\"]?,\s*(?:timeouterror|socket\.timeout|oserror)\(", re.I)
_CONNECT_STEP_WORDS = Lazy(r"newconnectionerror|connecttimeout|failed to establish a new connection|connect_tcp|"
                           r"sock\.connect|create_connection", re.I)
# An IPv6 literal as the address the connect went to ("dial tcp [2606:4700::6810:7b7f]:443: connect: network is
# unreachable", "connect 2607:f8b0:401e:e::15 fail:error(10051, ...)"): three colons at least, so clock times
# ("14:56:35") are not one
# (no literal piece for the prefilter: compiled on the first unreachable text only, which is when it is asked)
_IPV6_LITERAL = r"(?<![\w:.])\[?(?:[0-9a-f]{0,4}:){3,7}[0-9a-f]{1,4}\]?(?![\w.])"
# A socket error raised by bind() or listen(): a local server (uvicorn, Flask, a relay, a gateway) could not open
# its port, no connection was tried. Python's socketserver.server_bind / sock.bind frames and uvicorn's "error while
# attempting to bind on address", Go's "listen tcp ...: bind:", Node's "listen EADDRINUSE|EACCES", .NET's
# Socket.DoBind, Java's BindException. (WSAEACCES 10013 here is Windows' reserved port ranges or another program's
# exclusive use of the port; EADDRINUSE a port in use.)
_BIND_STEP = Lazy(r"\bserver_bind\b|\bsock(?:et)?\.bind\(|error while attempting to bind on address|"
                  r"listen tcp[^\n]{0,80}?: bind:|\blisten (?:eaddrinuse|eacces)\b|socket\.dobind|"
                  r"java\.net\.bindexception", re.I)
_CONNECT_STEP = Lazy(r"failed to establish a new connection|connect_tcp|connect call failed|sock\.connect|"
                     r"\bdial tcp|create_connection|connecterror|connecttimeout", re.I)
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
        ("net.connect_timeout", 0.8, r"sock\.connect|\bcreate_connection|_new_conn|sock_connect"),
        ("dns.failure", 0.7, r"getaddrinfo"),
        ("net.stream_stalled", 0.8, r"iter_lines|iter_bytes|iter_raw|__stream__|_iter_events|iter_text|"
                                    r"iter_content"),
        ("net.read_timeout", 0.75, r"_receive_response_headers|getresponse|_read_status|_receive_event|"
                                   r"_make_request|recv_into"),
    ))

# httpcore's connect_tcp as the innermost step with nothing under it: Ctrl-C landed as getaddrinfo returned (a
# lookup that hung) or in the connect's own frames; which of the two is not shown
_CONNECT_TCP_ONLY = Lazy(r"in connect_tcp\b", re.I)
_ANYIO_CONNECT = Lazy(r"anyio[/\\]_core[/\\]_sockets\.py\", line \d+, in connect_tcp\b", re.I)
# a connection reset read inside the SDK's stream frames: the stream had started and was cut mid-answer (not
# httpx's aiter_bytes: it reads any body)
_STREAM_FRAMES = Lazy(r"in (?:__stream__|_iter_events|iter_lines|aiter_lines)\b", re.I)
_READ_RESET = Lazy(r"connection reset by peer|brokenresourceerror|\breaderror\b", re.I)
# aiohttp's steps by frame (`signatures.aiohttp`), for a Ctrl-C or its deadline's bare TimeoutError
_AIOHTTP = Lazy(r"aiohttp", re.I)
_AIOHTTP_STEPS = tuple((cause, Lazy(pattern, re.I)) for cause, pattern in aiohttp.AIOHTTP_STEPS)
_BARE_TIMEOUT = Lazy(r"^(?:asyncio\.(?:exceptions\.)?)?TimeoutError\s*$", re.M)
# the client's tunnel through a proxy was up (CONNECT answered) when the TLS handshake to the API was cut: the
# proxy closed the tunnel (its upstream or node failed), not the API
# ... and curl's: a command line with -x/--proxy, or its verbose lines for the CONNECT tunnel (lib/cf-h1-proxy.c
# "Establish HTTP proxy tunnel to %s", "CONNECT tunnel established, response %d"; older "Proxy replied 200 to CONNECT
# request"): the TLS handshake to the API runs inside that tunnel
_TUNNEL_FRAMES = Lazy(r"http_proxy\.py|socks_proxy\.py|_prepare_proxy|in _create_proxy_connection\b|\b_tunnel\b|"
                      r"\bcurl\b[^\n]*\s(?:-x|--proxy)\s+\S+|establish http proxy tunnel to|"
                      r"connect tunnel established|proxy replied (?:200|ok) to connect request", re.I)


@dataclass
class Transport:
    """What the transport signs showed: definite causes, and candidates from texts that do not tell."""

    found: Found = field(default_factory=dict)
    vague: Found = field(default_factory=dict)
    gateway: bool = False
    likely: bool = False  # the causes are ranked by how often each is the cause (`trust`): say "most likely"


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
    proxy_words = bool(_PROXY_CONTEXT.search(_PROXY_ADVICE.sub(" ", text[:200_000])))

    bind = _BIND_STEP.search(text[:200_000])
    if bind and not _CONNECT_STEP.search(text[:200_000]):
        said = None
        for cause in ("net.connect_refused", "net.unreachable", "net.error", "proxy.unreachable"):
            said = found.pop(cause, None) or seen.vague.pop(cause, None) or said
        if said:
            keep_stronger(seen.vague, "net.error", 0.4, f"The socket error came from {line_of(text, bind)}: a local "
                          "server could not listen on its address (the port is in use, or on Windows reserved: "
                          "netsh interface ipv4 show excludedportrange protocol=tcp). No connection to an API was "
                          "tried.")

    refused = found.get("net.connect_refused")
    if refused and found.get("proxy.upstream_failed", (0.0, ""))[0] >= 0.88:
        found.pop("net.connect_refused")  # the refusal is the API's port, told by the proxy (SOCKS reply 5)
    elif refused:
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

    connect_timeout = found.get("net.connect_timeout")
    # (a ConnectTimeout in the TLS step to an https:// proxy is the handshake never ending, not the proxy
    # unreachable: the TCP connect to it had succeeded; that case is left to the proxy-step reading below)
    if connect_timeout and _PROXY_FRAMES.search(text[:200_000]) and not _TLS_STEP.search(text[:200_000]):
        keep_stronger(found, "proxy.unreachable", max(connect_timeout[0], 0.88) + 0.01,
                      "The connect that timed out was the client's connect to the proxy (its proxy frames raised it): "
                      "the proxy's address does not answer from here.")
    elif connect_timeout and remote_url:  # the connect that timed out was to a local proxy app's port, not the API
        port = _local_proxy_port(loopback)
        if port:
            keep_stronger(found, "proxy.unreachable", max(connect_timeout[0], 0.88) + 0.01,
                          f"The connect that timed out was to 127.0.0.1:{port[0]}, the usual port of {port[1]}, "
                          "while the request is for a remote host: the local proxy is not accepting connections.")

    if "dns.failure" in found and hosts:
        missing = _NOT_FOUND_HOST.search(text)
        name = missing and (missing.group(1) or missing.group(2))
        if name and name.lower() not in {h.lower() for h in hosts}:
            keep_stronger(found, "proxy.unreachable", 0.91,
                          f"The name that does not resolve, {name!r}, is not the API's host: it is the proxy's.")

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

    if _SSL_MID_TRANSFER.search(text) and not _TLS_FRAMES.search(text):
        said = found.pop("tls.handshake_reset", None)
        if said:  # reset mid-answer: the stream, a proxy or a middlebox's idle timeout; the text does not say
            for cause, confidence in (("net.stream_stalled", 0.4), ("proxy.not_responding", 0.35),
                                      ("gateway.error", 0.3)):
                keep_stronger(seen.vague, cause, confidence, said[1])

    if "tls.protocol_mismatch" in found and proxy_words and _NOT_TLS_PEER.search(text):
        keep_stronger(found, "proxy.protocol_mismatch", found["tls.protocol_mismatch"][0] + 0.03,
                      "TLS was spoken to a proxy that speaks plain HTTP: the proxy URL says https:// (or the proxy "
                      "is SOCKS) where it should say http://.")
    silent = _GO_READ_TIMEOUT.search(text)
    if silent and _local_proxy_port([int(silent.group(1))]):
        keep_stronger(found, "proxy.not_responding", 0.86, f"The read that timed out was from the local proxy on "
                      f"127.0.0.1:{silent.group(1)}: it accepted the connection and then said nothing.")

    unreachable = found.get("net.unreachable")
    # no route for IPv6 here while the name has an AAAA record (re caches the compiled pattern)
    if unreachable and re.search(_IPV6_LITERAL, text[:200_000], re.I):
        keep_stronger(found, "net.ipv6_broken", unreachable[0] + 0.02, "The unreachable address is an IPv6 one: "
                      "this machine or network has no IPv6 route, and the client tried the name's IPv6 address.")

    if "net.connect_timeout" in found and _ABORTED_TIMEOUT.search(text) and not _CONNECT_STEP_WORDS.search(text):
        said = found.pop("net.connect_timeout")
        for cause, confidence in (("net.read_timeout", 0.4), ("net.stream_stalled", 0.35),
                                  ("proxy.not_responding", 0.3)):
            keep_stronger(seen.vague, cause, confidence, said[1])

    tls_step = _TLS_STEP.search(text)
    if tls_step and "net.connect_timeout" in found and "net.tls_timeout" not in found:
        keep_stronger(found, "net.tls_timeout", 0.9, f"The connect timeout was raised in the TLS handshake "
                      f"({line_of(text, tls_step)}): TCP connected, TLS never finished.")
    if tls_step and _BARE_CONNECT_ERROR.search(text) and "tls.verify_failed" not in found:
        keep_stronger(found, "tls.handshake_reset", 0.8, "The connection failed inside the TLS handshake with no "
                      "reason given: the other side closed or reset it as soon as the handshake began.")
    if _ALL_ATTEMPTS_FAILED.search(text) and "net.connect_refused" in found:
        attempts = found.pop("net.connect_refused")
        proxy_step = any(step.search(text) for _, step in _PROXY_STEPS)
        if proxy_step:
            keep_stronger(found, "proxy.unreachable", 0.9, "Connecting to the proxy failed (every address of it "
                          "refused or unreachable): the proxy is not running, or not at that address.")
        elif loopback and not remote_url:
            keep_stronger(found, "net.connect_refused", 0.85, attempts[1])  # loopback has no "no route"
        else:
            keep_stronger(seen.vague, "net.connect_refused", 0.45, attempts[1])
            keep_stronger(seen.vague, "net.unreachable", 0.4, attempts[1])
            keep_stronger(seen.vague, "proxy.unreachable", 0.35, attempts[1])

    timed_out = any(cause in found for cause in _TIMEOUT_CAUSES) or (
        any(cause in seen.vague for cause in _TIMEOUT_CAUSES) and bool(_TIMEOUT_WORDS.search(message_lines(text))))
    for cause, step_frames in _PROXY_STEPS:
        step = step_frames.search(text) if timed_out or _NOT_HTTP_ANSWER.search(text) else None
        if not step:
            continue
        where = line_of(text, step)
        if not timed_out:  # the proxy's answer to CONNECT was not HTTP: the port speaks another protocol
            keep_stronger(found, "proxy.protocol_mismatch", 0.87, f"The proxy's answer, read in {where}, is not "
                          "HTTP: the proxy URL says http:// but the port speaks something else (SOCKS).")
        elif cause == "proxy.not_responding" and "net.tls_timeout" in found:
            # the TLS handshake of an https:// proxy URL never ended: a plain-HTTP proxy, or a silent one
            for other in _TIMEOUT_CAUSES:
                found.pop(other, None)
            keep_stronger(seen.vague, "proxy.protocol_mismatch", 0.5, "The TLS handshake with the proxy (an "
                          "https:// proxy URL) never finished: a proxy that speaks plain HTTP waits for a request.")
            keep_stronger(seen.vague, "proxy.not_responding", 0.45, f"The wait in {where} got no answer.")
        else:
            keep_stronger(found, cause, 0.9, f"The timeout hit while waiting for the proxy, in {where}: the proxy "
                          "accepted the connection and never answered.")
        break

    remote = _CURL_COULD_NOT_CONNECT.search(text)
    if remote and remote.group(1).strip("[]").lower() not in _LOOPBACK_HOSTS and "net.connect_refused" in found:
        refused = found.pop("net.connect_refused")
        keep_stronger(seen.vague, "net.connect_refused", 0.45, refused[1])
        keep_stronger(seen.vague, "net.unreachable", 0.4, refused[1])

    if _CURL_CONNECT_PHASE.search(text) and not _TCP_CONNECT_NAMED.search(text):
        found.pop("net.connect_timeout", None)
    wrappers.read_timeout(text, found, seen.vague)  # LiteLLM's "Connection timed out" is any timeout

    if _BODY_CUT.search(text):
        cut = found.pop("server.protocol_error", None) or (0.84, "The answer's body was cut short.")
        found.pop("net.stream_stalled", None)
        if _STREAMING.search(text):
            keep_stronger(found, "net.stream_stalled", 0.87, cut[1])
        else:
            keep_stronger(found, "server.protocol_error", cut[0], cut[1])

    aio_step = _aiohttp_step(text)
    if aio_step and _BARE_TIMEOUT.search(text) and not any(cause in found for cause in _TIMEOUT_CAUSES):
        keep_stronger(found, aio_step[0], 0.86, f"aiohttp's deadline ran out while waiting in {aio_step[1]}.")
    if _INTERRUPTED.search(text) and aio_step:
        keep_stronger(found, aio_step[0], 0.86, "The traceback ends in Ctrl-C while waiting in "
                      f"{aio_step[1]}: that step never finished.")
    elif _INTERRUPTED.search(text):
        for cause, confidence, frames in _HANG_STEPS:
            hit = frames.search(text)
            if hit:
                keep_stronger(found, cause, confidence, "The traceback ends in Ctrl-C while waiting in "
                              f"{line_of(text, hit)}: that step never finished.")
                break
        else:
            if _ANYIO_CONNECT.search(text):  # anyio's connect_tcp past its lookup, awaiting the connect attempts
                keep_stronger(found, "net.connect_timeout", 0.8, "The traceback ends in Ctrl-C while anyio's "
                              "connect_tcp waited for the TCP connect: that step never finished.")
            elif _CONNECT_TCP_ONLY.search(text):
                for cause, confidence in (("dns.failure", 0.4), ("net.connect_timeout", 0.4)):
                    keep_stronger(seen.vague, cause, confidence, "The program was interrupted (Ctrl-C) in the "
                                  "client's connect step (connect_tcp): the name lookup or the TCP connect hung.")
            else:  # interrupted, but no frame says where: a hang of unknown step
                for cause, confidence in (("net.connect_timeout", 0.35), ("net.read_timeout", 0.35),
                                          ("proxy.not_responding", 0.3)):
                    keep_stronger(seen.vague, cause, confidence, "The program was interrupted (Ctrl-C) while it "
                                  "waited; the traceback does not show which step.")

    if (_STREAM_FRAMES.search(text) and _READ_RESET.search(text) and not _INTERRUPTED.search(text)
            and "net.stream_stalled" not in found and not _TLS_STEP.search(text)):
        keep_stronger(found, "net.stream_stalled", 0.85, "The connection was reset while the SDK was reading the "
                      "stream (its stream frames are on the stack): the stream started and was cut mid-answer.")
    reset = found.get("tls.handshake_reset")
    if reset and _TUNNEL_FRAMES.search(text[:200_000]) and "proxy.upstream_failed" not in found:
        keep_stronger(found, "proxy.upstream_failed", reset[0] + 0.03, "The TLS handshake was cut inside the "
                      "tunnel the proxy had opened (the proxy frames are on the stack): the proxy closed it, its "
                      "node or upstream failed to reach the API.")
    _finish(text, seen, loopback, remote_url, hosts)


def _finish(text: str, seen: Transport, loopback: list[int], remote_url: bool, hosts: list[str]) -> None:
    found = seen.found
    transcript.read(text, found, seen.vague, lambda: _local_proxy_port(loopback), remote_url)
    if "tls.hostname_mismatch" in found:  # loaded on a host-name mismatch only: start-up pays nothing
        from llmdoctor.signatures import certnames

        certnames.read(text, found)
    seen.likely = trust.read(text, found, seen.vague, transcript.private_host(text))
    seen.likely = hop.read(text, found, seen.vague, hosts, remote_url) or seen.likely
    tls.checked_not_cut(found)

    if seen.gateway:  # an Envoy or Cloudflare page says "reset" and "timeout" about its own upstream
        for cause in ("tls.handshake_reset", "net.read_timeout", "net.connect_timeout", "net.connect_refused"):
            found.pop(cause, None)
        seen.vague.clear()


def _aiohttp_step(text: str) -> tuple[str, str] | None:
    """(cause, frame line) of the innermost aiohttp step on the stack, in an aiohttp traceback."""
    if not _AIOHTTP.search(text):
        return None
    for cause, frames in _AIOHTTP_STEPS:
        hit = frames.search(text)
        if hit:
            return cause, line_of(text, hit)
    return None


def _local_proxy_port(ports: list[int]) -> tuple[int, str] | None:
    """(port, app) when a loopback address is on a local proxy app's usual port (7890: Clash)."""
    from llmdoctor.proxyenv.ports import KNOWN_PORTS

    for port in ports:
        if port in KNOWN_PORTS:
            return port, KNOWN_PORTS[port]
    return None
