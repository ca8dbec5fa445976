"""A pattern compiled only when the text could match it.

Compiling the few hundred signature patterns costs more than the rest of `explain` put together, and
almost all of them cannot match a given text. `needles(pattern)` reads, from the pattern itself, a few
literal pieces of which every match must contain one; a `Lazy` pattern looks for those first (a plain
substring test on the lower-cased text) and compiles only when one is there. When the pattern's shape
does not give such pieces for sure, there are none and the pattern is always compiled: the filter may
let a text through that then does not match, never the reverse.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from pathlib import Path

_META = set(".^$*+?{}[]()|\\")
_QUANTIFIERS = "?*{"
_MIN_ASCII = 3  # shorter pieces filter little
_MIN_OTHER = 2  # two CJK characters are already a word


def _close(pattern: str, start: int) -> int:
    """Index just past the group or class that opens at `start`."""
    depth, i = 0, start
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i = _class_end(pattern, i)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError("unbalanced group")


def _class_end(pattern: str, start: int) -> int:
    i = start + 1
    if i < len(pattern) and pattern[i] == "^":
        i += 1
    if i < len(pattern) and pattern[i] == "]":
        i += 1
    while i < len(pattern):
        if pattern[i] == "\\":
            i += 2
            continue
        if pattern[i] == "]":
            return i + 1
        i += 1
    raise ValueError("unbalanced class")


_PLAIN = re.compile(r"[^.^$*+?{}\[\]()|\\]+")
_TOKEN = re.compile(r"\\.|[\[()|]", re.S)


def _split(pattern: str) -> list[str]:
    """The top-level alternatives (the regex skips literal runs: this runs for every group of every row)."""
    parts, depth, last = [], 0, 0
    hit = _TOKEN.search(pattern)
    while hit:
        c, i = hit.group(), hit.start()
        pos = hit.end()
        if c == "[":
            pos = _class_end(pattern, i)
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(pattern[last:i])
            last = i + 1
        hit = _TOKEN.search(pattern, pos)
    parts.append(pattern[last:])
    return parts


def _skip_quantifier(pattern: str, i: int) -> tuple[int, bool]:
    """Past a quantifier at `i`, if any; and whether it allows zero repetitions."""
    if i >= len(pattern):
        return i, False
    c = pattern[i]
    if c in "?*":
        i += 1
        optional = True
    elif c == "+":
        i += 1
        optional = False
    elif c == "{" and re.match(r"\{\d*(,\d*)?\}", pattern[i:]):
        end = pattern.index("}", i)
        optional = pattern[i + 1:end].split(",")[0] in ("", "0")
        i = end + 1
    else:
        return i, False
    if i < len(pattern) and pattern[i] in "?+":  # lazy or possessive
        i += 1
    return i, optional


def _long_enough(piece: str) -> bool:
    return len(piece) >= (_MIN_ASCII if piece.isascii() else _MIN_OTHER)


def _selectivity(pieces: frozenset[str]) -> float:
    """Few alternatives and long pieces filter more; a number ("10054", "11001") far more than a word of the
    same length: "error" is in nearly every paste, an error number in few."""
    score = min(map(len, pieces)) / len(pieces)
    return score * 2 if all(any(c.isdigit() for c in piece) for piece in pieces) else score


def _best(candidates: list[frozenset[str]]) -> frozenset[str] | None:
    """The most selective of the piece sets every match holds."""
    if not candidates:
        return None
    return max(candidates, key=_selectivity)


def _branch(branch: str) -> frozenset[str] | None:
    """Literal pieces one of which every match of this alternative contains, or None."""
    i, run, end_of = 0, "", len(branch)
    candidates: list[frozenset[str]] = []

    def cut() -> str:
        if _long_enough(run):
            candidates.append(frozenset({run}))
        return ""

    while i < end_of:
        c = branch[i]
        if c == "(":
            end = _close(branch, i)
            inner = branch[i + 1:end - 1]
            after, optional = _skip_quantifier(branch, end)
            run = cut()
            if inner.startswith("?"):
                scoped = re.match(r"\?(?:[aiLmsux-]*:|P<\w+>)", inner)
                if scoped:  # (?:...), (?m:...), (?P<name>...): a group with content
                    inner = inner[scoped.end():]
                else:  # a look-around, a flag group or a back-reference: no content of its own
                    i = after
                    continue
            if not optional:
                found = needles(inner)
                if found:
                    candidates.append(found)
            i = after
            continue
        if c in "[.":
            end = _class_end(branch, i) if c == "[" else i + 1
            i, _ = _skip_quantifier(branch, end)
            run = cut()
            continue
        if c in "^$":
            i += 1
            continue
        if c == "\\":
            nxt = branch[i + 1:i + 2]
            if nxt.isalnum() or not nxt:  # \b \d \s \w \n ...: not a literal character here
                i, _ = _skip_quantifier(branch, i + 2)
                run = cut()
                continue
            char, end = nxt, i + 2
        elif c in _META:  # a stray quantifier or brace: give up on this alternative
            return None
        else:
            plain = _PLAIN.match(branch, i)  # a run of plain characters at once
            assert plain is not None
            if plain.end() - i > 1:
                run += branch[i:plain.end() - 1].lower()
                i = plain.end() - 1
            char, end = branch[i], i + 1
        if end < end_of and branch[end] in "?*+{":
            after, optional = _skip_quantifier(branch, end)
            if after != end:  # repeated or optional: the piece ends before it (or with it, for +)
                if not optional:
                    run += char.lower()
                run = cut()
                i = after
                continue
        run += char.lower()
        i = end
    cut()
    return _best(candidates)


# Reading the needles out of ~700 patterns took a third of a cold `explain` (issue 16.5): they are
# read once, when the tables change, into this file (tests/build_needles.py writes it; tests/test_prefilter.py
# fails, naming that command, when a pattern in use is missing or its entry is stale). A pattern not in it
# is read at run time, as before: the file saves time, it never decides a match.
CACHE_FILE = Path(__file__).resolve().parent.parent / "data" / "needles.json"
SEEN: set[str] = set()  # every pattern a Lazy was made of in this process (for the build script and its test)


@functools.cache
def _cached() -> dict[str, list[str] | None]:
    try:
        data = json.loads(CACHE_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


@functools.cache  # rows share groups (the proxy wordings, "(?:errno|winerror|error)"): each is read once
def needles(pattern: str) -> frozenset[str] | None:
    """Lower-cased literal pieces of which every match of `pattern` contains one; None when unsure."""
    cache = _cached()
    if pattern in cache:
        found = cache[pattern]
        return frozenset(found) if found is not None else None
    return read_needles(pattern)


def read_needles(pattern: str) -> frozenset[str] | None:
    """`needles`, read from the pattern itself (not from the file)."""
    try:
        found: set[str] = set()
        for branch in _split(pattern):
            pieces = _branch(branch)
            if not pieces:
                return None
            found |= pieces
        return frozenset(found)
    except (ValueError, IndexError):
        return None


class Lazy:
    """A pattern that is compiled on its first text that holds one of its needles."""

    __slots__ = ("_compiled", "flags", "needles", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern, self.flags = pattern, flags
        self.needles = needles(pattern)
        SEEN.add(pattern)
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def _may_match(self, text: str, lowered: str | None) -> bool:
        if self.needles is None:
            return True
        low = text.lower() if lowered is None else lowered
        return any(piece in low for piece in self.needles)

    def search(self, text: str, lowered: str | None = None) -> re.Match[str] | None:
        """`lowered` is `text.lower()`, passed in by a caller that tries many patterns on one text."""
        return self.compiled().search(text) if self._may_match(text, lowered) else None

    def finditer(self, text: str, lowered: str | None = None) -> Iterator[re.Match[str]]:
        return self.compiled().finditer(text) if self._may_match(text, lowered) else iter(())
