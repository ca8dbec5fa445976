"""Offline reading of pasted errors: SDK tracebacks, status lines, socket, TLS and curl messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from llmdoctor.explain import explain

SAMPLES = Path(__file__).parent / "samples" / "errors"


def first(text: str | bytes, provider: str | None = None) -> str:
    result = explain(text, provider)
    assert result.recognised, text
    return result.causes[0].id


def test_openai_quota_traceback_with_python_repr_body() -> None:
    result = explain((SAMPLES / "openai_quota_traceback.txt").read_text(encoding="utf-8"))
    assert result.recognised
    assert result.causes[0].id == "quota.insufficient"
    assert result.facts["status"] == 429
    assert result.facts["exception"] == "openai.RateLimitError"
    assert result.facts["error_code"] == "insufficient_quota"
    assert result.facts["provider_guess"] == "openai"
    assert "platform.openai.com/settings/organization/billing" in result.causes[0].fix[0]


def test_chained_ssl_traceback_names_interception() -> None:
    result = explain((SAMPLES / "openai_connection_ssl.txt").read_text(encoding="utf-8"))
    assert result.causes[0].id == "tls.intercepted"
    assert "openai.APIConnectionError" in result.facts["exceptions"]
    assert "httpx.ConnectError" in result.facts["exceptions"]


def test_relay_saturated_from_chinese_log() -> None:
    result = explain((SAMPLES / "new_api_saturated.txt").read_bytes())
    assert result.causes[0].id == "ratelimit.relay_saturated"
    assert result.facts["request_id"] == "202601071246251544566634hAu4T9s"
    assert result.facts["provider_guess"] == "relay"


@pytest.mark.parametrize(("text", "cause"), [
    ("openai.AuthenticationError: Error code: 401 - {'error': {'message': 'Incorrect API key provided: sk-proj-"
     "********abcd. You can find your API key at https://platform.openai.com/account/api-keys.', 'type': "
     "'invalid_request_error', 'param': None, 'code': 'invalid_api_key'}}", "auth.invalid_key"),
    ("anthropic.RateLimitError: Error code: 429 - {'type': 'error', 'error': {'type': 'rate_limit_error', "
     "'message': 'This request would exceed the rate limit for your organization of 50 requests per minute.'}}",
     "ratelimit.exceeded"),
    ("anthropic.InternalServerError: Error code: 529 - {'type': 'error', 'error': {'type': 'overloaded_error', "
     "'message': 'Overloaded'}}", "server.overloaded"),
    ("anthropic.BadRequestError: Error code: 400 - {'type': 'error', 'error': {'type': 'invalid_request_error', "
     "'message': 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to "
     "upgrade or purchase credits.'}}", "quota.insufficient"),
    ('HTTP/1.1 402 Payment Required\ncontent-type: application/json\n\n{"error":{"message":"Insufficient Balance",'
     '"type":"unknown_error","param":null,"code":"invalid_request_error"}}', "quota.insufficient"),
    ('400 Bad Request\n[{"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.", '
     '"status": "INVALID_ARGUMENT"}}]', "auth.invalid_key"),
    ('{"error": {"code": 400, "message": "User location is not supported for the API use.", '
     '"status": "FAILED_PRECONDITION"}}', "auth.region_blocked"),
    ("openai.NotFoundError: Error code: 404 - {'error': {'message': 'The model `gpt-9` does not exist or you do not "
     "have access to it.', 'type': 'invalid_request_error', 'param': None, 'code': 'model_not_found'}}",
     "model.not_found"),
    ("openai.BadRequestError: Error code: 400 - {'error': {'message': \"This model's maximum context length is "
     "128000 tokens. However, your messages resulted in 200000 tokens.\", 'type': 'invalid_request_error', "
     "'param': 'messages', 'code': 'context_length_exceeded'}}", "request.too_large"),
    ("Error code: 403 - {'error': {'message': '该令牌额度已用尽 (request id: 2024052310260941388718971918754)', "
     "'type': 'one_api_error', 'param': '', 'code': None}}", "quota.insufficient"),
    ("openai.PermissionDeniedError: Error code: 403 - {'error': {'code': 'unsupported_country_region_territory', "
     "'message': 'Country, region, or territory not supported', 'param': None, 'type': 'request_forbidden'}}",
     "auth.region_blocked"),
    ("Error code: 401 - {'error': {'message': 'litellm.AuthenticationError: AuthenticationError: OpenAIException - "
     "Incorrect API key provided', 'type': None, 'param': None, 'code': '401'}}", "auth.invalid_key"),
    ("openai.InternalServerError: Error code: 502 - <html><head><title>502 Bad Gateway</title></head></html>",
     "gateway.error"),
])
def test_api_errors(text: str, cause: str) -> None:
    assert first(text) == cause


@pytest.mark.parametrize(("text", "cause"), [
    ("openai.APIConnectionError: Connection error.\nhttpx.ConnectError: [Errno 111] Connection refused",
     "net.connect_refused"),
    # an unknown issuer alone is a guess ranked by base rate (signatures/trust.py): most likely interception
    ("httpx.ConnectError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer "
     "certificate (_ssl.c:1006)", "tls.intercepted"),
    ("httpx.ConnectError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired "
     "(_ssl.c:1006)", "tls.expired"),
    ("httpx.ConnectError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: Hostname mismatch, certificate "
     "is not valid for 'api.openai.com'. (_ssl.c:1006)", "tls.hostname_mismatch"),
    ("httpx.ConnectError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate is not yet valid",
     "tls.clock_skew"),
    ("httpx.ConnectError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate "
     "(_ssl.c:1006)", "tls.self_signed"),
    ("httpx.ConnectError: [SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)", "tls.protocol_mismatch"),
    # a bare UNEXPECTED_EOF does not say whose side closed: tests/test_explain_tls_texts.py
    ("httpx.ProxyError: 407 Proxy Authentication Required", "proxy.auth_failed"),
    ("httpx.ProxyError: Invalid username/password", "proxy.auth_failed"),
    ("httpx.ProxyError: 500 Unable to connect", "proxy.upstream_failed"),
    ("httpx.ConnectTimeout: timed out\n(ConnectTimeout)", "net.connect_timeout"),
    ("httpx.ReadTimeout: The read operation timed out", "net.read_timeout"),
    ("httpx.RemoteProtocolError: peer closed connection without sending complete message body (incomplete chunked "
     "read)", "net.stream_stalled"),
    ("ImportError: Using SOCKS proxy, but the 'socksio' package is not installed. Make sure to install httpx using "
     "`pip install httpx[socks]`.", "env.socks_dependency_missing"),
    # the npm `socks` package's option check (ERRORS.InvalidSocksClientOptionsProxy), as chatgpt-web printed it:
    # https://github.com/Chanzhaoyu/chatgpt-web/issues/1923
    ("request to https://api.openai.com/v1/chat/completions failed, reason: Invalid SOCKS proxy details were "
     "provided", "proxy.invalid_url"),
    ("TypeError: Client.__init__() got an unexpected keyword argument 'proxies'", "env.sdk_incompatible"),
    ("ValueError: Unknown scheme for proxy URL URL('socks4://127.0.0.1:1080')", "env.proxy_misconfigured"),
    ("openai.OpenAIError: The api_key client option must be set either by passing api_key to the client or by "
     "setting the OPENAI_API_KEY environment variable", "config.missing_key"),
    ("httpx.LocalProtocolError: Illegal header value b'Bearer sk-proj-abcdefghijklmnop\\n'", "config.key_whitespace"),
    ("curl: (6) Could not resolve host: api.openai.com", "dns.failure"),
    ("curl: (7) Failed to connect to 127.0.0.1 port 11434 after 0 ms: Couldn't connect to server: Connection refused",
     "net.connect_refused"),
    ("curl: (28) Failed to connect to api.openai.com port 443 after 75002 ms: Couldn't connect to server",
     "net.connect_timeout"),
    ("curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to api.openai.com:443", "tls.handshake_reset"),
    ("curl: (56) CONNECT tunnel failed, response 502", "proxy.upstream_failed"),
    # the curl tool's bundle loaded (a file it cannot load is exit 77): no root for this chain, said as most likely
    ("curl: (60) SSL certificate problem: unable to get local issuer certificate", "tls.unknown_ca"),
    # the (4) is the SOCKS5 reply code (RFC 1928): host unreachable, so the proxy could not reach the API
    ("curl: (97) Can't complete SOCKS5 connection to api.openai.com. (4)", "proxy.upstream_failed"),
    ("httpx.ConnectError: [Errno 11001] getaddrinfo failed", "dns.failure"),
    ("httpx.ConnectError: [Errno -2] Name or service not known", "dns.failure"),
    ("httpx.ConnectError: [Errno -3] Temporary failure in name resolution", "dns.failure"),
    ("httpx.ConnectTimeout: [WinError 10060] A connection attempt failed because the connected party did not "
     "properly respond after a period of time", "net.connect_timeout"),
    ("httpx.ConnectError: [WinError 10061] No connection could be made because the target machine actively "
     "refused it", "net.connect_refused"),
    ("httpx.ConnectError: [Errno 101] Network is unreachable", "net.unreachable"),
    ("httpx.DecodingError: Error -3 while decompressing data: incorrect header check", "server.protocol_error"),
    ("requests.exceptions.ContentDecodingError: ('Received response with content-encoding: gzip, but failed to "
     "decode it.', error('Error -3 while decompressing data: incorrect header check'))", "server.protocol_error"),
    ("curl: (61) Error while processing content unencoding: invalid stored block lengths", "server.protocol_error"),
    # Node.js SDKs and fetch
    ("Error: getaddrinfo ENOTFOUND api.openai.com", "dns.failure"),
    ("Error: connect ECONNREFUSED 127.0.0.1:11434", "net.connect_refused"),
    ("FetchError: request to https://api.openai.com/v1/models failed, reason: connect ETIMEDOUT 157.240.1.1:443",
     "net.connect_timeout"),
    ("Error: certificate has expired\n  code: 'CERT_HAS_EXPIRED'", "tls.expired"),
    ("Error [ERR_TLS_CERT_ALTNAME_INVALID]: Hostname/IP does not match certificate's altnames: Host: api.x.com.",
     "tls.hostname_mismatch"),
    ("Error: self-signed certificate in certificate chain\n  code: 'SELF_SIGNED_CERT_IN_CHAIN'", "tls.intercepted"),
    # proxies, as requests and curl say it
    ("requests.exceptions.ProxyError: HTTPSConnectionPool(host='api.openai.com', port=443): Max retries exceeded "
     "with url: /v1/chat/completions (Caused by ProxyError('Unable to connect to proxy', NewConnectionError("
     "'<urllib3.connection.HTTPSConnection object at 0x7f>: Failed to establish a new connection: [Errno 111] "
     "Connection refused')))", "proxy.unreachable"),
    ("curl: (7) Failed to connect to 127.0.0.1 port 7890 after 0 ms: Couldn't connect to server", "proxy.unreachable"),
    ("curl: (7) Failed to connect to 127.0.0.1 port 11434 after 0 ms: Couldn't connect to server",
     "net.connect_refused"),
    ("curl: (56) CONNECT tunnel failed, response 407", "proxy.auth_failed"),
    ("requests.exceptions.ProxyError: HTTPSConnectionPool(host='api.openai.com', port=443): Max retries exceeded "
     "with url: /v1/models (Caused by ProxyError('Cannot connect to proxy.', OSError('Tunnel connection failed: "
     "403 Forbidden')))", "proxy.blocked"),
    ("requests.exceptions.ProxyError: HTTPSConnectionPool(host='api.openai.com', port=443): Max retries exceeded "
     "with url: /v1/models (Caused by ProxyError('Unable to connect to proxy', OSError('Tunnel connection failed: "
     "407 Proxy Authentication Required')))", "proxy.auth_failed"),
    ("OSError: Tunnel connection failed: 502 Bad Gateway", "proxy.upstream_failed"),
    # anyio keeps no errno; at a loopback address the failure can only be a refusal (alone: see
    # test_explain_fault_texts.py, refused or no route)
    ("httpx.ConnectError: All connection attempts failed\nPOST http://127.0.0.1:8000/v1/chat/completions",
     "net.connect_refused"),
    ("httpx.ConnectError: [WinError 10013] An attempt was made to access a socket in a way forbidden by its access "
     "permissions", "net.connect_refused"),
    # Chinese providers' own codes (SiliconFlow, Zhipu)
    ("openai.BadRequestError: Error code: 400 - {'code': 20012, 'message': 'Model does not exist. Please check it "
     "carefully.', 'data': None}", "model.not_found"),
    ("openai.APIStatusError: Error code: 403 - {'code': 30001, 'message': 'Sorry, your account balance is "
     "insufficient', 'data': None}", "quota.insufficient"),
    ("openai.BadRequestError: Error code: 400 - {'error': {'code': '1211', 'message': '模型不存在，请检查模型代码。'}}",
     "model.not_found"),
    ("openai.BadRequestError: Error code: 400 - {'error': {'code': '1261', 'message': 'Prompt 超长'}}",
     "request.too_large"),
    # the message line alone, as Claude Code shows it
    ("Invalid API key · Please run /login", "auth.invalid_key"),
    # macOS and Windows errno texts, asyncio / aiohttp, python-socks
    ("httpx.ConnectError: [WinError 10065] A socket operation was attempted to an unreachable host",
     "net.unreachable"),
    ("httpx.ConnectError: [Errno 60] Operation timed out", "net.connect_timeout"),
    ("ssl.SSLZeroReturnError: TLS/SSL connection has been closed (EOF) (_ssl.c:1131)", "tls.handshake_reset"),
    ("httpx.ProxyError: 403 Forbidden", "proxy.blocked"),
    ("aiohttp.client_exceptions.ClientConnectorError: Cannot connect to host api.example.com:443 ssl:default "
     "[Connect call failed ('10.0.0.5', 443)]", "net.connect_refused"),
    ("aiohttp.client_exceptions.ClientProxyConnectionError: Cannot connect to host 127.0.0.1:7890 ssl:default "
     "[Connect call failed ('127.0.0.1', 7890)]", "proxy.unreachable"),
    ("ConnectionRefusedError: [Errno 111] Connect call failed ('127.0.0.1', 7890)", "proxy.unreachable"),
    ("ConnectionRefusedError: [Errno 111] Connect call failed ('127.0.0.1', 11434)", "net.connect_refused"),
    ("python_socks._errors.ProxyError: Username and password authentication failure", "proxy.auth_failed"),
    # TLS as corporate networks and Python 3.13 break it
    ("httpx.ConnectError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: Missing Authority Key "
     "Identifier (_ssl.c:1028)", "tls.strict_x509"),
    ("ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: Basic Constraints "
     "of CA cert not marked critical (_ssl.c:1028)", "tls.strict_x509"),
    # OpenSSL 3 refuses a peer without RFC 5746 secure renegotiation: most often an old server (curl#8943,
    # whyour/qinglong#1765), an old inspecting proxy second (signatures/transport.py)
    ("httpx.ConnectError: [SSL: UNSAFE_LEGACY_RENEGOTIATION_DISABLED] unsafe legacy renegotiation disabled "
     "(_ssl.c:1006)", "tls.protocol_mismatch"),
    ("httpx.ConnectError: [SSL: SSLV3_ALERT_HANDSHAKE_FAILURE] sslv3 alert handshake failure (_ssl.c:1006)",
     "tls.protocol_mismatch"),
    # a base URL without a scheme, as httpx says it
    ("httpx.UnsupportedProtocol: Request URL is missing an 'http://' or 'https://' protocol.",
     "config.base_url_invalid"),
    # provider answers: Groq's blocked country, OpenRouter's unknown model
    ("groq.PermissionDeniedError: Error code: 403 - {'error': {'message': 'Access denied. Please check your network "
     "settings.'}}", "auth.region_blocked"),
    ("openai.NotFoundError: Error code: 404 - {'error': {'message': 'No endpoints found for meta-llama/llama-3-70b.', "
     "'code': 404}}", "model.not_found"),
    # bodies without a JSON payload
    ('400 API key not valid. Please pass a valid API key. [reason: "API_KEY_INVALID"\ndomain: "googleapis.com"]',
     "auth.invalid_key"),
    ("ollama._types.ResponseError: model 'llama3' not found, try pulling it first", "model.not_found"),
    ("<html><head><title>Attention Required! | Cloudflare</title></head><body>Sorry, you have been blocked. "
     "Error 1020 Access denied</body></html>", "auth.region_blocked"),
    ("<html><head><title>Access denied | api.example.com used Cloudflare to restrict access</title></head><body>"
     "Error 1009 The owner of this website has banned the country or region your IP address is in.</body></html>",
     "auth.region_blocked"),
])
def test_transport_errors(text: str, cause: str) -> None:
    assert first(text) == cause


@pytest.mark.parametrize("text", [
    "the cat sat on the mat",
    "httpx.ConnectError: [WinError 10013] An attempt was made to access a socket in a way forbidden by its access "
    "permissions",
])
def test_a_message_line_alone_needs_an_exact_rule(text: str) -> None:
    """No status, no body: only the most specific API rules may name a cause, and never over a transport error."""
    result = explain(text)
    assert [c.id for c in result.causes][:1] in ([], ["net.connect_refused"])
    assert "auth.permission_denied" not in [c.id for c in result.causes]


@pytest.mark.parametrize("text", [
    "Unable to connect to proxy: [Errno 111] Connection refused",
    "aiohttp.client_exceptions.ClientProxyConnectionError: Cannot connect to host 127.0.0.1:8080 ssl:default "
    "[Connect call failed ('127.0.0.1', 8080)]",
])
def test_a_weaker_guess_never_lowers_what_the_text_says_outright(text: str) -> None:
    """'cannot connect to proxy' is proxy.unreachable at 0.93; the refused-port guesses (0.85, 0.7) must not undo it."""
    result = explain(text)
    assert [(c.id, c.confidence) for c in result.causes[:2]] == [("proxy.unreachable", 0.93),
                                                                  ("net.connect_refused", 0.9)]


def test_a_refused_local_proxy_port_names_the_app() -> None:
    result = explain("curl: (7) Failed to connect to 127.0.0.1 port 7890 after 0 ms: Couldn't connect to server")
    assert result.causes[0].id == "proxy.unreachable"
    assert "127.0.0.1:7890, the usual port of Clash (mixed port)" in result.causes[0].evidence[0]


def test_proxy_refused_is_proxy_unreachable() -> None:
    text = ("httpx.ProxyError: ... \nhttpx.ConnectError: [Errno 111] Connection refused (while connecting to proxy "
            "http://127.0.0.1:7890)")
    ids = [c.id for c in explain(text).causes]
    assert "proxy.unreachable" in ids


def test_bare_connection_error_says_the_text_does_not_tell() -> None:
    """The README's headline example: a connection error with nothing after it is a list of candidates."""
    result = explain("openai.APIConnectionError: Connection error.")
    assert not result.recognised and result.ambiguous
    assert result.facts["connection_error_without_detail"] is True
    ids = [c.id for c in result.causes]
    assert {"net.connect_timeout", "proxy.unreachable", "dns.failure"} <= set(ids)
    assert all(result.tells[c] for c in ids)


