"""How often `llmdoctor explain` names the right top cause for real pasted errors (tests/corpus/).

Each corpus line is a real error text from a public issue, doc page or forum thread, with the cause
that thread confirmed (or "ambiguous" when the text alone cannot tell). A reading is right when the
top cause matches, or, for an ambiguous text, when explain says the text does not tell. A confident
wrong verdict on an ambiguous text is counted separately as a false statement: that is the worse error (a guess
said as one, "Most likely X; to confirm ...", is no false statement, though it is not the right reading either).

holdout.jsonl was split off by a hash of the source URL before any tuning (benchmarks/corpus_add.py);
the tuned number is what the rules were fitted against, the held-out number is the honest one.

Usage: python benchmarks/explain_eval.py [--json] [--misses] [--split tuned|holdout]
"""

from __future__ import annotations

import argparse
import collections
import json
import signal
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
AMBIGUOUS = "ambiguous"


def load() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for path in sorted(CORPUS.glob("*.jsonl")):
        split = "holdout" if path.stem == "holdout" else "tuned"
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append({**json.loads(line), "split": split})
    return rows


def answer(text: str) -> tuple[str, bool]:
    """The verdict explain gives (a cause id, "ambiguous", or "unrecognised"), and whether it is said as a guess:
    "Most likely X; to confirm ..." (`likely`), the form for a wording whose threads confirm several causes."""
    from llmdoctor.explain import explain

    result = explain(text)
    if getattr(result, "ambiguous", False):
        return AMBIGUOUS, False
    if result.recognised and result.causes:
        return result.causes[0].id, bool(getattr(result, "likely", False))
    return "unrecognised", False


def reading(text: str) -> str:
    """The verdict explain gives: a cause id, "ambiguous", or "unrecognised"."""
    return answer(text)[0]


def source_key(url: str) -> str:
    parsed = urlparse(url)
    if parsed.netloc == "github.com":
        return "github.com/" + parsed.path.strip("/").split("/")[0]
    return parsed.netloc or url


def evaluate(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def bucket() -> list[int]:
        return [0, 0]

    totals: dict[str, list[int]] = collections.defaultdict(bucket)
    per_class: dict[str, dict[str, list[int]]] = collections.defaultdict(lambda: collections.defaultdict(bucket))
    per_source: dict[str, list[int]] = collections.defaultdict(bucket)
    false_statements = 0
    false_by_split: dict[str, int] = collections.Counter()
    misses: list[dict[str, Any]] = []
    for row in rows:
        got, likely = answer(row["text"])
        right = got == row["cause"]
        for key in (row["split"], "all"):
            totals[key][0] += right
            totals[key][1] += 1
            per_class[row["class"]][key][0] += right
            per_class[row["class"]][key][1] += 1
        per_source[source_key(row["source"])][0] += right
        per_source[source_key(row["source"])][1] += 1
        # a guess said as one ("the sentence alone does not say why; most likely X; to confirm ...") is no confident
        # verdict; it is still not the right reading of an ambiguous text
        if row["cause"] == AMBIGUOUS and got not in (AMBIGUOUS, "unrecognised") and not likely:
            false_statements += 1
            false_by_split[row["split"]] += 1
        if not right:
            misses.append({"split": row["split"], "class": row["class"], "want": row["cause"], "got": got,
                           "source": row["source"], "text": row["text"][:160]})
    return {"totals": dict(totals), "per_class": {k: dict(v) for k, v in per_class.items()},
            "per_source": dict(per_source), "false_statements_on_ambiguous": false_statements,
            "false_statements_by_split": dict(false_by_split), "misses": misses}


def _pct(pair: list[int]) -> str:
    right, total = pair
    return f"{100 * right / total:5.1f}% ({right}/{total})" if total else "   -"


def main(argv: list[str] | None = None) -> int:
    if hasattr(signal, "SIGPIPE"):  # `| head` ends the output quietly
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--misses", action="store_true", help="list every wrong reading")
    parser.add_argument("--split", choices=("tuned", "holdout"), help="only this part of the corpus")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    rows = [r for r in load() if not args.split or r["split"] == args.split]
    result = evaluate(rows)
    if args.json:
        sys.stdout.write(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
        return 0
    totals = result["totals"]
    print(f"explain on {len(rows)} real error texts (tests/corpus)")
    for key in ("all", "tuned", "holdout"):
        if key in totals:
            print(f"  {key:8} {_pct(totals[key])}")
    by_split = result["false_statements_by_split"]
    print(f"  confident verdicts on ambiguous texts: {result['false_statements_on_ambiguous']} "
          f"(tuned {by_split.get('tuned', 0)}, held-out {by_split.get('holdout', 0)})")
    print("\nper class                 tuned               held-out")
    for name, parts in sorted(result["per_class"].items()):
        print(f"  {name:22} {_pct(parts.get('tuned', [0, 0])):19} {_pct(parts.get('holdout', [0, 0]))}")
    print("\nper source (sources with 3+ texts)")
    for name, pair in sorted(result["per_source"].items(), key=lambda kv: -kv[1][1]):
        if pair[1] >= 3:
            print(f"  {name:40} {_pct(pair)}")
    if args.misses:
        print("\nmisses")
        for miss in result["misses"]:
            print(f"  [{miss['split']}/{miss['class']}] want {miss['want']} got {miss['got']}  {miss['source']}")
            print(f"      {miss['text']!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
