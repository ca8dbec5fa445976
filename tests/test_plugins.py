"""Plug-in discovery, validation, ordering and isolation, through real entry points."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from llmdoctor.config import Settings
from llmdoctor.deadline import Deadline
from llmdoctor.model import Status
from llmdoctor.plugins import GROUP, Registry, discover
from llmdoctor.runner import run_target
from tests.helpers import make_target

HERE = Path(__file__).parent


def _ep(name: str, value: str) -> metadata.EntryPoint:
    return metadata.EntryPoint(name=name, value=value, group=GROUP)


def _eps(*names: str) -> list[metadata.EntryPoint]:
    return [_ep(n, f"tests.plugin_fixtures:{n}") for n in names]


def test_builtins_are_registered_through_the_entry_point_group() -> None:
    registry = discover()
    by_name = {c.name: c for c in registry.checks}
    assert {"key", "endpoint"} <= set(by_name)
    assert by_name["key"].source == "built-in"
    assert by_name["key"].description.startswith("The API key")
    assert registry.problems == ()


def test_invalid_plugins_are_reported_and_the_rest_load() -> None:
    entry_points = _eps("Good", "NeedsGhost", "CycleA", "CycleB", "BadName")
    entry_points.append(_ep("z-duplicate", "tests.plugin_fixtures:DuplicateGood"))  # sorts after "Good"
    entry_points.append(_ep("broken-import", "tests.no_such_module:Check"))
    registry = discover(entry_points)
    assert registry.names() == ["good"]
    problems = {p.entry_point: p.problem for p in registry.problems}
    assert "duplicate check id 'good'" in problems["z-duplicate"]
    assert "requires unknown check(s): ghost" in problems["needs-ghost"]
    assert "dependency cycle" in problems["cycle-a"] and "dependency cycle" in problems["cycle-b"]
    assert "not a kebab-case id" in problems["BadName"]
    assert problems["broken-import"].startswith("failed to import: ModuleNotFoundError")


def test_order_follows_requires_then_the_chain_deterministically() -> None:
    names = ("AfterAfter", "Printing", "AfterFailing", "Good", "Failing", "Crashing")
    first = discover(_eps(*names)).names()
    second = discover(_eps(*reversed(names))).names()
    assert first == second
    assert first.index("failing") < first.index("after-failing") < first.index("after-after")
    assert first[0] == "good"  # phase config comes before dns, proxy, ...


def _run(names: tuple[str, ...], timeout: float = 0.2) -> dict[str, object]:
    registry = discover(_eps(*names))
    settings = Settings(timeout=timeout, deadline=20)
    results = run_target(make_target("openai", api_key="sk-test"), registry.checks, settings, {}, {},
                         Deadline(settings.deadline))
    return {r.check: r for r in results}


def test_failed_prerequisite_skips_dependents_with_the_reason() -> None:
    results = _run(("Failing", "AfterFailing", "AfterAfter", "Good"))
    assert results["failing"].status is Status.FAIL
    assert results["after-failing"].status is Status.SKIP
    assert results["after-failing"].summary == "blocked by failing"
    assert results["after-after"].summary == "blocked by failing"
    assert results["good"].status is Status.PASS


def test_crash_hang_and_wrong_return_become_errors_and_the_run_goes_on() -> None:
    results = _run(("Crashing", "Hanging", "WrongReturn", "Good"))
    assert results["crashing"].status is Status.ERROR
    assert "RuntimeError: boom in a plug-in" in results["crashing"].summary
    assert results["hanging"].status is Status.ERROR
    assert "did not finish within" in results["hanging"].summary
    assert results["wrong-return"].status is Status.ERROR
    assert results["good"].status is Status.PASS


def test_a_plugin_cannot_change_the_shared_context() -> None:
    results = _run(("Good", "Mutating"))
    assert results["mutating"].facts["blocked"] == 3
    assert results["good"].facts == {"seen": True}


@pytest.fixture(scope="module")
def installed_example_plugin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Installs tests/plugin_example, a real distribution, into a private directory."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--no-index", "--target", str(target), str(HERE / "plugin_example")],
                   check=True, capture_output=True, timeout=180)
    return target


def _cli(args: list[str], site: Path, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp"), "LANG": "C.UTF-8",
           "NO_COLOR": "1", "PYTHONPATH": os.pathsep.join([str(HERE / "guard"), str(site)]), **(extra_env or {})}
    return subprocess.run([sys.executable, "-m", "llmdoctor", *args], capture_output=True, text=True,
                          env=env, timeout=60, cwd=str(site))


def test_installed_third_party_plugin_is_listed_and_runs(installed_example_plugin: Path) -> None:
    listing = _cli(["checks", "--json"], installed_example_plugin)
    assert listing.returncode == 0, listing.stderr
    checks = {c["id"]: c for c in json.loads(listing.stdout)["checks"]}
    assert checks["example-region"]["source"] == "llmdoctor-plugin-example"
    assert checks["example-region"]["requires"] == ["endpoint"]

    text_listing = _cli(["checks"], installed_example_plugin)
    assert "example-region" in text_listing.stdout and "llmdoctor-plugin-example" in text_listing.stdout

    run = _cli(["--base-url", "https://api.example.org/v1", "--only", "endpoint,example-region",
                "--json"], installed_example_plugin, {"LLMDOCTOR_EXPECT_DOMAIN": "corp.example"})
    report = json.loads(run.stdout)
    results = {r["check"]: r for r in report["targets"][0]["results"]}
    assert results["example-region"]["status"] == "warn"
    assert results["example-region"]["summary"] == "api.example.org is not under corp.example"
    # The cause the plug-in ships (entry-point group llmdoctor.causes) is the verdict's, filled with the target.
    cause = report["causes"][0]
    assert cause["id"] == "example.unexpected_domain" and cause["severity"] == "warn"
    assert cause["title"] == "The API host is outside the team's domain"
    assert cause["fix"] == ["Point the base URL at a host under corp.example.",
                            "Set the base URL to the team's gateway instead of api.example.org."]
    assert "the API host is outside the team's domain" in report["verdict"]


# --- the typed contract: CheckSpec, reads/after ordering, opt-in (issue 14.1) ---------------------------

def _registry(*classes: type) -> Registry:
    from llmdoctor import plugins

    return plugins.order({c.name: plugins.LoadedCheck.of(c()) for c in classes})


def test_order_follows_reads_and_after_not_names() -> None:
    from llmdoctor.check import BaseCheck

    class Aaa(BaseCheck):
        name, phase, reads = "aaa", "api", ("zzz",)

    class Zzz(BaseCheck):
        name, phase = "zzz", "api"

    class Mmm(BaseCheck):
        name, phase, after = "mmm", "api", ("aaa", "not-installed")

    assert _registry(Mmm, Aaa, Zzz).names() == ["zzz", "aaa", "mmm"]


def test_spec_is_read_once_and_validated() -> None:
    from llmdoctor.check import BaseCheck, SpecError, spec_of

    class Probe(BaseCheck):
        """Sends one thing."""

        name, phase, opt_in, requires, reads = "probe-x", "api", True, ("auth",), ("models",)

    spec = spec_of(Probe())
    assert (spec.name, spec.phase, spec.opt_in, spec.requires, spec.reads, spec.description) == (
        "probe-x", "api", True, ("auth",), ("models",), "Sends one thing.")
    assert spec.needs == ("auth", "models")

    class Bad(BaseCheck):
        name, after = "bad", "auth"  # a string, not a tuple

    with pytest.raises(SpecError, match="`after` must be a tuple"):
        spec_of(Bad())


def test_builtin_rate_limits_and_timing_run_after_what_they_read() -> None:
    from llmdoctor import plugins

    names = plugins.discover().names()
    for reader in ("rate-limits", "timing"):
        spec = next(c.spec for c in plugins.discover().checks if c.name == reader)
        assert all(names.index(r) < names.index(reader) for r in spec.reads if r in names), (reader, names)


def test_every_builtin_declares_the_checks_whose_facts_it_reads() -> None:
    """ctx.fact("x", …) / ctx.result("x") in a built-in check's module needs "x" in its requires or reads
    (or `after`, for facts it can do without)."""
    import re

    from llmdoctor import plugins

    modules = {type(c.check).__module__: c.spec for c in plugins.discover().checks if c.source == "built-in"}
    for module, spec in modules.items():
        source = Path(sys.modules[module].__file__ or "").read_text(encoding="utf-8")
        named = set(re.findall(r"ctx\.(?:fact|result)\(\"([a-z-]+)\"", source))
        looped = re.findall(r"for check in \(([^)]*)\)", source)  # timing's loops over check names
        named |= {n for group in looped for n in re.findall(r"\"([a-z-]+)\"", group)}
        undeclared = named - set(spec.requires) - set(spec.reads) - set(spec.after)
        assert not undeclared, f"{spec.name} reads {sorted(undeclared)} without declaring them"


def test_blocking_is_the_runners_own_record_never_a_fact() -> None:
    results = _run(("Failing", "AfterFailing", "AfterAfter"))
    for name in ("after-failing", "after-after"):
        assert dict(results[name].facts) == {}  # type: ignore[attr-defined]
        assert "_blocked_by" not in str(results[name].to_dict())  # type: ignore[attr-defined]


def test_an_abandoned_check_becomes_the_cause_of_the_step_it_waited_for() -> None:
    from llmdoctor.diagnosis import diagnose, verdict

    results = _run(("WaitingForProxy",))
    stuck = results["waiting-for-proxy"]
    assert stuck.status is Status.ERROR  # type: ignore[attr-defined]
    assert "still waiting for the proxy's reply to CONNECT api.example:443" in stuck.summary  # type: ignore[attr-defined]
    causes = diagnose([stuck])  # type: ignore[list-item]
    assert causes[0].id == "proxy.not_responding"
    assert "the proxy's reply to CONNECT api.example:443" in verdict(causes, [stuck])  # type: ignore[list-item]