@pytest.mark.parametrize(("text", "candidate"), [
    ("openai.APITimeoutError: Request timed out.", "net.read_timeout"),
    ("TimeoutError: timed out", "net.connect_timeout"),
    ("httpx.ReadError: [Errno 104] Connection reset by peer", "tls.handshake_reset"),
    ("Error: read ECONNRESET\n    at TLSWrap.onStreamRead (node:internal/stream_base_commons:217:20)",
     "proxy.not_responding"),
    ("requests.exceptions.ConnectionError: ('Connection aborted.', RemoteDisconnected('Remote end closed connection "
     "without response'))", "tls.handshake_reset"),
    ("TypeError: fetch failed", "proxy.unreachable"),
    ('error making request: Post "https://api.openai.com/v1/chat/completions": context deadline exceeded '
     "(Client.Timeout exceeded while awaiting headers)", "net.read_timeout"),
    ("Error: Request failed with status code 429", "quota.insufficient"),
    ("ConnectionResetError: [WinError 10054] 远程主机强迫关闭了一个现有的连接。", "tls.handshake_reset"),
])
def test_texts_that_do_not_name_a_cause_give_candidates_not_a_verdict(text: str, candidate: str) -> None:
    result = explain(text)
    assert not result.recognised and result.ambiguous, [(c.id, c.confidence) for c in result.causes]
    assert candidate in [c.id for c in result.causes]


