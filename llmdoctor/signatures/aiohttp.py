"""aiohttp's names for the step that failed, read from its source (aiohttp/client_exceptions.py, connector.py).

Rows read by `transport.compiled()` with the other clients' rows: (causes, pattern), lower-case regexes over
the whole text. aiohttp wraps every connect failure in one class family and keeps the OS's message in brackets
("Cannot connect to host H:P ssl:S [message]"), with its own class per step:

- `ClientConnectorDNSError` (the lookup), `ClientProxyConnectionError` (the connect to the proxy),
  `ClientHttpProxyError: N, message=...` (the proxy's answer to CONNECT), `ClientConnectorCertificateError` /
  `ClientConnectorSSLError` (TLS): read by the shared rows, which know the OS's and OpenSSL's words;
- `ClientConnectorError` with `[Connection reset by peer]` or `[None]`: the connect and the TLS handshake run in
  one call (asyncio's create_connection), and a TCP connect is refused, never reset, so a reset there (or an EOF,
  whose strerror aiohttp prints as None) is the peer cutting the handshake;
- `ServerDisconnectedError: Server disconnected`: the connection closed before an answer (plain HTTP to a TLS
  port, a server or proxy that crashed): candidates only, as for httpx's "Server disconnected without ...";
- `ContentTypeError: N, message='Attempt to decode JSON with unexpected mimetype: text/html'`: an HTML page where
  JSON was expected, at the URL the line names;
- `ClientResponseError: 400, message="Bad status line: ... b'\\x05..."` for a proxy URL: the proxy's answer to
  CONNECT was a SOCKS5 greeting reply (version byte 5), so http:// points at a SOCKS port.

A bare `TimeoutError` from aiohttp's total deadline and a Ctrl-C name their step only in frames: those are read
in `llmdoctor.explain.match` (`AIOHTTP_STEPS` here).
"""

from __future__ import annotations

Causes = tuple[tuple[str, float], ...]

SIGNS: tuple[tuple[Causes, str], ...] = (
    ((("tls.handshake_reset", 0.84),),
     r"clientconnectorerror: cannot connect to host \S+:\d+ ssl:\w+ \[(?:connection reset by peer|none)\]"),
    ((("endpoint.not_an_api", 0.88),),
     r"contenttypeerror: \d{3}, message='attempt to decode json with unexpected mimetype: text/html"),
    ((("proxy.protocol_mismatch", 0.88),),
     r"clientresponseerror: 400, message=\"bad status line:(?s:.{0,80})b'\\\\x05"),
)

VAGUE: tuple[tuple[Causes, str], ...] = (
    ((("tls.protocol_mismatch", 0.4), ("server.protocol_error", 0.35), ("proxy.not_responding", 0.3)),
     r"serverdisconnectederror: server disconnected\s*$"),
)

# aiohttp's frames for each step, innermost first (connector.py, client_reqrep.py, asyncio's base_events.py):
# what a bare TimeoutError from the total deadline, or a Ctrl-C, was waiting in.
AIOHTTP_STEPS: tuple[tuple[str, str], ...] = (
    ("proxy.not_responding", r"in _create_proxy_connection\b"),
    ("dns.failure", r"in _resolve_host\b"),
    ("net.tls_timeout", r"in _create_connection_transport\b"),
    ("net.connect_timeout", r"in sock_connect\b|in _connect_sock\b"),
    ("net.read_timeout", r"client_reqrep\.py\", line \d+, in start\b"),
)
