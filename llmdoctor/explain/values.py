"""The values explain's fix steps are written with: the URL or host the pasted error names.

A fix that says "check https://api.example.com/v1" helps only when that is the URL the user called, so
the values come from the text first, then from the guessed provider; nothing known, nothing filled
(`llmdoctor.fixvalues` then leaves those steps out rather than print a placeholder).
"""

from __future__ import annotations

import functools
import re

_URL = re.compile(r"https?://[A-Za-z0-9.\-\[\]:]+(?:/[^\s'\"<>)]*)?")


# The path an SDK appends to its base URL (OpenAI's, Anthropic's, Gemini's `models/<m>:generateContent`), and the
# native routes of local servers (Ollama's /api/*, llama.cpp's /completion and /infill, TGI's and vLLM's /generate):
# what is left in front of either is the base URL the user set. A native route's caller set the server's root, and
# the server that does not serve it is asked what it does speak: the OpenAI-compatible list under /v1, which Ollama,
# llama.cpp, vLLM, TGI and LM Studio all serve.
_SDK_TAIL = re.compile(r"/(?:chat/completions|completions|embeddings|responses|moderations|rerank|files|batches|"
                       r"images/\w+|audio/\w+|messages(?:/count_tokens)?|complete|models(?:/[^/]+)?)/?$", re.I)
_NATIVE_TAIL = re.compile(r"/(?:api/(?:chat|generate|embed|embeddings|tags|show|pull|ps|version)|completion|infill|"
                          r"generate|generate_stream)/?$", re.I)
_VERSION = re.compile(r"/v\d+(?=/|$)")
_V1 = re.compile(r"/v1(?=/|$)")
_ANTHROPIC_CALL = re.compile(r"/v1/messages(?:/count_tokens)?/?$")


def base_of(called: str, *, anthropic: bool = False) -> str:
    """The base URL behind a URL the client called: `https://x/v1/chat/completions` -> `https://x/v1`.

    Without this, the URL called is taken for the base and the models list is asked under the endpoint
    (`…/api/chat/models`), a command that cannot answer anything useful. A URL none of these shapes fit is
    kept: it may well be the base URL the error prints ("base_url=https://relay.example.com/v1")."""
    url = called.split("#", 1)[0].split("?", 1)[0]
    scheme, sep, rest = url.partition("://")
    host, slash, path = rest.partition("/")
    path = slash + path
    native = _NATIVE_TAIL.search(path)
    if native is not None:
        path = path[:native.start()]
        if not anthropic and not _VERSION.search(path):
            path += "/v1"
    else:
        tail = _SDK_TAIL.search(path)
        path = path[:tail.start()] if tail is not None else path
    v1 = _V1.search(path)
    if v1 is not None:  # what follows /v1 is a doubled path or an endpoint: the base ends there (Anthropic's before)
        path = path[:v1.start()] if anthropic else path[:v1.end()]
    return f"{scheme}{sep}{host}{path.rstrip('/')}"


@functools.cache
def _model_pattern() -> re.Pattern[str]:
    """How servers name the model they do not have: Ollama's "model 'x' not found", OpenAI's "The model `x` does
    not exist", vLLM's and LM Studio's "The model \"x\" does not exist", LiteLLM's "Invalid model name passed in
    model=x"; the name in the characters a fix step can carry (fixvalues.MODEL_NAME)."""
    from llmdoctor.fixvalues import MODEL_NAME

    name = f"({MODEL_NAME})"
    return re.compile(rf"\bmodel[ :]*\\?[\"'`]{name}\\?[\"'`] (?:is )?(?:not found|does not exist)|"
                      rf"invalid model name passed in model={name}", re.I)


def model_named(text: str) -> str | None:
    """The model a server says it does not have, as the text names it (for `ollama pull {model}`)."""
    found = _model_pattern().search(text[:200_000])
    return (found.group(1) or found.group(2)) if found else None


# The limit a client says it gave up at, in its own template: .NET's HttpClient (Strings.resx
# net_http_request_timedout "The request was canceled due to the configured HttpClient.Timeout of {0} seconds
# elapsing."), libcurl's CURLE_OPERATION_TIMEDOUT (lib/transfer.c "Operation timed out after %ld milliseconds with
# ..."), axios (lib/adapters/http.js 'timeout of ' + timeout + 'ms exceeded'), got (source/core/timed-out.ts
# "Timeout awaiting '{event}' for {threshold}ms"), node-fetch 2 (src/body.js "... (over {timeout}ms)"), opencode's
# "headers timed out after 10000ms". Seconds first, then milliseconds.
_TIMEOUT = (r"configured httpclient\.timeout of ([\d.,]+) seconds|"
            r"(?:operation timed out after|timeout of|timeout awaiting '\w+' for|\(over|timed out after) (\d+) ?ms\b|"
            r"operation timed out after (\d+) milliseconds")
_timeout: list[re.Pattern[str]] = []  # compiled for a text that says "timeout"/"timed out" only


