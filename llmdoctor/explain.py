"""Reads a pasted error (an SDK traceback, a curl line, a status and body) offline and names its causes.

Nothing here touches the network: it pulls the status, the error body (JSON or a Python-repr dict),
the exception classes and the socket/TLS/curl messages out of the text, asks `apierrors` about the
body, matches the transport messages against one table, and ranks the result like a live run.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from typing import Any

from llmdoctor.apierrors import classify_payload, classify_response, parse_payload, redact_text
from llmdoctor.diagnosis import RankedCause, diagnose
from llmdoctor.model import CheckResult, Finding, Status

MAX_INPUT = 1_000_000  # a pasted error is small; read at most the first 1 MB of anything bigger
_MAX_LITERAL = 100_000  # ast.literal_eval on a bounded candidate only
_MAX_CANDIDATES = 40


@dataclass(frozen=True)
class Explanation:
    """What the pasted text shows: `recognised` is False when no known cause matched."""

    recognised: bool
    causes: list[RankedCause] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"recognised": self.recognised, "causes": [c.to_dict() for c in self.causes],
                "facts": dict(self.facts)}


# --- transport and environment messages ---------------------------------------------------------------

# (causes with confidence, pattern). Matched case-insensitively against each line; most specific first.
_TRANSPORT: tuple[tuple[tuple[tuple[str, float], ...], re.Pattern[str]], ...] = tuple(
    (causes, re.compile(pattern, re.I)) for causes, pattern in (
        ((("env.socks_dependency_missing", 0.97),), r"using socks proxy, but the 'socksio' package is not installed"),
        ((("env.sdk_incompatible", 0.95),), r"unexpected keyword argument '?proxies'?"),
        ((("env.proxy_misconfigured", 0.9),), r"unknown scheme for proxy url|proxy url .{0,40}(invalid|malformed)"),
        ((("config.missing_key", 0.95),),
         r"api_key client option must be set|could not resolve authentication method|"
         r"(openai|anthropic|gemini|google)_api_key environment variable|no api key (was )?(provided|found)"),
        ((("config.key_whitespace", 0.85),),
         r"(illegal|invalid) header value b?['\"](bearer )?[^'\"]*(\\n|\\r| ['\"])"),
        ((("config.key_malformed", 0.8),), r"'(ascii|latin-1)' codec can't encode character"),
        ((("proxy.auth_failed", 0.92),),
         r"407 proxy authentication required|invalid username/password|no acceptable methods|"
         r"proxyerror.{0,20}\b407\b|received http code 407|tunnel failed,? response 407|"
         r"tunnel connection failed: 407|username and password authentication failure"),
        # requests says "Cannot connect to proxy" for every failed tunnel: the tunnel's status says more.
        ((("proxy.blocked", 0.92),),
         r"tunnel connection failed: 403|tunnel failed,? response 403|proxyerror.{0,20}\b403\b"),
        ((("proxy.upstream_failed", 0.92),), r"tunnel connection failed: 50[0234]|tunnel failed,? response 50[0234]"),
        ((("proxy.unreachable", 0.93),),  # ... unless a tunnel status follows (the three rules above)
         r"(?:unable to connect to proxy|cannot connect to proxy|failed to connect to proxy|proxy connection refused|"
         r"clientproxyconnectionerror)"
         r"(?!(?s:.*)tunnel (?:connection )?failed)"),
        ((("proxy.auth_failed", 0.55), ("proxy.upstream_failed", 0.45)), r"curl: \(97\)"),
        ((("proxy.upstream_failed", 0.88),),
         r"proxy server could not connect|\b50[0234] unable to connect|connect tunnel failed|"
         r"proxyerror.{0,20}\b50[0234]\b|received http code 50[0234] from proxy"),
        ((("proxy.protocol_mismatch", 0.75),),
         r"malformed reply|socks.{0,40}protocol ?error|unsupported socks version"),
        ((("tls.clock_skew", 0.9),), r"certificate is not yet valid|cert_not_yet_valid"),
        ((("tls.expired", 0.8), ("tls.clock_skew", 0.4)), r"certificate has expired|cert_has_expired"),
        ((("tls.intercepted", 0.85), ("tls.self_signed", 0.4)),
         r"self[- ]signed certificate in certificate chain|self_signed_cert_in_chain"),
        ((("tls.self_signed", 0.85),), r"self[- ]signed certificate(?! in)|depth_zero_self_signed_cert"),
        ((("tls.unknown_ca", 0.8), ("tls.intercepted", 0.55)),
         r"unable to get local issuer certificate|unable to verify the first certificate|"
         r"unable to get issuer certificate|unable_to_verify_leaf_signature|unable_to_get_issuer_cert"),
        ((("tls.hostname_mismatch", 0.9),),
         r"hostname mismatch|ip address mismatch|doesn't match|no alternative certificate subject name|"
         r"certificate is not valid for|err_tls_cert_altname_invalid|does not match certificate's altnames"),
        ((("tls.ca_bundle_missing", 0.85),),
         r"could not find a suitable tls ca certificate bundle|(filenotfounderror|no such file).{0,80}"
         r"(\.pem|\.crt|cert)|ssl_cert_file.{0,40}(does not exist|not found)"),
        ((("tls.strict_x509", 0.92),),
         r"missing authority key identifier|missing subject key identifier|"
         r"basic constraints of ca cert not marked critical|ca cert does not include key usage extension"),
        ((("tls.intercepted", 0.75),), r"unsafe_legacy_renegotiation_disabled|unsafe legacy renegotiation"),
        ((("tls.handshake_reset", 0.65),),
         r"sslv3_alert_handshake_failure|alert handshake failure|tlsv1_alert_protocol_version|"
         r"alert protocol version|no shared cipher"),
        ((("config.base_url_invalid", 0.9),),
         r"request url is missing an 'http://' or 'https://' protocol|request url has an unsupported protocol"),
        ((("tls.verify_failed", 0.8),), r"certificate_verify_failed|certificate verify failed|curl: \(60\)"),
        ((("tls.protocol_mismatch", 0.85),),
         r"wrong_version_number|wrong version number|record layer failure|\[ssl: http_request\]|"
         r"packet length too long"),
        ((("tls.handshake_reset", 0.8),),
         r"unexpected_eof_while_reading|eof occurred in violation of protocol|curl: \(35\)|ssl_error_syscall|"
         r"sslzeroreturnerror|tls/ssl connection has been closed"),
        ((("tls.handshake_reset", 0.6), ("net.connect_timeout", 0.5)), r"handshake operation timed out"),
        ((("server.protocol_error", 0.8),),
         r"decodingerror|error -3 while decompressing|incorrect header check|failed to decode it|"
         r"curl: \(61\)"),
        ((("model.not_found", 0.9),), r"not found, try pulling it first"),  # Ollama, with or without a status
        # The SDK could not read a 200 answer; a dumped body next to it must not hide that (apierrors has the rest)
        ((("response.unparseable", 0.9),),
         r"validation errors? for (chatcompletion|chatcompletionchunk|completion|message|choice)\b|"
         r"keyerror: '(choices|content|message|delta)'"),
        ((("net.stream_stalled", 0.85),),
         r"incomplete chunked read|peer closed connection without sending complete message body"),
        ((("dns.failure", 0.9),),
         r"getaddrinfo failed|\[errno 1100[14]\]|\[errno -[235]\]|name or service not known|"
         r"temporary failure in name resolution|nodename nor servname provided|curl: \(6\)|"
         r"could not resolve host|nxdomain|no address associated with hostname|\[winerror 11001\]|"
         r"\benotfound\b|\beai_again\b"),
        ((("net.unreachable", 0.9),),
         r"\[errno 101\]|network is unreachable|\[winerror 10051\]|no route to host|\[errno 113\]|ehostunreach|"
         r"\benetunreach\b|\[winerror 10065\]|attempted to an unreachable host"),
        ((("net.connect_refused", 0.9),),
         r"\[errno 111\]|connection refused|\[winerror 10061\]|actively refused|\[errno 61\]|\beconnrefused\b|"
         r"curl: \(7\)|connect call failed"),
        # WSAEACCES: a firewall, antivirus or VPN client (or a reserved port range) forbids the connection.
        ((("net.connect_refused", 0.6),), r"\[winerror 10013\]|forbidden by its access permissions"),
        ((("net.connect_timeout", 0.85),),
         r"\[winerror 10060\]|connecttimeout|connection timed out|curl: \(28\) (failed to connect|connection time)|"
         r"\[errno 110\]|connect timeout|connect etimedout|\[errno 60\]"),
        ((("net.read_timeout", 0.85),),
         r"readtimeout|read timed out|the read operation timed out|curl: \(28\) operation timed out"),
        ((("net.read_timeout", 0.6), ("net.connect_timeout", 0.45)),
         r"apitimeouterror|request timed out|(?m:^\s*(?:socket\.timeout|timeouterror): timed out\s*$)"),
        ((("tls.handshake_reset", 0.65),),
         r"\[errno 104\]|connection reset by peer|\[winerror 10054\]|connectionreseterror|curl: \(56\) recv failure|"
         r"\beconnreset\b|socket hang up"),
        ((("gateway.error", 0.5), ("tls.protocol_mismatch", 0.4)),
         r"server disconnected without sending a response|remote end closed connection without response"),
        # anyio (async httpx): every address refused or unreachable; the OS error is not kept.
        ((("net.connect_refused", 0.6), ("proxy.unreachable", 0.45), ("net.unreachable", 0.4)),
         r"all connection attempts failed"),
        ((("tls.verify_failed", 0.4),), r"\bsslerror\b|\[ssl[:\]]"),
    )
)
# An SDK's bare "Connection error." with no inner exception could be anything before the API.
_VAGUE_CONNECTION = re.compile(r"apiconnectionerror|connection error\.?\s*$", re.I | re.M)
_VAGUE_CAUSES = (("net.connect_timeout", 0.35), ("dns.failure", 0.3), ("proxy.unreachable", 0.3),
                 ("tls.verify_failed", 0.25))

_EXC = re.compile(r"^[ \t]*((?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*(?:Error|Exception|Timeout|Exit))\b(?::|$)", re.M)
_STATUS_PATTERNS = (
    re.compile(r"error code:?\s*(\d{3})\b", re.I),
    re.compile(r"status(?:[ _]code)?[\"']?\s*[:=]?\s*[\"']?(\d{3})\b", re.I),
    re.compile(r"\bHTTP/\d(?:\.\d)?\s+(\d{3})\b"),
    re.compile(r"\bcode\s*[:=]\s*[\"']?(\d{3})\b", re.I),
    re.compile(r"(?:^|\s)(\d{3})\s+(?:[A-Z][A-Za-z]+|[\u4e00-\u9fff])", re.M),
)
_SDK_STATUS = {"badrequesterror": 400, "authenticationerror": 401, "permissiondeniederror": 403,
               "notfounderror": 404, "conflicterror": 409, "unprocessableentityerror": 422,
               "ratelimiterror": 429, "internalservererror": 500}
_REQUEST_ID = re.compile(r"(?:request[ _-]?id|x-request-id)[\"']?\s*[:=]?\s*[\"']?([A-Za-z0-9_\-]{6,80})", re.I)
_PROVIDER_HINTS = (
    ("relay", r"one_api_error|new_api_error|litellm|no_db_connection|当前分组|令牌"),
    ("azure", r"openai\.azure\.com|azureopenai|deploymentnotfound|api-version"),
    ("anthropic", r"api\.anthropic\.com|\banthropic\.|x-api-key|overloaded_error|claude"),
    ("gemini", r"generativelanguage\.googleapis\.com|google\.genai|api_key_invalid|\bgemini"),
    ("deepseek", r"deepseek"), ("moonshot", r"moonshot|kimi"), ("dashscope", r"dashscope|aliyuncs"),
    ("openrouter", r"openrouter"), ("groq", r"groq"), ("mistral", r"mistral"),
    ("ollama", r"ollama|:11434"), ("openai", r"api\.openai\.com|\bopenai\.|platform\.openai\.com"),
)
_VALID_STATUS = range(100, 600)
_HTML = re.compile(r"<html|<!doctype html", re.I)
_MESSAGE_ONLY_CONFIDENCE = 0.85  # without a status or a body, only the most specific rules count
_OPENING = re.compile(r"[\[{]")


def _decode(text: str | bytes) -> str:
    if isinstance(text, (bytes, bytearray)):
        return bytes(text[:MAX_INPUT]).decode("utf-8", errors="replace")
    return str(text)[:MAX_INPUT]


def _balanced(text: str, start: int) -> str | None:
    """The bracketed literal starting at `start`, respecting quotes; None if it never closes."""
    opening = text[start]
    closing = "}" if opening == "{" else "]"
    depth, quote, escaped = 0, "", False
    for index in range(start, min(len(text), start + _MAX_LITERAL)):
        char = text[index]
        if quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
            if depth == 0:
                return text[start:index + 1] if char == closing else None
    return None


def _literal(candidate: str) -> Any:
    try:
        return json.loads(candidate)
    except (ValueError, RecursionError):
        pass
    try:
        return ast.literal_eval(candidate)  # Python-repr dicts: Error code: 429 - {'error': {...}}
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError, IndentationError):
        return None


def _error_payloads(text: str) -> list[Any]:
    """Decoded objects in the text that look like API error bodies, in order of appearance."""
    found: list[Any] = []
    position, tries = 0, 0
    while tries < _MAX_CANDIDATES:
        match = _OPENING.search(text, position)
        if not match:
            break
        tries += 1
        candidate = _balanced(text, match.start())
        if candidate is None:
            position = match.start() + 1
            continue
        data = _literal(candidate)
        if data is not None and parse_payload(data).has_error:
            found.append(data)
            position = match.start() + len(candidate)
        else:
            position = match.start() + 1
    return found


def _status(text: str, exceptions: list[str]) -> int | None:
    for pattern in _STATUS_PATTERNS:
        for match in pattern.finditer(text[:200_000]):
            value = int(match.group(1))
            if value in _VALID_STATUS and value >= 300:
                return value
    for name in reversed(exceptions):
        status = _SDK_STATUS.get(name.rsplit(".", 1)[-1].lower())
        if status:
            return status
    return None


def _provider_guess(text: str) -> str | None:
    lowered = text[:200_000].lower()
    for provider, pattern in _PROVIDER_HINTS:
        if re.search(pattern, lowered):
            return provider
    return None


_URL = re.compile(r"https?://[A-Za-z0-9.\-\[\]:]+(?:/[^\s'\"<>)]*)?")


def _fix_values(text: str, provider: str | None) -> dict[str, str | None]:
    """The values fix steps are written with (llmdoctor/fixvalues.py): the URL the error names, else the
    guessed provider's own; nothing known, nothing filled (those steps are left out)."""
    from llmdoctor import providers
    from llmdoctor.config import Sourced, Target
    from llmdoctor.fixvalues import target_values

    try:
        known = providers.get(provider) if provider else None
    except (KeyError, ValueError):
        known = None
    found = _URL.search(text[:200_000])
    if found is None and known is None:
        return {}
    if found is not None:
        url = found.group(0).rstrip(".,;")
        root, sep, _rest = url.partition("/v1")
        # The SDK's base URL: OpenAI-style ones end in /v1, Anthropic's is the root (the SDK adds /v1/…).
        url = (root if known is not None and known.api == "anthropic" else root + "/v1") if sep else \
            url.split("?", 1)[0]
    else:
        assert known is not None
        url = known.base_url
    chosen = known or providers.get("relay")
    try:
        return target_values(Target(chosen.id, chosen, Sourced(url, "pasted")))
    except Exception:  # a URL the text garbled: no values rather than wrong ones
        return {}


