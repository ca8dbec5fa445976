"""The user's Python: detection order, the stdlib-only probe in a real second interpreter, and what env reports.

The "user's" environments are real venvs (`python -m venv --without-pip`) whose site-packages hold
real installed-package metadata (dist-info folders), so the probe's importlib.metadata reads them as
it would read pip's. No package code is installed or imported.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from llmdoctor import interpreter

HIDE_SOCKSIO = """
import runpy, sys
class Hide:
    def find_spec(self, name, path=None, target=None):
        if name == "socksio" or name.startswith("socksio."):
            raise ModuleNotFoundError("No module named 'socksio'", name="socksio")
        return None
sys.meta_path.insert(0, Hide())
sys.argv = ["llmdoctor", *sys.argv[1:]]
runpy.run_module("llmdoctor", run_name="__main__")
"""


def make_venv(where: Path, packages: dict[str, str]) -> Path:
    """A real venv with `packages` (name -> version) present as installed metadata."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True, timeout=120)
    site = next(where.glob("lib/python*/site-packages"))
    for name, version in packages.items():
        info = site / f"{name}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    return where / "bin" / "python"


@pytest.fixture(scope="module")
def user_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    (root / "pyproject.toml").write_text("[project]\nname = 'app'\n")
    make_venv(root / ".venv", {"openai": "1.60.0", "httpx": "0.27.2", "httpcore": "1.0.7", "requests": "2.32.3"})
    (root / "src" / "app").mkdir(parents=True)
    return root


def test_probe_reads_the_other_interpreters_packages(user_venv: Path) -> None:
    stack = interpreter.probe(user_venv / ".venv" / "bin" / "python", "test", {"SSL_CERT_FILE": "/x/ca.pem"})
    assert stack.error is None
    assert stack.packages["openai"] == "1.60.0" and stack.packages["httpx"] == "0.27.2"
    assert stack.packages["socksio"] is None and stack.socksio is False
    assert stack.ssl["SSL_CERT_FILE"] == "/x/ca.pem" and "openssl" in stack.ssl


def test_detects_the_project_venv_from_a_subfolder(user_venv: Path) -> None:
    found = interpreter.candidates({}, user_venv / "src" / "app")
    assert [(p.parent.parent.name, why.split(" ")[0]) for p, why in found] == [(".venv", ".venv")]


def test_virtual_env_comes_first_and_duplicates_go(user_venv: Path, tmp_path: Path) -> None:
    other = make_venv(tmp_path / "other", {})
    found = interpreter.candidates({"VIRTUAL_ENV": str(tmp_path / "other")}, user_venv)
    assert [why.split(" ")[0] for _p, why in found] == ["VIRTUAL_ENV", ".venv"]
    assert found[0][0] == other
    again = interpreter.candidates({"VIRTUAL_ENV": str(user_venv / ".venv")}, user_venv)
    assert len(again) == 1


def test_explicit_python_alone(user_venv: Path) -> None:
    found = interpreter.candidates({"VIRTUAL_ENV": "/nowhere"}, user_venv, str(user_venv / ".venv"))
    assert found == [(user_venv / ".venv" / "bin" / "python", "--python")]


def test_nothing_found_describes_llmdoctors_own_and_says_so(tmp_path: Path) -> None:
    [own] = interpreter.describe({}, cwd=tmp_path)
    assert own.executable == sys.executable and own.chosen_by.startswith("llmdoctor's own")


def test_a_broken_interpreter_is_reported_not_raised(tmp_path: Path) -> None:
    fake = tmp_path / "python"
    fake.write_text("#!/bin/sh\necho boom >&2\nexit 3\n")
    fake.chmod(0o755)
    stack = interpreter.probe(fake, "--python", {})
    assert stack.error and "boom" in stack.error


def test_env_names_the_interpreter_and_its_socks_fix(run_cli, user_venv: Path) -> None:  # type: ignore[no-untyped-def]
    proc = run_cli("env", "https://api.openai.com/v1", "--json", "--no-scan", "--python", str(user_venv / ".venv"),
                   env={"ALL_PROXY": "socks5h://127.0.0.1:1"})
    data = json.loads(proc.stdout)
    assert data["pythons"][0]["executable"].endswith(".venv/bin/python")
    assert data["sdks"][0]["sdk"] == "openai" and data["sdks"][0]["stack_version"] == "0.27.2"
    [socks] = [f for f in data["findings"] if f["code"] == "env.socks_dependency_missing"]
    assert str(user_venv / ".venv" / "bin" / "python") + " -m pip install socksio" in socks["hint"]
    httpx_row = next(d for d in data["targets"][0]["clients"] if d["client"] == "httpx")
    assert httpx_row["interpreter"].endswith(".venv/bin/python") and httpx_row["route"] == "fails"


def test_env_auto_detects_the_venv_of_the_cwd(cli_env, user_venv: Path) -> None:  # type: ignore[no-untyped-def]
    proc = subprocess.run([sys.executable, "-m", "llmdoctor", "env", "https://api.openai.com/v1", "--json",
                           "--no-scan"], env=cli_env(), cwd=user_venv / "src", capture_output=True, text=True,
                          timeout=60)
    data = json.loads(proc.stdout)
    assert data["pythons"][0]["chosen_by"].startswith(".venv in ")


