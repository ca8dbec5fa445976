"""The user's Python: which interpreter(s) their code runs in, and what HTTP stack each one has.

llmdoctor is usually installed on its own (pipx, its own venv), so its interpreter says nothing about
the user's code. This module picks the interpreter(s) to describe and runs a small stdlib-only probe
in each (a subprocess with a timeout): package versions from `importlib.metadata`, whether
`socksio`/`socks` are importable (`importlib.util.find_spec`, which does not run the module), the
`ssl` default verify paths and the `SSL_CERT_*` variables. The SDKs are never imported.

Order of detection (the first that exists wins per kind; duplicates are dropped by real path):
`--python PATH` (alone, when given); the active `VIRTUAL_ENV`; `CONDA_PREFIX`; a `.venv` or `venv`
in the current directory or in the project root above it (the nearest folder holding
pyproject.toml, setup.py, setup.cfg, requirements.txt or .git); uv's project environment
(`UV_PROJECT_ENVIRONMENT`, else `.venv` in the root of a project with `uv.lock`) when `uv` is on
PATH; poetry's (`poetry env info -p` in the project root) when `poetry` is on PATH and the project
has a poetry.lock. Nothing found: llmdoctor's own interpreter, said so.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from llmdoctor.proxyenv.stack import PACKAGES, PythonStack, local_python

PROBE_TIMEOUT = 8.0
ROOT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", "requirements.txt", ".git")

# Runs in the user's interpreter: stdlib only, Python 3.8+, never imports a third-party package.
_PROBE = r"""
import json, os, ssl, sys
try:
    from importlib import metadata
except ImportError:
    metadata = None
import importlib.util
names = __NAMES__
packages = {}
for name in names:
    try:
        packages[name] = metadata.version(name) if metadata else None
    except Exception:
        packages[name] = None
def importable(name):
    try:
        return importlib.util.find_spec(name) is not None
    except Exception:
        return False
paths = ssl.get_default_verify_paths()
certifi = None
try:
    spec = importlib.util.find_spec("certifi")
    if spec and spec.origin:
        certifi = os.path.join(os.path.dirname(spec.origin), "cacert.pem")
except Exception:
    pass
print(json.dumps({
    "executable": sys.executable,
    "version": ".".join(str(x) for x in sys.version_info[:3]),
    "packages": packages,
    "importable": {"socksio": importable("socksio"), "socks": importable("socks")},
    "ssl": {"openssl": ssl.OPENSSL_VERSION, "cafile": paths.cafile, "capath": paths.capath,
            "openssl_cafile_env": paths.openssl_cafile_env, "SSL_CERT_FILE": os.environ.get("SSL_CERT_FILE"),
            "SSL_CERT_DIR": os.environ.get("SSL_CERT_DIR"), "certifi": certifi},
}))
"""
PROBE = _PROBE.replace("__NAMES__", repr(PACKAGES))


def _bin(env_dir: Path) -> Path:
    """The interpreter inside a virtual environment or conda prefix (POSIX and Windows layouts)."""
    for candidate in (env_dir / "bin" / "python", env_dir / "Scripts" / "python.exe", env_dir / "python.exe",
                      env_dir / "bin" / "python3"):
        if candidate.exists():
            return candidate
    return env_dir / "bin" / "python"


def project_root(cwd: Path) -> Path | None:
    """The nearest folder at or above `cwd` that looks like a project root."""
    for folder in (cwd, *cwd.parents):
        if any((folder / marker).exists() for marker in ROOT_MARKERS):
            return folder
    return None


def _poetry_env(root: Path, timeout: float) -> Path | None:
    poetry = shutil.which("poetry")
    if poetry is None or not (root / "poetry.lock").exists():
        return None
    try:
        out = subprocess.run([poetry, "env", "info", "-p"], cwd=root, capture_output=True, text=True,
                             timeout=timeout, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    text = out.stdout.strip()
    return Path(text) if out.returncode == 0 and text else None


def candidates(env: Mapping[str, str], cwd: Path, explicit: str | None = None,
               timeout: float = PROBE_TIMEOUT) -> list[tuple[Path, str]]:
    """(interpreter path, why it was chosen), in the documented order, without duplicates."""
    if explicit:
        path = Path(explicit).expanduser()
        return [(_bin(path) if path.is_dir() else path, "--python")]
    found: list[tuple[Path, str]] = []
    if env.get("VIRTUAL_ENV"):
        found.append((_bin(Path(env["VIRTUAL_ENV"])), "VIRTUAL_ENV"))
    if env.get("CONDA_PREFIX"):
        found.append((_bin(Path(env["CONDA_PREFIX"])), "CONDA_PREFIX"))
    root = project_root(cwd)
    for folder in dict.fromkeys([cwd, *([root] if root else [])]):
        for name in (".venv", "venv"):
            if (folder / name / "pyvenv.cfg").exists():
                found.append((_bin(folder / name), f"{name} in {folder}"))
    if root is not None and shutil.which("uv") and (root / "uv.lock").exists():
        uv_env = env.get("UV_PROJECT_ENVIRONMENT")
        found.append((_bin(root / uv_env if uv_env else root / ".venv"), "uv"))
    if root is not None:
        poetry_env = _poetry_env(root, timeout)
        if poetry_env is not None:
            found.append((_bin(poetry_env), "poetry"))
    unique: dict[str, tuple[Path, str]] = {}
    for path, why in found:
        if path.exists():
            # a venv's python is a symlink to the base interpreter: compare the environments, not the binaries
            unique.setdefault(os.path.join(os.path.realpath(path.parent), path.name), (path, why))
    return list(unique.values())


def probe(path: Path, chosen_by: str, env: Mapping[str, str], timeout: float = PROBE_TIMEOUT) -> PythonStack:
    """Runs the probe in `path`; a failure is a PythonStack with `error` set, never an exception."""
    import tempfile

    try:
        proc = subprocess.run([str(path), "-c", PROBE], capture_output=True, text=True, timeout=timeout,
                              env=dict(env), cwd=tempfile.gettempdir(), stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return PythonStack(str(path), "?", chosen_by=chosen_by, error=f"the probe did not finish in {timeout:g} s")
    except OSError as exc:
        return PythonStack(str(path), "?", chosen_by=chosen_by, error=f"cannot run it: {exc.strerror or exc}")
    try:
        data = json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1][:200]
        return PythonStack(str(path), "?", chosen_by=chosen_by, error=f"the probe failed (exit {proc.returncode}): "
                                                                       f"{tail}")
    return PythonStack(str(path), str(data.get("version", "?")), dict(data.get("packages", {})),
                       dict(data.get("importable", {})), chosen_by, dict(data.get("ssl", {})))


def describe(env: Mapping[str, str], explicit: str | None = None, cwd: Path | None = None,
             timeout: float = PROBE_TIMEOUT) -> list[PythonStack]:
    """The interpreter(s) to describe, probed; llmdoctor's own when nothing else is found."""
    from concurrent.futures import ThreadPoolExecutor

    chosen = candidates(env, cwd or Path.cwd(), explicit, timeout)
    if chosen:
        with ThreadPoolExecutor(min(4, len(chosen)), thread_name_prefix="llmdoctor-probe") as pool:
            return list(pool.map(lambda c: probe(c[0], c[1], env, timeout), chosen))
    own = local_python()
    return [PythonStack(own.executable, own.version, own.packages, own.importable,
                        "llmdoctor's own: no --python, virtual environment or project environment found",
                        _local_ssl(env))]


