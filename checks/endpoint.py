"""The base URL as configured: a URL, the right path shape, and no key sent in clear."""

from __future__ import annotations

import re
import urllib.parse

from llmdoctor.api.build import wire_provider
from llmdoctor.check import BaseCheck
from llmdoctor.context import Context
from llmdoctor.model import CheckResult, Finding, Status, from_findings
from llmdoctor.urls import is_local_host, split_url

# Paths the SDKs append to the base URL; pasting them into the base URL doubles them.
_OPERATION_SUFFIX = re.compile(r"/(chat/completions|completions|responses|messages|embeddings|models)/?$")


def _expected_path(ctx: Context) -> str:
    """The path part of the provider's default base URL ("/v1", "/openai/v1", "" for Anthropic)."""
    default = ctx.target.provider.base_url
    return urllib.parse.urlsplit(default).path.rstrip("/") if default else ""


def _path_findings(ctx: Context, path: str, base: str) -> list[Finding]:
    provider = wire_provider(ctx.target)  # an Anthropic-compatible relay speaks the Anthropic protocol
    found: list[Finding] = []
    suffix = _OPERATION_SUFFIX.search(path)
    if suffix:
        fixed = base[: base.rfind(suffix.group(0))] or base
        found.append(Finding("config.base_url_invalid",
                             f"the base URL ends in /{suffix.group(1)}: the SDK appends that itself, so the "
                             f"request goes to …/{suffix.group(1)}/{suffix.group(1)}",
                             f"Use the base URL without it: {fixed}", Status.FAIL, 0.9, {"suggested": fixed}))
        path = path[: suffix.start()]
    if re.search(r"/v1/v1(/|$)", path):
        fixed = base.replace("/v1/v1", "/v1")
        found.append(Finding("config.base_url_invalid", "the base URL has /v1 twice",
                             f"Use {fixed}", Status.FAIL, 0.9, {"suggested": fixed}))
    elif provider.api == "anthropic" and path.rstrip("/").endswith("/v1"):
        fixed = base.rstrip("/")[:-3]
        found.append(Finding("config.base_url_invalid",
                             "the Anthropic SDK appends /v1/messages itself, so a base URL ending in /v1 "
                             "requests /v1/v1/messages",
                             f"Set ANTHROPIC_BASE_URL to {fixed} (without /v1).", Status.FAIL, 0.85,
                             {"suggested": fixed}))
    elif provider.api == "openai" and not found:
        expected = _expected_path(ctx)
        if expected and path.rstrip("/") != expected and path.rstrip("/") not in provider.base_paths:
            suggested = base.rstrip("/") + expected if not path.strip("/") else None
            message = f"{provider.name} serves its API under {expected}; this base URL's path is " \
                      f"{path.rstrip('/') or '(empty)'}"
            found.append(Finding("config.base_url_invalid", message,
                                 f"Use {suggested or provider.base_url}", Status.WARN, 0.6,
                                 {"suggested": suggested or provider.base_url}))
        elif provider.id == "relay" and not path.strip("/"):
            found.append(Finding("config.base_url_invalid",
                                 "the relay's base URL has no path; most relays (One API, New API, LiteLLM) "
                                 "serve the OpenAI API under /v1",
                                 f"Try {base.rstrip('/')}/v1 (the auth check probes both).", Status.WARN, 0.5,
                                 {"suggested": base.rstrip("/") + "/v1"}))
    return found


class EndpointCheck(BaseCheck):
    """The base URL: parseable, the right path shape, and never plain http to a remote host."""

    name = "endpoint"
    phase = "config"

    def run(self, ctx: Context) -> CheckResult:
        target = ctx.target
        raw = target.base_url.value
        source = target.base_url.source
        fail = Status.FAIL
        if not raw.strip():
            sdk = "anthropic" if wire_provider(target).api == "anthropic" else "openai"
            what = "empty" if not raw else "whitespace only"
            return from_findings("", [Finding(
                "config.base_url_empty",
                f"{source.partition(':')[2] or source} is set but {what}"
                f"{' in .env' if source.startswith('.env:') else ''}: the {sdk} SDK then uses it as the base "
                "URL instead of its default, and every call fails with APIConnectionError",
                "Unset the variable, or give it a full URL.", fail, 0.95, {"source": source})])
        if raw != raw.strip() or any(c in raw for c in "\"' \t\r\n"):
            return from_findings("", [Finding(
                "config.base_url_invalid", f"the base URL from {source} contains spaces, quotes or line breaks",
                "Remove them; the value must be a bare URL such as https://api.openai.com/v1", fail, 0.9)])
        if "://" not in raw:
            return from_findings("", [Finding(
                "config.base_url_invalid", f"the base URL from {source} has no scheme ({raw!r})",
                f"Write it in full: https://{raw}", fail, 0.95, {"suggested": f"https://{raw}"})])
        parts = split_url(raw)
        if parts is None or not parts.hostname:
            return from_findings("", [Finding(
                "config.base_url_invalid", f"the base URL from {source} cannot be parsed ({raw!r})",
                "Check the host and the port (e.g. https://host:8443/v1).", fail, 0.95)])
        if parts.scheme not in ("http", "https"):
            return from_findings("", [Finding(
                "config.base_url_invalid", f"the base URL's scheme is {parts.scheme}://; the SDKs speak http(s)",
                "Use an https:// URL.", fail, 0.95)])
        host = parts.hostname.lower()
        port = parts.port or (443 if parts.scheme == "https" else 80)
        local = is_local_host(host)
        facts = {"base_url": raw, "scheme": parts.scheme, "host": host, "port": port,
                 "path": parts.path, "local": local, "source": source}
        findings = _path_findings(ctx, parts.path, raw.rstrip("/"))
        if parts.scheme == "http" and not local:
            findings.append(Finding(
                "config.insecure_http",
                f"the base URL is plain http:// to {host}: the key would travel unencrypted",
                "Use https://. llmdoctor will not send the key there unless you pass --allow-insecure.",
                Status.WARN, 0.7))
        if parts.username or parts.password:
            findings.append(Finding("config.base_url_invalid", "the base URL contains credentials (user:pass@)",
                                    "Remove them; the key goes in the API key variable.", Status.WARN, 0.5))
        if "api_version" in target.provider.extra_env:
            version = target.extras.get("api_version")
            facts["api_version"] = version.value if version else None
        if target.provider.own_hosts_only and not target.provider.owns_host(host):
            findings.append(Finding("config.base_url_invalid", f"{host} is not one of {target.provider.name}'s hosts",
                                    target.provider.own_hosts_only, Status.WARN, 0.6))
        return from_findings(f"{raw} ({source})", findings, facts)
