"""Builds the run configuration: which targets to diagnose, and where every value came from."""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from llmdoctor import providers as provider_db
from llmdoctor.providers import Provider
from llmdoctor.secrets import Scrubber, Secret

DEFAULT_TIMEOUT = 4.0
DEFAULT_DEADLINE = 25.0
DEFAULT_TARGETS = ("openai", "anthropic")


def hostname_of(url: str) -> str:
    """The lower-case host of a URL, or "" when it cannot be parsed (the endpoint check reports that)."""
    try:
        return (urllib.parse.urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


class ConfigError(ValueError):
    """A user-supplied value that cannot be used; the CLI turns it into a one-line error, exit 2."""


@dataclass(frozen=True)
class Sourced:
    """A configured value and where it came from, e.g. `env:OPENAI_API_KEY` or `--base-url`."""

    value: str
    source: str


@dataclass(frozen=True)
class Target:
    """One configured API to diagnose: a provider, its base URL and its key."""

    name: str
    provider: Provider
    base_url: Sourced
    api_key: Secret | None = None
    key_source: str = ""
    auth: str = ""  # the header style this configuration sends; differs from the provider for ANTHROPIC_AUTH_TOKEN
    model: Sourced | None = None
    extras: Mapping[str, Sourced] = field(default_factory=dict)
    dotenv_conflicts: tuple[str, ...] = ()  # variable names whose .env value differs from the shell's
    also_set: tuple[str, ...] = ()  # other key variables that are set for this target too

    @property
    def host(self) -> str:
        return hostname_of(self.base_url.value)

    def key_facts(self) -> dict[str, object]:
        """What may be shown about the key: source, length, prefix and last four characters."""
        if self.api_key is None:
            return {"present": False}
        return {"present": True, "source": self.key_source, "length": len(self.api_key),
                "redacted": self.api_key.redacted}


@dataclass(frozen=True)
class Settings:
    """How to run: timeouts, overrides and opt-ins that apply to every target."""

    timeout: float = DEFAULT_TIMEOUT
    deadline: float = DEFAULT_DEADLINE
    proxy: str | None = None  # --proxy URL overrides the environment
    no_proxy: bool = False  # --no-proxy: connect directly
    dns_servers: tuple[tuple[str, int], ...] = ()
    resolve: Mapping[tuple[str, int], str] = field(default_factory=dict)  # (host, port) -> address
    allow_insecure: bool = False
    enabled: frozenset[str] = frozenset()  # opt-in checks asked for (--enable NAME; --probe-completion)
    client_timeout: float | None = None
    lang: str = "en"
    redact_hosts: bool = False
    python: str | None = None  # --python: the interpreter the user's code runs in (else auto-detected)


@dataclass(frozen=True)
class CliValues:
    """What the command line said about targets; None means 'not given'."""

    provider: str | None = None
    base_url: str | None = None
    api_key: str | None = None
    model: str | None = None


def _lookup(name: str, env: Mapping[str, str], dotenv: Mapping[str, str]) -> Sourced | None:
    if env.get(name):
        return Sourced(env[name], f"env:{name}")
    if dotenv.get(name):
        return Sourced(dotenv[name], f".env:{name}")
    return None


def _blank(name: str, env: Mapping[str, str], dotenv: Mapping[str, str]) -> Sourced | None:
    """A base-URL variable that is set but empty or blank. The SDKs fall back to their default only when
    it is absent (openai 3.57 lib/_client_auth.py and anthropic 2.15 _client.py: `base_url =
    os.environ.get(...)`, then the default only `if base_url is None`); measured with both: "" and " " become
    the base URL and every call fails with APIConnectionError (httpx: "Request URL is missing an 'http://'
    or 'https://' protocol"). python-dotenv sets `NAME=` as "" unless the shell already has NAME."""
    if name in env:
        return Sourced(env[name], f"env:{name}") if not env[name].strip() else None
    if name in dotenv and not dotenv[name].strip():
        return Sourced(dotenv[name], f".env:{name}")
    return None


def _conflicts(names: list[str], env: Mapping[str, str], dotenv: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(n for n in names if env.get(n) and dotenv.get(n) and env[n] != dotenv[n])


def normalise_ollama_host(value: str) -> str:
    """OLLAMA_HOST is `host[:port]` or a URL; the OpenAI-compatible API lives under /v1."""
    original = value
    if "://" not in value:
        value = "http://" + value
    try:
        parts = urllib.parse.urlsplit(value)
        port = parts.port or 11434
    except ValueError:
        return original  # left as typed: the endpoint check reports it as unparseable
    host = parts.hostname or "127.0.0.1"
    if host in ("0.0.0.0", "::"):
        host = "127.0.0.1"  # a bind-all server address is reached on loopback
    shown = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{shown}:{port}/v1"


def _target_for(provider: Provider, env: Mapping[str, str], dotenv: Mapping[str, str],
                cli: CliValues, name: str | None = None) -> Target:
    key: Sourced | None = None
    key_var = ""
    if cli.api_key is not None:
        key = Sourced(cli.api_key, "--api-key")
    else:
        for var in provider.key_env:
            found = _lookup(var, env, dotenv)
            if found:
                key, key_var = found, var
                break
    also_set = tuple(v for v in provider.key_env if v != key_var and _lookup(v, env, dotenv))

    base: Sourced | None = Sourced(cli.base_url, "--base-url") if cli.base_url else None
    if base is None:
        for var in provider.base_url_env:
            base = _lookup(var, env, dotenv) or _blank(var, env, dotenv)
            if base:
                break
    if base is not None and provider.id == "ollama" and base.source != "--base-url":
        base = Sourced(normalise_ollama_host(base.value), base.source)
    if base is None:
        base = Sourced(provider.base_url, "default")

    served_by = provider
    if base.source != "default" and base.value.strip() and provider.id not in ("azure", "ollama", "gemini-native"):
        host = hostname_of(base.value)
        owner = provider_db.owner_of_host(host)
        if owner is None and not provider.owns_host(host):
            served_by = provider_db.get("relay")
        elif owner is not None and owner.id != provider.id and not provider.owns_host(host):
            served_by = owner

    model: Sourced | None = Sourced(cli.model, "--model") if cli.model else None
    if model is None:
        for var in provider.model_env:
            model = _lookup(var, env, dotenv)
            if model:
                break
    extras = {}
    for label, var in provider.extra_env.items():
        found = _lookup(var, env, dotenv)
        if found:
            extras[label] = found
    if provider.id == "azure" and "api_version" not in extras:
        found = _lookup("AZURE_OPENAI_API_VERSION", env, dotenv)
        extras["api_version"] = found or Sourced(provider.default_api_version, "default")

    auth = provider.auth
    if key_var == "ANTHROPIC_AUTH_TOKEN":
        auth = "bearer"  # the Anthropic SDK sends an auth token as `Authorization: Bearer`
    if served_by.id == "relay" and provider.api == "openai":
        auth = "bearer"
    watched = [*provider.key_env, *provider.base_url_env, *provider.model_env]
    return Target(
        name=name or provider.id,
        provider=served_by,
        base_url=base,
        api_key=Secret(key.value) if key else None,
        key_source=key.source if key else "",
        auth=auth,
        model=model,
        extras=extras,
        dotenv_conflicts=_conflicts(watched, env, dotenv),
        also_set=also_set,
    )


def build_targets(cli: CliValues, env: Mapping[str, str], dotenv: Mapping[str, str]) -> list[Target]:
    """Every configured provider becomes a target; with nothing configured, the default providers.

    The order of precedence is the SDKs' own: an explicit value, then the environment; a `.env`
    file only fills what the shell left unset (python-dotenv's default, `override=False`).
    """
    if cli.provider:
        try:
            provider = provider_db.get(cli.provider)
        except KeyError:
            known = ", ".join(provider_db.ids())
            raise ConfigError(f"unknown provider {cli.provider!r} (known: {known})") from None
        if provider.id == "relay" and not cli.base_url:
            raise ConfigError("--provider relay needs --base-url (the relay's address)")
        if provider.id == "azure" and not cli.base_url and not _lookup("AZURE_OPENAI_ENDPOINT", env, dotenv):
            raise ConfigError("Azure OpenAI needs --base-url or AZURE_OPENAI_ENDPOINT (https://RESOURCE.openai.azure.com)")
        return [_target_for(provider, env, dotenv, cli)]
    if cli.base_url:
        host = hostname_of(cli.base_url)
        owner = provider_db.owner_of_host(host) or provider_db.get("relay")
        return [_target_for(owner, env, dotenv, cli)]

    targets = []
    for provider in provider_db.all_providers():
        if provider.explicit_only:
            continue
        configured = any(_lookup(v, env, dotenv) for v in (*provider.key_env, *provider.base_url_env))
        if configured:
            targets.append(_target_for(provider, env, dotenv, cli))
    if not targets:
        targets = [_target_for(provider_db.get(pid), env, dotenv, cli) for pid in DEFAULT_TARGETS]
    return targets


def build_settings(env: Mapping[str, str], *, timeout: float | None = None, deadline: float | None = None,
                   proxy: str | None = None, no_proxy: bool = False, dns_servers: tuple[str, ...] = (),
                   resolve: tuple[str, ...] = (), allow_insecure: bool = False, enabled: frozenset[str] = frozenset(),
                   client_timeout: float | None = None, lang: str | None = None,
                   redact_hosts: bool = False, python: str | None = None) -> Settings:
    """The run's settings from the options as typed; ConfigError names the option that cannot be used.

    The deadline grows with a long --timeout (four operations' worth) so one slow link cannot
    starve the rest of the chain; the language follows the locale unless --lang says otherwise.
    """
    from llmdoctor.language import choose_lang
    from llmdoctor.urls import validate_proxy_url

    if proxy and no_proxy:
        raise ConfigError("--proxy and --no-proxy exclude each other")
    if proxy:
        problem = validate_proxy_url(proxy)
        if problem:
            raise ConfigError(f"--proxy: {problem}")
    timeout = timeout or DEFAULT_TIMEOUT
    return Settings(
        timeout=timeout,
        deadline=deadline or max(DEFAULT_DEADLINE, timeout * 4),
        proxy=proxy,
        no_proxy=no_proxy,
        dns_servers=tuple(parse_dns_server(v) for v in dns_servers),
        resolve=parse_resolve(resolve),
        allow_insecure=allow_insecure,
        enabled=enabled,
        client_timeout=client_timeout,
        lang=choose_lang(lang, env),
        redact_hosts=redact_hosts,
        python=python,
    )


def parse_resolve(values: tuple[str, ...]) -> dict[tuple[str, int], str]:
    """curl's `--resolve HOST:PORT:ADDR`; ADDR may be a bracketed IPv6 address."""
    import ipaddress

    pins: dict[tuple[str, int], str] = {}
    for item in values:
        host, sep, rest = item.partition(":")
        port_text, sep2, addr = rest.partition(":")
        if not sep or not sep2 or not host or not port_text.isdigit():
            raise ConfigError(f"--resolve {item!r}: expected HOST:PORT:ADDRESS, e.g. api.openai.com:443:1.2.3.4")
        addr = addr.strip("[]")
        try:
            ipaddress.ip_address(addr)
        except ValueError:
            raise ConfigError(f"--resolve {item!r}: {addr!r} is not an IP address") from None
        port = int(port_text)
        if not 0 < port < 65536:
            raise ConfigError(f"--resolve {item!r}: port out of range")
        pins[(host.lower(), port)] = addr
    return pins


def parse_dns_server(value: str) -> tuple[str, int]:
    """`ADDR[:PORT]` or `[V6]:PORT`; port 53 by default."""
    import ipaddress

    text = value.strip()
    port = 53
    if text.startswith("["):
        addr, _, tail = text[1:].partition("]")
        if tail.startswith(":"):
            port_text = tail[1:]
            if not port_text.isdigit():
                raise ConfigError(f"--dns-server {value!r}: bad port")
            port = int(port_text)
    elif text.count(":") == 1:
        addr, port_text = text.split(":")
        if not port_text.isdigit():
            raise ConfigError(f"--dns-server {value!r}: bad port")
        port = int(port_text)
    else:
        addr = text
    try:
        ipaddress.ip_address(addr)
    except ValueError:
        raise ConfigError(f"--dns-server {value!r}: expected an IP address, e.g. 1.1.1.1 or 127.0.0.1:5353") from None
    if not 0 < port < 65536:
        raise ConfigError(f"--dns-server {value!r}: port out of range")
    return addr, port


def scrubber_for(targets: Sequence[Target], env: Mapping[str, str], settings: Settings) -> Scrubber:
    """Registers every secret this run knows: keys, proxy passwords, and hosts under --redact-hosts."""
    scrub = Scrubber()
    for target in targets:
        if target.api_key:
            scrub.add(target.api_key.reveal())
    proxy_values = [v for k, v in env.items() if k.lower().endswith("_proxy")]
    if settings.proxy:
        proxy_values.append(settings.proxy)
    for value in proxy_values:
        scrub.add_proxy_url(value)
    if settings.redact_hosts:
        for index, target in enumerate(targets, 1):
            if target.host and not target.provider.owns_host(target.host):
                scrub.replace(target.host, f"relay-host-{index}")
    return scrub
