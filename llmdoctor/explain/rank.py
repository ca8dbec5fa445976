"""Weighs what the API answer and the transport signs showed, and says when the text does not tell.

A verdict needs one cause the text names with some confidence. A text whose only signs are vague
(`Connection error.`, a reset with no step, a bare 429 with no body) gets its candidates and what
would tell them apart instead: a weak guess is never presented as the verdict.
"""

from __future__ import annotations

import re

from llmdoctor.apierrors import Classified
from llmdoctor.explain.match import Found, Transport
from llmdoctor.signatures.evidence import keep_stronger

# A 404 body that says only "Not Found" (FastAPI's {"detail": "Not Found"}, Anthropic's not_found_error "Not Found",
# an Express-style router's "Route not found"): the router found no such path; an API that lacks a model names it
# Express' common 404 handler, res.status(404).json({message: `Route ${req.originalUrl} not found`}) (claude-relay-
# service answers so), and Anthropic's own router 404 as Go clients print it unquoted ("type: not_found_error,
# message: Not Found"; an unknown model there says "model: <name>")
_ROUTER_404 = re.compile(r"""['"](?:message|detail|error)['"]\s*:\s*['"](?:route )?not found['"]|"""
                         r"""\b404 page not found\b|"""  # Go net/http's NotFound body (Ollama, Go relays)
                         r"""\broute /[^\s'"]{0,200} not found\b|"""
                         r"""not_found_error\W{1,6}message\W{1,4}not found(?:error\b|[\s'",}]|$)""", re.I)
# a 404 the client says came without a body: openai-node's "404 status code (no body)", Spring's RestClient
# "404 Not Found: [no body]" and Spring AI's "HTTP 404 - No response body available"
_NO_BODY = re.compile(r"\bno (?:response )?body\b", re.I)
VERDICT_CONFIDENCE = 0.6  # below this the strongest cause is a candidate, not a verdict
# A status with no words about it: these statuses have several common meanings.
_STATUS_ONLY_OPEN = {
    429: (("ratelimit.exceeded", 0.5), ("quota.insufficient", 0.45)),
    403: (("auth.permission_denied", 0.45), ("auth.region_blocked", 0.35), ("proxy.blocked", 0.3)),
    503: (("server.overloaded", 0.45), ("gateway.error", 0.4), ("server.error", 0.35)),
    # a bare 404 ("404 Client Error: Not Found for url: .../v1/chat/completions"): a model or a path
    404: (("model.not_found", 0.45), ("config.base_url_invalid", 0.4), ("endpoint.not_found", 0.35)),
    # a bare 405 (FastAPI's {"detail":"Method Not Allowed"}, Go's "405 method not allowed"): the URL reached a route
    # that takes another method. An SDK always POSTs a completion, so that is a site where the API should be, or a
    # path the server serves for GET only; a GET sent by hand to a POST route reads the same. Nothing in it says
    # which. (nginx's own "405 Not Allowed" page, its answer to POST at a static file, reads as the web page it is.)
    405: (("config.base_url_invalid", 0.45), ("endpoint.not_found", 0.4)),
    # a 400 with its body cut off (requests' raise_for_status: "Bad Request for url: ..."): OpenAI-style APIs answer
    # 400 for a malformed request, an input over the context window and, on many relays, an unknown model
    400: (("request.invalid", 0.45), ("request.too_large", 0.35), ("model.not_found", 0.3)),
}


def weigh(classified: list[Classified], status: int | None, seen: Transport, text: str) -> tuple[Found, Found]:
    """(definite, candidates): causes the text names, and the ones it only makes possible."""
    found: Found = {}
    vague: Found = dict(seen.vague)
    status_only = bool(classified) and all(item.facts.get("status_only") for item in classified)
    if status_only and status == 404 and _NO_BODY.search(text[:200_000]):
        keep_stronger(found, "config.base_url_invalid", 0.75, "The server answered 404 with no body at all: that "
                      "path is not served there, so the base URL (or the path appended to it) is wrong.")
    elif status_only and status in _STATUS_ONLY_OPEN:
        for cause, confidence in _STATUS_ONLY_OPEN[status]:
            keep_stronger(vague, cause, confidence, f"The error gives status {status} and nothing else.")
    else:
        for item in classified:
            keep_stronger(found, item.cause_id, item.confidence, item.message)
    for cause, (confidence, message) in seen.found.items():
        keep_stronger(found, cause, confidence, message)
    # a router's own 404 body ({"detail":"Not Found"}, "404 page not found") is a 404 even where the client printed
    # no status (langchain4j's "ModelNotFoundException: {"detail":"Not Found"}")
    if status in (404, 405) or (status is None and _ROUTER_404.search(text[:65536])):
        _read_404(text, found)
    return found, vague


def _read_404(text: str, found: Found) -> None:
    """Where a 404 is the base URL: the called URL is outside the provider's API root, or a web server's own
    404 page (nginx, a relay's console) answered, where an API would have said which model it lacks."""
    from llmdoctor.explain import called_url
    from llmdoctor.explain.parse import HTML

    azure = called_url.azure_without_api_version(text)
    if azure:
        keep_stronger(found, "config.azure_endpoint_missing", 0.88, f"The call went to {azure} with no "
                      "?api-version= query: Azure OpenAI answers 404 on a deployment path without it.")
        return
    url = called_url.outside_api_root(text)
    if url:
        keep_stronger(found, "config.base_url_invalid", 0.88, f"The call went to {url}, which is not under the "
                      "provider's API root: the base URL lacks (or doubles) a path segment such as /v1.")
    elif "endpoint.not_found" in found and (HTML.search(text[:65536]) or _ROUTER_404.search(text[:65536])):
        keep_stronger(found, "config.base_url_invalid", found["endpoint.not_found"][0] + 0.02,
                      "A router's own 404 (a web server's page, a bare \"Not Found\") answered the API path: the base "
                      "URL does not point at the API root (a missing or doubled /v1, a relay's console address).")


def is_verdict(found: Found) -> bool:
    return bool(found) and max(confidence for confidence, _ in found.values()) >= VERDICT_CONFIDENCE
