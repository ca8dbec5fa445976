"""The package as a user installs it: its own distribution name, no top-level `checks` in site-packages,
and a run whose checks failed to load is never healthy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from llmdoctor import DIST_NAME, app
from llmdoctor.config import CliValues, Settings
from llmdoctor.plugins import GROUP, discover

ROOT = Path(__file__).resolve().parent.parent
# A user's own module named like the repository's folder; importing it would be loud.
SHADOW = 'raise SystemExit("the user\'s own checks.py was imported")\n'


def test_the_distribution_name_is_not_the_taken_one() -> None:
    # "llmdoctor" (and llm-doctor / llm_doctor, the same name under PEP 503) is another project on PyPI.
    assert DIST_NAME == "llm-api-doctor"
    assert metadata.distribution(DIST_NAME).metadata["Name"] == DIST_NAME
    eps = [ep for ep in metadata.distribution(DIST_NAME).entry_points if ep.group == GROUP]
    assert eps and all(ep.value.startswith("llmdoctor_checks.") for ep in eps)


def test_plugins_that_failed_to_load_make_the_run_unhealthy(tmp_path: Path) -> None:
    registry = discover([
        metadata.EntryPoint(name="good", value="tests.plugin_fixtures:Good", group=GROUP),
        metadata.EntryPoint(name="broken", value="tests.no_such_module:Check", group=GROUP),
    ])
    report, _ = app.run(CliValues(provider="openai"), Settings(), {}, tmp_path, registry=registry)
    assert report.data["healthy"] is False and report.exit_code == 1
    assert "could not be loaded (broken)" in report.data["verdict"]


def test_no_checks_at_all_is_not_healthy(tmp_path: Path) -> None:
    registry = discover([metadata.EntryPoint(name="broken", value="tests.no_such_module:Check", group=GROUP)])
    report, _ = app.run(CliValues(provider="openai"), Settings(lang="zh"), {}, tmp_path, registry=registry)
    assert report.data["healthy"] is False and report.exit_code == 1
    assert "无法加载" in report.data["verdict"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # --no-build-isolation: the venv's setuptools builds it, no download.
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                           "-w", str(out), str(ROOT)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    (found,) = out.glob("llm_api_doctor-*.whl")
    return found


def test_the_wheel_holds_every_module_and_no_top_level_checks(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    tops = {n.split("/")[0] for n in names}
    assert "checks" not in tops and "tests" not in tops
    # Every module of the two folders is in the wheel (the package list in pyproject.toml is explicit).
    for path in (ROOT / "llmdoctor").rglob("*.py"):
        assert path.relative_to(ROOT).as_posix() in names, path
    for path in (ROOT / "checks").glob("*.py"):
        assert f"llmdoctor_checks/{path.name}" in names, path
    for path in (ROOT / "llmdoctor" / "data").rglob("*.json"):
        assert path.relative_to(ROOT).as_posix() in names, path


def test_a_users_checks_py_changes_nothing_in_a_fresh_venv(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    proc = subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], capture_output=True,
                          text=True, timeout=600)
    if proc.returncode != 0:
        pytest.skip(f"cannot install the wheel's dependencies here: {proc.stderr.strip().splitlines()[-1:]}")
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True, timeout=60).stdout.strip()
    assert not (Path(site) / "checks").exists()
    user = tmp_path / "project"
    user.mkdir()
    (user / "checks.py").write_text(SHADOW, encoding="utf-8")
    (user / "checks").mkdir()  # a package folder would shadow too
    (user / "checks" / "__init__.py").write_text(SHADOW, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy") and "API_KEY" not in k}
    listing = subprocess.run([str(python), "-m", "llmdoctor", "checks", "--json"], cwd=user, env=env,
                             capture_output=True, text=True, timeout=120)
    assert listing.returncode == 0, listing.stderr
    data = json.loads(listing.stdout)
    assert len(data["checks"]) == 12 and not data["problems"]
    version = subprocess.run([str(python), "-m", "llmdoctor", "--version"], cwd=user, env=env,
                             capture_output=True, text=True, timeout=60)
    assert version.stdout.startswith("llm-api-doctor ")
    # An offline run: the key check runs (and finds no key) instead of "No checks ran".
    run = subprocess.run([str(python), "-m", "llmdoctor", "--provider", "openai", "--only", "key,endpoint",
                          "--json"], cwd=user, env=env, capture_output=True, text=True, timeout=120)
    report = json.loads(run.stdout)
    assert [r["check"] for r in report["targets"][0]["results"]] == ["endpoint", "key"]
    assert report["healthy"] is False and run.returncode == 1
