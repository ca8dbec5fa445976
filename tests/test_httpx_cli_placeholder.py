"""httpx's own command-line client is not imported by a run, and still works when called."""

from __future__ import annotations

import subprocess
import sys

_CLI_MODULES = ("httpx._main", "pygments", "rich.progress", "rich.syntax")


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


def test_importing_httpx_after_llmdoctor_skips_httpxs_cli() -> None:
    done = _python("import llmdoctor, httpx, sys\n"
                   f"print(sorted(m for m in {_CLI_MODULES!r} if getattr(sys.modules.get(m), '__file__', None)))\n"
                   "print(httpx.Client.__name__)")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["[]", "Client"]


def test_a_full_run_does_not_load_httpxs_cli() -> None:
    code = ("import sys\n"
            "from llmdoctor.cli import entry\n"
            "sys.argv = ['llmdoctor', '--only', 'endpoint,key,tls', '--json', '--base-url', 'http://127.0.0.1:9/v1',\n"
            "            '--api-key', 'sk-test-0000000000000000000000000000']\n"
            "import atexit\n"
            f"atexit.register(lambda: print('LOADED', [m for m in {_CLI_MODULES!r} "
            "if getattr(sys.modules.get(m), '__file__', None)], 'httpx' in sys.modules, file=sys.stderr))\n"
            "entry()\n")
    done = _python(code)
    assert done.returncode in (0, 1), done.stderr
    assert "LOADED [] True" in done.stderr


def test_httpx_main_still_runs_the_real_cli() -> None:
    done = _python("import llmdoctor, httpx, sys\n"
                   "sys.argv = ['httpx', '--help']\n"
                   "httpx.main()")
    assert done.returncode == 0, done.stderr
    assert "Usage: httpx" in done.stdout
