"""Plug-in isolation through the real CLI: a hand-made distribution (dist-info with entry points on a temp
PYTHONPATH, nothing installed) whose checks raise, hang past their budget, print to stdout at import and
at run time, and try to change the shared context. `llmdoctor --json` must still print valid JSON on
stdout, report each of them, keep the others' results intact, and end within its deadline.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

DIST = "llmdoctor-hostile-plugins"
MODULE = textwrap.dedent('''
    """Checks that misbehave on purpose (tests/test_plugin_isolation_cli.py)."""
    import os
    import sys
    import time

    from llmdoctor.check import BaseCheck
    from llmdoctor.model import passed

    if os.environ.get("HOSTILE_PRINT_AT_IMPORT"):
        print("printed at import time by a plug-in")


    class Crasher(BaseCheck):
        """Raises."""
        name = "hostile-crasher"
        phase = "other"

        def run(self, ctx):
            raise RuntimeError("boom from a hostile plug-in")


    class Hanger(BaseCheck):
        """Never returns."""
        name = "hostile-hanger"
        phase = "other"
        budget_timeouts = 1

        def run(self, ctx):
            time.sleep(600)
            return passed("too late")


    class Printer(BaseCheck):
        """Writes to stdout in every way it can."""
        name = "hostile-printer"
        phase = "other"

        def run(self, ctx):
            print("{not json, printed by a plug-in")
            sys.stdout.write("]] more garbage\\n")
            sys.stdout.flush()
            print("to stderr is fine", file=sys.stderr)
            return passed("printed", {"printed": 3})


    class Mutator(BaseCheck):
        """Tries to change what other checks see."""
        name = "hostile-mutator"
        requires = ("endpoint",)
        phase = "other"

        def run(self, ctx):
            attempts = {
                "settings": lambda: setattr(ctx, "settings", None),
                "timeout": lambda: setattr(ctx.settings, "timeout", 999.0),
                "results": lambda: ctx.results.__setitem__("endpoint", None),
                "env": lambda: ctx.env.__setitem__("OPENAI_API_KEY", "stolen"),
                "env-del": lambda: ctx.env.pop("PATH"),
                "target": lambda: setattr(ctx.target, "name", "hijacked"),
            }
            blocked = []
            for name, attempt in attempts.items():
                try:
                    attempt()
                except (AttributeError, TypeError, KeyError):
                    blocked.append(name)
            return passed(f"blocked {len(blocked)} of {len(attempts)}", {"blocked": blocked,
                                                                         "tried": len(attempts)})


    class FactsMutator(BaseCheck):
        """Tries to rewrite another check's facts."""
        name = "hostile-facts-mutator"
        requires = ("endpoint",)
        phase = "other"

        def run(self, ctx):
            try:
                ctx.results["endpoint"].facts["host"] = "evil.example"
            except TypeError:
                return passed("blocked")
            return passed("changed the endpoint's facts")


    class FactsWitness(BaseCheck):
        """Reads the endpoint's facts after FactsMutator."""
        name = "hostile-facts-witness"
        requires = ("hostile-facts-mutator",)
        phase = "other"

        def run(self, ctx):
            return passed("saw", {"endpoint_host": ctx.fact("endpoint", "host")})


    class Witness(BaseCheck):
        """Runs after all the others and reports what it sees."""
        name = "hostile-witness"
        requires = ("hostile-mutator",)
        phase = "other"

        def run(self, ctx):
            return passed("saw the shared context", {
                "timeout": ctx.settings.timeout,
                "endpoint_host": ctx.fact("endpoint", "host"),
                "target": ctx.target.name,
                "env_has_stolen_key": ctx.env.get("OPENAI_API_KEY") == "stolen",
            })
