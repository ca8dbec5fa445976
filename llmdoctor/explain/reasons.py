"""The standard reason phrases of the statuses people paste, and the wordings clients wrap a status in.

A status is often said only in words: axios' "Request failed with status code 429", .NET's "does not
indicate success: 401 (Unauthorized)", Guzzle's "resulted in a `401 Unauthorized` response", curl's
"The requested URL returned error: 503", Google's JS client's "[403 Forbidden]", a Chinese UI's
"状态码: 401". A number followed by its own reason phrase is a status wherever it stands; the phrase
itself says nothing more than the number (a bare "403 Forbidden" does not tell a key's permission from
a region block or a proxy's refusal), so explain reads the text without it.
"""

from __future__ import annotations

import functools
import re

REASONS: dict[int, tuple[str, ...]] = {
    400: ("bad request",), 401: ("unauthorized", "authorization required"), 402: ("payment required",),
    403: ("forbidden",), 404: ("not found",), 405: ("method not allowed",),
    408: ("request timeout", "request time-out"), 409: ("conflict",),
    413: ("payload too large", "request entity too large", "content too large"),
    422: ("unprocessable entity", "unprocessable content"), 429: ("too many requests",),
    500: ("internal server error",), 501: ("not implemented",), 502: ("bad gateway",),
    503: ("service unavailable", "service temporarily unavailable"), 504: ("gateway timeout", "gateway time-out"),
}

_PHRASES = "|".join(sorted({re.escape(p) for ps in REASONS.values() for p in ps}, key=lambda p: (-len(p), p)))

# The exception classes of SDKs other than Python's openai/anthropic that name their status (openai-java,
# openai-dotnet, the Kotlin/Go ports): read like the Python classes in `parse`.
SDK_STATUS: dict[str, int] = {"unauthorizedexception": 401, "permissiondeniedexception": 403, "notfoundexception": 404,
                              "ratelimitexception": 429, "badrequestexception": 400,
                              "unprocessableentityexception": 422, "internalserverexception": 500,
                              # LiteLLM's classes for the statuses the openai SDK has no class for
                              "serviceunavailableerror": 503, "badgatewayerror": 502,
                              # openai-kotlin (HttpTransport.handleException): ktor's ServerResponseException,
                              # any 5xx, becomes OpenAIServerException (its 429 RateLimitException is above). Its
                              # AuthenticationException (401) and PermissionException (403) are not here: the
                              # names are other libraries' too (.NET's System.Security.Authentication.
                              # AuthenticationException is a failed TLS handshake); its message words decide.
                              "openaiserverexception": 500,
                              # zhipuai's Python SDK (zhipuai/core/_base_client.py, _make_status_error): 400, 401,
                              # 429, 500 and 503 each have a class of their own, "Error code: N, with error text ..."
                              "apirequestfailederror": 400, "apiauthenticationerror": 401, "apireachlimiterror": 429,
                              "apiinternalerror": 500, "apiserverflowexceederror": 503}

