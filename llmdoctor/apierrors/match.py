"""Matches a parsed error against the rows in `rules.py` and collects the causes it shows."""

from __future__ import annotations

import math
import re
from typing import Any

from llmdoctor.apierrors.headers import _wait_seconds
from llmdoctor.apierrors.parse import _PLAIN_TO_TLS, Parsed
from llmdoctor.apierrors.rank import adjust
from llmdoctor.apierrors.rules import (
    _ECHOED_KEY,
    _KEY_FAMILIES,
    _LITELLM,
    _LITELLM_GROUP,
    _LITELLM_NO_DB,
    _LITELLM_TEXT,
    _LITELLM_UPSTREAM,
    _ONE_API_ID,
    _PROVIDER_FAMILY,
    _RATE_LINE,
    _RELAY_OWN_TOKEN,
    _RETRY_IN,
    _UPSTREAM_KEY,
    LITELLM_ROUTER_404,
    _compiled_rules,
)
from llmdoctor.signatures.evidence import keep_stronger


def _family(provider: str | None) -> str | None:
    return _PROVIDER_FAMILY.get(provider, provider) if provider else None


# An Azure OpenAI resource key (32 hex digits, Azure portal "Keys and Endpoint") as OpenAI echoes it: the first 8
# and last 4 characters, the middle masked to the key's length ("774ada94********************f98c", autogen issue
# 2875: a config with DeploymentModelName and Endpoint passed to AddOpenAIChatCompletion; crewAI issue 1505 on Azure
# ML). OpenAI's own keys start with sk-; a 12-character hex sample of any other provider's mixed-case key is rare
_AZURE_KEY_ECHO = re.compile(r"[0-9a-f]{8}\*{20}[0-9a-f]{4}")


def _key_wrong_provider(haystack: str, provider: str | None) -> str | None:
    """OpenAI-style answers quote the start of the rejected key; its prefix names its real provider."""
    match = _ECHOED_KEY.search(haystack)
    if not match:
        return None
    echoed = match.group(1).lower()
    family = next((fam for prefix, fam in _KEY_FAMILIES if echoed.startswith(prefix)), None)
    if family is None and _AZURE_KEY_ECHO.fullmatch(echoed):
        family = "azure"
    expected = _family(provider)
    if family is None or family == expected:
        return None
    if expected is None and family == "openai":
        return None
    if expected in ("relay", "openrouter") and family == "openai":
        return None
    return family


# "Incorrect API key provided: <echo>. You can find ..." (OpenAI), "Your api key: ****abcd is invalid" (DeepSeek)
_ECHO = re.compile(r"(?:api key provided|your api key)\s*:\s*(\S*?)(?:\.(?:\s|$)|\s+is\s+invalid|\s*$)", re.I)
_ECHO_EMPTY = ("", "undefined", "null", "none", ".", "''", '""')
_UNEXPANDED = re.compile(r"\$\{?[A-Za-z_][A-Za-z0-9_*]*\}?|%[A-Za-z_][A-Za-z0-9_*]*%")
_PLACEHOLDER_WORDS = re.compile(r"your|here|xxx|placeholder|replace|insert|paste", re.I)
# Whole echoes that are the stand-ins docs and templates put where a key goes: LangChain4j's "demo" key (its docs'
# `apiKey("demo")`, valid only at its own demo proxy), "changeme", "dummy" (the value local servers accept and the
# real API refuses), "example", "test"
_STAND_INS = ("demo", "changeme", "dummy", "example", "test")
# A variable's name sent as the key ("OPENAI_A**_KEY" is "OPENAI_API_KEY" masked, "****_KEY" a shorter one): a key
# *was* configured, and its text is the name that docs and templates write where the key goes (`api_key=
# "OPENAI_API_KEY"`, `OPENAI_KEY=OPENAI_API_KEY` in a .env): a stand-in never replaced, so config.key_placeholder
# (docs/causes.md: "a value copied from an example"), not config.missing_key ("the key variable is unset or empty",
# which the echo cannot show). An unexpanded "$OPENAI_API_KEY" is the other reading: a reference that was meant to be
# expanded and was not, so the client had no key. Upper-case words joined by "_", ending in KEY or TOKEN; OpenAI masks
# the middle with "*".
_VARIABLE_NAME = re.compile(r"[A-Z][A-Z0-9*]*(?:_[A-Z0-9*]+)*_(?:KEY|TOKEN)")
# OpenAI's whole sentence, for an echo with spaces in it: "Incorrect API key provided: You are ****tep.. You can
# find your API key at ..." (a sentence pasted into the key field)
_ECHO_SENTENCE = re.compile(r"api key provided\s*:\s*(.+?)\.\s+you can find your api key", re.I)
# Code sent as the key's text ("process.env.OPENAI_API_KEY", 'os.getenv("OPENAI_API_KEY")'): the expression was
# quoted instead of evaluated, so the variable was never read
_CODE_EXPRESSION = re.compile(r"process\.env\.|os\.(?:getenv|environ)|import\.meta\.env\.", re.I)
# DeepSeek masks all but the last four characters: "****null", "****ined" (undefined), "****None" is an unset value
_MASKED_UNSET = ("null", "ined", "none")
# the docs' example keys: "sk-xxxxxxxx", "sk-..." / "sk-…" (OpenAI's own docs write "sk-..." for "your key here"); a
# real key OpenAI echoes keeps its first characters and last four ("sk-abc1***wxyz"), never dots only
_TEMPLATE_X = re.compile(r"sk-(?:proj-)?(?:x{4,}|(?:\.{2,}|\u2026)$)", re.I)


