"""benchmarks/serve_bench.py runs end to end and writes its numbers; no speed is asserted here
(the budgets are read from its output: speed lives in benchmarks/)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "serve_bench.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("serve_bench", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_short_run_measures_the_server_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "serve.json"
    assert _load().main(["--probes", "20", "--warmup", "2", "--failing", "5", "--output", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema"] == "llmdoctor-serve-benchmark/1"
    assert data["healthy"]["not_success"] == 0
    assert data["healthy"]["cpu_ms_per_probe"] >= 0 and data["rss_mb"]["at_end"] > 0
    assert data["checkpoints"][-1]["probes"] == 20
    assert set(data["budgets"]) >= {"cpu", "rss"}