_NOT_A_UNIT = r"(?![.,]\d|\s*(?:ms|s|sec|secs|seconds|bytes|kb|mb|%|tokens?)\b)"
# Each captures the status digits; read after the general patterns in `parse`, before the loosest one.
STATUS_WORDS: tuple[str, ...] = (
    rf"\b([345]\d\d)\s*[(\[`'\"]?\s*(?:{_PHRASES})\b",  # 401 (Unauthorized), [403 Forbidden], `401 Unauthorized`
    r"\breturned (?:an )?error:?\s*\(?([345]\d\d)\b",  # curl (22): "returned error: 503"; .NET: "(401)"
    r"(?:exception|error)\s*:\s*([345]\d\d)\s*:",  # openai-java: UnauthorizedException: 401: Incorrect API key
    r"\bwith (?:status )?code\s+([345]\d\d)\b",  # failed with code 401
    r"\bresponse[ _-]?code[\"']?\s*[:=]?\s*[\"']?([345]\d\d)\b",  # responseCode: 401, response code 407
    r"\bstatus\s+([345]\d\d)\b(?!\.\d)",  # failed with status 401
    r"(?:状态码|错误码|响应码|错误代码)\s*[:：=]?\s*([345]\d\d)\b",  # 状态码: 401, HTTP状态码 429, 错误码：429
    r"\bstatus code of\s+([345]\d\d)\b",  # Dart's dio: "The request returned an invalid status code of 429."
    # A client or framework that says the number after its own word for a failure: "Groq error: 401",
    # "Error: 429", "request failed with 401", "the server returned 503", "got a 429", "401 error".
    # 4xx/5xx only and never before a unit, so a port, a size or a duration is not read as a status.
    rf"\b(?:error|err|failed|failure)\s*[:=]\s*([45]\d\d)\b{_NOT_A_UNIT}",
    rf"\b(?:failed|rejected|responded|returned|answered|aborted)\s+(?:with\s+)?(?:an?\s+)?(?:http\s+)?"
    rf"([45]\d\d)\b{_NOT_A_UNIT}",
    rf"\bgot\s+(?:an?\s+|http\s+)?([45]\d\d)\b{_NOT_A_UNIT}",
    r"\b([45]\d\d)\s+(?:error|response)\b",
)

# A status said in another language, or in an app's own frame (issue 16, clients class). Apps translate their
# error line ("ステータスコード: 429", "código de estado 401", "Statuscode 503", "код ответа 502", "상태 코드 401"),
# .NET says "Response status code does not indicate success" in the display language ("Der Antwortstatuscode gibt
# keinen Erfolg an: 401", "応答状態コードは成功を示していません: 401"), and Goose frames the status in parentheses
# after its own words for it (crates/goose/src/providers/http_status.rs: "Bad request (400): ...", "Resource not
# found (404): ...", "Server error (503 Service Unavailable): ..."). (The status before the server's quoted message
# or body, Cline's '401 "API key not found or invalid"', is read by the loosest pattern in `parse`.) Read after the
# patterns above.
_STATUS_NAMES = (r"ステータス\s?コード|応答状態コード|状態コード|상태\s?코드|응답\s?코드|"
                 r"código de (?:estado|status|respuesta|resposta)|"
                 r"(?:antwort)?status-?code|code d['’](?:état|erreur)|code de (?:statut|réponse)|"
                 r"код (?:состояния|статуса|ответа)|codice di stato|mã trạng thái|durum kodu|kod (?:statusu|stanu)")
STATUS_WORDS_MORE: tuple[str, ...] = (
    rf"(?:{_STATUS_NAMES})(?:[^\d\n]{{0,40}}?)[:：=\s]\s*[\"'«]?([345]\d\d)\b{_NOT_A_UNIT}",
    r"\b(?:bad request|resource not found|endpoint not found|server error|request failed|not found) "
    r"\(([45]\d\d)(?: [a-z][a-z ]{2,30})?\)\s*:",
)

# A status in a Rust client's Debug form: reqwest's `Error` prints `reqwest::Error { kind: Status(429), url: … }`,
# since 0.12 with the reason phrase beside it, `Status(401, None)` (src/error.rs: `Kind::Status(StatusCode,
# Option<ReasonPhrase>)`, derived Debug; http's StatusCode debug-prints its number). Read after the patterns above.
STATUS_DEBUG_FORMS: tuple[str, ...] = (
    r"\bkind:\s*Status\(([345]\d\d)(?:,\s*(?:None|Some\([^)\n]{0,80}\)+))?\)",
)


def without_reason(text: str, status: int | None) -> str:
    """The text without its status's own reason phrase where the phrase only names the status.

    Only the phrase right after the number that ends there ("403 Forbidden", "[403 Forbidden]", requests'
    "401 Client Error: Unauthorized for url", "statusText: 'Not Found'"): "404 Not found the model ..." and
    "maybe your model is not found" are the server's own words and stay.
    """
    phrases = REASONS.get(status or 0)
    if not phrases:
        return text
    alternatives = "|".join(re.escape(p) for p in phrases)
    after_number = (rf"(\b{status}\b(?:\s+(?:client|server) error:)?\s*[(\[`'\"]?\s*)(?:{alternatives})"
                    rf"(?=\s*(?:$|[)\]`'\".,:;!]|for url\b))")
    text = re.sub(after_number, r"\1", text, flags=re.I | re.M)
    return re.sub(rf"(status_?text['\"]?\s*[:=]\s*['\"])(?:{alternatives})(?=['\"])", r"\1", text, flags=re.I)


