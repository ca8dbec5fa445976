"""Reads "the server got no key in the header it reads": an empty key, or the key in another header.

Anthropic answers 401 "x-api-key header is required" when the request carried nothing in *its own* header.
Two configurations send that: a key variable that is empty (the client then leaves the header out), and a
key sent as `Authorization: Bearer` by an OpenAI-style client, gateway or proxy pointed at the API
(qwen-code#4323, sxueck/llm-gateway#5, pydantic-ai-gateway#75 are that bug). The answer alone does not say
which; the text around it sometimes does:

- the official SDK (or a framework built on it) raised it: it always puts the key in the right header,
  so the key it had was empty (the signature table's "SDK + no credentials" row, `config.missing_key` >= 0.78);
- the paste shows a Bearer / Authorization header, or says it used one: the header is the wrong one.

Otherwise both stay candidates and explain says the text does not tell. OpenAI's and OpenRouter's own
"no key" answers ("You didn't provide an API key", "No auth credentials found") are not read here: every
OpenAI-compatible client sends `Authorization: Bearer`, so at those APIs a missing key is the reading.
"""

from __future__ import annotations

import re

from llmdoctor.explain.match import Found
from llmdoctor.signatures.evidence import keep_stronger
from llmdoctor.signatures.prefilter import Lazy

# The API names the header it reads and says it was not there (Anthropic's authentication_error text). Azure API
# Management's "missing subscription key" is not read here: the Azure SDKs refuse to start without a key, so
# there it is the api-key header sent where APIM reads Ocp-Apim-Subscription-Key (apierrors/answers.py)
_OWN_HEADER_MISSING = Lazy(r"x-api-key header is required", re.I)
# A server that names no API and says its Authorization header was absent (OpenRouter's older "Missing
# Authentication header", gateways' "Missing Authorization Header"): the official SDKs refuse to start without a
# key, so this comes from a client that sent no header at all, empty key or not (cline#9522, llm-openrouter#6,
# claude-mem#1946 are both kinds). A Bearer header in the paste is then no sign of a wrong header.
# RAGFlow's token_required (api/utils/api_utils.py) says it in its own words: get_json_result(data=False,
# message="`Authorization` can't be empty"), the same request without an Authorization header
_AUTHORIZATION_MISSING = Lazy(r"missing authori[sz]ation header|missing authentication header|"
                              r"`authorization` can'?t be empty", re.I)
# DeepSeek's 401 when the Authorization value is not "Bearer sk-...": an empty key ("Bearer "), a value that is no
# API key (a desktop account's token, a key without its sk-), or another header. Quoted in projects' notes: empty
# keys ("API Key 长度: 0"), a saved value that "does not start with sk-", the key put in without "Bearer ".
_BEARER_FORMAT = Lazy(r"auth header format should be bearer", re.I)
# The key went out as a Bearer token: a header dump or the user's code shows it
_SENT_AS_BEARER = Lazy(r"['\"]?authorization['\"]?\s*[:=]\s*['\"]?bearer\s+\S{4,}|-h\s+['\"]authorization:", re.I)
_SDK_SAID_EMPTY = 0.78  # signatures.frameworks: an SDK's or framework's call, which always sends its header

_MISSING = ("config.missing_key", 0.5)
_HEADER = ("auth.wrong_header", 0.45)


def read(text: str, found: Found, vague: Found) -> None:
    """Settles or opens a "no key in our header" answer; leaves every other text alone."""
    scan = text[:200_000]
    hit = _OWN_HEADER_MISSING.search(scan, scan.lower())
    generic = None if hit else _AUTHORIZATION_MISSING.search(scan, scan.lower())
    shape = None if hit or generic else _BEARER_FORMAT.search(scan, scan.lower())
    generic = generic or shape
    hit = hit or generic
    if not hit:
        return
    if found.get("config.missing_key", (0.0,))[0] >= _SDK_SAID_EMPTY:
        found.pop("auth.wrong_header", None)
        return
    if not generic and _SENT_AS_BEARER.search(scan, scan.lower()):
        keep_stronger(found, "auth.wrong_header", 0.88, "The API says its own key header was missing while the "
                      "request carried the key as Authorization: Bearer: the key is in the wrong header.")
        found.pop("config.missing_key", None)
        return
    stronger = [c for c, (confidence, _) in found.items()
                if confidence >= 0.9 and c not in ("auth.wrong_header", "config.missing_key", "auth.invalid_key")]
    if stronger:
        return
    message = (f"The API says {hit.group(0)!r}: the request reached it without a key in that header, either because "
               "the key is empty or because the client sent it in another header or not at all.")
    for cause in ("auth.wrong_header", "config.missing_key", "auth.invalid_key"):
        if cause in found:
            confidence, said = found.pop(cause)
            if cause == "auth.invalid_key":  # "authentication_error" and the 401 say nothing the header words do not
                continue
            keep_stronger(vague, cause, min(confidence, 0.5), said)
    for cause, confidence in (_MISSING, _HEADER, *((("config.key_malformed", 0.45),) if shape else ())):
        keep_stronger(vague, cause, confidence, message)
