"""The API key as configured: present, clean, not a placeholder, meant for this provider."""

from __future__ import annotations

import re

from llmdoctor import providers
from llmdoctor.check import BaseCheck
from llmdoctor.context import Context
from llmdoctor.model import CheckResult, Finding, Status, from_findings, skipped
from llmdoctor.urls import is_local_host

_PLACEHOLDERS = re.compile(
    r"^(sk-)?(your|my|enter|insert|put|replace|paste)[-_ ]?(api[-_ ]?)?(key|token|secret).*$|"
    r"^(sk-)?(x{3,}|\*{3,}|\.{3,}|0{8,}|1234.*|test|dummy|placeholder|changeme|example|todo|tbd)$|"
    r"^<.*>$|^\{\{.*\}\}$|^\$\{?[A-Z_]+\}?$|^(null|none|undefined|nil|false|true|empty)$",
    re.IGNORECASE,
)


def _env_var_hint(ctx: Context) -> str:
    names = ctx.target.provider.key_env or ("OPENAI_API_KEY",)
    return names[0]


def _shape_findings(key: str, ctx: Context) -> list[Finding]:
    """Problems visible in the value itself, in the order a user should fix them."""
    found: list[Finding] = []
    var = _env_var_hint(ctx)
    stripped = key.strip().strip("\"'").strip()
    if stripped.lower().startswith("bearer "):
        found.append(Finding("config.key_whitespace", "the key starts with 'Bearer ': the SDK adds that itself",
                             f"Set {var} to the key alone, without 'Bearer '.", Status.FAIL, 0.95))
    if key != key.strip():
        where = "a trailing newline" if key.rstrip(" \t") != key.rstrip() else "leading or trailing whitespace"
        found.append(Finding("config.key_whitespace", f"the key has {where}",
                             f"Remove the whitespace around {var} (check how it was pasted or echoed into .env).",
                             Status.FAIL, 0.9))
    if key.strip()[:1] in ("'", '"') or key.strip()[-1:] in ("'", '"'):
        found.append(Finding("config.key_whitespace", "the key is wrapped in quotes that became part of the value",
                             f"Remove the quotes from the value of {var}.", Status.FAIL, 0.9))
    inner = stripped.removeprefix("Bearer ").removeprefix("bearer ")
    if any(c.isspace() for c in inner):
        found.append(Finding("config.key_whitespace", "the key contains a space or line break inside it",
                             "Copy the key again from the provider's console in one piece.", Status.FAIL, 0.9))
    if any(ord(c) > 126 or (ord(c) < 32 and not c.isspace()) for c in key):
        found.append(Finding("config.key_malformed", "the key contains non-ASCII or invisible characters "
                             "(often a full-width character or a zero-width space from a chat app)",
                             "Copy the key again from the provider's console, not from a chat message or a PDF.",
                             Status.FAIL, 0.9))
    if _PLACEHOLDERS.match(inner):
        found.append(Finding("config.key_placeholder", f"the key looks like a placeholder ({len(inner)} characters)",
                             f"Replace the example value of {var} with a real key.", Status.FAIL, 0.95))
    return found


def _provider_findings(key: str, ctx: Context) -> list[Finding]:
    target = ctx.target
    provider = target.provider
    found: list[Finding] = []
    owners = [p for p in providers.owners_of_key(key.strip()) if p.id != provider.id]
    owns_prefix = provider.key_prefix_of(key.strip()) not in (None, "sk-")
    if owners and not owns_prefix and provider.id != "relay":
        owner = owners[0]
        found.append(Finding(
            "auth.key_wrong_provider",
            f"this looks like a key for {owner.name} ({key.strip()[:len(owner.key_prefix_of(key.strip()) or '')]}…) "
            f"but it is sent to {provider.name} ({target.base_url.value})",
            f"Use a {provider.name} key, or point the base URL at {owner.name} ({owner.base_url}).",
            Status.FAIL, 0.9, {"key_looks_like": owner.id}))
    elif provider.key_prefixes and not provider.key_prefix_of(key.strip()) and provider.id != "relay":
        found.append(Finding("config.key_malformed",
                             f"{provider.name} keys start with {' or '.join(sorted(set(provider.key_prefixes)))}; "
                             "this one does not",
                             f"Check that {_env_var_hint(ctx)} holds a {provider.name} key.", Status.WARN, 0.6))
    if len(key.strip()) < 20 and not found:
        found.append(Finding("config.key_malformed", f"the key is only {len(key.strip())} characters long",
                             "Copy the whole key; real keys are much longer.", Status.WARN, 0.6))
    return found


def _config_findings(ctx: Context) -> list[Finding]:
    target = ctx.target
    found: list[Finding] = []
    if target.also_set and target.name == "anthropic":
        found.append(Finding(
            "config.conflicting_keys",
            f"{target.key_source.split(':')[-1]} is used, but {', '.join(target.also_set)} is set too: the SDK "
            "sends both headers and the server may pick the other one",
            "Unset the one you do not mean (ANTHROPIC_API_KEY sends x-api-key; ANTHROPIC_AUTH_TOKEN sends "
            "Authorization: Bearer).", Status.WARN, 0.6))
    for name in target.dotenv_conflicts:
        found.append(Finding("config.env_mismatch",
                             f"{name} in .env differs from the shell's {name}; the shell's value is used here "
                             "(python-dotenv does not override by default)",
                             f"Make them agree, or unset {name} in the shell so that .env applies.",
                             Status.WARN, 0.5, {"variable": name}))
    return found


class KeyCheck(BaseCheck):
    """The API key: present, clean, not a placeholder, and meant for this provider."""

    name = "key"
    phase = "config"

    def run(self, ctx: Context) -> CheckResult:
        target = ctx.target
        facts = dict(target.key_facts())
        if not target.provider.needs_key:
            return skipped(f"{target.provider.name} needs no key", facts)
        if target.api_key is None and is_local_host(target.host):
            # Ollama, LM Studio, vLLM and llama.cpp's server take any key or none: on this machine (or the
            # LAN) a missing key is not the problem, and whether the server answers is the verdict.
            return skipped(f"no key, and a local server ({target.host}) such as Ollama, LM Studio, vLLM or "
                           "llama.cpp needs none", facts)
        if target.api_key is None:
            names = " or ".join(target.provider.key_env) or "--api-key"
            return from_findings("", [Finding(
                "config.missing_key", f"no API key found for {target.provider.name} ({names} is not set)",
                f"Set {names} in your environment or .env, or pass --api-key - and type it on stdin.",
                Status.FAIL, 0.95)], facts)
        key = target.api_key.reveal()
        findings = _shape_findings(key, ctx) + _provider_findings(key, ctx) + _config_findings(ctx)
        ok = f"{target.api_key.redacted} from {target.key_source}, {len(key)} characters"
        return from_findings(ok, findings, facts)
