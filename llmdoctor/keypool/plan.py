"""Where each key goes and what is asked: the target a normal run would build, one request per key.

The target comes from `config.build_targets` (so --provider, --base-url, *_BASE_URL and relays
behave exactly as in `llmdoctor`); only the key differs. The probe is zero-token: the provider's
key-info or balance endpoint where it has one on its own host, else the models listing.
"""

from __future__ import annotations

import dataclasses
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass

from llmdoctor import providers
from llmdoctor.api.build import auth_headers, key_refusal, models_url, origin, wire_provider
from llmdoctor.config import CliValues, ConfigError, Settings, Target, build_targets
from llmdoctor.providers import Provider
from llmdoctor.secrets import Secret


@dataclass(frozen=True)
class Probe:
    """One zero-token request: `kind` is models, key-info (OpenRouter) or balance (DeepSeek, Moonshot)."""

    kind: str
    url: str


# Balance endpoints, asked only on the vendor's own hosts (a relay at another host has other paths).
# DeepSeek: GET https://api.deepseek.com/user/balance -> {"is_available": bool, "balance_infos": [...]}
# Moonshot: GET https://api.moonshot.cn/v1/users/me/balance -> {"data": {"available_balance": n, ...}}
_BALANCE = {"deepseek": ("root", "/user/balance"), "moonshot": ("base", "/users/me/balance")}


def probe_for(target: Target, provider: Provider) -> Probe:
    """The cheapest authenticated GET that says the most about the key."""
    official = provider.owns_host(target.host)
    if provider.id in _BALANCE and official:
        where, path = _BALANCE[provider.id]
        base = target.base_url.value.rstrip("/")
        if where == "root":
            parts = urllib.parse.urlsplit(base)
            base = f"{parts.scheme}://{parts.netloc}"
        return Probe("balance", base + path)
    if provider.auth_path:
        return Probe("key-info", models_url(target, provider))
    return Probe("models", models_url(target, provider))


def host_of(url: str) -> tuple[str, str, int]:
    """The origin requests are paced by (scheme, host, port)."""
    return origin(url)


class Plan:
    """Builds the target for every key; with no --provider/--base-url, a key's prefix picks its provider."""

    def __init__(self, provider: str | None, base_url: str | None, model: str | None,
                 env: Mapping[str, str], dotenv: Mapping[str, str], settings: Settings) -> None:
        self.provider = provider
        self.base_url = base_url
        self.model = model
        self.env = env
        self.dotenv = dotenv
        self.settings = settings
        self._templates: dict[str, Target] = {}
        self.explicit = bool(provider or base_url)
        if self.explicit:
            self._template(provider)  # a bad --provider or --base-url is a usage error before any probe

    def provider_id_for(self, key: str) -> str | None:
        """None means "as the command line says"; else the provider a distinctive prefix names."""
        if self.explicit:
            return None
        owners = [p for p in providers.owners_of_key(key) if p.id != "gemini-native"]
        return owners[0].id if owners else "openai"

    def _template(self, provider_id: str | None) -> Target:
        slot = provider_id or ""
        if slot not in self._templates:
            cli = CliValues(provider=provider_id or self.provider, base_url=self.base_url, model=self.model)
            found = build_targets(cli, self.env, self.dotenv)
            template = found[0]
            wire = wire_provider(template)
            probe = probe_for(template, wire)
            refusal = key_refusal(probe.url, self.settings, sends_key=True)
            if refusal:
                raise ConfigError(f"{refusal}; pass --allow-insecure if the network in between is yours")
            if template.provider.id == "ollama" or not template.provider.needs_key:
                raise ConfigError(f"{template.provider.name} takes no key: there is nothing to audit")
            self._templates[slot] = template
        return self._templates[slot]

    def prepare(self, keys: list[str]) -> None:
        """Builds (and so checks) every target the keys will need, before the first request."""
        for key in keys:
            self._template(self.provider_id_for(key))

    def target_for(self, key: str) -> Target:
        template = self._template(self.provider_id_for(key))
        return dataclasses.replace(template, api_key=Secret(key), key_source="key file", also_set=(),
                                   dotenv_conflicts=())

    @staticmethod
    def headers_for(target: Target) -> dict[str, str]:
        return auth_headers(target, wire_provider(target))
