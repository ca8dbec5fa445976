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
