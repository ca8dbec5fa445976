"""Reads an API's answer (status, body, headers) and names the knowledge-base causes it shows.

Shared by the live auth check and by `explain`, so one table reads every provider's error
shapes. The patterns come from providers' error-code pages and public reports; the bodies
each rule was written against are in tests/test_apierrors.py.
"""

from __future__ import annotations

import functools
import html
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from llmdoctor.secrets import redact

MAX_BODY_CHARS = 256 * 1024  # error bodies are small; a huge one is a web page or a stream
_MAX_MESSAGE_CHARS = 300


@dataclass(frozen=True)
class Classified:
    """One cause the answer points to; `message` is plain English and already redacted."""

    cause_id: str
    confidence: float
    message: str
    facts: dict[str, Any] = field(default_factory=dict)


# --- redaction ---------------------------------------------------------------------------------------

# Anything shaped like a key: provider prefixes, or a long run of key characters with digits in it.
_KEYLIKE = re.compile(
    r"(?:sk-|AIza|gsk_|xai-|pplx-|hf_|nvapi-|r8_)[A-Za-z0-9_\-*.]{8,}"
    r"|(?<![A-Za-z0-9_\-])(?=[A-Za-z0-9_\-]*\d)(?=[A-Za-z0-9_\-]*[A-Za-z])[A-Za-z0-9_\-]{32,}"
)
# Identifiers people need for support tickets; they are not secrets.
_SAFE_IDS = re.compile(r"^(?:req_|req-|chatcmpl-|msg_|org-|proj_|gen-|resp_|run_|cmpl-|batch_)", re.I)
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


def redact_text(text: str) -> str:
    """Masks key-like tokens a server may echo back (OpenAI and DeepSeek quote part of the key)."""

    def repl(match: re.Match[str]) -> str:
        token = match.group(0)
        if _SAFE_IDS.match(token) or _UUID.match(token):
            return token
        return redact(token)

    return _KEYLIKE.sub(repl, text)


# --- parsing -----------------------------------------------------------------------------------------


@dataclass
class _Parsed:
    text: str = ""
    is_json: bool = False
    is_html: bool = False
    html_title: str = ""
    err_type: str = ""
    err_code: str = ""
    err_status: str = ""  # Google's canonical status name, e.g. RESOURCE_EXHAUSTED
    message: str = ""
    reasons: list[str] = field(default_factory=list)
    quota_ids: list[str] = field(default_factory=list)
    request_id: str = ""
    has_error: bool = False


def _to_text(body: bytes | str | None) -> str:
    if body is None:
        return ""
    if isinstance(body, (bytes, bytearray)):
        return bytes(body[: MAX_BODY_CHARS * 4]).decode("utf-8", errors="replace")[:MAX_BODY_CHARS]
    return body[:MAX_BODY_CHARS]


def _scalar(value: Any) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    return str(value)


