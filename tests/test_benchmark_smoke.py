"""The benchmark builds its loopback world and writes its results; no speed is asserted here
(speed lives in benchmarks/, where a MISS is a number to read, not a red test)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parent.parent
RUN = REPO / "benchmarks" / "run.py"


def _load_run() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmark_run", RUN)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_quick_run_builds_the_world_and_writes_every_section(tmp_path: Path) -> None:
    out = tmp_path / "latest.json"
    assert _load_run().main(["--quick", "--no-sdk", "--output", str(out)]) == 0

    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema"] == "llmdoctor-benchmark/1"
    assert {"date", "cpu_count", "python", "os", "llmdoctor", "checks"} <= set(data["machine"])
    assert data["settings"]["quick"] is True
    results = data["results"]
    assert set(results) == {"startup", "healthy", "healthy_local_proxy", "targets", "memory", "verdict"}
    # Both healthy worlds are healthy (the proxy 50 ms away; a local proxy with the API behind a 50 ms
    # relay): curl got its 200 through the proxy and the relay, and llmdoctor agreed.
    for name in ("healthy", "healthy_local_proxy"):
        healthy = results[name]
        assert healthy["curl_w"][0].startswith("200 "), name
        assert healthy["exit_codes"] == [0], name
        assert healthy["wire"][0]["connections"] >= 1, name
        # The floor row is a real GET that got its 200 the same way (else the row says "failed").
        assert healthy["httpx_floor"]["errors"] == [], name
        assert healthy["httpx_floor"]["wall"]["n"] == 1, name
    assert results["targets"]["outcomes"]["eight"][0]["targets"] == 8
    assert set(results["verdict"]["cases"]) >= {"blackhole_target", "silent_http_proxy", "silent_socks_proxy",
                                                "dns_silent_server", "silent_server"}
    for case in results["verdict"]["cases"].values():
        assert "skipped" in case or case["llmdoctor"]["n"] == 1
    assert results["startup"]["version"]["n"] == 1
    assert all(row["result"] in ("PASS", "MISS", "n/a") for row in data["summary"])


def test_readme_table_is_rewritten_between_markers_only(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from benchlib import table
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    readme = tmp_path / "README.md"
    readme.write_text("# x\n\nintro\n\n## Layout\n\n- files\n", encoding="utf-8")

    table.update_readme(readme, "| first |")
    first = readme.read_text(encoding="utf-8")
    assert first.index("## Performance") < first.index(table.START) < first.index("| first |") < first.index(
        table.END) < first.index("## Layout")

    table.update_readme(readme, "| second |")
    second = readme.read_text(encoding="utf-8")
    assert "| first |" not in second and second.count("## Performance") == 1
    assert second.replace("| second |", "| first |") == first
