# ruff: noqa: E501  (client output is quoted as the client printed it)
"""What clients print in fault runs reads as its fault, class by class (benchmarks/corpus_faults.py wrote the texts).

Each text is the essential part of a real client's output in a real fault on loopback (the tuned corpus rows,
tests/corpus/fault_*.jsonl), or a wording the same client's source prints for the same fault (quoted with the
file it comes from). A text that does not say its cause must come out ambiguous with the right candidates.
"""

from __future__ import annotations

import pytest

from llmdoctor.explain import explain

VERDICTS = [
    # --- a body cut short: the server broke off its answer; a stream that was cut is a stalled stream
    ("httpx.RemoteProtocolError: peer closed connection without sending complete message body (received 94 bytes, expected 812)",
     "server.protocol_error"),
    ("requests.exceptions.ChunkedEncodingError: ('Connection broken: IncompleteRead(94 bytes read, 718 more expected)', IncompleteRead(94 bytes read, 718 more expected))",
     "server.protocol_error"),
    ('curl: (18) transfer closed with 718 bytes remaining to read\n{"id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG", "object": "chat.completion", "created": 17415',
     "server.protocol_error"),
    ("aiohttp.client_exceptions.ClientPayloadError: Response payload is not completed: <ContentLengthError: 400, message='Not enough data for satisfy content length header.'>",
     "server.protocol_error"),  # aiohttp/http_parser.py
    ('TypeError: terminated\n    at Fetch.onAborted (node:internal/deps/undici/undici:11350:53) {\n  [cause]: SocketError: other side closed\n      at TLSSocket.<anonymous> (node:internal/deps/undici/undici:6436:28) {\n    code: \'UND_ERR_SOCKET\',',
     "server.protocol_error"),
    ('  File "app.py", line 5, in <module>\n    for chunk in response:\n  File ".venv/lib/python3.11/site-packages/openai/_streaming.py", line 52, in __iter__\n    for item in self._iterator:\nhttpx.RemoteProtocolError: peer closed connection without sending complete message body (incomplete chunked read)',
     "net.stream_stalled"),
    ("requests.exceptions.ChunkedEncodingError: ('Connection broken: InvalidChunkLength(got length b\\'\\', 0 bytes read)', InvalidChunkLength(got length b'', 0 bytes read))",
     "net.stream_stalled"),  # urllib3/response.py, a cut chunked (streamed) body
    # --- the TLS handshake named as the step that timed out
    ("httpx2.ConnectTimeout: _ssl.c:989: The handshake operation timed out\n\nThe above exception was the direct cause of the following exception:\n\nopenai.APITimeoutError: Request timed out.",
     "net.tls_timeout"),
    ("TimeoutError: _ssl.c:989: The handshake operation timed out\nurllib3.exceptions.ReadTimeoutError: HTTPSConnectionPool(host='api.openai.com', port=443): Read timed out. (read timeout=1.0)",
     "net.tls_timeout"),
    ("curl: (28) SSL connection timeout", "net.tls_timeout"),  # curl lib/vtls/openssl.c, --connect-timeout
    ('Post "https://api.openai.com/v1/chat/completions": net/http: TLS handshake timeout', "net.tls_timeout"),  # Go net/http
    # --- curl's other deadlines name their step
    ("curl: (28) Operation timed out after 1001 milliseconds with 0 bytes received", "net.read_timeout"),
    ("curl: (28) Proxy CONNECT aborted due to timeout", "proxy.not_responding"),  # curl lib/http_proxy.c
    ("curl: (28) Resolving timed out after 5000 milliseconds", "dns.failure"),  # curl lib/multi.c
    # --- a timeout in the proxy's own step: httpcore's CONNECT, http.client's _tunnel, the SOCKS5 handshake
    ('  File ".venv/lib/python3.11/site-packages/httpcore2/_sync/http_proxy.py", line 279, in handle_request\n    connect_response = self._connection.handle_request(connect_request)\nhttpcore2.ReadTimeout: timed out\nhttpx2.ReadTimeout: timed out\nopenai.APITimeoutError: Request timed out.',
     "proxy.not_responding"),
    ('    self._tunnel()\n  File ".venv/lib/python3.11/site-packages/urllib3/connection.py", line 326, in _tunnel\nTimeoutError: timed out\nrequests.exceptions.ReadTimeout: HTTPSConnectionPool(host=\'api.openai.com\', port=443): Read timed out. (read timeout=1.0)',
     "proxy.not_responding"),
    ('  File ".venv/lib/python3.11/site-packages/socks.py", line 443, in _negotiate_SOCKS5\nsocks.GeneralProxyError: Socket error: timed out\nrequests.exceptions.ConnectTimeout: SOCKSHTTPSConnectionPool(host=\'api.openai.com\', port=443): Max retries exceeded with url: /v1/chat/completions (Caused by ConnectTimeoutError(<SOCKSHTTPSConnection(host=\'api.openai.com\', port=443) at 0x7ffabc537310>, \'Connection to api.openai.com timed out. (connect timeout=1.0)\'))',
     "proxy.socks_handshake_hang"),
    # --- requests without PySocks
    ("requests.exceptions.InvalidSchema: Missing dependencies for SOCKS support.", "env.socks_dependency_missing"),
    # --- the base URL seen from the call: the called URL outside the API root, a router's own 404
    ("httpx.HTTPStatusError: Client error '404 Not Found' for url 'https://api.openai.com/chat/completions'\nFor more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/404",
     "config.base_url_invalid"),
    ("requests.exceptions.HTTPError: 404 Client Error: Not Found for url: https://api.anthropic.com/messages",
     "config.base_url_invalid"),
    ("NotFoundError: 404 <html>\n<head><title>404 Not Found</title></head>\n<body>\n<center><h1>404 Not Found</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>",
     "config.base_url_invalid"),
    ("anthropic.NotFoundError: Error code: 404 - {'type': 'error', 'error': {'type': 'not_found_error', 'message': 'Not Found'}, 'request_id': 'req_011CVbq8XmfZ2A9kT3sYwUpN'}",
     "config.base_url_invalid"),
    # --- a proxy that cannot reach the API, in SOCKS reply codes (RFC 1928): httpcore, PySocks, curl
    ("httpx.ProxyError: Proxy Server could not connect: Connection refused.", "proxy.upstream_failed"),
    ("urllib3.exceptions.NewConnectionError: SOCKSHTTPSConnection(host='api.openai.com', port=443): Failed to establish a new connection: 0x05: Connection refused",
     "proxy.upstream_failed"),
    ("socks.GeneralProxyError: Socket error: 0x02: Connection not allowed by ruleset", "proxy.blocked"),  # PySocks
    ("curl: (97) Can't complete SOCKS5 connection to api.openai.com. (5)", "proxy.upstream_failed"),
    ("curl: (56) CONNECT tunnel failed, response 500", "proxy.upstream_failed"),
    # --- http:// at a SOCKS port: the answer to CONNECT is a SOCKS5 greeting reply
    ("urllib3.exceptions.ProtocolError: ('Connection aborted.', BadStatusLine('\\x05ÿ'))", "proxy.protocol_mismatch"),
    ('  File ".venv/lib/python3.11/site-packages/httpcore/_sync/http_proxy.py", line 288, in handle_request\n    connect_response = self._connection.handle_request(\nhttpcore.RemoteProtocolError: illegal request line\nhttpx.RemoteProtocolError: illegal request line',
     "proxy.protocol_mismatch"),
    # --- a refusal reported by curl 7.88+ at a loopback address cannot be "no route"
    ("curl: (7) Failed to connect to localhost port 8000 after 0 ms: Couldn't connect to server", "net.connect_refused"),
    # --- AsyncOpenAI (anyio underneath): bare exceptions, the frames name the step
    ('  File ".venv/lib/python3.11/site-packages/httpcore2/_async/connection.py", line 142, in _connect\n    stream = await stream.start_tls(**kwargs)\nhttpcore2.ConnectTimeout\n\nThe above exception was the direct cause of the following exception:\n\nhttpx2.ConnectTimeout\nopenai.APITimeoutError: Request timed out.',
     "net.tls_timeout"),
    ('  File ".venv/lib/python3.11/site-packages/httpcore2/_async/connection.py", line 142, in _connect\n    stream = await stream.start_tls(**kwargs)\nhttpcore2.ConnectError\n\nThe above exception was the direct cause of the following exception:\n\nhttpx2.ConnectError\nopenai.APIConnectionError: Connection error.',
     "tls.handshake_reset"),
    ('  File ".venv/lib/python3.11/site-packages/httpcore2/_async/http_proxy.py", line 279, in handle_async_request\n    connect_response = await self._connection.handle_async_request(connect_request)\n    stream = await self._network_backend.connect_tcp(**kwargs)\nhttpcore2.ConnectError: All connection attempts failed\nhttpx2.ConnectError: All connection attempts failed\nopenai.APIConnectionError: Connection error.',
     "proxy.unreachable"),
    ("httpx.ConnectError: All connection attempts failed\nhttpx.ConnectError while requesting http://127.0.0.1:8000/v1/chat/completions",
     "net.connect_refused"),  # loopback has no "no route"
    # --- the same faults in other clients' words (aiohttp client_exceptions.py, Java)
    ("aiohttp.client_exceptions.ClientResponseError: 404, message='Not Found', url=URL('https://api.openai.com/chat/completions')",
     "config.base_url_invalid"),
    ("aiohttp.client_exceptions.ConnectionTimeoutError: Connection timeout to host https://api.openai.com/v1/chat/completions",
     "net.connect_timeout"),
    ("aiohttp.client_exceptions.SocketTimeoutError: Timeout on reading data from socket", "net.read_timeout"),
    ("java.net.SocketTimeoutException: connect timed out", "net.connect_timeout"),
    # --- a status line with words that say more than the reason phrase still reads by its words
    ("404 Not found the model kimi-for-coding or Permission denied", "model.not_found"),
]