def test_provider_argument_picks_provider_fix() -> None:
    text = "Error code: 402 - {'error': {'message': 'Insufficient Balance', 'type': 'unknown_error'}}"
    result = explain(text, provider="deepseek")
    assert result.causes[0].id == "quota.insufficient"
    assert "platform.deepseek.com/top_up" in result.causes[0].fix[0]
    assert result.facts["provider"] == "deepseek"


def test_chinese_output() -> None:
    result = explain("httpx.ConnectError: [Errno -2] Name or service not known", lang="zh")
    assert result.causes[0].title == "域名无法解析"


def test_keys_in_pasted_text_do_not_come_back() -> None:
    key = "sk-proj-Q1w2E3r4T5y6U7i8O9p0AaSsDdFfGgHhJjKkLl"
    result = explain(f"openai.AuthenticationError: Error code: 401 - {{'error': {{'message': 'Incorrect API key "
                     f"provided: {key}.', 'code': 'invalid_api_key'}}}}")
    dumped = json.dumps(result.to_dict(), ensure_ascii=False)
    assert result.causes[0].id == "auth.invalid_key"
    assert key not in dumped


@pytest.mark.parametrize("text", ["", "hello world", "everything is fine", "Traceback (most recent call last):\n"
                                  "  File \"x.py\", line 1\nKeyError: 'name'", "\x00\x01\x02", "{" * 10_000])
