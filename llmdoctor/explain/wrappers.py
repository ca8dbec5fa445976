"""Reads a framework's own words for a failure by the inner error they carry (issue 16, frameworks class).

LLM frameworks wrap the transport's or the provider's error in their own sentence, and their sentence can name a
step that did not fail. The inner part is the evidence; the wrapper's words count only where they add something.

LiteLLM's httpx handler (litellm/llms/custom_httpx/http_handler.py) turns *every* `httpx.TimeoutException` -
connect, read, write or pool - into `litellm.Timeout("Connection timed out after {timeout} seconds.")`, since 2025
"Connection timed out. Timeout passed={timeout}, time taken={time_delta} seconds"; its OpenAI path says
"litellm.Timeout: APITimeoutError - Request timed out. ... timeout value=60.0, time taken=60.01 seconds", and the
Router adds "Deployment Info: request_timeout: None\\ntimeout: 300.0". "Connection timed out" is therefore no
connect timeout. What tells the step is the number:
- a wait of 130 s or more cannot be a TCP connect: the kernel gives up a connect after its SYN retries (Linux:
  about 127 s, tcp_syn_retries=6; Windows about 21 s) with ETIMEDOUT, which httpx raises as ConnectError, not as a
  timeout. So the budget ran out waiting for the answer: a read timeout (a slow model, a long generation);
- a timeout used that is shorter than the deployment's configured one (the Router's default 60 s or 120 s under a
  model configured for 300 s): the client's own timeout cut the request, not the server;
- a short budget alone (60 s) does not say whether the server hung or the budget was too small: candidates.

LiteLLM wraps whatever the provider's SDK raised in `OpenAIError(status_code=500, ...)` when the SDK gave no status
(litellm/llms/openai/openai.py), so the openai SDK's bare "Connection error." reaches the user as
"litellm.InternalServerError: InternalServerError: OpenAIException - Connection error." (or as APIError,
ServiceUnavailableError): the 500 and the class name are LiteLLM's placeholder, not a server's answer. In the
library's own words (no proxy's JSON error envelope around it) such a text says only what the inner sentence says.

OpenRouter wraps what the upstream provider answered as {"message": "Provider returned error", "code": N,
"metadata": {"raw": <the provider's body>, "provider_name": ...}} (openrouter.ai/docs/api-reference/errors). With
code 401 the key the *upstream* refused was the one OpenRouter sent on (the account's own provider key, "BYOK", or
OpenRouter's), not the caller's OpenRouter key, which OpenRouter had accepted.
"""

from __future__ import annotations

import re

from llmdoctor.signatures.evidence import keep_stronger
from llmdoctor.signatures.prefilter import Lazy

Found = dict[str, tuple[float, str]]

_LITELLM_TIMEOUT = Lazy(r"litellm\.timeout\b|litellm\.exceptions\.timeout\b", re.I)
# the budget LiteLLM gave the call, in each of its wordings
_BUDGET = Lazy(r"timed out after (\d+(?:\.\d+)?) seconds|timeout passed=(\d+(?:\.\d+)?)|"
               r"timeout value=(\d+(?:\.\d+)?)", re.I)
_TAKEN = Lazy(r"time taken=(\d+(?:\.\d+)?)", re.I)
# (the message often arrives repr'd, its newline a literal "\n": "request_timeout: None\ntimeout: 300.0")
_DEPLOYMENT = Lazy(r"deployment info:(?s:.{0,120}?)(?:\\n|\s)timeout:\s*(\d+(?:\.\d+)?)", re.I)
# a connect named as the step by its own words or frames: the connect did time out
_CONNECT_NAMED = Lazy(r"connecttimeout|connect_tcp|sock\.connect|create_connection|failed to establish|"
                      r"connect timed out|etimedout|errno 110\b|winerror 10060", re.I)
_LONGEST_CONNECT_S = 130.0


