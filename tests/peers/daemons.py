"""Real proxy and DNS daemons (pproxy, tinyproxy, microsocks, dnsmasq) on free loopback ports.

Each is a context manager, already listening when constructed (polled every 10 ms, 5 s
deadline; if the process exits first, the error carries its log). Teardown is terminate,
wait 5 s, then kill. Quirks that shaped these command lines are in RECIPES §1, §2, §4a.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import pytest

from .raw import free_port

_GUARD_DIR = Path(__file__).resolve().parent.parent / "guard"
_SBIN = ("/usr/local/sbin", "/usr/sbin", "/sbin")
_START_DEADLINE = 5.0
_TINYPROXY_CREDENTIAL = re.compile(r"[A-Za-z0-9._-]+")  # tinyproxy's config grammar; else rc=70


def stop_process(proc: subprocess.Popen[bytes] | subprocess.Popen[str], grace: float = 5.0) -> None:
    """SIGTERM (as a service manager stops a daemon), `grace` seconds to exit, then SIGKILL. Idempotent."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


def which(name: str) -> str | None:
    """Like shutil.which, but also looks in sbin (dnsmasq lives there; PATH may lack it)."""
    found = shutil.which(name)
    if found:
        return found
    return next((str(Path(d) / name) for d in _SBIN if os.access(Path(d) / name, os.X_OK)), None)


def pproxy_path() -> str | None:
    """pproxy comes from the venv: look next to the running interpreter first."""
    beside = Path(sys.executable).parent / "pproxy"
    return str(beside) if beside.exists() else shutil.which("pproxy")


def _skip_unless(name: str, package: str) -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        which(name) is None, reason=f"{name} is not installed (apt-get install {package})"
    )


requires_tinyproxy = _skip_unless("tinyproxy", "tinyproxy-bin")
requires_microsocks = _skip_unless("microsocks", "microsocks")
requires_dnsmasq = _skip_unless("dnsmasq", "dnsmasq-base")
requires_pproxy = pytest.mark.skipif(pproxy_path() is None, reason="pproxy is not installed in the venv")


class DaemonError(RuntimeError):
    """A daemon did not start; the message includes its log."""


