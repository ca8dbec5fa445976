"""Pulls the structured facts out of a pasted error: status, error bodies, exception classes, provider.

A paste is a traceback, a log line, a curl transcript, a JSON body or a mix. The status is read
wherever it is said (`Error code: 429`, `status code 407`, `HTTP code 502 from API`,
`404 status code (no body)`, `HTTP/1.1 400`, an HTML `<title>`), error bodies are decoded as JSON or
as Python reprs (`{'error': {...}}`), and URLs are kept apart so a path like `/api_errors` in a
documentation link is not read as an error code.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any
from urllib.parse import urlparse

from llmdoctor.apierrors import parse_payload
from llmdoctor.explain.reasons import REASONS, SDK_STATUS, STATUS_DEBUG_FORMS, STATUS_WORDS, STATUS_WORDS_MORE
from llmdoctor.secrets import redact_text
from llmdoctor.signatures.prefilter import Lazy  # compiled only when the text holds a literal piece

MAX_INPUT = 1_000_000  # a pasted error is small; read at most the first 1 MB of anything bigger
_SCAN = 200_000  # regexes look at the first 200 kB only
_MAX_LITERAL = 100_000  # ast.literal_eval on a bounded candidate only
_MAX_CANDIDATES = 40
_OPENING = re.compile(r"[\[{]")

_EXC = re.compile(r"^[ \t]*((?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*(?:Error|Exception|Timeout|Exit|Interrupt))\b(?::|$)",
                  re.M)
# Most specific first; every pattern captures the status digits.
_STATUS_PATTERNS = (*(Lazy(p, re.I) for p in (
    r"\bHTTP/\d(?:\.\d)?\s+(\d{3})\b",
    r"(?:error|status)[ _-]?code[\"']?\s*(?:[:=]\s*|\s)[\"']?(\d{3})\b",  # Error code: 429, status code 407
    r"\bhttp(?: status| error)?(?: code)?\s*[:(]?\s*(\d{3})\b(?!\.\d)",  # HTTP 500:, HTTP code 502 from API
    r"\bstatus(?:_?code)?[\"']?\s*[:=]\s*[\"']?(\d{3})\b",  # status: 429, status_code=400, "statusCode":400
    r"\bapi error[:\s(]+(\d{3})\b|\berror (\d{3})\b",  # API Error: 529, Error 404 ...
    r"\b(\d{3}) status code\b",  # 404 status code (no body)
    r"\[(\d{3})\]",  # Reason: [401] ...
    r"\bcode[\"']?\s*[:=]\s*[\"']?(\d{3})\b",
    *STATUS_WORDS,
    )),
    # case spelled out: under re.I the CJK range alone took 10 ms to compile
    # 429 Request too large, 403 Account ...; also after Chinese punctuation: "报错：401 The API Key appears to be
    # invalid", "【429 Too many requests】"
    # (and before the server's quoted message or body: Cline's '401 "API key not found or invalid"', a relay's
    # '500 {"type":"error",...}')
    Lazy(r"(?:^|[\s\"'(\[`：，、【「])(\d{3})\s+(?!(?:ms|secs?|seconds|bytes|kb|mb|tokens?)\b)"
         r"(?:[A-Za-z]{2,}|[\u4e00-\u9fff]|[\"“][A-Za-z]|\{\s*[\"'](?:type|error|message|code)[\"'])"),
)
# aiohttp's ClientResponseError puts the status first: "ClientResponseError: 429, message='Too Many Requests', url=..."
_STATUS_PATTERNS = (*_STATUS_PATTERNS, Lazy(r"clientresponseerror: (\d{3}), message=", re.I))
# ... and apps print that str() after their own prefix: Open WebUI's "Ollama: 500, message='Internal Server Error',
# url='http://localhost:11434/api/chat'" (frameworks class): the "N, message='...'" shape is aiohttp's wherever it is
_STATUS_PATTERNS = (*_STATUS_PATTERNS, Lazy(r"(?:^|[\s:(\[])(\d{3}), message=['\"]", re.I))
# ... in another language or an app's frame (`reasons.STATUS_WORDS_MORE`)
_STATUS_PATTERNS = (*_STATUS_PATTERNS, *(Lazy(p, re.I) for p in STATUS_WORDS_MORE))
# ... in a Rust client's Debug form, reqwest's `kind: Status(429)` (`reasons.STATUS_DEBUG_FORMS`)
_STATUS_PATTERNS = (*_STATUS_PATTERNS, *(Lazy(p, re.I) for p in STATUS_DEBUG_FORMS))
_TITLE_STATUS = Lazy(r"<title>[^<]*?\b(\d{3})\b[^<]*</title>", re.I)
_SDK_STATUS = {"badrequesterror": 400, "authenticationerror": 401, "permissiondeniederror": 403,
               "notfounderror": 404, "conflicterror": 409, "unprocessableentityerror": 422,
               "ratelimiterror": 429, "internalservererror": 500}
_REQUEST_ID = Lazy(r"(?:request[ _-]?id|x-request-id)[\"']?\s*[:=]?\s*[\"']?([A-Za-z0-9_\-]{6,80})", re.I)
_PROVIDER_HINTS = (
    ("relay", r"one_api_error|new_api_error|v_api_error|litellm|no_db_connection|当前分组|令牌|无可用渠道"),
    ("azure", r"openai\.azure\.com|azureopenai|deploymentnotfound|api-version"),
    # before the names that are also models' names (mistral, qwen, deepseek, glm-): Ollama serves those models,
    # and "try pulling it first" is its own answer for one not pulled
    ("ollama", r"ollama|:11434|try pulling it first"),
    ("anthropic", r"api\.anthropic\.com|\banthropic\.|x-api-key|overloaded_error|claude"),
    ("gemini", r"generativelanguage\.googleapis\.com|google\.genai|api_key_invalid|\bgemini"),
    # (Zhipu's own 1113 words, "余额不足或无可用资源包" / "no resource package", name it where no host is pasted)
    ("zhipu", r"bigmodel\.cn|zhipu|api\.z\.ai|\bglm-|无可用资源包|no resource package"),
    ("qianfan", r"baidubce|qianfan|wenxin|ernie"),
    ("spark", r"xfyun|xunfei|spark|讯飞|星火"), ("volcengine", r"volces\.com|volcengine|\bark\b|doubao|豆包"),
    ("minimax", r"minimax"), ("siliconflow", r"siliconflow|硅基"), ("hunyuan", r"hunyuan|tencentcloud|混元"),
    ("deepseek", r"deepseek"), ("moonshot", r"moonshot|kimi"), ("dashscope", r"dashscope|aliyuncs|qwen"),
    ("openrouter", r"openrouter"), ("groq", r"groq"), ("mistral", r"mistral"),
    ("openai", r"api\.openai\.com|\bopenai\.|platform\.openai\.com"),
)
# Statuses servers and gateways send (the registered ones, nginx's 444/494-499, Cloudflare's 520-530, Anthropic's
# 529): a number outside them after "failed:" or "error" is a port (443), a code of another kind, not a status.
_VALID_STATUS = frozenset([*range(300, 309), *range(400, 419), *range(421, 427), 428, 429, 431, 444, 451,
                           *range(494, 500), *range(500, 512), *range(520, 531)])
_URL = re.compile(r"https?://[^\s'\"<>)\]]+", re.I)
HTML = re.compile(r"<html|<!doctype html|<head>|<title>", re.I)


# what a garbled Chinese message can hold: Latin-1 letters, Python 2 byte escapes, \\u escapes, CJK (`mojibake`);
# compiled (with the seam pattern below, ~3 ms together) only for a text that is not plain ASCII or holds an escape
_MAYBE_GARBLED = r"[\u00a1-\u00ff\u4e00-\u9fff]|\\x[89a-fA-F][0-9a-fA-F]|\\u[3-9fF][0-9a-fA-F]{3}"


# Chinese commentary glued to the error it quotes ("结果报ECONNREFUSED 127.0.0.1:7890", "提示API error: 404",
# "Connection refused请问怎么办"): a CJK character is a word character, so the table's \b and its exception-name and
# status patterns would not see where the English starts. A space at each such seam gives them their boundary.
_CJK_SEAM = r"(?<=[\u3400-\u9fff])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?=[\u3400-\u9fff])"


def decode(text: str | bytes) -> str:
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text[:MAX_INPUT]).decode("utf-8", errors="replace")
    text = unquoted(str(text)[:MAX_INPUT])
    if (not text.isascii() or "\\x" in text or "\\u" in text) and re.search(_MAYBE_GARBLED, text):
        from llmdoctor.explain.mojibake import repaired  # a few regexes, only for texts that may need them

        text = re.sub(_CJK_SEAM, " ", repaired(text))
    return text


_QUOTED = re.compile(r"^[ \t]*> ?", re.M)


def unquoted(text: str) -> str:
    """A paste quoted the way forums and mail quote it (every line begins with "> "), without the quote marks:
    the markers would hide the start of each line (an exception's name, a status) from the patterns. curl -v
    output, where only some lines start with ">", is left as it is."""
    lines = [line for line in text[:_SCAN].splitlines() if line.strip()]
    if not lines or not all(line.lstrip().startswith(">") for line in lines):
        return text
    return _QUOTED.sub("", text)


def without_urls(text: str) -> str:
    """The text with every URL replaced by `<url>`: a link to `.../api_errors` must not read as an `api_error`
    (and a URL pasted where the key belongs still shows as one)."""
    return _URL.sub(lambda m: "<url>" + m.group()[len(m.group().rstrip(".,;:")):], text)  # a full stop stays


def url_hosts(text: str) -> list[str]:
    return [host for host in (urlparse(m.group(0)).hostname for m in _URL.finditer(text[:_SCAN])) if host]


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
    if '\\"' in candidate:  # a body quoted inside a string: 400 - "{\"error\":\"API key status invalid\"}"
        try:
            return json.loads(candidate.replace('\\"', '"').replace("\\\\", "\\"))
        except (ValueError, RecursionError):
            pass
    try:
        import ast  # only for a Python repr

        return ast.literal_eval(candidate)  # Python-repr dicts: Error code: 429 - {'error': {...}}
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError, IndentationError):
        return None


def error_payloads(text: str) -> list[Any]:
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


# A retried call's last exception in tenacity's RetryError, by the repr of the Future it holds (CPython's
# concurrent/futures/_base.py, Future.__repr__: '<%s at %#x state=%s raised %s>'): "RetryError[<Future at 0x7f...
# state=finished raised APIReachLimitError>]". The class is the error; RetryError only says it was retried.
_FUTURE_RAISED = re.compile(r"\bstate=finished raised ([A-Za-z_]\w*(?:Error|Exception|Timeout))\b")


def exceptions(text: str) -> list[str]:
    scan = text[:_SCAN]
    found = [m.group(1) for m in _EXC.finditer(scan)]
    found += [m.group(1) for m in _FUTURE_RAISED.finditer(scan)]
    return list(dict.fromkeys(found))


def status(text: str, names: list[str]) -> int | None:
    """The HTTP status the paste names, wherever it says it; the SDK class's status as a last resort."""
    scan = without_urls(text[:_SCAN])
    lowered = scan.lower()
    for pattern in _STATUS_PATTERNS:
        for match in pattern.finditer(scan, lowered):
            digits = next((g for g in match.groups() if g), None)
            if digits and int(digits) in _VALID_STATUS:
                return int(digits)
    title = _TITLE_STATUS.search(text[:_SCAN])
    if title and int(title.group(1)) in _VALID_STATUS:
        return int(title.group(1))
    for name in reversed(names):
        last = name.rsplit(".", 1)[-1].lower()
        # Volcengine Ark's SDK (volcenginesdkarkruntime/_exceptions.py, byteplussdkarkruntime the same) names the
        # openai SDK's classes with an "Ark" prefix: ArkRateLimitError is 429, ArkNotFoundError 404
        bare = last[3:] if last.startswith("ark") and last[3:] in _SDK_STATUS else last
        code = _SDK_STATUS.get(bare) or SDK_STATUS.get(last)
        if code:
            return code
    return None


_FRAME = re.compile(r"^\s*(?:File \"|at |\^+\s*$|~+\s*$|Traceback \(most recent call last\)|During handling|"
                    r"The above exception|\[\d+\]\s|-{5,})")


def message_lines(text: str) -> str:
    """The paste without traceback frames and the source lines under them, URLs blanked: what the error *says*.

    A whole traceback would mislead the API rules (a path like `.../auth/...` is not an auth error).
    """
    kept: list[str] = []
    skip_code = False
    for line in text[:_SCAN].splitlines():
        if _FRAME.match(line):
            skip_code = line.lstrip().startswith("File")
            continue
        if skip_code and line.startswith((" ", "\t")):
            skip_code = False
            continue
        skip_code = False
        kept.append(line)
    return _REASON_PHRASE.sub(_status_only, without_urls("\n".join(kept)))[:8192]


# httpx's and requests' raise_for_status() texts carry the status's reason phrase ("Client error '429 Too Many
# Requests' for url", "429 Client Error: Too Many Requests for url"): that phrase is the status said again, not
# words of the server's answer, so it must not read as a body that names a cause.
_REASON_PHRASE = re.compile(r"((?:client|server) error '\d{3})(?: [a-z][a-z' -]*)?(' for url)|"
                            r"(\d{3} (?:client|server) error): [a-z][a-z' -]*?( for url)", re.I)


def _status_only(match: re.Match[str]) -> str:
    return "".join(g for g in match.groups() if g)


def provider_guess(text: str) -> str | None:
    """The provider the text was sent to: the one its URLs name first, else the first its words name.

    The URL goes first because a model's name is also a provider's name: "model 'mistral' not found" from
    http://localhost:11434 is Ollama's answer, and its fix must not ask for a Mistral key."""
    lowered = text[:_SCAN].lower()
    called = " ".join(_called_urls(lowered))
    for haystack in (called, lowered) if called else (lowered,):
        for provider, pattern in _provider_hints():
            if pattern.search(haystack, haystack):
                return provider
    return None


def _called_urls(text: str) -> list[str]:
    """The URLs a text names, but documentation and forum links (`see https://platform.openai.com/docs/…`)."""
    urls = _URL.findall(text)
    if not urls:
        return urls
    from llmdoctor.urls import is_reference_link

    return [url for url in urls if not is_reference_link(url)]


@functools.cache
def _provider_hints() -> tuple[tuple[str, Lazy], ...]:
    """Each provider's pattern compiled only for a text that holds one of its names (most texts name one)."""
    return tuple((provider, Lazy(pattern)) for provider, pattern in _PROVIDER_HINTS)


def request_id(text: str) -> str | None:
    match = _REQUEST_ID.search(text[:_SCAN])
    return match.group(1) if match else None


def line_of(text: str, match: re.Match[str]) -> str:
    """The (redacted, shortened) line a match sits on, to quote back as evidence."""
    start = text.rfind("\n", 0, match.start()) + 1
    end = text.find("\n", match.end())
    line = text[start:end if end != -1 else len(text)].strip()
    line = redact_text(" ".join(line.split()))
    return line if len(line) <= 240 else line[:239] + "…"


_TAG = Lazy(r"<(script|style)\b.*?</\1>|<[^>]*>", re.I | re.S)  # compiled on the first HTML page
_BARE_STATUSES = (403, 429, 503)  # the statuses whose number alone has several meanings (explain.rank)


def bare_page(text: str, status: int) -> bool:
    """An HTML page that says its status and nothing else (a server's default page for 403, 429 or 503).

    Such a page does not tell a key's permission from a region block or a WAF, and is not an API's answer
    either: explain reads it as the status alone.
    """
    if status not in _BARE_STATUSES or not HTML.search(text):
        return False
    start = HTML.search(text)
    page = text[start.start() if start else 0:]
    visible = " ".join(_TAG.compiled().sub(" ", page).split())
    phrases = "|".join(re.escape(p) for p in REASONS.get(status, ()))
    left = re.sub(rf"\b{status}\b|{phrases}|error|[^\w]", "", visible, flags=re.I)
    return not left
