"""What the exporter may probe: named targets from its own environment, `.env`, or a TOML file.

A probe request only names a target; its URL and key never come from the request (a scrape URL
lands in logs, in Prometheus' target page and in browser history, and an open prober that takes
URLs is a request-forgery tool). Without a file, the targets are what a plain `llmdoctor` run
would diagnose, named by provider id. With `--config`, only the file's targets exist:

    [targets.office-relay]
    provider = "relay"                   # optional when base_url is given
    base_url = "https://relay.example.com/v1"
    api_key_env = "RELAY_KEY"            # or api_key_file = "/run/secrets/relay_key"
    model = "gpt-4o-mini"
    proxy = "http://127.0.0.1:7890"      # or no_proxy = true; default: the server's environment

A key is named, never written in the file: the file is shared, committed and mounted as config.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from llmdoctor.config import CliValues, ConfigError, Target, build_targets
from llmdoctor.dotenv import read_dotenv
from llmdoctor.secrets import Secret
from llmdoctor.urls import validate_proxy_url

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

# A target name is a Prometheus label value and a query parameter: an identifier, nothing else.
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_KEYS = {"provider", "base_url", "api_key_env", "api_key_file", "model", "proxy", "no_proxy"}
MAX_KEY_FILE_BYTES = 64 * 1024


@dataclass(frozen=True)
class ProbeTarget:
    """One target and the proxy choice its probes make (None: the server's environment decides)."""

    target: Target
    proxy: str | None = None
    no_proxy: bool = False

    @property
    def name(self) -> str:
        return self.target.name


@dataclass(frozen=True)
class TargetTable:
    """The targets, in configuration order, and the environment and `.env` they were read from."""

    targets: Mapping[str, ProbeTarget]
    env: Mapping[str, str]
    dotenv: Mapping[str, str]
    source: str  # "environment" or the config file's path, for the start-up line

    def names(self) -> list[str]:
        return list(self.targets)


def load(env: Mapping[str, str], cwd: Path, config: Path | None = None) -> TargetTable:
    """Reads the targets once; a problem is a ConfigError with one line that names the file and the target."""
    dotenv, problem = read_dotenv(cwd)
    if problem:
        raise ConfigError(problem)
    if config is None:
        found = {t.name: ProbeTarget(t) for t in build_targets(CliValues(), env, dotenv)}
        return TargetTable(found, dict(env), dotenv, "environment")
    entries = _read_toml(config)
    found = {name: _from_entry(config, name, entry, env, dotenv) for name, entry in entries.items()}
    return TargetTable(found, dict(env), dotenv, str(config))


def _read_toml(path: Path) -> dict[str, dict[str, Any]]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    extra = sorted(set(data) - {"targets"})
    if extra:
        raise ConfigError(f"{path}: unknown table {extra[0]!r} (only [targets.NAME] tables)")
    targets = data.get("targets")
    if not isinstance(targets, dict) or not targets:
        raise ConfigError(f"{path}: no targets (add a [targets.NAME] table)")
    for name, entry in targets.items():
        if not NAME.match(name):
            raise ConfigError(f"{path}: target name {name[:64]!r} must be letters, digits, '.', '_' or '-' "
                              "(at most 64)")
        if not isinstance(entry, dict):
            raise ConfigError(f"{path}: targets.{name} must be a table")
    return targets


def _string(path: Path, name: str, entry: Mapping[str, Any], key: str) -> str | None:
    value = entry.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{path}: targets.{name}.{key} must be a non-empty string")
    return value.strip()


def _from_entry(path: Path, name: str, entry: Mapping[str, Any], env: Mapping[str, str],
                dotenv: Mapping[str, str]) -> ProbeTarget:
    where = f"{path}: targets.{name}"
    if "api_key" in entry:
        raise ConfigError(f"{where}: write the key in an environment variable and name it with api_key_env "
                          "(or put it in a file named by api_key_file), not in this file")
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown setting {unknown[0]!r} (known: {', '.join(sorted(_KEYS))})")
    provider, base_url, model, proxy = (_string(path, name, entry, k) for k in ("provider", "base_url", "model",
                                                                               "proxy"))
    if not provider and not base_url:
        raise ConfigError(f"{where}: give a provider or a base_url")
    no_proxy = entry.get("no_proxy", False)
    if not isinstance(no_proxy, bool):
        raise ConfigError(f"{where}.no_proxy must be true or false")
    if proxy and no_proxy:
        raise ConfigError(f"{where}: proxy and no_proxy exclude each other")
    if proxy:
        problem = validate_proxy_url(proxy)
        if problem:
            raise ConfigError(f"{where}.proxy: {problem}")
    key, key_source = _key(path, name, entry, env, dotenv)
    try:
        target = build_targets(CliValues(provider=provider, base_url=base_url, model=model), env, dotenv)[0]
    except ConfigError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    if key_source is not None:  # the named variable or file decides, even when it is empty
        target = dataclasses.replace(target, api_key=Secret(key) if key else None,
                                     key_source=key_source if key else "", also_set=())
    return ProbeTarget(dataclasses.replace(target, name=name), proxy, no_proxy)


def _key(path: Path, name: str, entry: Mapping[str, Any], env: Mapping[str, str],
         dotenv: Mapping[str, str]) -> tuple[str | None, str | None]:
    """(key, where it came from); (None, None) when the entry names no key: the provider's variables."""
    variable = _string(path, name, entry, "api_key_env")
    file = _string(path, name, entry, "api_key_file")
    if variable and file:
        raise ConfigError(f"{path}: targets.{name}: api_key_env and api_key_file exclude each other")
    if variable:
        if env.get(variable):
            return env[variable], f"env:{variable}"
        return dotenv.get(variable) or None, f".env:{variable}"
    if file:
        key_path = Path(file).expanduser()
        key_path = key_path if key_path.is_absolute() else path.parent / key_path
        try:
            text = key_path.read_bytes()[:MAX_KEY_FILE_BYTES].decode("utf-8")
        except OSError as exc:
            raise ConfigError(f"{path}: targets.{name}.api_key_file: cannot read {key_path}: "
                              f"{exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise ConfigError(f"{path}: targets.{name}.api_key_file: {key_path} is not UTF-8 text") from None
        return text.strip() or None, f"file:{key_path}"
    return None, None