def _local_ssl(env: Mapping[str, str]) -> dict[str, object]:
    """The probe's `ssl` facts for llmdoctor's own interpreter, without a subprocess."""
    import importlib.util
    import ssl

    paths = ssl.get_default_verify_paths()
    certifi = None
    try:
        spec = importlib.util.find_spec("certifi")
        if spec and spec.origin:
            certifi = os.path.join(os.path.dirname(spec.origin), "cacert.pem")
    except (ImportError, ValueError):
        pass
    return {"openssl": ssl.OPENSSL_VERSION, "cafile": paths.cafile, "capath": paths.capath,
            "openssl_cafile_env": paths.openssl_cafile_env, "SSL_CERT_FILE": env.get("SSL_CERT_FILE"),
            "SSL_CERT_DIR": env.get("SSL_CERT_DIR"), "certifi": certifi}


def check_python(value: str | None) -> str | None:
    """`--python PATH`: a file or an environment folder that exists, else a one-line usage error."""
    if value is None:
        return None
    import click

    path = Path(value).expanduser()
    exe = _bin(path) if path.is_dir() else path
    if not exe.is_file():
        raise click.BadParameter(f"{value!r} is not a Python interpreter or an environment folder with one",
                                 param_hint="--python")
    return str(path)


_CACHE: dict[tuple[object, ...], list[PythonStack]] = {}


def describe_once(env: Mapping[str, str], explicit: str | None = None) -> list[PythonStack]:
    """`describe`, once per (environment, --python, cwd) in this process: the check and the report share it."""
    key = (explicit, str(Path.cwd()), tuple(sorted(env.items())))
    if key not in _CACHE:
        _CACHE[key] = describe(env, explicit)
    return _CACHE[key]


def install_command(stack: PythonStack, requirement: str) -> str:
    """The pip command that installs `requirement` into that interpreter (quoted for POSIX shells)."""
    exe = stack.executable
    quoted = f'"{exe}"' if " " in exe else exe
    req = f"'{requirement}'" if "[" in requirement else requirement
    return f"{quoted} -m pip install {req}"


def main() -> None:  # pragma: no cover - a manual aid: python -m llmdoctor.interpreter
    for stack in describe(dict(os.environ), sys.argv[1] if len(sys.argv) > 1 else None):
        print(json.dumps(stack.to_dict(), indent=2))


if __name__ == "__main__":  # pragma: no cover
    main()
