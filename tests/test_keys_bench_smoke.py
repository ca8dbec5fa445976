"""The key-pool benchmark builds its world and writes its results; no speed is asserted here."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "keys_bench.py"


def test_a_small_run_writes_every_field(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("keys_bench", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path / "keys.json"
    module.main(["--keys", "12", "--concurrency", "3", "--work", "0.01", "--samples", "3", "--output", str(out)])
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema"] == "llmdoctor-keys-benchmark/1"
    assert data["sequential"]["floor_s"] > 0
    (run,) = data["runs"]
    assert run["exit_code"] == 0 and run["summary"]["valid"] == 12
    assert run["concurrency"] == 3 and 1 <= run["server_max_in_flight"] <= 3
    assert {"wall_s", "speedup", "peak_rss_mb", "server_connections"} <= set(run)
