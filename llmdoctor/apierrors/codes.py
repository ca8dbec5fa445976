"""Reads a provider's own error code (Zhipu 1113, Qianfan 336006, Spark 11200, Ark ModelNotOpen…) from its table.

The tables are data (llmdoctor/data/provider_codes.json, each citing the provider's error-code page): a
new provider's codes are rows there, not patterns here. This module only finds the codes a text says
(in the error object's code field, or written in the text: `code: 336006`, `Code=AuthFailure.SignatureFailure`,
`[1214]`, `(1004)`, `11200:AppIdNoAuthError`) and decides whose they are. Why the care: numeric codes
collide between providers (1002 is a bad token at Zhipu and a rate limit at MiniMax), so a number counts
only when the text names its provider or every table that has it agrees; codes spelled in letters are
distinctive enough to count wherever they appear, except a few generic words (`AuthenticationError` is
also the SDKs' exception class name) that count only in a code field.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

# Codes written in the text, most structured first. Group 1: after a code key (`error_code: 18`,
# `"code":"1113"`, `code:RequestLimitExceeded`, `Code=AuthFailure.SignatureFailure`, `Code:11200`);
# group 2: Zhipu's `[1214][...]`; group 3: MiniMax's `... (1004)`; group 4: Spark's `11200:AppIdNoAuthError`.
_CODE_IN_TEXT = (r"(?:\berror_code|\bstatus_code|\bcode)[\"']?\s*[:=]\s*[\"']?([a-z][\w.]{2,80}|\d{1,6})\b|"
                 r"\[(\d{4,6})\]\[|\((\d{4})\)|(?:^|[\s:：])(\d{5}):\s?[a-z]")  # over the lower-cased text
# A code spelled in letters anywhere: ModelNotOpen, AccountOverdueError, AuthFailure.SecretIdNotFound
_WORD_CODE = r"\b([A-Z][a-z]+(?:[A-Z][A-Za-z]*)+(?:\.[A-Z][A-Za-z]+)*)\b"
_MAX_WORDS = 60


@functools.cache
def _pattern(pattern: str) -> re.Pattern[str]:
    """Compiled on the first error that needs it (explain's start-up budget)."""
    return re.compile(pattern)


def _code_shaped(code: str) -> bool:
    """Providers' codes are numbers or words in capitals (1113, ModelNotOpen, AuthFailure.SignatureFailure);
    OpenAI-style lower-case codes (invalid_api_key) are read by the message rules, so they never load the table."""
    return code.isdigit() or any(c.isupper() for c in code)


class CodeHit:
    """One provider code the text says and what it means. A plain class: a NamedTuple or a dataclass costs
    explain ~1 ms each at first use."""

    __slots__ = ("cause", "code", "confidence", "provider")

    def __init__(self, provider: str, code: str, cause: str, confidence: float) -> None:
        self.provider, self.code, self.cause, self.confidence = provider, code, cause, confidence

    def __repr__(self) -> str:
        return f"CodeHit({self.provider!r}, {self.code!r}, {self.cause!r}, {self.confidence!r})"


# the tables: lower-cased code -> [(provider, cause, confidence)]; provider -> one pattern of its markers
# (compiled only when a number needs an owner); the generic code words; provider -> display name
_Tables = tuple[dict[str, list[tuple[str, str, float]]], dict[str, str], frozenset[str], dict[str, str]]


@functools.cache
def _tables() -> _Tables:
    """Loaded on the first error that carries a code: a healthy run never reads the file."""
    path = Path(__file__).resolve().parent.parent / "data" / "provider_codes.json"  # importlib.resources: +5 ms
    raw: dict[str, Any] = json.loads(path.read_text("utf-8"))
    by_code: dict[str, list[tuple[str, str, float]]] = {}
    markers: dict[str, str] = {}
    names: dict[str, str] = {}
    for provider, entry in raw["providers"].items():
        names[provider] = str(entry.get("name", provider))
        markers[provider] = "|".join(f"(?:{m})" for m in entry.get("markers", ())) or "(?!)"
        for code, (cause, confidence) in entry["codes"].items():
            by_code.setdefault(code.lower(), []).append((provider, str(cause), float(confidence)))
    return by_code, markers, frozenset(c.lower() for c in raw.get("generic_codes", ())), names


def provider_name(provider: str) -> str:
    return _tables()[3].get(provider, provider)


def _said_codes(fields: list[str], text: str) -> list[tuple[str, bool]]:
    """(code, in a code position) for every code the error says, field values first."""
    found: list[tuple[str, bool]] = [(f.strip(), True) for f in fields if f and _code_shaped(f.strip())]
    scan = text[:20000]
    lowered = scan.lower()
    same_length = len(lowered) == len(scan)  # lower() keeps offsets for all but a few Unicode letters
    for match in _pattern(_CODE_IN_TEXT).finditer(lowered):
        group = next(i for i, g in enumerate(match.groups(), 1) if g)
        code = scan[match.start(group):match.end(group)] if same_length else match.group(group)
        if _code_shaped(code):
            found.append((code, True))
    for count, match in enumerate(_pattern(_WORD_CODE).finditer(scan)):
        if count >= _MAX_WORDS:
            break
        found.append((match.group(1), False))
    first: dict[str, tuple[str, bool]] = {}
    for code, in_field in found:
        first.setdefault(code.lower(), (code, in_field))  # a code said twice counts once, as its first mention
    return list(first.values())


def _named_providers(provider: str | None, lowered: str) -> list[str]:
    markers = _tables()[1]
    named = [provider] if provider in markers else []
    named += [p for p, pattern in markers.items() if p not in named and _pattern(pattern).search(lowered)]
    return named


def lookup(fields: list[str], text: str, provider: str | None = None) -> list[CodeHit]:
    """The causes the provider codes in `fields` (the error object's code values) and `text` mean."""
    said = _said_codes(fields, text)
    if not said:
        return []
    by_code, _, generic, _ = _tables()
    named: list[str] | None = None
    hits: list[CodeHit] = []
    for code, in_field in said:
        key = code.lower()
        rows = by_code.get(key)
        if not rows:
            continue
        numeric = key.isdigit()
        if not numeric and not in_field and key in generic:
            continue  # "AuthenticationError" in a traceback is the SDK's class, not Ark's code
        if named is None:
            named = _named_providers(provider, text[:20000].lower())
        mine = [row for row in rows if row[0] in named]
        if mine:
            owner, cause, confidence = mine[0]
        elif not numeric or (len(key) >= 4 and len({row[1] for row in rows}) == 1):
            # a word code is its provider's; an unowned number only when every table agrees on it
            owner, cause, confidence = rows[0][0], rows[0][1], min(r[2] for r in rows) - 0.05
        else:
            continue
        hits.append(CodeHit(owner, code, cause, round(confidence, 2)))
    return hits