''')
ENTRY_POINTS = {
    "hostile-crasher": "Crasher", "hostile-hanger": "Hanger", "hostile-printer": "Printer",
    "hostile-mutator": "Mutator", "hostile-witness": "Witness",
}
FACTS_ENTRY_POINTS = {"hostile-facts-mutator": "FactsMutator", "hostile-facts-witness": "FactsWitness"}
TIMEOUT, DEADLINE = 1.0, 12.0


@pytest.fixture
def plugin_site(tmp_path: Path) -> Path:
    """A directory that holds the module and its dist-info, as pip would lay them out."""
    site = tmp_path / "site"
    info = site / "llmdoctor_hostile_plugins-1.0.dist-info"
    info.mkdir(parents=True)
    (site / "hostile_plugins.py").write_text(MODULE, encoding="utf-8")
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {DIST}\nVersion: 1.0\n", encoding="utf-8")
    lines = [f"{name} = hostile_plugins:{cls}" for name, cls in {**ENTRY_POINTS, **FACTS_ENTRY_POINTS}.items()]
    (info / "entry_points.txt").write_text("[llmdoctor.checks]\n" + "\n".join(lines) + "\n", encoding="utf-8")
    (info / "RECORD").write_text("", encoding="utf-8")
    return site


def _run(cli_env: Callable[..., dict[str, str]], site: Path, *args: str,
         print_at_import: bool = True) -> subprocess.CompletedProcess[str]:
    env = cli_env(OPENAI_API_KEY="sk-test-" + "p" * 40, HOSTILE_PRINT_AT_IMPORT="1" if print_at_import else None)
    env["PYTHONPATH"] = f"{env['PYTHONPATH']}:{site}"
    return subprocess.run([sys.executable, "-m", "llmdoctor", *args], env=env, capture_output=True, text=True,
                          timeout=60, cwd=str(site.parent), check=False)


def test_listed_with_their_distribution(cli_env: Callable[..., dict[str, str]], plugin_site: Path) -> None:
    proc = _run(cli_env, plugin_site, "checks", "--json", print_at_import=False)
    assert proc.returncode == 0, proc.stderr
    checks = {c["id"]: c for c in json.loads(proc.stdout)["checks"]}
    assert {name: checks[name]["source"] for name in ENTRY_POINTS} == dict.fromkeys(ENTRY_POINTS, DIST)


def test_listing_json_survives_a_plugin_that_prints_at_import(cli_env: Callable[..., dict[str, str]],
                                                              plugin_site: Path) -> None:
    proc = _run(cli_env, plugin_site, "checks", "--json")
    assert "hostile-crasher" in {c["id"] for c in json.loads(proc.stdout)["checks"]}


def test_a_plugin_cannot_rewrite_another_checks_facts(cli_env: Callable[..., dict[str, str]],
                                                     plugin_site: Path) -> None:
    proc = _run(cli_env, plugin_site, "--provider", "openai", "--base-url", "https://127.0.0.1:9/v1", "--only",
                "endpoint,hostile-facts-mutator,hostile-facts-witness", "--json")
    results = {r["check"]: r for r in json.loads(proc.stdout)["targets"][0]["results"]}
    assert results["hostile-facts-mutator"]["summary"] == "blocked"
    assert results["hostile-facts-witness"]["facts"]["endpoint_host"] == "127.0.0.1"
    assert results["endpoint"]["facts"]["host"] == "127.0.0.1"


def test_hostile_plugins_cannot_break_the_run(cli_env: Callable[..., dict[str, str]], plugin_site: Path) -> None:
    only = ",".join(["endpoint", "key", *ENTRY_POINTS])
    proc = _run(cli_env, plugin_site, "--provider", "openai", "--base-url", "https://127.0.0.1:9/v1", "--only", only,
                "--timeout", str(TIMEOUT), "--deadline", str(DEADLINE), "--json")
    assert "Traceback" not in proc.stderr
    report: dict[str, Any] = json.loads(proc.stdout)  # printing went elsewhere: stdout is only the JSON
    assert proc.returncode == 1 == report["exit_code"]
    for printed in ("printed at import time by a plug-in", "{not json, printed by a plug-in", "]] more garbage",
                    "to stderr is fine"):
        assert printed in proc.stderr and printed not in proc.stdout
    [target] = report["targets"]
    results = {r["check"]: r for r in target["results"]}
    assert set(results) == {"endpoint", "key", *ENTRY_POINTS}

    crashed = results["hostile-crasher"]
    assert crashed["status"] == "error" and "RuntimeError: boom from a hostile plug-in" in crashed["summary"]
    hung = results["hostile-hanger"]
    assert hung["status"] == "error" and "did not finish" in hung["summary"]
    assert hung["findings"][0]["code"] == "check.timeout"

    assert results["hostile-printer"]["status"] == "pass" and results["hostile-printer"]["facts"] == {"printed": 3}
    mutator = results["hostile-mutator"]
    assert mutator["status"] == "pass"
    assert sorted(mutator["facts"]["blocked"]) == sorted(["settings", "timeout", "results", "env", "env-del",
                                                         "target"])
    witness = results["hostile-witness"]["facts"]
    assert witness == {"timeout": TIMEOUT, "endpoint_host": "127.0.0.1", "target": "openai",
                       "env_has_stolen_key": False}
    assert results["endpoint"]["status"] in ("pass", "warn") and results["endpoint"]["facts"]["host"] == "127.0.0.1"
    assert results["key"]["status"] == "pass"

    causes = {c["id"] for c in report["causes"]}
    assert "check.crashed" in causes or "check.timeout" in causes or report["verdict"]
    # The hung check was abandoned: the run ended by its deadline plus one check budget, not after 600 s.
    assert report["duration_ms"] < (DEADLINE + TIMEOUT * 3 + 1) * 1000
