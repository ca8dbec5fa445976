"""The literal pre-filter never hides a match: checked on every signature row against every real text we hold."""

from __future__ import annotations

import importlib
import json
import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from llmdoctor.apierrors.rules import _compiled_rules
from llmdoctor.signatures import transport
from llmdoctor.signatures.prefilter import Lazy, needles

HERE = Path(__file__).parent


def _texts() -> list[str]:
    texts = []
    for path in sorted((HERE / "corpus").glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return texts


def _module_patterns() -> list[Lazy]:
    """explain's own patterns (status lines, proxy context, TLS frames ...)."""
    found: list[Lazy] = []
    for name in ("llmdoctor.explain.parse", "llmdoctor.explain.match"):
        for value in vars(importlib.import_module(name)).values():
            if isinstance(value, Lazy):
                found.append(value)
            elif isinstance(value, tuple):
                found += [v for v in value if isinstance(v, Lazy)]
    return found


def _rows() -> list[tuple[Lazy, bool]]:
    rules, fallback = _compiled_rules()
    return [(p, False) for _, p, _ in transport.compiled()] + [(p, True) for _, _, p in (*rules, *fallback)] \
        + [(p, False) for p in _module_patterns()]


def test_explains_own_patterns_are_filtered_too() -> None:
    assert len(_module_patterns()) >= 15


def test_every_row_but_a_few_has_needles() -> None:
    rows = _rows()
    # The five: a status in brackets or before a word, the HTML tag stripper, Ctrl-C, and the doubled
    # version segment of a base URL (/v1/v1: no literal of three characters to look for).
    assert sum(p.needles is None for p, _ in rows) <= 5


_TEXTS: list[tuple[str, str]] = []  # (text, text.lower()), loaded once per worker process


def _load_texts() -> None:
    _TEXTS[:] = [(text, text.lower()) for text in _texts()]


def _hidden_matches(rows: list[tuple[str, int, bool]]) -> list[tuple[str, str]]:
    """The (pattern, text) pairs where the full regex matches and the needle filter says it cannot."""
    hidden = []
    for pattern, flags, lowered_haystack in rows:
        regex, lazy = re.compile(pattern, flags), Lazy(pattern, flags)
        for text, lowered in _TEXTS:
            subject = lowered if lowered_haystack else text
            if regex.search(subject) and not lazy.search(subject, subject.lower()):
                hidden.append((pattern[:120], text[:200]))
    return hidden


def test_the_filter_never_hides_a_match() -> None:
    """Every row's full regex on every text: the scan is the cost (~600 patterns x 2 MB of text), so it is spread
    over the machine's cores, each worker with its own copy of the texts."""
    assert len(_texts()) >= 400
    rows = [(p.pattern, p.flags, lowered) for p, lowered in _rows()]
    workers = max(1, min(4, os.cpu_count() or 1))
    chunks = [rows[i::workers * 4] for i in range(workers * 4)]  # interleaved: the slow errno rows sit together
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_load_texts) as pool:
        hidden = [pair for found in pool.map(_hidden_matches, chunks) for pair in found]
    assert hidden == []


@pytest.mark.parametrize(("pattern", "expected"), [
    ("abc|def", {"abc", "def"}),
    (r"\berror (\d+)", {"error "}),
    (r"\[(?:errno|winerror) 61\]", {" 61]"}),  # the most selective piece
    (r"ab(?:cde|fgh)", {"cde", "fgh"}),
    (r"colou?r name", {"r name"}),
    (r"(?:maybe )?connect failed", {"connect failed"}),
    (r"x{2,}yz|hello", None),
    (r"a.b|xyz", None),
    (r"(?m:^\s*timeout)", {"timeout"}),
    (r"(?i)proxy error", {"proxy error"}),
    (r"连接超时|拒绝", {"连接超时", "拒绝"}),
    (r"tunnel\.failed", {"tunnel.failed"}),
    (r"ab+cd", None),  # "ab" and "cd": too short to filter on
])
def test_needles(pattern: str, expected: set[str] | None) -> None:
    found = needles(pattern)
    assert (None if found is None else set(found)) == expected


def test_the_needles_file_holds_every_pattern_in_use_as_read_from_it() -> None:
    """llmdoctor/data/needles.json saves explain's start-up the reading of ~700 patterns; a table change
    that is not written into it makes this fail (run `python tests/build_needles.py`)."""
    import build_needles

    from llmdoctor.signatures.prefilter import CACHE_FILE, read_needles

    cached = json.loads(CACHE_FILE.read_text(encoding="utf-8"))
    patterns = build_needles.seen_patterns()
    missing = [p for p in patterns if p not in cached]
    stale = [p for p in patterns if p in cached and
             (frozenset(cached[p]) if cached[p] is not None else None) != read_needles(p)]
    assert not missing and not stale, (f"{len(missing)} missing, {len(stale)} stale: run "
                                       f"`python tests/build_needles.py`", (missing + stale)[:3])
