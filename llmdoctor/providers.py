"""Providers as data: adding a provider means adding an entry to data/providers.json."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Provider:
    """What llmdoctor knows about one API: where it lives, how it authenticates, what keys look like."""

    id: str
    name: str
    api: str  # "openai" | "anthropic" | "gemini" | "azure": the wire protocol family
    base_url: str
    auth: str  # "bearer" | "x-api-key" | "api-key" | "x-goog-api-key" | "none"
    models_path: str
    hosts: tuple[str, ...] = ()
    key_env: tuple[str, ...] = ()
    base_url_env: tuple[str, ...] = ()
    model_env: tuple[str, ...] = ()
    extra_env: dict[str, str] = field(default_factory=dict)
    extra_headers: dict[str, str] = field(default_factory=dict)
    key_prefixes: tuple[str, ...] = ()
    regions: dict[str, str] = field(default_factory=dict)
    docs: dict[str, str] = field(default_factory=dict)
    local: bool = False
    needs_key: bool = True
    explicit_only: bool = False
    default_api_version: str = ""
    # A cheap model for the opt-in completion probe when the user names none ("" = take one from /models).
    probe_model: str = ""
    # The cheapest authenticated GET, when the models list proves nothing about the key (OpenRouter's is public).
    auth_path: str = ""
    # A zero-token account read (balance, credit limit, tier): path, "base" or "origin", JSON fields to read.
    account: dict[str, Any] = field(default_factory=dict)
    # Separate platforms, regions or resources whose keys do not cross: a 401 may be a key of the other one.
    other_platform: dict[str, str] = field(default_factory=dict)
    # The completion probe's token limit parameter on the provider's own hosts ("" = max_tokens).
    token_param: str = ""
    # How to get a model the list does not show ({model} is filled in), e.g. Ollama's pull.
    missing_model_hint: str = ""
    # When set, the API lives only on the provider's hosts (Azure resources): the hint for another host.
    own_hosts_only: str = ""
    # Why the models list may not match what the key may call (OpenRouter lists everything it routes).
    list_caveat: str = ""
    # Base URL paths the API answers under besides the default's (DeepSeek: with or without /v1).
    base_paths: tuple[str, ...] = ()

    def owns_host(self, host: str) -> bool:
        """True when `host` is one of this provider's API hosts (a leading dot means any subdomain)."""
        host = host.lower().rstrip(".")
        for known in self.hosts:
            if known.startswith("."):
                if host.endswith(known) or host == known[1:]:
                    return True
            elif host == known:
                return True
        return False

    def key_prefix_of(self, key: str) -> str | None:
        """The longest known prefix of this provider that `key` starts with."""
        return next((p for p in sorted(self.key_prefixes, key=len, reverse=True) if key.startswith(p)), None)


@functools.lru_cache(maxsize=1)
def _raw() -> dict[str, Any]:
    # Next to this module when installed as files (every wheel install); importlib.resources, which costs
    # ~7 ms of imports (tempfile, zipfile) on every start, only for an install that is not (a zip).
    path = Path(__file__).parent / "data" / "providers.json"
    if path.is_file():
        text = path.read_text(encoding="utf-8")
    else:
        from importlib import resources

        text = resources.files("llmdoctor").joinpath("data/providers.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def relay_hint(relay: str, cause: str) -> str | None:
    """What a relay's answer means in its own terms (LiteLLM's master key, One API's tokens), or None.

    The texts live in providers.json under "relays", keyed by the relay apierrors recognised."""
    entry = _raw().get("relays", {}).get(relay) or {}
    found = entry.get("hints", {}).get(cause)
    return found if isinstance(found, str) else None


def relay_codes(relay: str) -> dict[str, tuple[str, float]]:
    """A relay's own error codes and the cause each means (One API / New API: `insufficient_user_quota`…)."""
    entry = _raw().get("relays", {}).get(relay) or {}
    return {code: (str(cause), float(conf)) for code, (cause, conf) in entry.get("codes", {}).items()}


@functools.lru_cache(maxsize=1)
def all_providers() -> tuple[Provider, ...]:
    raw = _raw()
    providers = []
    for entry in raw["providers"]:
        entry = dict(entry)
        for name in ("hosts", "key_env", "base_url_env", "model_env", "key_prefixes", "base_paths"):
            entry[name] = tuple(entry.get(name, ()))
        providers.append(Provider(**entry))
    return tuple(providers)


def get(provider_id: str) -> Provider:
    for provider in all_providers():
        if provider.id == provider_id:
            return provider
    raise KeyError(provider_id)


def ids() -> list[str]:
    return [p.id for p in all_providers()]


def owner_of_host(host: str) -> Provider | None:
    """The provider whose API host this is; the OpenAI-compatible flavour wins over a native one."""
    return next((p for p in all_providers() if p.owns_host(host) and p.id != "gemini-native"), None)


def owners_of_key(key: str) -> list[Provider]:
    """Providers whose distinctive key prefix matches; a bare `sk-` says little, so it is left out."""
    matches = []
    for provider in all_providers():
        prefix = provider.key_prefix_of(key)
        if prefix and prefix != "sk-":
            matches.append(provider)
    return matches