@pytest.mark.parametrize(("text", "cause"), VERDICTS)
def test_fault_text_reads_as_its_fault(text: str, cause: str) -> None:
    result = explain(text)
    assert result.recognised and not result.ambiguous, result.to_dict()
    assert result.causes[0].id == cause


UNDECIDED = [
    # the library's status line is the status again: 429 rate limit or quota, 403 permission or region, ...
    ("requests.exceptions.HTTPError: 429 Client Error: Too Many Requests for url: https://api.openai.com/v1/chat/completions",
     {"ratelimit.exceeded", "quota.insufficient"}),
    ("httpx.HTTPStatusError: Client error '403 Forbidden' for url 'https://api.openai.com/v1/chat/completions'\nFor more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/403",
     {"auth.permission_denied", "auth.region_blocked"}),
    ("httpx.HTTPStatusError: Server error '503 Service Unavailable' for url 'https://api.openai.com/v1/chat/completions'",
     {"server.overloaded", "gateway.error"}),
    ("requests.exceptions.HTTPError: 404 Client Error: Not Found for url: https://api.openai.com/v1/chat/completions",
     {"model.not_found", "config.base_url_invalid"}),
    ("urllib.error.HTTPError: HTTP Error 429: Too Many Requests", {"ratelimit.exceeded", "quota.insufficient"}),
    ("aiohttp.client_exceptions.ClientResponseError: 429, message='Too Many Requests', url=URL('https://api.openai.com/v1/chat/completions')",
     {"ratelimit.exceeded", "quota.insufficient"}),
    ("retrofit2.HttpException: HTTP 429 Too Many Requests", {"ratelimit.exceeded", "quota.insufficient"}),
    # curl's connect phase includes the TLS handshake and a proxy's answer
    ("curl: (28) Connection timed out after 1001 milliseconds", {"net.connect_timeout", "net.tls_timeout"}),
    # fetch with AbortSignal.timeout(): which step timed out is not said
    ("DOMException [TimeoutError]: The operation was aborted due to timeout\n    at node:internal/deps/undici/undici:14976:13",
     {"net.read_timeout", "net.connect_timeout"}),
    # anyio keeps no errno: a refusal or no route, and the SDK's traceback names no address
    ("httpcore2.ConnectError: All connection attempts failed\nhttpx2.ConnectError: All connection attempts failed\nopenai.APIConnectionError: Connection error.",
     {"net.connect_refused", "net.unreachable"}),
    # curl 7.88+ at a remote address: refused or no route, the line is the same
    ("curl: (7) Failed to connect to 203.0.113.7 port 443 after 0 ms: Couldn't connect to server",
     {"net.connect_refused", "net.unreachable"}),
    # the TLS handshake with an https:// proxy URL never ended: a plain-HTTP proxy waits, or the proxy is silent
    ('  File ".venv/lib/python3.11/site-packages/httpcore2/_sync/http_proxy.py", line 279, in handle_request\n    connect_response = self._connection.handle_request(connect_request)\n    stream = stream.start_tls(**kwargs)\nhttpcore2.ConnectTimeout: _ssl.c:989: The handshake operation timed out\nhttpx2.ConnectTimeout: _ssl.c:989: The handshake operation timed out\nopenai.APITimeoutError: Request timed out.',
     {"proxy.protocol_mismatch", "proxy.not_responding"}),
    # JavaScript reading completion.choices[0] of an answer that has no choices
    ("TypeError: Cannot read properties of undefined (reading '0')\n    at file:///app.mjs:8:34", {"response.unparseable", "endpoint.not_an_api"}),
    # closed before any answer: plain HTTP at a TLS port, a server or proxy hanging up
    ("curl: (52) Empty reply from server", {"server.protocol_error", "tls.protocol_mismatch"}),
]


@pytest.mark.parametrize(("text", "candidates"), UNDECIDED)
def test_fault_text_that_does_not_tell_says_so(text: str, candidates: set[str]) -> None:
    result = explain(text)
    assert result.ambiguous and not result.recognised, result.to_dict()
    assert candidates <= {c.id for c in result.causes}


def test_an_undecided_fault_text_exits_1_with_the_run_hint() -> None:
    from click.testing import CliRunner

    from llmdoctor.cli import main

    outcome = CliRunner().invoke(main, ["explain", "curl: (28) Connection timed out after 1001 milliseconds"])
    assert outcome.exit_code == 1
    assert "this text alone does not tell" in outcome.output.lower()
    assert "TLS handshake" in outcome.output  # what would tell the TLS step from the TCP connect
