"""Variable names that look right but that no SDK or proxy-aware client reads.

The SDKs read OPENAI_API_KEY / OPENAI_BASE_URL (openai >= 1; OPENAI_API_BASE was openai 0.x's)
and ANTHROPIC_API_KEY / ANTHROPIC_AUTH_TOKEN / ANTHROPIC_BASE_URL. urllib reads any-case names
ending in `_proxy`, so `HTTPS-PROXY`, `HTTPSPROXY` or `https_proxy ` (trailing space, possible
with `env` on Unix and with `set` on Windows) are silently ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from llmdoctor.model import Finding, Status
from llmdoctor.proxyenv.variables import NAMES as PROXY_NAMES

CAUSE = "config.misspelled_variable"

KNOWN_WRONG = {
    "OPENAI_API_BASE": "OPENAI_BASE_URL", "OPENAI_API_HOST": "OPENAI_BASE_URL", "OPENAI_BASE": "OPENAI_BASE_URL",
    "OPENAI_API_URL": "OPENAI_BASE_URL", "OPENAI_URL": "OPENAI_BASE_URL", "OPENAI_ENDPOINT": "OPENAI_BASE_URL",
    "OPENAI_HOST": "OPENAI_BASE_URL", "OPENAI_API_ENDPOINT": "OPENAI_BASE_URL", "OPENAI_PROXY": "HTTPS_PROXY",
    "OPENAI_KEY": "OPENAI_API_KEY", "OPENAI_APIKEY": "OPENAI_API_KEY", "OPENAI_TOKEN": "OPENAI_API_KEY",
    "OPENAI_SECRET_KEY": "OPENAI_API_KEY", "OPEN_AI_KEY": "OPENAI_API_KEY", "OPENAI_API_TOKEN": "OPENAI_API_KEY",
    "ANTHROPIC_KEY": "ANTHROPIC_API_KEY", "ANTHROPIC_APIKEY": "ANTHROPIC_API_KEY",
    "CLAUDE_API_KEY": "ANTHROPIC_API_KEY", "CLAUDE_KEY": "ANTHROPIC_API_KEY", "ANTHROPIC_TOKEN": "ANTHROPIC_AUTH_TOKEN",
    "ANTHROPIC_API_URL": "ANTHROPIC_BASE_URL",
    "ANTHROPIC_API_BASE": "ANTHROPIC_BASE_URL", "ANTHROPIC_URL": "ANTHROPIC_BASE_URL",
    "CLAUDE_BASE_URL": "ANTHROPIC_BASE_URL", "ANTHROPIC_ENDPOINT": "ANTHROPIC_BASE_URL",
}
READ_NAMES = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID",
              "ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL")
NOTES = {"OPENAI_API_BASE": " (openai < 1.0 and some LangChain versions read it; the openai >= 1 SDK does not)"}


def _norm(name: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", name.upper())


def _distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau–Levenshtein (optimal string alignment) distance, capped at `limit` + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return min(prev[len(b)], limit + 1)


def suggestion(name: str) -> str | None:
    """The name the client actually reads, when `name` looks like a misspelling of it."""
    upper = name.upper()
    if upper in KNOWN_WRONG:
        return KNOWN_WRONG[upper]
    if name in PROXY_NAMES or name in READ_NAMES:
        return None
    if upper.endswith("_PROXY") and re.fullmatch(r"[A-Za-z_]+", name):
        return None  # any-case *_proxy is read by urllib (FTP_PROXY, Https_Proxy)
    norm = _norm(name)
    proxies = {_norm(n): n.upper() for n in PROXY_NAMES}
    if norm in proxies:
        return proxies[norm] if not name.strip().islower() else proxies[norm].lower()
    for target in (*READ_NAMES, *(n for n in PROXY_NAMES if n.isupper())):
        t = _norm(target)
        if norm == t and name != target:
            return target
        if len(norm) >= 7 and norm[:2] == t[:2] and _distance(norm, t, 1) <= 1:
            return target
    return None


def misspelled(names: Iterable[str], present: Mapping[str, str], where: str = "environment") -> list[Finding]:
    """One finding per misspelled name; `present` tells whether the right name is set as well."""
    found: list[Finding] = []
    for name in sorted(set(names)):
        right = suggestion(name)
        if right is None or right == name:
            continue
        also = f" ({right} is set too)" if right in present or right.lower() in present else ""
        note = NOTES.get(name.upper(), "")
        found.append(Finding(CAUSE, f"{name!r} in the {where} is not read by any SDK or client{note}"
                                    f"; did you mean {right}?{also}",
                             f"Rename it to {right}.", Status.WARN, 0.6, {"name": name, "suggested": right}))
    return found
