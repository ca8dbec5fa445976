"""Builds the requests the SDKs would send: URLs per provider, headers per auth style, probe bodies.

The key only ever goes to the configured origin (scheme, host, port); `key_refusal` says when it
must not go at all (plain http to a remote host). The one exception, the region probe, goes only
between one vendor's own official hosts (`region_alternative`).
"""

from __future__ import annotations

import re
import urllib.parse
from contextlib import suppress

from llmdoctor import providers
from llmdoctor.config import Settings, Target
from llmdoctor.providers import Provider
from llmdoctor.urls import is_local_host

PROMPT = "Reply with the single word OK."
_HEADER_FOR_STYLE = {"x-api-key": "x-api-key", "api-key": "api-key", "x-goog-api-key": "x-goog-api-key"}
# OpenAI's reasoning models reject `max_tokens` ("Use 'max_completion_tokens' instead").
_REASONING_MODEL = re.compile(r"^(?:[\w.-]+/)?(?:o\d|gpt-5)", re.I)


def wire_provider(target: Target) -> Provider:
    """The provider whose protocol the base URL speaks.

    A relay behind ANTHROPIC_BASE_URL is served as `relay`, but it speaks the Anthropic protocol:
    the target's name is still the provider the user configured.
    """
    if target.provider.id == "relay":
        with suppress(KeyError):
            configured = providers.get(target.name)
            if configured.api in ("anthropic", "gemini"):
                return configured
    return target.provider


def advice_provider(target: Target) -> str:
    """Whose fix steps fit this target: its provider, or `relay-anthropic` for a relay that speaks the
    Anthropic protocol (its base URL has no /v1, unlike every OpenAI-compatible relay's)."""
    if target.provider.id == "relay" and wire_provider(target).api == "anthropic":
        return "relay-anthropic"
    return target.provider.id


def auth_header_name(target: Target, provider: Provider) -> str | None:
    style = target.auth or provider.auth
    if style == "none":
        return None
    return _HEADER_FOR_STYLE.get(style, "authorization")


def auth_headers(target: Target, provider: Provider) -> dict[str, str]:
    """The headers the provider's SDK sends: its auth style plus fixed extras (anthropic-version)."""
    headers = {"accept": "application/json", **provider.extra_headers}
    name = auth_header_name(target, provider)
    if name and target.api_key is not None:
        key = target.api_key.reveal().strip()
        headers[name] = f"Bearer {key}" if name == "authorization" else key
    for extra, header in (("organization", "OpenAI-Organization"), ("project", "OpenAI-Project")):
        if extra in target.extras and provider.api == "openai":
            headers[header] = target.extras[extra].value
    return headers


def _azure_root(base: str) -> str:
    """AZURE_OPENAI_ENDPOINT is the resource root; a pasted …/openai/deployments/X is cut back to it."""
    parts = urllib.parse.urlsplit(base)
    path = parts.path
    cut = path.find("/openai")
    path = path[:cut] if cut >= 0 else path
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path.rstrip("/"), "", ""))


def api_version(target: Target) -> str:
    found = target.extras.get("api_version")
    return found.value if found else target.provider.default_api_version


def models_url(target: Target, provider: Provider, base: str | None = None, *, for_auth: bool = True) -> str:
    """GET this to list models (or, `for_auth`, the cheapest authenticated GET)."""
    base = (base or target.base_url.value).rstrip("/")
    if provider.api == "azure":
        return f"{_azure_root(base)}{provider.models_path}?api-version={api_version(target)}"
    if provider.api == "anthropic":
        return f"{base}/v1/models?limit=1000"  # the default page is 20 models
    path = provider.auth_path if for_auth and provider.auth_path else provider.models_path
    return base + path


def is_reasoning_model(model: str) -> bool:
    return bool(_REASONING_MODEL.match(model))


def completion_request(target: Target, provider: Provider, model: str) -> tuple[str, dict[str, str], dict[str, object]]:
    """(url, headers, body) of one minimal streamed generation, valid for reasoning models too."""
    base = target.base_url.value.rstrip("/")
    headers = {**auth_headers(target, provider), "accept": "text/event-stream"}
    messages = [{"role": "user", "content": PROMPT}]
    if provider.api == "anthropic":
        return f"{base}/v1/messages", headers, {"model": model, "max_tokens": 1, "messages": messages,
                                                "stream": True}
    if provider.api == "gemini":
        name = model.removeprefix("models/")
        body: dict[str, object] = {"contents": [{"role": "user", "parts": [{"text": PROMPT}]}],
                                   "generationConfig": {"maxOutputTokens": 16}}
        return f"{base}/models/{name}:streamGenerateContent?alt=sse", headers, body
    # api.openai.com takes max_completion_tokens for every model, and its reasoning models take nothing
    # else; other OpenAI-compatible servers (vLLM, Ollama, relays, DeepSeek…) all know max_tokens.
    own = provider.token_param if provider.token_param and provider.owns_host(target.host) else ""
    param = own or ("max_completion_tokens" if is_reasoning_model(model) else "max_tokens")
    body = {"model": model, "messages": messages, "stream": True, param: 16}
    if provider.api == "azure":
        url = f"{_azure_root(base)}/openai/deployments/{model}/chat/completions?api-version={api_version(target)}"
        return url, headers, body
    return f"{base}/chat/completions", headers, body


def origin(url: str) -> tuple[str, str, int]:
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or (443 if scheme == "https" else 80)


def same_origin(a: str, b: str) -> bool:
    return origin(a) == origin(b)


def key_refusal(url: str, settings: Settings, sends_key: bool) -> str | None:
    """Why the key must not be sent to `url`, or None: never in clear to a remote host."""
    scheme, host, _ = origin(url)
    if sends_key and scheme == "http" and not is_local_host(host) and not settings.allow_insecure:
        return (f"the base URL is plain http:// to {host}: llmdoctor will not send the key unencrypted "
                "across the network")
    return None


def base_variants(base: str, provider: Provider) -> list[str]:
    """Base URLs a misconfigured one probably meant, on the same origin, most likely first."""
    parts = urllib.parse.urlsplit(base.rstrip("/"))
    root = f"{parts.scheme}://{parts.netloc}"
    path = parts.path.rstrip("/")
    if provider.api == "anthropic":
        found = [root + path[:-3] if path.endswith("/v1") else root, root, root + "/api", root + "/anthropic"]
    elif provider.api in ("azure", "gemini"):
        return []
    else:
        flipped = root + (path[:-3] if path.endswith("/v1") else path + "/v1")
        found = [flipped, root + "/v1", root + "/api/v1", root + "/openai/v1", root]
    current = root + path
    return [u for u in dict.fromkeys(found) if u.rstrip("/") != current][:4]


def region_alternative(target: Target) -> tuple[str, str, str, str] | None:
    """For a vendor with separate platforms per region, the same base URL on the other region's host.

    Only when the configured host is one of the vendor's own official hosts: (base, host, its
    region, the configured host's region).
    """
    provider = target.provider
    host = target.host
    scheme = urllib.parse.urlsplit(target.base_url.value).scheme
    if len(provider.regions) != 2 or host not in provider.regions or scheme != "https":
        return None
    other = next(h for h in provider.regions if h != host)
    parts = urllib.parse.urlsplit(target.base_url.value)
    netloc = other + (f":{parts.port}" if parts.port else "")
    base = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
    return base, other, provider.regions[other], provider.regions[host]