def timeout_named(text: str) -> str | None:
    """The client's limit as the text states it, in seconds ("100 s"), or None when it names none."""
    head = text[:200_000]
    lowered = head.lower()
    if "time" not in lowered:
        return None
    if not _timeout:
        _timeout.append(re.compile(_TIMEOUT, re.I))
    found = _timeout[0].search(head)
    if found is None:
        return None
    seconds_said, ms_short, ms_long = found.groups()
    if seconds_said:
        return f"{seconds_said.replace(',', '')} s"
    milliseconds = int(ms_short or ms_long)
    return f"{round(milliseconds / 1000)} s" if milliseconds >= 1000 else f"{milliseconds} ms"


def fix_values(text: str, provider: str | None) -> dict[str, str | None]:
    """The fix-step values (llmdoctor/fixvalues.py) for the URL the error names, else the guessed provider's own."""
    values = _call_values(text, provider)
    model = model_named(text)
    if model:
        values["model"] = model
    timeout = timeout_named(text)
    if timeout:
        values["timeout"] = timeout
    from llmdoctor.apierrors.match import placeholder_named

    placeholder = placeholder_named(text)
    if placeholder:
        values["placeholder"] = placeholder
    return values


def _called(text: str) -> re.Match[str] | None:
    """The first URL the text names that is not a documentation or forum link (urls.is_reference_link)."""
    for found in _URL.finditer(text[:200_000]):
        from llmdoctor.urls import is_reference_link  # only for a text that names a URL

        if not is_reference_link(found.group(0)):
            return found
    return None


def _call_values(text: str, provider: str | None) -> dict[str, str | None]:
    found = _called(text)
    if found is None and not provider:
        return {}  # nothing to fill: spare explain's start-up the provider table and the config module
    from llmdoctor import providers
    from llmdoctor.config import Sourced, Target
    from llmdoctor.fixvalues import target_values

    try:
        known = providers.get(provider) if provider else None
    except (KeyError, ValueError):
        known = None
    if found is None and known is None:
        return {}
    if found is not None:
        called = found.group(0).rstrip(".,;:`")  # Guzzle quotes the URL in backticks
        if known is None and _ANTHROPIC_CALL.search(called.split("?", 1)[0]):
            known = providers.get("anthropic")  # the Messages API's path: list models the way its servers answer
        url = base_of(called, anthropic=known is not None and known.api == "anthropic")
    else:
        assert known is not None
        url = known.base_url
    chosen = known or providers.get("relay")
    try:
        return target_values(Target(chosen.id, chosen, Sourced(url, "pasted")))
    except Exception:  # a URL the text garbled: no values rather than wrong ones
        return {}


# Where a pasted TLS failure was connecting: a URL, urllib3's pool ("host='x', port=443"), aiohttp's "Cannot connect
# to host x:443", curl's "Connected to x (1.2.3.4) port 443", Claude Code's "Failed to connect to x:".
_ENDPOINT = (r"https://([A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z]{2,})(?::(\d{1,5}))?|"
             r"host='([A-Za-z0-9][A-Za-z0-9.-]*)', port=(\d{1,5})|"
             r"connect to host ([A-Za-z0-9][A-Za-z0-9.-]*):(\d{1,5})|"
             r"connected to ([A-Za-z0-9][A-Za-z0-9.-]*) \([^)]*\) port (\d{1,5})|"
             r"failed to connect to ([A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z]{2,})(?::(\d{1,5}))?")
_endpoint: list[re.Pattern[str]] = []  # compiled on the first line that needs it: not on explain's start-up


# A text that names no host: the command would keep a placeholder and not run as written, so the line
# says what to look for without it (the live tls check reads the certificate where the call fails).
_SHOW_ISSUER = "openssl s_client -connect HOST:443 -showcerts </dev/null | grep 'i:'"
_SHOW_DATES = "openssl s_client -connect HOST:443 </dev/null | openssl x509 -noout -dates "
_HOSTLESS = ((": " + _SHOW_ISSUER, ""), ("：" + _SHOW_ISSUER, ""),
             (_SHOW_DATES + "shows notAfter ", "the certificate's notAfter date is "),
             (_SHOW_DATES + "显示 notAfter ", "证书的 notAfter "))


def _hostless(line: str) -> str:
    for command, instead in _HOSTLESS:
        line = line.replace(command, instead)
    return line


def with_endpoint(line: str, text: str) -> str:
    """A "what would show it" line with HOST:443 filled from the text, so its command runs as written."""
    if "HOST:443" not in line:
        return line
    if not _endpoint:
        _endpoint.append(re.compile(_ENDPOINT, re.I))
    from llmdoctor.urls import is_reference_link

    found = next((m for m in _endpoint[0].finditer(text[:200_000]) if not is_reference_link(m.group(0))), None)
    if found is None:
        return _hostless(line)
    groups = found.groups()
    host, port = next((h, p) for h, p in zip(groups[0::2], groups[1::2], strict=True) if h)
    return line.replace("HOST:443", f"{host}:{port or 443}")
