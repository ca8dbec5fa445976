"""`llmdoctor keys` on a pool of 1,000 keys, 50 ms each way: wall time against the sequential floor.

    .venv/bin/python benchmarks/keys_bench.py [--keys 1000] [--concurrency 8,16] [--work 0.02]

The world: the test suite's key-pool relay (tests/peers/keypool.py, TLS with trustme) behind a
DelayRelay adding 50 ms each way (RECIPES §5: this kernel has no netem). The server spends `--work`
seconds on each answer, so requests that overlap are visible to its in-flight counter; its
maximum is the independent check that the auditor never had more than --concurrency in flight.
The sequential floor is 1,000 times the median of one request over a kept-alive connection
(what a loop over the keys would take at best). Memory is the CLI process's peak RSS (wait4).
Targets: >= 6x faster than the floor at the default concurrency, never above the configured
concurrency, under 100 MB. Results: a table on stdout and benchmarks/results/keys.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from peers import DelayRelay, make_certs  # noqa: E402
from peers.keypool import KeyPoolApi, pool_key  # noqa: E402

RESULTS = REPO / "benchmarks" / "results" / "keys.json"
DELAY_S = 0.05
SPEEDUP_TARGET = 6.0
MEMORY_TARGET_MB = 100.0


def sequential_request_s(url: str, key: str, ca: Path, samples: int = 20) -> float:
    """The median time of one request over a kept-alive connection (the floor's unit)."""
    import httpx

    times = []
    with httpx.Client(verify=ssl.create_default_context(cafile=str(ca)), timeout=10, trust_env=False) as client:
        client.get(url + "/models", headers={"authorization": f"Bearer {key}"})  # connect + TLS once
        for _ in range(samples):
            start = time.perf_counter()
            client.get(url + "/models", headers={"authorization": f"Bearer {key}"}).raise_for_status()
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def run_cli(path: Path, url: str, ca: Path, concurrency: int | None) -> dict[str, Any]:
    """One `llmdoctor keys` run: wall time, exit code, peak RSS, and its own JSON."""
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env.update(SSL_CERT_FILE=str(ca), NO_COLOR="1")
    argv = [sys.executable, "-m", "llmdoctor", "keys", str(path), "--base-url", url, "--json", "--deadline", "600"]
    if concurrency is not None:
        argv += ["--concurrency", str(concurrency)]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=errors, env=env, cwd=REPO)
        _pid, status, usage = os.wait4(proc.pid, 0)  # this child's own peak RSS
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        err = errors.read().decode("utf-8", "replace")
        out.seek(0)
        data = json.loads(out.read() or b"{}")
    return {"wall_s": round(wall, 2), "exit_code": proc.returncode, "stderr": err[-500:],
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1), "summary": data.get("summary"),
            "hosts": data.get("hosts")}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="benchmarks/keys_bench.py", description=__doc__.splitlines()[0])
    p.add_argument("--keys", type=int, default=1000)
    p.add_argument("--concurrency", default="default,16",
                   help="comma-separated runs: 'default' (no flag, 8) or a number (default: default,16)")
    p.add_argument("--work", type=float, default=0.02, help="server time per answer, seconds (default 0.02)")
    p.add_argument("--samples", type=int, default=20, help="sequential requests timed for the floor (default 20)")
    p.add_argument("--output", type=Path, default=RESULTS)
    args = p.parse_args(argv)
    runs = [None if c == "default" else int(c) for c in args.concurrency.split(",")]

    with tempfile.TemporaryDirectory() as tmp:
        certs = make_certs(Path(tmp))
        keys = {pool_key("valid", n): "valid" for n in range(args.keys)}
        path = Path(tmp) / "keys.txt"
        path.write_text("\n".join(keys) + "\n")
        results: list[dict[str, Any]] = []
        with KeyPoolApi(certs, keys, work=args.work) as api:
            relay = DelayRelay("127.0.0.1", api.server.port, delay=DELAY_S)
            url = f"https://127.0.0.1:{relay.port}/v1"
            try:
                one = sequential_request_s(url, next(iter(keys)), certs.ca_pem, max(1, args.samples))
                floor = one * args.keys
                for concurrency in runs:
                    api.max_in_flight = 0
                    accepted_before = api.server.accepted
                    run = run_cli(path, url, certs.ca_pem, concurrency)
                    configured = concurrency or 8
                    run.update(concurrency=configured, server_max_in_flight=api.max_in_flight,
                               server_connections=api.server.accepted - accepted_before,
                               speedup=round(floor / run["wall_s"], 2))
                    run["pass"] = {"speedup": run["speedup"] >= SPEEDUP_TARGET if concurrency is None else None,
                                   "in_flight": api.max_in_flight <= configured,
                                   "memory": run["peak_rss_mb"] < MEMORY_TARGET_MB,
                                   "all_valid": bool(run["summary"]) and run["summary"]["valid"] == args.keys}
                    results.append(run)
            finally:
                relay.stop()

    report = {
        "schema": "llmdoctor-keys-benchmark/1",
        "machine": {"date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                    "cpu_count": os.cpu_count(), "python": platform.python_version(),
                    "load_avg_1m": round(os.getloadavg()[0], 2)},
        "settings": {"keys": args.keys, "delay_each_way_s": DELAY_S, "server_work_s": args.work},
        "sequential": {"one_request_ms": round(one * 1000, 1), "floor_s": round(floor, 1),
                       "theoretical_floor_s": round(args.keys * (2 * DELAY_S + args.work), 1)},
        "runs": results,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"{args.keys} keys, {DELAY_S * 1000:.0f} ms each way, server {args.work * 1000:.0f} ms; "
          f"sequential floor {floor:.1f} s ({one * 1000:.1f} ms x {args.keys}); "
          f"load {report['machine']['load_avg_1m']}")
    print(f"{'concurrency':>11} {'wall s':>7} {'speedup':>8} {'max in flight':>14} {'conns':>6} {'RSS MB':>7}  result")
    ok = True
    for run in results:
        verdict = all(v for v in run["pass"].values() if v is not None)
        ok = ok and verdict
        print(f"{run['concurrency']:>11} {run['wall_s']:>7.2f} {run['speedup']:>7.2f}x "
              f"{run['server_max_in_flight']:>14} {run['server_connections']:>6} {run['peak_rss_mb']:>7.1f}  "
              f"{'PASS' if verdict else 'MISS'} { {k: v for k, v in run['pass'].items() if v is not None} }")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