def _clean_env(**extra: str) -> dict[str, str]:
    """No proxy or TLS variables from the developer's shell leak into a daemon."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
    }
    env.update(extra)
    return env


class Daemon:
    """A subprocess listening on 127.0.0.1:`port`; subclasses provide `argv()`."""

    name = "daemon"
    scheme = "http"

    def __init__(self, user: str | None = None, password: str | None = None) -> None:
        self.user = user
        self.password = password
        self.host = "127.0.0.1"
        self.workdir = Path(tempfile.mkdtemp(prefix=f"llmd-{self.name}-"))
        self.log_path = self.workdir / f"{self.name}.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0
        self._start()

    def argv(self) -> list[str]:
        raise NotImplementedError

    def env(self) -> dict[str, str]:
        return _clean_env()

    def _start(self) -> None:
        # free_port() can race with another process; retry a couple of times if we lost.
        for attempt in range(3):
            self.port = free_port()
            with open(self.log_path, "wb") as log:
                self.proc = subprocess.Popen(
                    self.argv(), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                    env=self.env(), cwd=self.workdir,
                )
            try:
                self._wait_listening()
                return
            except DaemonError:
                self.stop()
                if attempt == 2 or "in use" not in self.log_text().lower():
                    raise

    def _wait_listening(self) -> None:
        assert self.proc is not None
        deadline = time.monotonic() + _START_DEADLINE
        while True:
            rc = self.proc.poll()
            if rc is not None:
                raise DaemonError(f"{self.name} exited with rc={rc} before listening:\n{self.log_text()}")
            try:
                socket.create_connection((self.host, self.port), timeout=0.1).close()
                return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise DaemonError(f"{self.name} not listening after {_START_DEADLINE} s:\n{self.log_text()}")
            time.sleep(0.01)

    def url(
        self,
        user: str | None = None,
        password: str | None = None,
        *,
        auth: bool = True,
        scheme: str | None = None,
    ) -> str:
        """The proxy URL, credentials percent-quoted.

        `user`/`password` default to the configured ones (pass e.g. `password="wrong"` for a
        bad login); `auth=False` gives a URL with no credentials at all.
        """
        scheme = scheme or self.scheme
        user = self.user if user is None else user
        password = self.password if password is None else password
        if not auth or user is None:
            return f"{scheme}://{self.host}:{self.port}"
        creds = urllib.parse.quote(user, safe="")
        if password is not None:
            creds += ":" + urllib.parse.quote(password, safe="")
        return f"{scheme}://{creds}@{self.host}:{self.port}"

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def stop(self) -> None:
        """terminate, wait 5 s, kill. Idempotent."""
        if self.proc is not None:
            stop_process(self.proc)

    def __enter__(self) -> Daemon:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class PproxyServer(Daemon):
    """pproxy serving HTTP and SOCKS5 on one port (`scheme="socks5"` in `url()` for SOCKS).

    Always `--auth 0`: pproxy's default whitelists a client IP for 30 days after one good
    login, after which wrong or missing credentials succeed too.
    """

    name = "pproxy"

    def __init__(self, user: str | None = "user", password: str | None = "pproxy-pass") -> None:
        super().__init__(user, password)

    def argv(self) -> list[str]:
        binary = pproxy_path()
        if binary is None:
            raise DaemonError("pproxy is not installed")
        listen = f"http+socks5://{self.host}:{self.port}"
        if self.user is not None:
            listen += f"#{self.user}:{self.password or ''}"
        return [binary, "-l", listen, "--auth", "0", "-v"]

    def env(self) -> dict[str, str]:
        # pproxy is Python: guard it too, so a test that makes it dial out fails loudly.
        return _clean_env(PYTHONPATH=str(_GUARD_DIR))


class TinyproxyServer(Daemon):
    """tinyproxy (HTTP CONNECT + Basic auth) with its own config: no ConnectPort lines, so any
    target port is allowed. Wrong credentials give 401 (not 407); none give 407."""

    name = "tinyproxy"

    def __init__(self, user: str | None = "user", password: str | None = "tiny-pass_1.0") -> None:
        for value in (user, password):
            if value is not None and not _TINYPROXY_CREDENTIAL.fullmatch(value):
                raise ValueError(f"tinyproxy credentials may only use [A-Za-z0-9._-], got {value!r}")
        super().__init__(user, password)

    def argv(self) -> list[str]:
        binary = which("tinyproxy")
        if binary is None:
            raise DaemonError("tinyproxy is not installed (apt-get install tinyproxy-bin)")
        lines = [
            f"Port {self.port}",
            f"Listen {self.host}",
            "Timeout 30",
            "MaxClients 50",
            "LogLevel Info",
            "DisableViaHeader Yes",
        ]
        if self.user is not None:
            lines.append(f"BasicAuth {self.user} {self.password or ''}")
        conf = self.workdir / "tinyproxy.conf"
        conf.write_text("\n".join(lines) + "\n")
        return [binary, "-d", "-c", str(conf)]


class MicrosocksServer(Daemon):
    """microsocks (SOCKS5 user/password; any bytes in the password). Never `-1`, which
    whitelists an IP after one login."""

    name = "microsocks"
    scheme = "socks5"

    def __init__(self, user: str | None = "user", password: str | None = "micro:p@ss w0rd") -> None:
        super().__init__(user, password)

    def argv(self) -> list[str]:
        binary = which("microsocks")
        if binary is None:
            raise DaemonError("microsocks is not installed (apt-get install microsocks)")
        argv = [binary, "-i", self.host, "-p", str(self.port)]
        if self.user is not None:
            argv += ["-u", self.user, "-P", self.password or ""]
        return argv


class DnsmasqServer(Daemon):
    """dnsmasq on 127.0.0.1:`port` (UDP+TCP), answering only from `args`, never forwarding
    except where an arg says so (`--server=/slow.example/127.0.0.1#9` gives a timeout).

    Example: `DnsmasqServer("--local=/test/", "--address=/api.openai.test/127.0.0.1")`.
    """

    name = "dnsmasq"

    def __init__(self, *args: str) -> None:
        self.args = list(args)
        super().__init__()

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def argv(self) -> list[str]:
        binary = which("dnsmasq")
        if binary is None:
            raise DaemonError("dnsmasq is not installed (apt-get install dnsmasq-base)")
        argv = [
            binary, "--keep-in-foreground", "--conf-file=/dev/null", f"--port={self.port}",
            f"--listen-address={self.host}", "--bind-interfaces", "--no-resolv", "--no-hosts",
            "--pid-file=", "--log-queries", "--log-facility=-",
        ]
        if os.geteuid() == 0:
            argv += ["--user=nobody", "--group=nogroup"]
        return argv + self.args
