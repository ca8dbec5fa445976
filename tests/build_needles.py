"""Writes llmdoctor/data/needles.json: the needles of every signature pattern `explain` and the live
checks make (`python tests/build_needles.py`, after changing a table; tests/test_prefilter.py says when).

The patterns are collected the way they come to exist: importing the signature modules, and reading
every text of the corpus with explain and every corpus body with the live classifier, which builds
the lazily made tables too.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def seen_patterns() -> set[str]:
    import importlib
    import pkgutil

    import llmdoctor
    from llmdoctor.explain import explain
    from llmdoctor.signatures import prefilter

    for info in pkgutil.walk_packages(llmdoctor.__path__, "llmdoctor."):
        if info.name.split(".")[1] in ("signatures", "apierrors", "explain"):
            importlib.import_module(info.name)
    for path in sorted((HERE / "corpus").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                explain(json.loads(line)["text"])
    from llmdoctor.apierrors.rules import _compiled_rules
    from llmdoctor.signatures import transport

    _compiled_rules()
    transport.compiled()
    return set(prefilter.SEEN)


def build() -> dict[str, list[str] | None]:
    from llmdoctor.signatures.prefilter import read_needles

    table: dict[str, list[str] | None] = {}
    for pattern in sorted(seen_patterns()):
        found = read_needles(pattern)
        table[pattern] = sorted(found) if found is not None else None
    return table


def main() -> int:
    from llmdoctor.signatures.prefilter import CACHE_FILE

    table = build()
    CACHE_FILE.write_text(json.dumps(table, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {len(table)} patterns to {CACHE_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