def _error_object(data: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """Finds the error object in the shapes providers use; returns (error, envelope)."""
    if isinstance(data, list) and data and isinstance(data[0], dict):
        data = data[0]  # Gemini's OpenAI endpoint wraps errors in a list
    if not isinstance(data, dict):
        return None
    err = data.get("error")
    if isinstance(err, dict) and err:
        return err, data
    if isinstance(err, str) and err:
        return {"message": err}, data  # Ollama, some relays
    if data.get("success") is False or data.get("object") == "error":
        return data, data
    if any(k in data for k in ("choices", "data", "content", "candidates", "models", "object")):
        return None  # a successful payload
    if any(k in data for k in ("code", "message", "msg", "detail", "statusCode", "error_msg", "errors")):
        return data, data  # DashScope, Azure APIM, Mistral, FastAPI-style relays
    return None


def parse_payload(data: Any, text: str = "") -> _Parsed:
    """Reads an already-decoded JSON-like payload (explain feeds Python-repr dicts here)."""
    parsed = _Parsed(text=text, is_json=True)
    found = _error_object(data)
    if found is None:
        return parsed
    err, envelope = found
    parsed.has_error = True
    parsed.err_type = _scalar(err.get("type"))
    parsed.err_code = _scalar(err.get("code") if "code" in err else err.get("statusCode"))
    status = err.get("status")
    parsed.err_status = status if isinstance(status, str) else ""
    message = err.get("message") or err.get("msg") or err.get("error_msg") or err.get("detail")
    if message is None and err is envelope and isinstance(envelope.get("errors"), list):
        message = envelope["errors"]
    parsed.message = message if isinstance(message, str) else (json.dumps(message)[:2000] if message else "")
    details = err.get("details")
    if isinstance(details, list):
        for item in details[:10]:
            if not isinstance(item, dict):
                continue
            if isinstance(item.get("reason"), str):
                parsed.reasons.append(item["reason"])
            violations = item.get("violations")
            for violation in violations[:10] if isinstance(violations, list) else []:
                if isinstance(violation, dict) and isinstance(violation.get("quotaId"), str):
                    parsed.quota_ids.append(violation["quotaId"])
    for key in ("request_id", "requestId", "request-id", "id"):
        value = envelope.get(key) if isinstance(envelope.get(key), str) else err.get(key)
        if isinstance(value, str) and key != "id":
            parsed.request_id = value
            break
    return parsed


_PLAIN_TO_TLS = re.compile(r"plain http request was sent to https port|client sent an http request to an https server")
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_SDK_DECODE = re.compile(r"expecting value: line 1 column 1|jsondecodeerror|is not valid json", re.I)


def _parse(text: str, content_type: str) -> _Parsed:
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped[:1] in "{[":
        try:
            return parse_payload(json.loads(stripped), text)
        except (ValueError, RecursionError):
            pass
    parsed = _Parsed(text=text)
    head = stripped[:4096].lower()
    if "html" in content_type.lower() or head.startswith(("<!doctype", "<html", "<head", "<body")) \
            or "<title" in head:
        parsed.is_html = True
        match = _TITLE.search(text[:65536])
        if match:
            parsed.html_title = " ".join(html.unescape(match.group(1)).split())[:200]
    return parsed


# --- rules -------------------------------------------------------------------------------------------

# (cause, confidence, pattern) over a lower-cased haystack of type, code, status, reasons and message.
# Most specific first; a cause keeps the best confidence any rule gives it.
_RULE_TEXT: tuple[tuple[str, float, str], ...] = (
    # A TLS port asked in plain HTTP: nginx / Cloudflare, then Go's net/http
    ("tls.protocol_mismatch", 0.95, _PLAIN_TO_TLS.pattern),
    # One API / New API relays (Chinese and English builds)
    ("ratelimit.relay_saturated", 0.95, r"上游负载已饱和|upstream load (is )?saturated|负载已饱和"),
    ("model.not_found", 0.8, r"无可用渠道|no available channel"),
    ("gateway.error", 0.55, r"无可用渠道|no available channel"),
    ("quota.insufficient", 0.92,
     r"额度已用尽|额度不足|余额不足|quota is not enough|token quota exhausted|预扣费额度失败|"
     r"budget has been exceeded|budgetexceeded|exceeded budget|max budget"),
    ("auth.invalid_key", 0.92,
     r"无效的令牌|令牌已过期|令牌已被禁用|令牌状态不可用|invalid token|token (has )?expired|"
     r"invalid proxy server token"),
    ("auth.wrong_header", 0.7,
     r"未提供令牌|you didn't provide an api key|no api key provided|missing bearer|"
     r"missing authentication|no auth credentials found|x-api-key header is required|api key is missing|"
     r"missing api key|unregistered callers|authorization header is (missing|required)|"
     r"invalid authorization header|malformed authorization|must be a bearer|"
     r"authorization header format"),
    ("config.missing_key", 0.5,
     r"未提供令牌|you didn't provide an api key|no api key provided|no auth credentials found|"
     r"x-api-key header is required|api key is missing|missing api key|unregistered callers"),
    # API generations: the model answers on another endpoint (OpenAI's texts, sub2api's relay text), an
    # openai<1.0 engines/ URL, a base URL that ends in the legacy /v1/completions, a retired completion model
    ("endpoint.wrong_generation", 0.95,
     r"is a chat model and not supported in the v1/completions endpoint|"
     r"not a chat model and thus not supported in the v1/chat/completions endpoint|"
     r"only supported in v1/responses|please use /v1/responses|unsupported legacy protocol|"
     r"in the responses api, this parameter has moved to|/v1/engines/|/v1/completions/chat/completions|"
     r"engines? endpoint .{0,40}deprecated"),
    ("endpoint.wrong_generation", 0.85, r"the model `?(text-davinci|text-curie|text-babbage|text-ada|code-davinci|"
     r"davinci|curie|babbage|ada)[\w-]*`? has been deprecated"),
    # A relay converting OpenAI chat to Anthropic Messages (or another vendor) and getting it wrong: the
    # upstream's validation error comes back (Anthropic's texts; New API / LiteLLM issue reports)
    ("relay.format_conversion", 0.9,
     r"unexpected role \"?system\"?|accepts a top-level `?system`? parameter|"
     r"max_tokens: field required|max_tokens\W{0,6}(is )?(a )?required|"
     r"`?tool_use`? ids were found without `?tool_result`? blocks|unexpected `?tool_use_id`?|"
     r"tool_result.{0,40}(must|should) (follow|correspond)|"
     r"messages with role 'tool' must be a response to a preceeding message with 'tool_calls'|"
     r"tool_calls.{0,60}must be followed by tool messages|"
     r"(stream_options|logit_bias|frequency_penalty|presence_penalty|n|response_format|"
     r"parallel_tool_calls|logprobs|seed|user)\W{0,4}extra inputs are not permitted"),
    # What the SDK raises on an answer it cannot parse (explain reads these; no server sends them)
    ("response.unparseable", 0.9,
     r"keyerror: '(choices|content|message|delta|text)'|"
     r"validation errors? for (chatcompletion|chatcompletionchunk|completion|message|choice|response)\b|"
     r"'str' object has no attribute '(choices|content|model_dump|usage|output_text|message)'|"
     r"'nonetype' object has no attribute '(content|message|text|delta|tool_calls)'|"
     r"(choices|content)\[0\][\s\S]{0,400}('nonetype' object is not subscriptable|"
     r"list index out of range)|"
     r"unexpected token '?<'?,? ?\"?<!doctype|<!doctype.{0,40}is not valid json|"
     r"is not valid json|unexpected end of json input"),
    ("response.unparseable", 0.86, r"expecting value: line 1 column 1 \(char 0\)"),
    ("response.stream_broken", 0.9,
     r"stream ended without|without (a |the )?\[done\]|never (received|got|sent) \[done\]|"
     r"missing \[done\]|unexpected event order|premature (end|close) of (the )?(event )?stream|"
     r"stream (was )?(closed|ended|terminated) (before|unexpectedly|prematurely)"),
    # Region blocks before permissions: both arrive as 403
    ("auth.region_blocked", 0.93,
     r"unsupported_country|country, region,? or territory not supported|user location is not supported|"
     r"not available in your (country|region)|region is not supported|unsupported region|"
     r"access denied\. please check your network settings"),  # Groq's answer from a blocked country
    # Anthropic's answer from an unsupported region: 403 {"type": "forbidden", "message": "Request not allowed"}
    ("auth.region_blocked", 0.9, r"request not allowed"),
    # Billing, before rate limits: OpenAI sends insufficient_quota as a 429
    ("quota.insufficient", 0.93,
     r"insufficient_quota|exceeded_current_quota|insufficient balance|insufficient_balance|"
     r"insufficient (account )?credits|requires more credits|credit balance is too low|arrearage|"
     r"billing_hard_limit|payment required|billing details|account is not active|suspended|"
     r"balance is insufficient"),
    ("request.too_large", 0.93,
     r"context_length_exceeded|maximum context length|request too large|request_too_large|"
     r"prompt is too long|too many tokens|input token count.{0,40}exceeds|string_above_max_length|"
     r"payload too large|request entity too large|reduce the length|range of input length|"
     r"exceeds the maximum (allowed )?(number of )?(bytes|tokens)|context window|prompt ?超长|输入.{0,8}超长|"
     r"超过.{0,12}最大长度"),
    ("request.content_filtered", 0.9,
     r"datainspectionfailed|content_filter|content_policy_violation|inappropriate content|"
     r"considered high risk|responsibleaipolicyviolation|content management policy"),
    ("ratelimit.exceeded", 0.88,
     r"rate_limit_exceeded|rate_limit_error|rate_limit_reached|rate limit|ratelimit|too many requests|"
     r"throttling|resource_exhausted|resource has been exhausted|请求过于频繁|速率限制|限流|"
     r"requests per min|tokens per min|per minute"),
    ("server.overloaded", 0.9,
     r"overloaded|at capacity|over capacity|no capacity|server is busy|服务器繁忙|系统繁忙|too busy|"
     r"model is currently loading|not ready yet"),
    ("model.not_found", 0.9,
     r"model_not_found|deploymentnotfound|deployment for this resource does not exist|"
     r"does not exist or you do not have access|is not a valid model|invalid model|model not exist|"
     r"modelnotfound|model[^.]{0,80}not found|not found the model|no such model|unknown model|"
     r"is not found for api version|is not supported for generatecontent|model_not_available|"
     r"the model .{0,80} does not exist|try pulling it first|model does not exist|模型不存在|"
     r"no endpoints found for"),  # OpenRouter: no provider serves that model id
    ("auth.invalid_key", 0.93,
     r"invalid_api_key|incorrect api key|invalid api key|api key not valid|api_key_invalid|"
     r"invalid x-api-key|invalidapikey|invalid api-key|invalid_authentication|invalid authentication|"
     r"authentication fails|authentication_error|authenticationerror|invalid subscription key|"
     r"user not found|api key (is )?(invalid|expired|disabled|revoked)|unauthenticated|key is invalid"),
    ("auth.wrong_endpoint", 0.55, r"wrong api endpoint|correct regional api endpoint"),
    ("auth.permission_denied", 0.85,
     r"permission_error|permission_denied|permissiondenied|you do not have permission|"
     r"not have permission|insufficient permissions|missing scopes|mismatched_organization|"
     r"must be a member of an organization|service_disabled|has not been used in project|"
     r"api_key_service_blocked|accessdenied|access denied\.|forbidden|not allowed to access"),
    ("endpoint.not_found", 0.8,
     r"invalid url|unrecognized request url|no route|page not found|resource not found|unknown endpoint|"
     r"404 not found|cannot (get|post) /|route .{0,80} not found|unsupported api-version|"
     r"api version not supported|api-version .{0,40}not supported|path not found|^not found$"),
    ("server.error", 0.8,
     r"\bapi_error|internal server error|internal_error|server had an error|internal error|^internal$|"
     r"internalerror|unexpected error"),
    ("gateway.error", 0.8,
     r"bad gateway|gateway time-?out|upstream (connect )?error|upstream request timeout|"
     r"error code 52[0-7]|deadline_exceeded|origin is unreachable"),
)

# Only used when nothing above matched: these words appear in many specific errors too.
_FALLBACK_TEXT: tuple[tuple[str, float, str], ...] = (
    ("auth.invalid_key", 0.75, r"unauthorized|authentication|not authenticated"),
    ("auth.permission_denied", 0.7, r"^permission|access denied"),
    ("request.invalid", 0.65,
     r"invalid_request_error|invalidparameter|invalid_argument|bad request|validation error|"
     r"unprocessable|invalid parameter|invalid_value|unsupported parameter|unsupported_value|"
     r"badrequest|invalid_request|failed_precondition"),
    ("model.not_found", 0.6, r"^not_found$|not_found_error[\s\S]{0,40}model|^model:"),
    ("endpoint.not_found", 0.6, r"not_found_error|^not_found$|not found"),
    ("server.overloaded", 0.7, r"^unavailable$|service unavailable"),
)

# LiteLLM prefixes its exception class name to the message: litellm.<Class>: ...
_LITELLM = {
    "authenticationerror": "auth.invalid_key", "permissiondeniederror": "auth.permission_denied",
    "ratelimiterror": "ratelimit.exceeded", "notfounderror": "model.not_found",
    "contextwindowexceedederror": "request.too_large", "badrequesterror": "request.invalid",
    "contentpolicyviolationerror": "request.content_filtered", "budgetexceedederror": "quota.insufficient",
    "serviceunavailableerror": "server.overloaded", "internalservererror": "server.error",
    "apiconnectionerror": "gateway.error", "timeout": "gateway.error", "badgatewayerror": "gateway.error",
}

_LITELLM_UPSTREAM = re.compile(r"(openai|anthropic|azure|gemini|vertex_ai|bedrock|deepseek|mistral|groq|"
                               r"openrouter|ollama|hosted_vllm|\w+)exception - ")
_LITELLM_GROUP = re.compile(r"model group '([^']+)'|received model group=([^\s,]+)", re.I)
_ONE_API_ID = re.compile(r"\(request id: \d{20,}\)")  # the suffix One API / New API append to every message
_UPSTREAM_KEY = re.compile(r"incorrect api key provided|invalid_api_key|invalid x-api-key|api key not valid")
_RELAY_OWN_TOKEN = re.compile(r"令牌|invalid token|token (has )?expired")
_LITELLM_NO_DB = re.compile(r"no connected db|no_db_connection")
# LiteLLM's own router texts (proxy/route_llm_request.py), which carry no litellm.<Class> prefix
_LITELLM_TEXT = re.compile(r"invalid model name passed in model=|to view available models for your key|"
                           r"no deployments available for selected model|invalid proxy server token|"
                           r"litellm_verificationtokentable|budget has been exceeded|exceededbudget")

# Key prefixes a server may echo back, and the provider family they belong to.
_KEY_FAMILIES = (("sk-ant-", "anthropic"), ("sk-or-", "openrouter"), ("aiza", "gemini"), ("gsk_", "groq"),
                 ("xai-", "xai"), ("sk-proj-", "openai"), ("sk-svcacct-", "openai"))
_PROVIDER_FAMILY = {"gemini-native": "gemini"}

_STATUS_FALLBACK: dict[int, tuple[tuple[str, float], ...]] = {
    400: (("request.invalid", 0.5),),
    401: (("auth.invalid_key", 0.7),),
    402: (("quota.insufficient", 0.8),),
    403: (("auth.permission_denied", 0.55), ("auth.region_blocked", 0.3)),
    404: (("endpoint.not_found", 0.6),),
    405: (("endpoint.not_found", 0.6),),
    407: (("proxy.auth_failed", 0.9),),
    408: (("gateway.error", 0.6),),
    409: (("request.invalid", 0.4),),
    413: (("request.too_large", 0.85),),
    422: (("request.invalid", 0.5),),
    429: (("ratelimit.exceeded", 0.7),),
    500: (("server.error", 0.7),),
    501: (("endpoint.not_found", 0.5),),
    502: (("gateway.error", 0.8),),
    503: (("server.error", 0.6), ("server.overloaded", 0.5)),
    504: (("gateway.error", 0.8),),
    529: (("server.overloaded", 0.9),),
}

_RATE_LINE = re.compile(
    r"(requests|tokens|images|input tokens|output tokens) per (min|minute|day|hour)\s*\((\w+)\):\s*"
    r"limit\s*(\d+)(?:,\s*used\s*(\d+))?(?:,\s*requested\s*(\d+))?", re.I)
_RETRY_IN = re.compile(r"(?:try again|retry) in\s*(?:(\d+)m)?\s*([\d.]+)\s*(ms|s)\b", re.I)
_ECHOED_KEY = re.compile(r"(?:provided|your api key)\s*:?\s*([A-Za-z0-9_\-*]{3,})", re.I)

_SAFE_HEADERS = (
    "retry-after", "retry-after-ms", "x-request-id", "request-id", "x-ms-request-id", "cf-ray", "server",
    "content-type", "openai-organization", "openai-processing-ms", "x-ratelimit-limit-requests",
    "x-ratelimit-limit-tokens", "x-ratelimit-remaining-requests", "x-ratelimit-remaining-tokens",
    "x-ratelimit-reset-requests", "x-ratelimit-reset-tokens", "anthropic-ratelimit-requests-limit",
    "anthropic-ratelimit-requests-remaining", "anthropic-ratelimit-requests-reset",
    "anthropic-ratelimit-tokens-limit", "anthropic-ratelimit-tokens-remaining",
    "anthropic-ratelimit-tokens-reset", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset",
    "location", "proxy-authenticate", "www-authenticate", "x-litellm-version", "x-litellm-call-id",
    "llm_provider-retry-after", "x-oneapi-request-id",
    "x-new-api-version", "via",
)

Rules = tuple[tuple[str, float, re.Pattern[str]], ...]


@functools.cache
def _compiled_rules() -> tuple[Rules, Rules]:
    """Compiled on the first error read, not at import: a healthy run never reads one, and the
    ~80 patterns took 15 ms of every start-up."""
    return (tuple((cause, conf, re.compile(pattern, re.M)) for cause, conf, pattern in _RULE_TEXT),
            tuple((cause, conf, re.compile(pattern, re.M)) for cause, conf, pattern in _FALLBACK_TEXT))


def _by_status(status: int | None) -> str:
    """The cause a status alone suggests, for an answer that could not be read at all."""
    if status and status >= 500:
        return "server.error"
    return _STATUS_ALONE.get(status or 0, "request.invalid")


_STATUS_ALONE = {401: "auth.invalid_key", 403: "auth.permission_denied", 404: "endpoint.not_found",
                 429: "ratelimit.exceeded"}


def _wait_seconds(text: str, per_second: float = 1) -> float | None:
    """A wait the server asked for, in seconds; None unless it is a finite, non-negative number
    ("inf", "-5", "1.2.3" or 400 digits come from broken relays and must not reach the JSON)."""
    try:
        value = float(text) / per_second
    except ValueError:
        return None
    return round(value, 3) if math.isfinite(value) and value >= 0 else None


def _header_facts(headers: Mapping[str, str] | None) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    if not headers:
        return facts
    lowered = {str(k).lower(): str(v) for k, v in headers.items()}
    picked = {h: redact_text(lowered[h])[:200] for h in _SAFE_HEADERS if h in lowered}
    if picked:
        facts["headers"] = picked
    if "retry-after-ms" in lowered:
        wait = _wait_seconds(lowered["retry-after-ms"], 1000)
        if wait is not None:
            facts["retry_after_s"] = wait
    elif "retry-after" in lowered or "llm_provider-retry-after" in lowered:
        # LiteLLM forwards its upstream's headers with an llm_provider- prefix (proxy/common_request_processing)
        lowered.setdefault("retry-after", lowered.get("llm_provider-retry-after", ""))
        wait = _wait_seconds(lowered["retry-after"])
        if wait is not None:
            facts["retry_after_s"] = wait
        else:
            facts["retry_after"] = redact_text(lowered["retry-after"])[:64]  # an HTTP date (or junk, as sent)
    for name in ("x-request-id", "request-id", "x-ms-request-id", "x-oneapi-request-id", "cf-ray"):
        if name in lowered:
            facts["request_id"] = lowered[name][:128]
            break
    return facts


def _other_platform(provider: str | None) -> str:
    """The cause a 401 means when the key is from the provider's other platform, region or resource."""
    if not provider:
        return ""
    from llmdoctor import providers

    try:
        return providers.get(provider).other_platform.get("cause", "")
    except KeyError:
        return ""


def _family(provider: str | None) -> str | None:
    return _PROVIDER_FAMILY.get(provider, provider) if provider else None


def _key_wrong_provider(haystack: str, provider: str | None) -> str | None:
    """OpenAI-style answers quote the start of the rejected key; its prefix names its real provider."""
    match = _ECHOED_KEY.search(haystack)
    if not match:
        return None
    echoed = match.group(1).lower()
    family = next((fam for prefix, fam in _KEY_FAMILIES if echoed.startswith(prefix)), None)
    expected = _family(provider)
    if family is None or family == expected:
        return None
    if expected is None and family == "openai":
        return None
    if expected in ("relay", "openrouter") and family == "openai":
        return None
    return family


def _summary(status: int | None, parsed: _Parsed) -> str:
    """One plain sentence: what the server answered."""
    where = f"HTTP {status}" if status is not None else "an error"
    labels = [x for x in (parsed.err_code, parsed.err_type, parsed.err_status) if x and len(x) < 64]
    label = f" ({', '.join(dict.fromkeys(labels))})" if labels else ""
    if parsed.is_html:
        title = f" titled '{redact_text(parsed.html_title)}'" if parsed.html_title else ""
        return f"The server answered {where} with an HTML page{title}, not an API response."
    text = parsed.message or ("" if parsed.is_json else parsed.text.strip())
    text = " ".join(redact_text(text).split())
    if len(text) > _MAX_MESSAGE_CHARS:
        text = text[: _MAX_MESSAGE_CHARS - 1] + "…"
    if text:
        return f"The server answered {where}{label}: {text}"
    return f"The server answered {where}{label} with no error message."


def _html_causes(status: int | None, parsed: _Parsed) -> list[tuple[str, float, dict[str, Any]]]:
    title = parsed.html_title.lower()
    head = parsed.text[:65536].lower()
    if _PLAIN_TO_TLS.search(head):  # nginx's and Cloudflare's 400 page for plain HTTP at a TLS port
        return [("tls.protocol_mismatch", 0.95, {})]
    if "error 1009" in head or "banned the country or region" in head:  # Cloudflare: country or region blocked
        return [("auth.region_blocked", 0.85, {"cloudflare_block": True})]
    if "you have been blocked" in head or re.search(r"error (?:1006|1007|1008|1020)\b", head):
        return [("auth.region_blocked", 0.65, {"cloudflare_block": True}), ("endpoint.not_an_api", 0.4, {})]
    if title.startswith("just a moment") or "attention required" in title or "cf-chl" in head \
            or "challenge-platform" in head:
        return [("endpoint.not_an_api", 0.85, {"cloudflare_challenge": True})]
    if status == 407:
        return [("proxy.auth_failed", 0.9, {})]
    if re.search(r"log ?in|sign ?in|portal|hotspot|wi-?fi|登录|认证|captive", title):
        return [("endpoint.not_an_api", 0.85, {"captive_portal": True})]
    if status is not None and (status in (502, 503, 504) or 520 <= status <= 527):
        return [("gateway.error", 0.85, {})]
    if status == 404:
        return [("endpoint.not_found", 0.85, {})]
    if status == 403 and "cloudflare" in head:
        return [("endpoint.not_an_api", 0.7, {}), ("auth.region_blocked", 0.45, {})]
    return [("endpoint.not_an_api", 0.8, {})]


def classify_payload(status: int | None, parsed: _Parsed, headers: Mapping[str, str] | None = None,
                     provider: str | None = None, endpoint: str = "models") -> list[Classified]:
    """The rules behind `classify_response`, for a body that is already parsed."""
    facts: dict[str, Any] = {"status": status} if status is not None else {}
    facts.update(_header_facts(headers))
    if headers and any(str(k).lower().startswith("x-litellm-") for k in headers):
        facts["relay"] = "litellm"  # LiteLLM stamps x-litellm-call-id, -version, -key-spend on its answers
    for name, value in (("error_type", parsed.err_type), ("error_code", parsed.err_code),
                        ("error_status", parsed.err_status)):
        if value:
            facts[name] = redact_text(value)[:100]
    if parsed.reasons:
        facts["error_reasons"] = parsed.reasons[:5]
    if parsed.quota_ids:
        facts["quota_ids"] = parsed.quota_ids[:5]
    if parsed.request_id:
        facts.setdefault("request_id", parsed.request_id[:128])
    if parsed.is_html:
        facts["html_title"] = redact_text(parsed.html_title)
    ok = status is not None and 200 <= status < 300
    if ok and not parsed.has_error and not parsed.is_html \
            and (parsed.is_json or not parsed.text.strip() or endpoint != "models"):
        return []
    found: _Found = {}
    if parsed.is_html:
        for cause, conf, extra in _html_causes(status, parsed):
            _add(found, cause, conf, extra)
        if _SDK_DECODE.search(parsed.text[:65536]):  # a pasted traceback: the SDK tried to read this page as JSON
            _add(found, "response.unparseable", 0.88)
    elif ok and not parsed.has_error:
        _add(found, "endpoint.not_an_api", 0.6)
    else:
        _match_rules(status, parsed, provider, endpoint, facts, found)
    message = _summary(status, parsed)
    out = [Classified(cause, round(conf, 2), message, {**facts, **extra})
           for cause, (conf, extra) in found.items()]
    out.sort(key=lambda c: -c.confidence)
    return out


_Found = dict[str, tuple[float, dict[str, Any]]]


def _add(found: _Found, cause: str, conf: float, extra: dict[str, Any] | None = None) -> None:
    """A cause keeps the best confidence any rule gives it."""
    if cause not in found or found[cause][0] < conf:
        found[cause] = (conf, extra or {})


def _match_rules(status: int | None, parsed: _Parsed, provider: str | None, endpoint: str,
                 facts: dict[str, Any], found: _Found) -> None:
    parts = [parsed.err_type, parsed.err_code, parsed.err_status, *parsed.reasons, parsed.message]
    if not parsed.is_json:
        parts.append(parsed.text[:8192])
    haystack = "\n".join(p.strip() for p in parts if p).lower()

    litellm = re.search(r"litellm\.(\w+)", haystack)
    if litellm and litellm.group(1) in _LITELLM:
        facts["relay"] = "litellm"
        _add(found, _LITELLM[litellm.group(1)], 0.8)
        upstream = _LITELLM_UPSTREAM.search(haystack)
        group = _LITELLM_GROUP.search(parsed.message or parsed.text[:8192])
        if group:
            facts["model_group"] = (group.group(1) or group.group(2))[:100]
        if upstream:
            facts["upstream_provider"] = upstream.group(1)
        if litellm.group(1) == "authenticationerror":
            # "OpenAIException - Incorrect API key" inside a litellm.AuthenticationError (measured, LiteLLM
            # 1.108): the proxy took the user's key, its upstream refused the key in LiteLLM's config
            # without a model group it may be the LiteLLM library raising on the user's own key
            _add(found, "relay.upstream_key_rejected", 0.92 if upstream and group else 0.5)
    if _LITELLM_TEXT.search(haystack):
        facts["relay"] = "litellm"
    if _LITELLM_NO_DB.search(haystack):
        # LiteLLM without DATABASE_URL knows only its master key; any other key is looked up in a
        # database that is not there, and the answer is 400 "No connected db." (measured, LiteLLM 1.108)
        facts["relay"] = "litellm"
        facts["litellm_no_db"] = True
        _add(found, "auth.invalid_key", 0.9)
    if parsed.err_type in ("one_api_error", "new_api_error") or _ONE_API_ID.search(haystack) or (
            "request id:" in haystack and re.search(r"[\u4e00-\u9fff]", haystack)):
        facts["relay"] = "new-api" if "new_api" in parsed.err_type else "one-api"

    matched = False
    rules, fallback = _compiled_rules()
    for cause, conf, pattern in rules:
        if pattern.search(haystack):
            _add(found, cause, conf)
            matched = True
    if not matched:
        for cause, conf, pattern in fallback:
            if pattern.search(haystack):
                _add(found, cause, conf)
                matched = True
                break

    _relay_codes(parsed, facts, found, haystack)

    wrong = _key_wrong_provider(haystack, provider)
    if wrong:
        facts["key_looks_like"] = wrong
        _add(found, "auth.key_wrong_provider", 0.85)

    rate = _RATE_LINE.search(parsed.message or parsed.text[:8192])
    if rate:
        facts["limit_kind"] = rate.group(3).upper()
        facts["limit"] = int(rate.group(4))
        if rate.group(5):
            facts["used"] = int(rate.group(5))
        if rate.group(6):
            facts["requested"] = int(rate.group(6))
            if int(rate.group(6)) > int(rate.group(4)):
                _add(found, "request.too_large", 0.93)  # one request bigger than the whole per-minute budget
    retry = _RETRY_IN.search(parsed.message or parsed.text[:8192])
    if retry and "retry_after_s" not in facts:
        seconds = _wait_seconds(retry.group(2), 1000 if retry.group(3).lower() == "ms" else 1)
        minutes = _wait_seconds(retry.group(1) or "0")
        if seconds is not None and minutes is not None and math.isfinite(seconds + 60 * minutes):
            facts["retry_after_s"] = round(seconds + 60 * minutes, 3)

    _adjust(status, parsed, provider, endpoint, facts, found)


def _relay_codes(parsed: _Parsed, facts: dict[str, Any], found: _Found, haystack: str) -> None:
    """One API / New API set `code` themselves (types/error.go); it outweighs what the message seems to say."""
    relay = facts.get("relay")
    if relay not in ("one-api", "new-api"):
        return
    from llmdoctor import providers

    known = providers.relay_codes(str(relay)).get(parsed.err_code)
    if known is not None:
        cause, conf = known
        facts["relay_code"] = parsed.err_code
        if conf < 0.85:  # a generic code (bad_response_status_code): one more piece of evidence
            _add(found, cause, conf)
            return
        for other in list(found):
            if other != cause:
                found[other] = (min(found[other][0], 0.45), found[other][1])
        found[cause] = (max(conf, found.get(cause, (0.0,))[0]), found.get(cause, (0.0, {}))[1])
    elif _UPSTREAM_KEY.search(haystack) and not _RELAY_OWN_TOKEN.search(haystack):
        # the relay's token texts are Chinese (无效的令牌); an OpenAI-style key error passed through the
        # relay is the channel's key, refused upstream
        _add(found, "relay.upstream_key_rejected", 0.8)
        if "auth.invalid_key" in found:
            found["auth.invalid_key"] = (0.45, {})


def _adjust(status: int | None, parsed: _Parsed, provider: str | None, endpoint: str,
            facts: dict[str, Any], found: _Found) -> None:
    """Corrections no single pattern can make: status codes, providers, and overlaps."""
    haystack = " ".join([parsed.err_status, parsed.message, *parsed.quota_ids]).lower()
    google_quota = parsed.err_status == "RESOURCE_EXHAUSTED" or "resource_exhausted" in haystack
    if google_quota and "quota.insufficient" in found:
        # Gemini says "exceeded your current quota" for per-minute and per-day limits alike
        del found["quota.insufficient"]
        _add(found, "quota.insufficient", 0.6 if "perday" in haystack else 0.45)
        _add(found, "ratelimit.exceeded", 0.85)
    if found.get("quota.insufficient", (0.0,))[0] >= 0.9 and "ratelimit.exceeded" in found:
        del found["ratelimit.exceeded"]  # "check your plan and billing details" is not a wait-and-retry
    if "request.too_large" in found and "ratelimit.exceeded" in found:
        found["ratelimit.exceeded"] = (0.5, {})
    if "model.not_found" in found and found["model.not_found"][0] >= 0.8:
        found.pop("endpoint.not_found", None)
        if "does not exist or you do not have access" in haystack:
            found.pop("auth.permission_denied", None)
    if "auth.region_blocked" in found and found["auth.region_blocked"][0] >= 0.9:
        found.pop("auth.permission_denied", None)
        found.pop("request.invalid", None)
    if "auth.wrong_header" in found and "auth.invalid_key" in found:
        # "x-api-key header is required" arrives typed authentication_error: the header, not the key
        found["auth.invalid_key"] = (min(found["auth.invalid_key"][0], 0.6), {})
    if found.get("relay.upstream_key_rejected", (0.0,))[0] >= 0.9:
        # the user's key got through; what was refused is the relay's own key for its upstream
        found.pop("auth.key_wrong_provider", None)
        found.pop("gateway.error", None)
        if "auth.invalid_key" in found:
            found["auth.invalid_key"] = (0.3, {})
    if "auth.key_wrong_provider" in found and "auth.invalid_key" in found:
        found["auth.invalid_key"] = (0.7, {})
    other = _other_platform(provider)
    if status in (401, 403) and other and "auth.invalid_key" in found:
        # a .cn key on the .ai endpoint, a China key on the intl endpoint, another Azure resource's key: the
        # same 401 as a bad key (providers.json "other_platform"), so both are said
        _add(found, other, 0.5)
    if status == 401 and "auth.invalid_key" not in found and "auth.wrong_header" not in found \
            and "config.missing_key" not in found and "ratelimit.relay_saturated" not in found:
        _add(found, "auth.invalid_key", 0.7)
    if status == 404 and endpoint != "models" and "model.not_found" not in found \
            and "endpoint.not_found" in found:
        _add(found, "model.not_found", 0.45)
    if status == 529:
        _add(found, "server.overloaded", 0.92)
    if status is not None and status in (502, 504) and not found:
        _add(found, "gateway.error", 0.8)
    if status is not None and 300 <= status < 400:
        facts["redirect"] = True
        _add(found, "config.base_url_invalid", 0.6)
    if not found and status is not None:
        for cause, conf in _STATUS_FALLBACK.get(status, ()):
            _add(found, cause, conf)
        if not found and 400 <= status < 500:
            _add(found, "request.invalid", 0.4)
        elif not found and status >= 500:
            _add(found, "server.error", 0.6)
    if found.get("endpoint.wrong_generation", (0.0,))[0] >= 0.85:
        text = " ".join([parsed.message, parsed.text[:4096]]).lower()
        for needle, endpoint_name in (("v1/responses", "responses"), ("use v1/chat/completions", "chat/completions"),
                                      ("use v1/completions", "completions"), ("/engines/", "engines"),
                                      ("/v1/completions/chat", "base_url"), ("deprecated", "retired")):
            if needle in text:
                facts["needs_endpoint"] = endpoint_name
                break
        for other in ("endpoint.not_found", "model.not_found", "request.invalid"):
            found.pop(other, None)  # the message names the endpoint the model needs
        if facts.get("needs_endpoint") == "retired":
            _add(found, "model.not_found", 0.6)  # a retired model: another model is the other way out
    if "relay.format_conversion" in found:
        if provider == "anthropic":  # a native Anthropic client sent it: the request is the user's own
            _add(found, "request.invalid", found.pop("relay.format_conversion")[0])
        else:
            found.pop("request.invalid", None)
    if status == 400 and "quota.insufficient" in found and "credit balance" in haystack:
        found.pop("request.invalid", None)


def classify_response(status: int | None, body: bytes | str | None,
                      headers: Mapping[str, str] | None = None, provider: str | None = None,
                      endpoint: str = "models") -> list[Classified]:
    """Causes the answer shows, best first; an empty list means the call worked.

    `provider` (e.g. "openai", "relay") sharpens a few rules; `endpoint` says what was called
    ("models" for the GET /models probe, "chat" for a completion) so a 404 can mean a model.
    """
    try:
        content_type = ""
        if headers:
            content_type = next((str(v) for k, v in headers.items() if str(k).lower() == "content-type"), "")
        parsed = _parse(_to_text(body), content_type)
        return classify_payload(status, parsed, headers, provider, endpoint)
    except Exception as exc:  # a classifier must never take the run down with it
        return [Classified(_by_status(status), 0.3,
                           f"The server answered HTTP {status}; the answer could not be read.",
                           {"status": status, "classifier_error": type(exc).__name__})]