# Reason phrases that name one status and nothing else, standing alone in a text that has no number
# ({:forbidden, "Access denied"}, "[OpenAI] 错误的网关 | Bad Gateway"): the status is said in words. "Access
# denied" is the generic 403 wording (IIS, Elixir's :forbidden tuples); with more words it is no longer alone.
_ALONE = {"forbidden": 403, "access denied": 403, "access is denied": 403, "unauthorized": 401,
          "too many requests": 429, "bad gateway": 502,
          "gateway timeout": 504, "gateway time-out": 504, "service unavailable": 503,
          "service temporarily unavailable": 503, "payment required": 402, "request entity too large": 413,
          "payload too large": 413}
_WHOLE_MESSAGE = ("access denied", "access is denied")  # alone only as a whole message: "Access denied"}, end of line
# n8n's NodeApiError replaces the body's message with a canned sentence per status (STATUS_CODE_MESSAGES in
# packages/workflow/src/errors/node-api.error.ts): the sentence *is* the status; what else the text says (the
# description n8n keeps, "You exceeded your current quota") is then read under that number (frameworks class)
_ALONE.update({
    "bad request - please check your parameters": 400,
    "authorization failed - please check your credentials": 401,
    "payment required - perhaps check your payment details": 402,
    "forbidden - perhaps check your credentials": 403,
    "the resource you are requesting could not be found": 404,
    "method not allowed - please check you are using the right http method": 405,
    "the service is receiving too many requests from you": 429,
    "the service was not able to process your request": 500,
    "bad gateway - the service failed to handle your request": 502,
    "service unavailable - try again later or consider setting this node to retry automatically": 503,
    "service unavailable - perhaps try again later": 503,
    "gateway timed out - perhaps try again later": 504,
})


def _alone(phrase: str) -> str:
    tail = r"(?=\s*(?:[\"'}\])]|$))" if phrase in _WHOLE_MESSAGE else ""
    return re.escape(phrase) + tail


@functools.cache
def _alone_phrase() -> re.Pattern[str]:
    """Compiled on the first text without a number, not at explain's start."""
    return re.compile(r"(?<![\w-])(" + "|".join(_alone(p) for p in sorted(_ALONE, key=len, reverse=True))
                      + r")(?![\w-])", re.I | re.M)


@functools.cache
def _for_url() -> re.Pattern[str]:
    """requests' HTTPError, pasted without its number: "Bad Request for url: https://...". The phrase before
    "for url" is the status whatever it is; compiled on the first text without a number."""
    return re.compile(rf"(?<![\w-])({_PHRASES})\s+for url\b", re.I)


def status_from_phrase(text: str) -> int | None:
    """The status a text names only by its reason phrase, when the phrases it holds all name the same one."""
    statuses = {_ALONE[m.group(1).lower()] for m in _alone_phrase().finditer(text[:65536])}
    statuses |= {code for m in _for_url().finditer(text[:65536]) for code, phrases in REASONS.items()
                 if m.group(1).lower() in phrases}
    return statuses.pop() if len(statuses) == 1 else None


def without_phrase(text: str, status: int) -> str:
    """The text without the standalone reason phrases of `status` (the words that only said the status)."""
    phrases = [p for p, code in _ALONE.items() if code == status]
    for_url = "|".join(re.escape(p) for p in REASONS.get(status, ()))
    if for_url:
        text = re.sub(rf"(?<![\w-])(?:{for_url})\s+(?=for url\b)", " ", text, flags=re.I)
    if not phrases:
        return text
    return re.sub(r"(?<![\w-])(?:" + "|".join(_alone(p) for p in phrases) + r")(?![\w-])", " ", text,
                  flags=re.I | re.M)
