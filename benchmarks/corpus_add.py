"""Adds real error texts to tests/corpus/, routing each to the held-out file or a tuned file by its source.

Why by source: texts from one thread look alike, so a thread is either wholly held out or wholly
tuned on. sha256(source) decides, before anyone looks at how `explain` reads the text: a quarter of
the sources (first hex digit 0-3) go to holdout.jsonl, the rest to <class>.jsonl.

Usage: python benchmarks/corpus_add.py < new_entries.jsonl
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus"
FIELDS = ("text", "cause", "source", "client", "provider", "lang", "class")


def is_holdout(source: str) -> bool:
    """A quarter of the sources, fixed by their URL alone."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[0] in "0123"


def main() -> int:
    existing = {(e["text"], e["source"]) for path in CORPUS.glob("*.jsonl")
                for e in map(json.loads, path.read_text(encoding="utf-8").splitlines()) if e}
    added = 0
    for number, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        entry = json.loads(line)
        missing = [f for f in FIELDS if not entry.get(f)]
        if missing:
            print(f"line {number}: missing {missing}", file=sys.stderr)
            return 1
        if (entry["text"], entry["source"]) in existing:
            continue
        existing.add((entry["text"], entry["source"]))
        name = "holdout" if is_holdout(entry["source"]) else entry["class"]
        with (CORPUS / f"{name}.jsonl").open("a", encoding="utf-8") as out:
            out.write(json.dumps({f: entry[f] for f in FIELDS}, ensure_ascii=False) + "\n")
        added += 1
    print(f"added {added}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
