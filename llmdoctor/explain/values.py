"""The values explain's fix steps are written with: the URL or host the pasted error names.

A fix that says "check https://api.example.com/v1" helps only when that is the URL the user called, so
the values come from the text first, then from the guessed provider; nothing known, nothing filled
(`llmdoctor.fixvalues` then leaves those steps out rather than print a placeholder).
"""

from __future__ import annotations

import re

_URL = re.compile(r"https?://[A-Za-z0-9.\-\[\]:]+(?:/[^\s'\"<>)]*)?")


def fix_values(text: str, provider: str | None) -> dict[str, str | None]:
    """The fix-step values (llmdoctor/fixvalues.py) for the URL the error names, else the guessed provider's own."""
    found = _URL.search(text[:200_000])
    if found is None and not provider:
        return {}  # nothing to fill: spare explain's start-up the provider table and the config module
    from llmdoctor import providers
    from llmdoctor.config import Sourced, Target
    from llmdoctor.fixvalues import target_values

    try:
        known = providers.get(provider) if provider else None
    except (KeyError, ValueError):
        known = None
    if found is None and known is None:
        return {}
    if found is not None:
        url = found.group(0).rstrip(".,;")
        root, sep, _rest = url.partition("/v1")
        # The SDK's base URL: OpenAI-style ones end in /v1, Anthropic's is the root (the SDK adds /v1/…).
        url = (root if known is not None and known.api == "anthropic" else root + "/v1") if sep else \
            url.split("?", 1)[0]
    else:
        assert known is not None
        url = known.base_url
    chosen = known or providers.get("relay")
    try:
        return target_values(Target(chosen.id, chosen, Sourced(url, "pasted")))
    except Exception:  # a URL the text garbled: no values rather than wrong ones
        return {}


# Where a pasted TLS failure was connecting: a URL, urllib3's pool ("host='x', port=443"), aiohttp's "Cannot connect
# to host x:443", curl's "Connected to x (1.2.3.4) port 443", Claude Code's "Failed to connect to x:".
_ENDPOINT = (r"https://([A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z]{2,})(?::(\d{1,5}))?|"
             r"host='([A-Za-z0-9][A-Za-z0-9.-]*)', port=(\d{1,5})|"
             r"connect to host ([A-Za-z0-9][A-Za-z0-9.-]*):(\d{1,5})|"
             r"connected to ([A-Za-z0-9][A-Za-z0-9.-]*) \([^)]*\) port (\d{1,5})|"
             r"failed to connect to ([A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z]{2,})(?::(\d{1,5}))?")
_endpoint: list[re.Pattern[str]] = []  # compiled on the first line that needs it: not on explain's start-up


# A text that names no host: the command would keep a placeholder and not run as written, so the line
# says what to look for without it (the live tls check reads the certificate where the call fails).
_SHOW_ISSUER = "openssl s_client -connect HOST:443 -showcerts </dev/null | grep 'i:'"
_SHOW_DATES = "openssl s_client -connect HOST:443 </dev/null | openssl x509 -noout -dates "
_HOSTLESS = ((": " + _SHOW_ISSUER, ""), ("：" + _SHOW_ISSUER, ""),
             (_SHOW_DATES + "shows notAfter ", "the certificate's notAfter date is "),
             (_SHOW_DATES + "显示 notAfter ", "证书的 notAfter "))


def _hostless(line: str) -> str:
    for command, instead in _HOSTLESS:
        line = line.replace(command, instead)
    return line


def with_endpoint(line: str, text: str) -> str:
    """A "what would show it" line with HOST:443 filled from the text, so its command runs as written."""
    if "HOST:443" not in line:
        return line
    if not _endpoint:
        _endpoint.append(re.compile(_ENDPOINT, re.I))
    found = _endpoint[0].search(text[:200_000])
    if found is None:
        return _hostless(line)
    groups = found.groups()
    host, port = next((h, p) for h, p in zip(groups[0::2], groups[1::2], strict=True) if h)
    return line.replace("HOST:443", f"{host}:{port or 443}")