def _line_of(text: str, match: re.Match[str]) -> str:
    start = text.rfind("\n", 0, match.start()) + 1
    end = text.find("\n", match.end())
    line = text[start:end if end != -1 else len(text)].strip()
    line = redact_text(" ".join(line.split()))
    return line if len(line) <= 240 else line[:239] + "…"


def _keep_stronger(found: dict[str, tuple[float, str]], cause: str, confidence: float, message: str) -> None:
    """Every source of evidence adds a cause this way: a weaker sighting never lowers a stronger one."""
    if cause not in found or found[cause][0] < confidence:
        found[cause] = (confidence, message)


def _transport(text: str) -> dict[str, tuple[float, str]]:
    found: dict[str, tuple[float, str]] = {}
    for causes, pattern in _TRANSPORT:
        match = pattern.search(text)
        if not match:
            continue
        message = f"The error says: {_line_of(text, match)}"
        for cause, confidence in causes:
            _keep_stronger(found, cause, confidence, message)
    proxied = re.search(r"proxyerror|proxy", text, re.I)
    if proxied and "net.connect_refused" in found and not re.search(r"\bapi\.|base_url", text, re.I):
        confidence, message = found["net.connect_refused"]
        _keep_stronger(found, "proxy.unreachable", min(confidence, 0.85), message)
    if "net.connect_refused" in found:
        local_proxy = _local_proxy_port(text)
        if local_proxy:
            port, app = local_proxy
            # 8080 and 8888 are also where local model servers and notebooks listen: a hint, not a verdict.
            _keep_stronger(found, "proxy.unreachable", 0.7 if port in (8080, 8888) else 0.92,
                           f"Nothing accepts connections on 127.0.0.1:{port}, the usual port of {app}: the proxy app "
                           "is not running or uses another port.")
    return found


