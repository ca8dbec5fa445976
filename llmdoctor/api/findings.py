"""Turns what an API answer or a transport error means into findings with a hint a user can act on."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from llmdoctor import providers
from llmdoctor.apierrors import Classified
from llmdoctor.config import Target
from llmdoctor.model import Finding, Status
from llmdoctor.net.errors import TransportFailure

_MIN_ALTERNATIVE = 0.4


def _vars(target: Target) -> dict[str, str]:
    provider = target.provider
    docs = provider.docs
    relay = provider.id == "relay"
    return {
        "provider": "the relay" if relay else provider.name,
        "key_var": target.key_source.split(":")[-1] if target.key_source else (provider.key_env or ("--api-key",))[0],
        "base_var": (provider.base_url_env or ("--base-url",))[0],
        "keys_url": docs.get("keys", "the relay's console" if relay else "the provider's console"),
        "limits_url": docs.get("rate_limits", "the provider's rate-limit page"),
        "errors_url": docs.get("errors", "the provider's error reference"),
    }


_HINTS = {
    "auth.invalid_key": "The key was rejected: check that {key_var} holds a current key for {provider} "
                        "(create one at {keys_url}) and that no other variable or .env overrides it.",
    "auth.wrong_header": "The server did not find the key where it looks for it: check the auth header style "
                         "(Bearer, x-api-key, api-key) your SDK or relay expects, and that {key_var} is set.",
    "config.missing_key": "Set {key_var} to your {provider} key.",
    "auth.permission_denied": "The key is valid but may not use this resource: check the project's or "
                              "organisation's permissions and model access at {keys_url}.",
    "auth.region_blocked": "{provider} does not serve the country or region your request comes from (judged by "
                           "the IP address, so a proxy's or VPN's exit location counts). Check the provider's list "
                           "of supported countries.",
    "auth.key_wrong_provider": "Use a {provider} key in {key_var}, or point {base_var} at the provider the key "
                               "belongs to.",
    "auth.wrong_endpoint": "Use the key with the endpoint that issued it: set {base_var} to that endpoint, or "
                           "use a key issued by this one.",
    "auth.wrong_region": "If the key was created on the other platform, set {base_var} to that platform's URL; "
                         "otherwise create a key on the platform {base_var} points at.",
    "quota.insufficient": "The account has no credit or its quota is used up: add credit or raise the limit in "
                          "the billing settings ({errors_url}). Retrying does not help.",
    "ratelimit.exceeded": "Too many requests or tokens for the current window: wait{retry} and retry with "
                          "backoff; the limits are described at {limits_url}.",
    "ratelimit.relay_saturated": "The relay's upstream channel is saturated: retry later or ask the relay's "
                                 "operator about capacity for this group.",
    "server.overloaded": "{provider} is overloaded right now (temporary): retry with backoff; the official SDKs "
                         "retry twice by default.",
    "server.error": "A server-side error: retry later; quote the request id to support if it persists.",
    "gateway.error": "Something between you and the API (a relay, a proxy or a CDN) failed to reach it: check "
                     "the relay's or proxy's status and its upstream configuration.",
    "model.not_found": "Check the model name against the list the models check shows, and that your account "
                       "has access to it.",
    "endpoint.not_found": "The base URL does not lead to the API: check {base_var}{suggested}.",
    "endpoint.not_an_api": "What answered is not the API: a captive portal, a proxy's or relay's web page, or a "
                           "bot challenge. Open the URL in a browser, log in to the network if needed, and check "
                           "{base_var}.",
    "request.invalid": "The server rejected the request's shape; see the message (a parameter this server does "
                       "not accept, or a wrong model name).",
    "request.too_large": "The request is larger than the model or the limit allows.",
    "request.content_filtered": "The provider's content filter blocked the request.",
    "proxy.auth_failed": "Check the proxy's user name and password in HTTPS_PROXY / --proxy.",
    "config.base_url_invalid": "Check {base_var}.",
    "endpoint.wrong_generation": "{generation_fix}",
    "relay.format_conversion": "The relay's conversion to its upstream's format failed. On your side: send "
                               "max_tokens, one leading system message, tool results with their tool_call_id. On "
                               "the relay's side: update it, give the channel a default max_tokens, or use the "
                               "upstream's OpenAI-compatible endpoint.",
    "response.unparseable": "The answer is not the API's format: check {base_var}, and at a relay report the "
                            "quoted field to its operator.",
    "response.stream_broken": "The stream breaks on the way: update the relay or gateway, pass text/event-stream "
                              "through unchanged, or call without stream=True until then.",
}

# What to call instead, by the endpoint the server said the model needs (apierrors' `needs_endpoint`).
_GENERATION_FIX = {
    "responses": "This model answers only on the Responses API: call client.responses.create(model=..., "
                 "input=...) (openai>=1.66) and read resp.output_text, not client.chat.completions.create(...).",
    "chat/completions": "This is a chat model: call client.chat.completions.create(model=..., messages=[...]) "
                        "(POST /v1/chat/completions), not client.completions.create(prompt=...); in LangChain "
                        "use ChatOpenAI, not OpenAI.",
    "completions": "The server says this is not a chat model: a completion model takes client.completions.create("
                   "prompt=...); o1-pro, o3-pro and the codex models need client.responses.create(...) instead.",
    "engines": "An engines/ URL comes from an openai SDK older than 1.0: upgrade (pip install -U openai), use "
               "client = OpenAI() and client.chat.completions.create(model=...).",
    "base_url": "{base_var} ends in /v1/completions: set it to the API root ending in /v1; the SDK adds "
                "/chat/completions itself.",
    "retired": "The model was retired with the legacy Completions API: use a current chat model with "
               "client.chat.completions.create(...).",
}

TRANSPORT_HINTS = {
    "net.connect_timeout": "Nothing answered the connection attempt: check the address, a firewall, or whether "
                           "you need a proxy (HTTPS_PROXY).",
    "net.read_timeout": "The server accepted the connection but did not answer in time: retry, raise --timeout, "
                        "or check a relay or proxy in between.",
    "net.connect_refused": "Nothing listens at that address and port: check {base_var}.",
    "net.tls_timeout": "The TLS handshake got no answer: often a firewall or a filtering proxy.",
    "dns.failure": "The host name does not resolve: check the spelling of {base_var} and your DNS.",
    "proxy.unreachable": "The proxy does not answer: check HTTPS_PROXY / --proxy and that it is running.",
    "proxy.auth_failed": "Check the proxy's user name and password.",
    "proxy.upstream_failed": "The proxy could not reach the API host: check the proxy's own network access.",
}


def hint(cause: str, target: Target, facts: Mapping[str, Any] | None = None) -> str:
    facts = facts or {}
    values = _vars(target)
    retry = facts.get("retry_after_s")
    values["retry"] = f" {retry:g} s" if isinstance(retry, (int, float)) else ""
    suggested = facts.get("suggested_base_url")
    values["suggested"] = f" (try {suggested})" if suggested else ""
    needs = facts.get("needs_endpoint")
    values["generation_fix"] = _GENERATION_FIX.get(needs if isinstance(needs, str) else "", "Use the endpoint the "
                                                   "message names, with the SDK call made for it.").format(**values)
    note = target.provider.other_platform.get("note", "")
    if cause in ("auth.wrong_region", "auth.wrong_endpoint") and note:
        return note + " " + hint_text(cause, values)
    relay = facts.get("relay")
    for name in ("model_group", "upstream_provider"):
        values[name] = str(facts.get(name) or ("this model" if name == "model_group" else "the provider"))
    relayed = providers.relay_hint(relay, cause) if isinstance(relay, str) else None
    text = relayed.format(**values) if relayed else hint_text(cause, values)
    if cause == "auth.invalid_key" and note and not relayed:
        text += " " + note  # the same 401 comes for a key of the provider's other platform
    return text


def hint_text(cause: str, values: dict[str, str]) -> str:
    template = _HINTS.get(cause) or TRANSPORT_HINTS.get(cause) or "See the message for details."
    return template.format(**values)


def finite(facts: Mapping[str, Any]) -> dict[str, Any]:
    """Drops numbers JSON cannot carry: a server's `Retry-After: inf` must not make the report invalid JSON."""
    return {k: v for k, v in facts.items() if not (isinstance(v, float) and not math.isfinite(v))}


def from_classified(found: list[Classified], target: Target, where: str) -> list[Finding]:
    """The best cause as a failure, other plausible ones as warnings; `where` names the request."""
    findings: list[Finding] = []
    for index, item in enumerate(found):
        if index and item.confidence < _MIN_ALTERNATIVE:
            continue
        severity = Status.FAIL if index == 0 else Status.WARN
        facts = finite(item.facts)
        findings.append(Finding(item.cause_id, f"{where}: {item.message}", hint(item.cause_id, target, facts),
                                severity, item.confidence, facts))
    return findings


def from_transport(failure: TransportFailure, target: Target, where: str) -> Finding:
    return Finding(failure.cause, f"{where}: {failure.message}", hint(failure.cause, target, failure.facts),
                   Status.FAIL, 0.8, failure.facts)