def _number(match: re.Match[str] | None) -> float | None:
    if not match:
        return None
    digits = next((g for g in match.groups() if g), None)
    try:
        return float(digits) if digits else None
    except ValueError:
        return None


def read_timeout(text: str, found: Found, vague: Found) -> None:
    """LiteLLM's "Connection timed out" read by the seconds it names (see the module's docstring)."""
    if not _LITELLM_TIMEOUT.search(text) or _CONNECT_NAMED.search(text):
        return
    budget = _number(_BUDGET.search(text))
    taken = _number(_TAKEN.search(text))
    configured = _number(_DEPLOYMENT.search(text))
    said = found.pop("net.connect_timeout", None)
    waited = max(budget or 0.0, taken or 0.0)
    if budget is not None and configured is not None and budget < configured:
        keep_stronger(found, "net.client_timeout_too_short", 0.9,
                      f"LiteLLM cut the call at {budget:g} s while the deployment is configured for {configured:g} s: "
                      "a shorter timeout (the Router's or the caller's) applied, not the server failing.")
    elif waited >= _LONGEST_CONNECT_S:
        keep_stronger(found, "net.read_timeout", 0.88,
                      f"LiteLLM waited {waited:g} s. \"Connection timed out\" is LiteLLM's word for any timeout; a TCP "
                      "connect gives up long before that, so it was the answer that did not come in time.")
    elif budget is not None or said:
        message = said[1] if said else "LiteLLM's timeout does not say which step timed out."
        for cause, confidence in (("net.read_timeout", 0.45), ("net.client_timeout_too_short", 0.4),
                                  ("net.connect_timeout", 0.35)):
            keep_stronger(vague, cause, confidence, message)


# OpenRouter's envelope around the upstream's answer, its raw body kept (the JSON may arrive escaped)
_UPSTREAM_ENVELOPE = Lazy(r"provider returned error\\?['\"]?\s*,\s*\\?['\"]?code\\?['\"]?\s*:\s*(\d{3})(?s:.{0,200}?)"
                          r"\\?['\"]?raw\\?['\"]?\s*:", re.I)


def read_answer(text: str, status: int | None, found: Found) -> None:
    """OpenRouter's "Provider returned error" with 401: the upstream refused the key OpenRouter sent."""
    envelope = _UPSTREAM_ENVELOPE.search(text)
    if not envelope or int(envelope.group(1)) != 401 or status not in (None, 401):
        return
    keep_stronger(found, "relay.upstream_key_rejected", 0.92,
                  "OpenRouter accepted your key and passed on the upstream provider's 401 (\"Provider returned "
                  "error\" with its raw body): the provider refused the key OpenRouter sent it - your own provider "
                  "key set in OpenRouter's integrations (BYOK), or OpenRouter's.")
    if "auth.invalid_key" in found:
        found["auth.invalid_key"] = (min(found["auth.invalid_key"][0], 0.45), found["auth.invalid_key"][1])


# the provider SDK's bare transport sentence as the whole inner part of a LiteLLM exception
_LITELLM_BARE_TRANSPORT = Lazy(r"litellm\.(?:internalservererror|apierror|apiconnectionerror|serviceunavailableerror)\b"
                               r"[^\n]{0,120}?exception - (?:connection error|request timed out|server disconnected "
                               r"without sending a response)\.*\s*$", re.I | re.M)
_JSON_ERROR_ENVELOPE = Lazy(r"[{,]\s*[\"']error[\"']\s*:", re.I)
_PLACEHOLDER_CAUSES = ("server.error", "gateway.error", "server.overloaded")


def read_class(text: str, found: Found) -> None:
    """LiteLLM's exception class around the SDK's bare "Connection error.": the class is no evidence."""
    if not _LITELLM_BARE_TRANSPORT.search(text) or _JSON_ERROR_ENVELOPE.search(text):
        return
    for cause in _PLACEHOLDER_CAUSES:
        if found.get(cause, (1.0, ""))[0] <= 0.8:
            found.pop(cause)