def _echoed_key_shape(message: str) -> str | None:
    """What the echoed key says about the configuration: unset, a URL or template, a quote, a variable name."""
    match = _ECHO.search(message)
    if not match:
        sentence = _ECHO_SENTENCE.search(message)
        raw = sentence.group(1) if sentence else ""
        words = raw.strip()
        if re.search(r"[\r\n\t]", raw):
            return "config.key_whitespace"  # the answer's JSON held the key's line break, now a real one
        if words.lower().startswith("bearer "):
            return "config.key_whitespace"  # "Bearer sk-...": the SDK adds "Bearer " itself
        if " " in words and words[:1] not in "\"'":
            return "config.key_malformed"  # words, not a key: some other text was pasted into the key's place
        return None
    echo = match.group(1).strip()
    bare = echo.strip("*").strip()
    if echo.lower() in _ECHO_EMPTY or _UNEXPANDED.fullmatch(echo.strip("'\"")) or (
            _CODE_EXPRESSION.search(echo)) or (echo.startswith("*") and bare.lower() in _MASKED_UNSET):
        return "config.missing_key"  # "$OPENAI_API_KEY", "${OPENAI_API_KEY}", "%OPENAI_API_KEY%": never expanded
    if _VARIABLE_NAME.fullmatch(echo.strip("'\"")) or echo.strip("'\"").lower() in _STAND_INS:
        return "config.key_placeholder"  # "OPENAI_A**_KEY", "YOUR_OPE***_KEY": the name written where the key goes
    if "\\n" in echo or "\\r" in echo:
        return "config.key_whitespace"  # a line break kept from a file or `echo`, JSON-escaped in the answer
    if _TEMPLATE_X.match(echo) or (echo[:1] == "<" and _PLACEHOLDER_WORDS.search(echo)):
        return "config.key_placeholder"  # "sk-xxxxxxxx", "<your-api-key>"
    if echo.lower().startswith(("http://", "https://")) or any(c in echo for c in "{}$<>"):
        return "config.key_malformed"
    if echo[-1:] in "\"'" or " " in echo:
        return "config.key_whitespace"
    if not echo.lower().startswith("sk-") and _PLACEHOLDER_WORDS.search(echo):
        return "config.key_placeholder"  # "ADD_YOUR*****HERE", "your-a****-key": the template's text was never replaced
    if re.search(r"(?:_|-)?key$", bare, re.I) and "*" in echo:
        return "config.key_placeholder"
    if "*" not in echo and len(echo) < 8 and not echo.lower().startswith("sk-"):  # LiteLLM's sk-1234 is a key
        return "config.key_malformed"
    return None


def _foreign_key_for_openai(message: str) -> bool:
    """OpenAI keys start with sk-; a masked key with another prefix sent to OpenAI is some other service's."""
    match = _ECHO.search(message)
    if not match or "platform.openai.com" not in message.lower():
        return False
    echo = match.group(1).strip()
    if _VARIABLE_NAME.fullmatch(echo.strip("'\"")) or _PLACEHOLDER_WORDS.search(echo):
        return False  # "OPENAI_A**_KEY", "YOUR_OPE***_KEY": a stand-in's words, not another service's key prefix
    return "*" in echo and re.match(r"[A-Za-z]{2,8}[-_]", echo) is not None and not echo.lower().startswith("sk-")


