"""llmdoctor's benchmark: healthy path vs curl, time to verdict vs the openai SDK, start-up, 8 targets, memory.

    .venv/bin/python benchmarks/run.py [--runs 5] [--sdk-python PATH] [--update-readme] [--quick]

Everything runs on loopback, every loop is bounded and every child is killed at a cap, so it
stops by itself (about five minutes). Results: a table on stdout, benchmarks/results/latest.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

RESULTS = HERE / "results" / "latest.json"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="benchmarks/run.py", description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=5, help="repetitions of each measurement (default 5)")
    p.add_argument("--cap", type=float, default=60.0, help="seconds before a hanging SDK call is killed (default 60)")
    p.add_argument("--sdk-python", metavar="PATH",
                   help="an interpreter with `openai` installed (default: benchmarks/.venv-sdk, created on demand)")
    p.add_argument("--no-sdk", action="store_true", help="do not run the openai SDK")
    p.add_argument("--proxy", choices=("auto", "tinyproxy", "pproxy"), default="auto",
                   help="the authenticated proxy (default: tinyproxy if installed, else pproxy --auth 0)")
    p.add_argument("--only", default="healthy,verdict,startup,targets",
                   help="comma-separated sections (healthy, verdict, startup, targets)")
    p.add_argument("--output", type=Path, default=RESULTS, help=f"JSON results (default {RESULTS.relative_to(REPO)})")
    p.add_argument("--update-readme", action="store_true", help="rewrite the table in README.md between its markers")
    p.add_argument("--quick", action="store_true",
                   help="smoke mode: one run, no SDK, no netns, 0.5 s llmdoctor timeouts (numbers mean nothing)")
    args = p.parse_args(argv)
    if args.runs < 1 or args.cap <= 0:
        p.error("--runs must be >= 1 and --cap > 0")
    return args


def machine_info(proxy: str, sdk: str, checks: list[str]) -> dict[str, Any]:
    from llmdoctor import __version__

    return {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()} {platform.machine()}",
        "llmdoctor": __version__,
        "checks": checks,
        "proxy": proxy,
        "sdk": sdk,
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        from benchlib import llmd, scenarios, sdk, table, world
    except ImportError as exc:
        print(f"benchmarks/run.py: {exc}; install the test extras: pip install -e '.[test]'", file=sys.stderr)
        return 2
    sections = {s.strip() for s in args.only.split(",") if s.strip()}
    opts = scenarios.Options(runs=1 if args.quick else args.runs, cap_s=args.cap, quick=args.quick,
                             budget_s=5.0 if args.quick else 40.0,
                             verdict_args=("--timeout", "0.5") if args.quick else ())
    started = time.monotonic()
    sdk_python, sdk_reason, sdk_label = None, "--no-sdk", ""
    if "verdict" in sections and not args.no_sdk and not (args.quick and not args.sdk_python):
        sdk_python, sdk_reason = sdk.find_python(args.sdk_python, create=True)
    w = world.build(proxy=args.proxy, with_netns=not args.quick)
    try:
        env = llmd.base_env(w)
        checks = llmd.installed_checks(env, w.home)
        results: dict[str, Any] = {}
        rows: list[Any] = []
        healthy_rss: list[float] = []
        if "startup" in sections:
            section = scenarios.startup(w, opts)
            results["startup"], rows = section.data, rows + section.rows
        if "healthy" in sections:
            section = scenarios.healthy(w, opts, far=True)
            results["healthy"], rows = section.data, rows + section.rows
            healthy_rss = section.data["maxrss_mb"]
            section = scenarios.healthy(w, opts, far=False)
            results["healthy_local_proxy"], rows = section.data, rows + section.rows
        if "targets" in sections:
            targets, memory = scenarios.several_targets(w, opts, healthy_rss)
            results["targets"], results["memory"] = targets.data, memory.data
            rows += targets.rows + memory.rows
        if "verdict" in sections:
            section = scenarios.time_to_verdict(w, opts, sdk_python, sdk_reason)
            results["verdict"] = section.data
            rows += section.rows
            versions = {c.get("sdk", {}).get("version") for c in section.data["cases"].values()} - {None, ""}
            sdk_label = f"openai {', '.join(sorted(versions))}" if versions else ""
        machine = machine_info(w.proxy.kind, sdk_label, checks)
    finally:
        w.close()
    settings = {"runs": opts.runs, "sdk_cap_s": opts.cap_s, "relay_delay_ms": world.DELAY_S * 1000,
                "quick": opts.quick, "llmdoctor_extra_args": list(opts.verdict_args), "sections": sorted(sections),
                "sdk_python": sdk_python, "elapsed_s": round(time.monotonic() - started, 1)}
    summary = [r.to_dict() for r in rows]
    data = {"schema": "llmdoctor-benchmark/1", "machine": machine, "settings": settings, "results": results,
            "summary": summary}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    text = table.render(summary, machine, settings)
    print(text)
    print(f"\n{len([r for r in rows if r.ok])}/{len([r for r in rows if r.ok is not None])} targets met; "
          f"{settings['elapsed_s']} s; results in {args.output}")
    if args.update_readme:
        table.update_readme(REPO / "README.md", text)
        print("README.md table updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
