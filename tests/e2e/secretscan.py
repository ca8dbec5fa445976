"""Find secrets in anything llmdoctor writes: planted canaries, key shapes, auth headers, high-entropy tokens.

A redacted key (`sk-proj-…WXYZ`: prefix, an ellipsis, four characters) is not a leak; anything
with 16 or more key characters after a known prefix is. Tokens of 32+ characters of
[A-Za-z0-9_-] with a Shannon entropy above 4.0 bits per character are reported unless they match
the small, justified whitelist below.
"""

from __future__ import annotations

import base64
import math
import re
import urllib.parse
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

KEY_PREFIXES = ("sk-proj-", "sk-ant-", "sk-or-v1-", "AIza", "gsk_", "xai-")
_KEY_CHARS = r"[A-Za-z0-9_\-]"
_PREFIXED_KEY = re.compile(r"(?:" + "|".join(re.escape(p) for p in KEY_PREFIXES) + r")" + _KEY_CHARS + r"{16,}")
# Legacy OpenAI (sk- + 48), One API relays (sk- + 48) and every other `sk-…` key shape.
_SK_KEY = re.compile(r"(?<![A-Za-z0-9])sk-" + _KEY_CHARS + r"{20,}")
_BEARER = re.compile(r"(?i)authorization[\"']?\s*[:=]\s*[\"']?bearer\s+([A-Za-z0-9._~+/=\-]{16,})")
_PROXY_BASIC = re.compile(r"(?i)proxy-authorization[\"']?\s*[:=]\s*[\"']?basic\s+([A-Za-z0-9+/=]{8,})")
_X_API_KEY = re.compile(r"(?i)x-api-key[\"']?\s*[:=]\s*[\"']?([A-Za-z0-9._\-]{16,})")
_TOKEN = re.compile(_KEY_CHARS + r"{32,}")
ENTROPY_BITS = 4.0

# Known-safe high-entropy values, each with its reason. Keep this short.
SAFE_TOKENS: tuple[tuple[re.Pattern[str], str], ...] = (
    # The fake API's fixed completion id (tests/peers/fakeapi.py), echoed as a stream fact.
    (re.compile(r"^chatcmpl-[A-Za-z0-9]{20,40}$"), "fake API completion id"),
    # Anthropic-style message ids in the fake's streams.
    (re.compile(r"^msg_[A-Za-z0-9]{20,40}$"), "fake API message id"),
    # Certificate fingerprints and serials are hex: at most 4.0 bits per character, listed for clarity.
    (re.compile(r"^[0-9A-Fa-f]{32,128}$"), "hex digest or serial"),
)


@dataclass(frozen=True)
class Leak:
    kind: str
    value: str
    where: str

    def __str__(self) -> str:
        shown = self.value if len(self.value) <= 24 else self.value[:12] + "…" + self.value[-6:]
        return f"{self.where}: {self.kind}: {shown!r}"


def entropy(token: str) -> float:
    """Shannon entropy in bits per character."""
    counts = Counter(token)
    total = len(token)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def _safe(token: str) -> bool:
    return any(pattern.match(token) for pattern, _reason in SAFE_TOKENS)


def _forms(secret: str) -> set[str]:
    """The ways a secret can show up: as is, percent-quoted, inside Basic credentials, and its
    middle (anything but the four characters a redacted form may keep)."""
    forms = {secret, urllib.parse.quote(secret, safe=""), urllib.parse.quote_plus(secret)}
    forms.add(base64.b64encode(f"user:{secret}".encode()).decode().rstrip("="))
    if len(secret) >= 12:
        forms.add(secret[4:-4])
    return {f for f in forms if len(f) >= 6}


def scan(text: str, canaries: Iterable[str] = (), where: str = "output", marks: Iterable[str] = ()) -> list[Leak]:
    """Every secret-looking thing in `text`: `canaries` are exact secrets, `marks` substrings that
    only ever occur inside a secret (e.g. CANARY)."""
    leaks: list[Leak] = []
    for secret in canaries:
        for form in _forms(secret):
            if form in text:
                leaks.append(Leak("canary", form, where))
    for mark in marks:
        if mark in text:
            i = text.index(mark)
            leaks.append(Leak("canary mark", text[max(0, i - 12): i + 24], where))
    for match in _PREFIXED_KEY.finditer(text):
        leaks.append(Leak("key", match.group(0), where))
    for match in _SK_KEY.finditer(text):
        if not any(match.group(0).startswith(p) for p in KEY_PREFIXES):
            leaks.append(Leak("key", match.group(0), where))
    for pattern, kind in ((_BEARER, "Authorization: Bearer"), (_PROXY_BASIC, "Proxy-Authorization: Basic"),
                          (_X_API_KEY, "x-api-key")):
        for match in pattern.finditer(text):
            leaks.append(Leak(kind, match.group(1), where))
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if entropy(token) > ENTROPY_BITS and not _safe(token):
            leaks.append(Leak(f"high-entropy token ({entropy(token):.2f} bits/char)", token, where))
    return leaks