# The start of a stand-in a grep can look for: the server masks the rest ("YOUR_OPE***_KEY"); characters a
# single-quoted shell word and `grep -F` take as written
_GREPPABLE = re.compile(r"[A-Za-z0-9._<>@+-]+")


def placeholder_named(message: str) -> str | None:
    """The unmasked start of an echoed stand-in key ("YOUR_OPE" of "YOUR_OPE***_KEY"), for the fix's grep.

    Only an echo `_echoed_key_shape` reads as a stand-in's words: a real key's start is never printed. Too short a
    start ("demo", "sk-") would match every line of a project, so it fills nothing and the grep step is left out.
    """
    if "api key" not in message[:200_000].lower() or _echoed_key_shape(message) != "config.key_placeholder":
        return None
    match = _ECHO.search(message)
    if not match:
        return None
    echo = match.group(1).strip().strip("'\"")
    start = echo.split("*", 1)[0]
    if not _GREPPABLE.fullmatch(start) or len(start) < (6 if start == echo else 5):
        return None
    return start


def _html_causes(status: int | None, parsed: Parsed) -> list[tuple[str, float, dict[str, Any]]]:
    title = parsed.html_title.lower()
    head = parsed.text[:65536].lower()
    if _PLAIN_TO_TLS.search(head):  # nginx's and Cloudflare's 400 page for plain HTTP at a TLS port
        return [("tls.protocol_mismatch", 0.95, {})]
    if "error 1009" in head or "banned the country or region" in head:  # Cloudflare: country or region blocked
        return [("auth.region_blocked", 0.85, {"cloudflare_block": True})]
    if "you have been blocked" in head or re.search(r"error (?:1006|1007|1008|1020)\b", head):
        return [("auth.region_blocked", 0.65, {"cloudflare_block": True}), ("endpoint.not_an_api", 0.4, {})]
    if status == 401 and not title.startswith("just a moment") and "attention required" not in title \
            and not re.search(r"log ?in|sign ?in|portal|hotspot|登录|认证|captive", title):
        # nginx's or openresty's own "401 Authorization Required" page from the API's gateway (Perplexity answers
        # a bad key so, with Cloudflare's passive challenge-platform script inside): credentials refused
        return [("auth.invalid_key", 0.72, {}), ("endpoint.not_an_api", 0.4, {})]
    if title.startswith("just a moment") or "attention required" in title or "cf-chl" in head \
            or re.search(r"challenge-platform(?!/scripts/jsd/)", head):
        return [("endpoint.not_an_api", 0.85, {"cloudflare_challenge": True})]
    if status == 407:
        return [("proxy.auth_failed", 0.9, {})]
    if status == 413:  # nginx's or a gateway's body-size limit ("413 Request Entity Too Large" page)
        return [("request.too_large", 0.88, {})]
    if status == 429:  # a gateway's or CDN's own rate limit page (nginx limit_req, Cloudflare 1015)
        return [("ratelimit.exceeded", 0.85, {})]
    if re.search(r"log ?in|sign ?in|portal|hotspot|wi-?fi|登录|认证|captive", title):
        return [("endpoint.not_an_api", 0.85, {"captive_portal": True})]
    if status is not None and (status in (502, 503, 504) or 520 <= status <= 527):
        return [("gateway.error", 0.85, {})]
    if status == 404:
        return [("endpoint.not_found", 0.85, {})]
    if status == 403 and "cloudflare" in head:
        return [("endpoint.not_an_api", 0.7, {}), ("auth.region_blocked", 0.45, {})]
    return [("endpoint.not_an_api", 0.8, {})]


_Found = dict[str, tuple[float, dict[str, Any]]]

# Moonshot's (Kimi's) 404 echoes the path it got: {'code': 5, 'error': 'url.not_found', 'message': '没找到对象',
# 'method': 'POST', ..., 'url': '/chat/completions'} (its string `error` leaves the rest out of the parsed body, so
# read the text). Its API lives under /v1 (https://api.moonshot.cn/v1): a path without /v1/ ('/chat/completions',
# '/v11/chat/completions') is a base URL that lacks or misspells /v1 (MaxKB issue 190: the fix was the base URL).
# '/v1/responses' is a path Moonshot does not serve at all, left to the 404 rows
_MOONSHOT_PATH = re.compile(r"""['"]error['"]\s*:\s*['"]url\.not_found['"]"""
                           r"""[\s\S]{0,300}?['"]url['"]\s*:\s*['"](/[^'"]*)""")