def test_bad_python_is_a_usage_error(run_cli) -> None:  # type: ignore[no-untyped-def]
    proc = run_cli("env", "--python", "/nonexistent/python")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "--python" in proc.stderr


def test_socksio_missing_in_llmdoctors_own_python_is_a_finding(cli_env) -> None:  # type: ignore[no-untyped-def]
    """The proxy check used to crash with ModuleNotFoundError; now both checks name the cause."""
    env = cli_env(ALL_PROXY="socks5h://127.0.0.1:1", OPENAI_API_KEY="sk-test-0123456789abcdef")
    proc = subprocess.run([sys.executable, "-c", HIDE_SOCKSIO, "--provider", "openai", "--json",
                           "--only", "proxy-env,endpoint,key,proxy"], env=env, capture_output=True, text=True,
                          timeout=120)
    assert "Traceback" not in proc.stderr
    report = json.loads(proc.stdout)
    results = {r["check"]: r for t in report["targets"] for r in t["results"]}
    assert results["proxy"]["status"] == "fail"
    codes = {f["code"] for r in results.values() for f in r["findings"]}
    assert "env.socks_dependency_missing" in codes


def test_a_user_python_on_httpx2_gets_the_httpx2_rules(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """openai 3 in the user's venv runs on httpx2, which matches CIDR: llmdoctor's own stack does not matter."""
    python = make_venv(tmp_path / "env3", {"openai": "3.1.0", "httpx2": "2.16.2", "httpcore2": "2.16.2",
                                           "socksio": "1.0.0"})
    proc = run_cli("env", "https://10.1.2.3/v1", "--json", "--no-scan", "--python", str(python),
                   env={"HTTPS_PROXY": "http://127.0.0.1:1", "NO_PROXY": "10.0.0.0/8"})
    data = json.loads(proc.stdout)
    assert data["sdks"][0]["stack"] == "httpx2" and data["sdks"][0]["python"] == str(python)
    rows = {d["client"]: d for d in data["targets"][0]["clients"]}
    assert rows["httpx2"]["route"] == "direct" and rows["httpx2"]["interpreter"] == str(python)
    assert rows["httpx"]["route"] == "proxy"  # httpx 0.28 has no CIDR matching


def test_an_old_sdk_in_the_user_python_is_named_with_its_fix(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    python = make_venv(tmp_path / "old", {"openai": "1.40.0", "httpx": "0.28.1", "httpcore": "1.0.9"})
    proc = run_cli("env", "https://api.openai.com/v1", "--json", "--no-scan", "--python", str(python))
    [bad] = [f for f in json.loads(proc.stdout)["findings"] if f["code"] == "env.sdk_incompatible"]
    assert f"(in {python})" in bad["message"] and bad["hint"].startswith(f"{python} -m pip install -U 'openai>=")


def test_bad_python_on_the_main_command_is_a_usage_error(run_cli) -> None:  # type: ignore[no-untyped-def]
    proc = run_cli("--python", "/nonexistent/python", "--provider", "openai")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "--python" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def _tool(bin_dir: Path, name: str, script: str) -> None:
    bin_dir.mkdir(exist_ok=True)
    path = bin_dir / name
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(0o755)


def test_uv_and_poetry_environments_when_those_tools_are_present(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Stand-in `uv` / `poetry` executables on PATH (the real tools are not installed here); poetry's is
    asked `poetry env info -p` in the project root, as the real one answers it."""
    root = tmp_path / "proj"
    root.mkdir()
    (root / "pyproject.toml").write_text("[tool.poetry]\nname = 'app'\n")
    (root / "uv.lock").write_text("")
    (root / "poetry.lock").write_text("")
    uv_env = make_venv(root / "uvenv", {})
    poetry_env = make_venv(tmp_path / "cache" / "app-py3.11", {})
    bin_dir = tmp_path / "bin"
    _tool(bin_dir, "uv", "exit 0")
    _tool(bin_dir, "poetry", f'[ "$1 $2 $3" = "env info -p" ] && echo {poetry_env.parent.parent} || exit 1')
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    (root / "src").mkdir()
    found = interpreter.candidates({"UV_PROJECT_ENVIRONMENT": "uvenv"}, root / "src")
    assert [(p, why) for p, why in found] == [(uv_env, "uv"), (poetry_env, "poetry")]
    monkeypatch.setenv("PATH", "/usr/bin:/bin")  # without the tools, neither is asked
    assert interpreter.candidates({"UV_PROJECT_ENVIRONMENT": "uvenv"}, root) == []


def test_httpx028_ipv6_entry_fails_only_for_sdks_on_httpx028(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    env = {"HTTPS_PROXY": "http://127.0.0.1:1", "NO_PROXY": "[::1]"}
    old = make_venv(tmp_path / "a", {"openai": "1.60.0", "httpx": "0.28.1"})
    new = make_venv(tmp_path / "b", {"openai": "3.1.0", "httpx2": "2.16.2", "httpx": "0.28.1"})
    for python, severity in ((old, "fail"), (new, "warn")):
        proc = run_cli("env", "https://api.openai.com/v1", "--json", "--no-scan", "--python", str(python), env=env)
        [finding] = [f for f in json.loads(proc.stdout)["findings"] if "raises InvalidURL" in f["message"]]
        assert finding["severity"] == severity
