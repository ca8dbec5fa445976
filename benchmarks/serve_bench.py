"""`llmdoctor serve` under a scrape loop: server CPU per probe of a healthy loopback target, and RSS.

    .venv/bin/python benchmarks/serve_bench.py [--probes 10000] [--output benchmarks/results/serve.json]

Starts the fake OpenAI-compatible HTTPS API of the test suite (tests/peers, trustme certificates)
in this process and `python -m llmdoctor serve` as a child, then sends probes one after another
over one keep-alive connection, as Prometheus does. The child's CPU time (utime + stime from
/proc/PID/stat) and RSS (/proc/PID/status) are read between batches, so the numbers are the
server's alone: the fake API and this client run in another process. Budgets (issue 19): at most
50 ms of server CPU per healthy probe (no process is started per probe), RSS within 100 MB after
10,000 probes. A failing target (connection refused) is measured too, for comparison.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
for path in (REPO / "tests", REPO):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from peers import closed_port, make_certs  # noqa: E402  (tests/ must be on sys.path first)
from peers.fakeapi import FakeApi, key_for  # noqa: E402

CPU_BUDGET_MS = 50.0
RSS_BUDGET_MB = 100.0
CHECKPOINTS = (100, 1000, 5000, 10000)
_TICKS = os.sysconf("SC_CLK_TCK")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="benchmarks/serve_bench.py", description=__doc__.splitlines()[0])
    p.add_argument("--probes", type=int, default=10000, help="healthy probes in a row (default 10000)")
    p.add_argument("--warmup", type=int, default=50, help="probes before measuring (default 50)")
    p.add_argument("--failing", type=int, default=500, help="probes of a failing target afterwards (default 500)")
    p.add_argument("--output", type=Path, default=HERE / "results" / "serve.json", help="JSON results")
    args = p.parse_args(argv)
    if args.probes < 1 or args.warmup < 0 or args.failing < 0:
        p.error("--probes must be >= 1, --warmup and --failing >= 0")
    return args


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of the process (all its threads)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def threads(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/task"))


def start_server(home: Path, env_extra: dict[str, str], config: Path) -> tuple[subprocess.Popen[str], int]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "LANG": "C.UTF-8", **env_extra}
    proc = subprocess.Popen([sys.executable, "-m", "llmdoctor", "serve", "--listen", "127.0.0.1:0",
                             "--config", str(config)], env=env, cwd=home, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    line = proc.stderr.readline()  # "llmdoctor serve: listening on http://127.0.0.1:PORT/ (...)"
    if "listening on http://127.0.0.1:" not in line:
        proc.kill()
        raise SystemExit(f"llmdoctor serve did not start: {line}{proc.stderr.read()}")
    return proc, int(line.split("127.0.0.1:", 1)[1].split("/", 1)[0])


def probe(conn: http.client.HTTPConnection, target: str) -> tuple[float, bool]:
    started = time.perf_counter()
    conn.request("GET", f"/probe?target={target}", headers={"X-Prometheus-Scrape-Timeout-Seconds": "10"})
    response = conn.getresponse()
    body = response.read()
    if response.status != 200:
        raise SystemExit(f"probe answered {response.status}: {body[:200]!r}")
    return time.perf_counter() - started, f'probe_success{{target="{target}"}} 1.0'.encode() in body


def run(args: argparse.Namespace) -> dict[str, Any]:
    home = Path(tempfile.mkdtemp(prefix="llmd-serve-bench-"))
    certs = make_certs(home / "certs")
    with FakeApi(certs) as api:
        config = home / "targets.toml"
        config.write_text(f'[targets.healthy]\nprovider = "relay"\nbase_url = "{api.url}"\napi_key_env = "KEY"\n\n'
                          f'[targets.refused]\nprovider = "relay"\nbase_url = "https://127.0.0.1:{closed_port()}/v1"\n'
                          'api_key_env = "KEY"\n', encoding="utf-8")
        proc, port = start_server(home, {"SSL_CERT_FILE": str(certs.ca_pem), "KEY": key_for("good")}, config)
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            for _ in range(args.warmup):
                probe(conn, "healthy")
            rss_start = rss_mb(proc.pid)
            cpu_before, walls, failures, checkpoints = cpu_s(proc.pid), [], 0, []
            for n in range(1, args.probes + 1):
                wall, ok = probe(conn, "healthy")
                walls.append(wall)
                failures += not ok
                if n % 500 == 0:
                    api.server.requests.clear()  # the fake API's log is this process' memory, not the server's
                if n in CHECKPOINTS or n == args.probes:
                    checkpoints.append({"probes": n, "rss_mb": round(rss_mb(proc.pid), 1),
                                        "threads": threads(proc.pid),
                                        "cpu_ms_per_probe": round((cpu_s(proc.pid) - cpu_before) / n * 1000, 2)})
            cpu_healthy = (cpu_s(proc.pid) - cpu_before) / args.probes * 1000
            cpu_before, fail_walls = cpu_s(proc.pid), []
            for _ in range(args.failing):
                fail_walls.append(probe(conn, "refused")[0])
            cpu_failing = (cpu_s(proc.pid) - cpu_before) / args.failing * 1000 if args.failing else None
            conn.close()
            rss_end = rss_mb(proc.pid)
        finally:
            proc.terminate()
            proc.wait(10)
    walls.sort()
    return {
        "schema": "llmdoctor-serve-benchmark/1",
        "machine": {"date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                    "cpu_count": os.cpu_count(), "python": platform.python_version(),
                    "os": f"{platform.system()} {platform.release()} {platform.machine()}",
                    "load_avg_1_5_15": [round(x, 2) for x in os.getloadavg()]},
        "probes": args.probes, "warmup": args.warmup,
        "healthy": {"cpu_ms_per_probe": round(cpu_healthy, 2), "not_success": failures,
                    "wall_ms_median": round(statistics.median(walls) * 1000, 1),
                    "wall_ms_p95": round(walls[int(len(walls) * 0.95) - 1 if len(walls) > 1 else 0] * 1000, 1)},
        "failing": {"probes": args.failing, "cpu_ms_per_probe": None if cpu_failing is None else round(cpu_failing, 2),
                    "wall_ms_median": round(statistics.median(fail_walls) * 1000, 1) if fail_walls else None},
        "rss_mb": {"after_warmup": round(rss_start, 1), "at_end": round(rss_end, 1)},
        "checkpoints": checkpoints,
        "budgets": {"cpu_ms_per_probe": CPU_BUDGET_MS, "rss_mb": RSS_BUDGET_MB,
                    "cpu": "PASS" if cpu_healthy <= CPU_BUDGET_MS else "MISS",
                    "rss": "PASS" if max(c["rss_mb"] for c in checkpoints) <= RSS_BUDGET_MB else "MISS"},
    }


def table(result: dict[str, Any]) -> str:
    h, b = result["healthy"], result["budgets"]
    lines = [
        f"llmdoctor serve, {result['probes']} healthy probes in a row ({result['machine']['cpu_count']} CPUs, "
        f"load {result['machine']['load_avg_1_5_15']})",
        f"  server CPU per healthy probe : {h['cpu_ms_per_probe']:.1f} ms  (budget {b['cpu_ms_per_probe']:.0f} ms: "
        f"{b['cpu']})",
        f"  wall per probe               : median {h['wall_ms_median']} ms, p95 {h['wall_ms_p95']} ms",
        f"  probes not successful        : {h['not_success']}",
    ]
    if result["failing"]["cpu_ms_per_probe"] is not None:
        lines.append(f"  server CPU per failing probe : {result['failing']['cpu_ms_per_probe']:.1f} ms "
                     f"(connection refused, {result['failing']['probes']} probes)")
    lines.append(f"  RSS                          : {result['rss_mb']['after_warmup']} MB after warm-up, "
                 f"{result['rss_mb']['at_end']} MB at the end (budget {b['rss_mb']:.0f} MB: {b['rss']})")
    lines.extend(f"    after {c['probes']:>5} probes: RSS {c['rss_mb']} MB, {c['threads']} threads, "
                 f"{c['cpu_ms_per_probe']} ms CPU/probe" for c in result["checkpoints"])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    result = run(args)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(table(result))
    return 0 if result["healthy"]["not_success"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