def _add(found: _Found, cause: str, conf: float, extra: dict[str, Any] | None = None) -> None:
    keep_stronger(found, cause, conf, extra or {})


_WRAP_GAP = re.compile(r"(?<=[a-z,])[ \t]{2,}(?=[a-z])")


_API_ERROR_TYPE = re.compile(r"\bapi_error\b")


def _match_rules(status: int | None, parsed: Parsed, provider: str | None, endpoint: str,
                 facts: dict[str, Any], found: _Found) -> None:
    parts = [parsed.err_type, parsed.err_code, parsed.err_status, *parsed.reasons, parsed.message]
    if not parsed.is_json:
        parts.append(parsed.text[:8192])
    # a terminal that wrapped the message indents the rest ("This organization has been     disabled.")
    haystack = _WRAP_GAP.sub(" ", "\n".join(p.strip() for p in parts if p).lower())

    litellm = re.search(r"litellm\.(\w+)", haystack)
    if litellm and litellm.group(1) in _LITELLM:
        facts["relay"] = "litellm"
        router_404 = litellm.group(1) == "notfounderror" and LITELLM_ROUTER_404.search(haystack)
        _add(found, _LITELLM[litellm.group(1)], 0.45 if router_404 else 0.8)
        upstream = _LITELLM_UPSTREAM.search(haystack)
        group = _LITELLM_GROUP.search(parsed.message or parsed.text[:8192])
        if group:
            facts["model_group"] = (group.group(1) or group.group(2))[:100]
        if upstream:
            facts["upstream_provider"] = upstream.group(1)
        if litellm.group(1) == "authenticationerror":
            # "OpenAIException - Incorrect API key" inside a litellm.AuthenticationError (measured, LiteLLM
            # 1.108): the proxy took the user's key, its upstream refused the key in LiteLLM's config;
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
        if pattern.search(haystack, haystack):  # the haystack is lower-cased already
            _add(found, cause, conf)
            matched = True
    if _API_ERROR_TYPE.search(haystack) and (status is None or status >= 500):
        # Anthropic's and OpenAI's type for their own failures. Ollama's NewError (openai/openai.go) gives it to
        # every status but 400 and 404 (older releases to 404 too: "model not found"), so below 500 it says nothing
        _add(found, "server.error", 0.8)
        matched = True
    matched = _provider_codes(parsed, provider, facts, found) or matched
    if not matched:
        for cause, conf, pattern in fallback:
            if pattern.search(haystack, haystack):
                _add(found, cause, conf)
                matched = True
                break

    _relay_codes(parsed, facts, found, haystack)
    moonshot = _MOONSHOT_PATH.search(parsed.text[:8192])
    if moonshot and not moonshot.group(1).startswith("/v1/"):
        _add(found, "config.base_url_invalid", 0.92)

    wrong = _key_wrong_provider(haystack, provider)
    if wrong:
        facts["key_looks_like"] = wrong
        _add(found, "auth.key_wrong_provider", 0.85)
    elif _foreign_key_for_openai(parsed.message or parsed.text[:8192]):
        _add(found, "auth.key_wrong_provider", 0.8)
    shape = _echoed_key_shape(parsed.message or parsed.text[:8192])
    if shape and "auth.invalid_key" in found:
        _add(found, shape, 0.88)

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

    adjust(status, parsed, provider, endpoint, facts, found)


def _provider_codes(parsed: Parsed, provider: str | None, facts: dict[str, Any], found: _Found) -> bool:
    """A provider's own error code (data/provider_codes.json) is structured evidence: it comes before the
    generic fallback words and stands beside what the message's words say."""
    from llmdoctor.apierrors import codes

    text = parsed.text if not parsed.is_json else "\n".join([parsed.text[:20000], parsed.message])
    hits = codes.lookup([parsed.err_code, parsed.err_type], text, provider)
    for hit in hits:
        facts.setdefault("provider_code", hit.code[:64])
        facts.setdefault("code_provider", hit.provider)
        _add(found, hit.cause, hit.confidence)
    return bool(hits)


def _relay_codes(parsed: Parsed, facts: dict[str, Any], found: _Found, haystack: str) -> None:
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
