"""How the benchmark runs llmdoctor and curl: argv, a clean environment, and what the report says."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .timing import Run, run_timed
from .world import World

PYTHON = sys.executable  # the interpreter (venv) this benchmark runs in is the one under test
RUN_CAP_S = 60.0  # a run that takes longer is killed and reported as "≥ 60 s"


def base_env(world: World) -> dict[str, str]:
    """A user's shell with nothing configured but the test CA: no proxy, no key, no .env."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(world.home),
        "XDG_CONFIG_HOME": str(world.home / ".config"),
        "LANG": "C.UTF-8",
        "SSL_CERT_FILE": str(world.ca_pem),  # trust the test CA the way a user points httpx at a bundle
    }


def llmdoctor_argv(*args: str) -> list[str]:
    return [PYTHON, "-m", "llmdoctor", *args]


class Workdir:
    """A fresh cwd per scenario (so no `.env` is read) that collects each run's JSON report."""

    def __init__(self, name: str) -> None:
        self.path = Path(tempfile.mkdtemp(prefix=f"llmd-bench-{name}-"))

    @property
    def report(self) -> Path:
        return self.path / "report.json"

    def read_report(self) -> dict[str, Any] | None:
        try:
            data: dict[str, Any] = json.loads(self.report.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        finally:
            self.report.unlink(missing_ok=True)
        return data


def run_llmdoctor(args: Sequence[str], env: Mapping[str, str], work: Workdir, *,
                  prefix: Sequence[str] = (), cap: float = RUN_CAP_S) -> tuple[Run, dict[str, Any] | None]:
    """One full `python -m llmdoctor` process (report saved with -o, as a user filing a ticket would)."""
    argv = [*prefix, *llmdoctor_argv(*args, "--output", str(work.report))]
    run = run_timed(argv, env, work.path, cap)
    return run, work.read_report()


def check_times(report: Mapping[str, Any] | None) -> dict[str, dict[str, Any]]:
    """check id -> {status, duration_ms} for the first target (where the time went)."""
    if not report:
        return {}
    targets = report.get("targets") or []
    out: dict[str, dict[str, Any]] = {}
    for target in targets[:1]:
        for result in target.get("results", []):
            out[str(result.get("check"))] = {"status": result.get("status"), "ms": result.get("duration_ms")}
    return out


def verdict_of(report: Mapping[str, Any] | None, run: Run) -> dict[str, Any]:
    """What the user was told: exit code, verdict sentence, cause ids, the failing checks."""
    if run.killed:
        return {"exit_code": None, "verdict": "killed at the cap", "causes": [], "failed": []}
    if not report:
        tail = (run.stderr.strip().splitlines() or [""])[-1][:200]
        return {"exit_code": run.returncode, "verdict": f"no report ({tail})", "causes": [], "failed": []}
    failed = [f"{r.get('target')}:{r.get('check')}" for t in report.get("targets", [])
              for r in t.get("results", []) if r.get("status") in ("fail", "error")]
    return {"exit_code": run.returncode, "verdict": report.get("verdict"),
            "causes": [c.get("id") for c in report.get("causes", [])], "failed": failed}


def installed_checks(env: Mapping[str, str], cwd: Path) -> list[str]:
    """The checks this run measures (other engineers' checks land over time)."""
    run = run_timed(llmdoctor_argv("checks"), env, cwd, 30)
    return [line.split()[0] for line in run.stdout.splitlines() if line.strip()]


def curl_argv(url: str, ca: Path, proxy: str, key: str) -> list[str]:
    """The same GET /models a user would try by hand, through the same proxy."""
    return ["curl", "-sS", "-o", "/dev/null", "--max-time", "30", "--cacert", str(ca), "-x", proxy,
            "-H", f"Authorization: Bearer {key}",
            "-w", "%{http_code} %{time_connect} %{time_appconnect} %{time_starttransfer} %{time_total}", url]
