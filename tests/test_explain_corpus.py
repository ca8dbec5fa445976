"""The floor `explain` must keep on the real-text corpus (tests/corpus), tuned part and held-out part.

The held-out file was split off by a hash of each source URL before any tuning (benchmarks/corpus_add.py);
its floor is the honest one. Raise the floors when the numbers go up; never tune on holdout.jsonl.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import explain_eval  # noqa: E402

TUNED_FLOOR = 0.955  # 1641/1711 with the four h16 branches: their new rows read 96.1-96.9 % each, 70 misses in all
HOLDOUT_FLOOR = 0.83  # stop 24: 434/514; the 344 rows held out before it 305/344, the 170 held out during it 129/170;
# h16-diag added 10 held-out texts (base URL, keys, frameworks) that read 5/10 on first contact: 439/524, 440/524 after
# its rules; h16-clients 25 of coding agents and chat apps: 17 of the first 23 right before any rule, the same 17 after;
# both merged: 459/550; h16-providers 22 of other clients and proxies (21/22 after its rules): 480/572 with all three
HOLDOUT_FALSE_CEILING = 9  # confident verdicts on held-out ambiguous texts (1 of 18 at stop 23; 2 after y-tls added a
# bare "certificate verify failed (_ssl.c:749)"; 5 after z-faults' generated rows went to holdout, the same 5 before
# and after its rule changes; 6 after h16-diag's 10 held-out texts, on first contact, the same 6 after its rules):
# 7 after h26-agents' 10 held-out texts of coding agents and chat apps (8/10 right on first contact, the same after
# its rules), 7 after h26-url's 13 held-out base-URL texts (504/596 -> 513/609); each brought one ambiguous text that
# drew a confident verdict on first contact, before any rule, not tuned on: 8 with both (521/619 held out); 7 once a
# bare "certificate verify failed" became a candidate (a rule from the tuned corpus's labels, 525/623 held out):
# 8 after h27-clients' 8 held-out texts of other clients (Go, Java, .NET, PHP, Node: 531/630 held out on first
# contact, before any rule; 535/634 with all 11 of its held-out rows, after its rules; one drew a verdict, untuned):
# measured, never fixed text by text. h27-baseurl: 8 held-out base-URL texts, 3/8 on first contact, 528/631 before
# and after its rules (83.7 %), the same 7 confident ambiguous; 6 more (5/6 on first contact): 533/637 before and
# after its second rules. h27b-faults: 16 held-out generated configuration rows (corpus_faults.py base URL, key and
# Azure scenarios), 14/16 on first contact (605/724), 15/16 after its rule (606/724); one of its held-out ambiguous
# rows drew a confident verdict on first contact, before any rule (9), not tuned on
FIELDS = {"text", "cause", "source", "client", "provider", "lang", "class"}


def test_corpus_is_broad_and_well_formed() -> None:
    rows = explain_eval.load()
    assert len(rows) >= 400
    assert all(set(row) >= FIELDS and row["source"].startswith(("http", "generated: benchmarks/")) for row in rows)
    assert {row["lang"] for row in rows} >= {"en", "zh"}
    assert len({explain_eval.source_key(row["source"]) for row in rows}) >= 150
    holdout = [row for row in rows if row["split"] == "holdout"]
    assert 0.2 <= len(holdout) / len(rows) <= 0.3


def test_every_labelled_cause_exists_in_the_knowledge_base() -> None:
    from llmdoctor.knowledge import load

    ids = set(load().ids()) | {explain_eval.AMBIGUOUS}
    assert {row["cause"] for row in explain_eval.load()} <= ids


def test_the_split_is_the_hash_of_the_source() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from corpus_add import is_holdout

    for row in explain_eval.load():
        assert is_holdout(row["source"]) == (row["split"] == "holdout"), row["source"]


@pytest.fixture(scope="module")
def evaluation() -> dict[str, Any]:
    """One reading of the whole corpus for the tests below (each took 20-40 s of CI time on its own)."""
    return explain_eval.evaluate(explain_eval.load())


def test_accuracy_floors_on_tuned_and_held_out_texts(evaluation: dict[str, Any]) -> None:
    result = evaluation
    tuned_right, tuned_total = result["totals"]["tuned"]
    held_right, held_total = result["totals"]["holdout"]
    summary = json.dumps({"tuned": tuned_right / tuned_total, "holdout": held_right / held_total})
    assert tuned_right / tuned_total >= TUNED_FLOOR, summary
    assert held_right / held_total >= HOLDOUT_FLOOR, summary


def test_no_confident_verdict_on_a_text_that_does_not_name_its_cause(evaluation: dict[str, Any]) -> None:
    """None on the tuned texts. The held-out count is measured, never fixed text by text (that would be
    tuning on them): it has a ceiling, as the held-out accuracy has a floor."""
    by_split = evaluation["false_statements_by_split"]
    assert by_split.get("tuned", 0) == 0, by_split
    assert by_split.get("holdout", 0) <= HOLDOUT_FALSE_CEILING, by_split
