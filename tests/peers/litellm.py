"""A real LiteLLM proxy (`litellm[proxy]` from PyPI), started as users start it: `litellm --config cfg.yaml`.

It runs without a database, as most single-user installs do, with a master key, in front of a
loopback fake OpenAI server (tests/peers/fakeapi.py): it never reaches the internet. The loopback
guard runs inside the proxy too (PYTHONPATH = tests/guard), and LITELLM_LOCAL_MODEL_COST_MAP keeps
it from fetching its price list at start-up.

LiteLLM lives in its own venv: its `uvloop` dependency makes pproxy (the proxy peer) install
uvloop's event-loop policy and fail to start ("There is no current event loop"). The binary is
found in $LLMDOCTOR_LITELLM, then `.venv-litellm/bin/litellm` in the repository, then on PATH.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from .daemons import stop_process
from .raw import free_port

REPO = Path(__file__).resolve().parent.parent.parent
GUARD_DIR = REPO / "tests" / "guard"
MASTER_KEY = "sk-master-Lm7Qz2Xv9Rt4Wp6Ys8Ud"
_START_DEADLINE = 90.0  # measured: ~12 s on 2 busy CPUs; imports dominate


def litellm_path() -> str | None:
    for candidate in (os.environ.get("LLMDOCTOR_LITELLM"), str(REPO / ".venv-litellm" / "bin" / "litellm")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("litellm")


def config(upstream: str, keys: dict[str, str], rpm: dict[str, int] | None = None) -> str:
    """A config.yaml: one model_list entry per model name, each with its upstream key (and rpm)."""
    lines = ["model_list:"]
    for name, key in keys.items():
        lines += [f"  - model_name: {name}", "    litellm_params:", "      model: openai/gpt-4o-mini",
                  f"      api_base: {upstream}", f"      api_key: {key}"]
        if rpm and name in rpm:
            lines.append(f"      rpm: {rpm[name]}")
    lines += ["general_settings:", f"  master_key: {MASTER_KEY}", "litellm_settings:", "  num_retries: 0",
              "  telemetry: false"]
    return "\n".join(lines) + "\n"


class LiteLLMProxy:
    """`litellm --config FILE --host 127.0.0.1 --port P`, listening when constructed."""

    def __init__(self, binary: str, config_text: str, guard_log: Path) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="llmd-litellm-"))
        (self.dir / "config.yaml").write_text(config_text)
        self.port = free_port()
        self.log = self.dir / "litellm.log"
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(self.dir), "LANG": "C.UTF-8",
               "PYTHONPATH": str(GUARD_DIR), "LLMDOCTOR_TEST_GUARD_LOG": str(guard_log),
               "LITELLM_LOCAL_MODEL_COST_MAP": "True", "LITELLM_TELEMETRY": "False", "NO_PROXY": "*"}
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                [binary, "--config", str(self.dir / "config.yaml"), "--host", "127.0.0.1", "--port", str(self.port)],
                stdout=out, stderr=subprocess.STDOUT, env=env, cwd=self.dir)
        self._wait()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _wait(self) -> None:
        deadline = time.monotonic() + _START_DEADLINE
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"litellm exited with rc={self.proc.returncode}:\n{self.log_text()}")
            try:
                with urllib.request.urlopen(self.url + "/health/liveliness", timeout=1) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"litellm did not answer within {_START_DEADLINE:g} s:\n{self.log_text()}")

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""

    def stop(self) -> None:
        stop_process(self.proc, grace=10)
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> LiteLLMProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