# 127.0.0.1:7890, "127.0.0.1 port 7890" (curl), ('127.0.0.1', 7890) (asyncio's "Connect call failed")
_LOOPBACK_PORT = re.compile(r"(?:127\.0\.0\.1|localhost|\[?::1\]?)(?::| port |['\"],\s*)(\d{2,5})\b", re.I)


def _local_proxy_port(text: str) -> tuple[int, str] | None:
    """(port, app) when a refused loopback address is on a local proxy app's usual port (7890: Clash)."""
    from llmdoctor.proxyenv.ports import KNOWN_PORTS

    for match in _LOOPBACK_PORT.finditer(text[:200_000]):
        port = int(match.group(1))
        if port in KNOWN_PORTS:
            return port, KNOWN_PORTS[port]
    return None


def explain(text: str | bytes, provider: str | None = None, lang: str = "en") -> Explanation:
    """Names the causes a pasted error shows; never raises, whatever the input."""
    try:
        return _explain(_decode(text), provider, lang)
    except Exception as exc:  # bad input must never become a traceback
        return Explanation(False, [], {"error": type(exc).__name__})


def _explain(text: str, provider: str | None, lang: str) -> Explanation:
    exceptions = list(dict.fromkeys(m.group(1) for m in _EXC.finditer(text)))
    facts: dict[str, Any] = {}
    if exceptions:
        facts["exception"] = exceptions[-1]
        facts["exceptions"] = exceptions[-6:]
    status = _status(text, exceptions)
    if status is not None:
        facts["status"] = status
    guess = provider or _provider_guess(text)
    if guess:
        facts["provider" if provider else "provider_guess"] = guess
    request_id = _REQUEST_ID.search(text)
    if request_id:
        facts["request_id"] = request_id.group(1)

    found: dict[str, tuple[float, str]] = {}
    transport = _transport(text)
    payloads = _error_payloads(text)
    if payloads:
        parsed = parse_payload(payloads[-1], text)
        classified = classify_payload(status, parsed, None, guess, "chat")
    elif status is not None:
        classified = classify_response(status, _status_context(text, status), None, guess, "chat")
    elif _HTML.search(text[:4096]):  # a pasted error page with no status line
        classified = classify_response(None, text[:65536], {"content-type": "text/html"}, guess, "chat")
    elif not transport:  # only the message line ("Invalid API key · Please run /login"): an exact rule
        classified = [c for c in classify_response(None, text[:65536], None, guess, "chat")
                      if c.confidence >= _MESSAGE_ONLY_CONFIDENCE]
    else:
        classified = []
    for item in classified:
        found.setdefault(item.cause_id, (item.confidence, item.message))
        for key in ("error_type", "error_code", "error_status", "relay", "limit_kind", "retry_after_s",
                    "html_title", "key_looks_like"):
            if key in item.facts:
                facts.setdefault(key, item.facts[key])
    for cause, (confidence, message) in transport.items():
        _keep_stronger(found, cause, confidence, message)
    if not found and _VAGUE_CONNECTION.search(text):
        facts["connection_error_without_detail"] = True
        for cause, confidence in _VAGUE_CAUSES:
            found[cause] = (confidence, "The SDK reports a connection error without saying what failed.")
    if not found:
        return Explanation(False, [], facts)
    target = guess or "pasted"
    findings = tuple(Finding(cause, message, severity=Status.FAIL, confidence=confidence)
                     for cause, (confidence, message) in found.items())
    results = [CheckResult(Status.FAIL, "pasted error", findings, {}, "explain", target)]
    values = _fix_values(text, guess)
    causes = diagnose(results, lang=lang, providers={target: guess} if guess else None, chain=False,
                      values={target: values} if values else None)
    return Explanation(bool(causes), causes, facts)


def _status_context(text: str, status: int) -> str:
    """The line that carries the status, as the body to classify (a whole traceback would mislead)."""
    for line in text.splitlines():
        if str(status) in line:
            return line[:8192]
    return ""