def test_unplaceable_text_is_not_recognised(text: str) -> None:
    result = explain(text)
    assert result.recognised is False
    assert result.causes == []


def test_huge_input_is_capped_and_does_not_raise() -> None:
    text = ("x" * 10_000_000) + "\ncurl: (6) Could not resolve host: api.openai.com"
    assert explain(text).recognised is False  # only the first 1 MB is read
    head = "curl: (6) Could not resolve host: api.openai.com\n" + "y" * 10_000_000
    assert explain(head.encode()).causes[0].id == "dns.failure"


def test_non_utf8_bytes() -> None:
    data = b"\xff\xfe httpx.ConnectError: [Errno 111] Connection refused \xc3\x28"
    assert explain(data).causes[0].id == "net.connect_refused"


def test_deeply_nested_literal_does_not_raise() -> None:
    text = "Error code: 500 - " + "{'a': " * 5000 + "1" + "}" * 5000
    result = explain(text)
    assert result.causes[0].id == "server.error"


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=4096))
def test_random_bytes_never_raise(data: bytes) -> None:
    result = explain(data)
    assert isinstance(result.recognised, bool)
    assert not (result.recognised and result.ambiguous)
    assert (result.recognised or result.ambiguous) == bool(result.causes)  # candidates only when said to be such
    json.dumps(result.to_dict())


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_random_text_never_raises(text: str) -> None:
    result = explain(text)
    assert (result.recognised or result.ambiguous) == bool(result.causes)
    json.dumps(result.to_dict())


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="{}[]'\"\\:, 0123456789abcdeor", max_size=500))
def test_bracket_soup_never_raises(text: str) -> None:
    explain("Error code: 429 - " + text)


def test_fix_steps_name_the_host_the_pasted_error_names() -> None:
    result = explain("httpx.ConnectError: [Errno -2] Name or service not known while calling "
                     "https://api.anthropic.com/v1/messages")
    steps = "\n".join(result.causes[0].fix)
    assert "getent hosts api.anthropic.com" in steps and "--base-url https://api.anthropic.com" in steps
    assert "--base-url https://api.anthropic.com/v1" not in steps  # Anthropic's base URL is the root
    assert "api.openai.com" not in steps and "nslookup" not in steps
