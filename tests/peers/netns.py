"""A private network namespace whose system resolver is a test DNS server on its own loopback.

glibc's resolver only talks to port 53 and reads /etc/resolv.conf, so to test code that
calls `socket.getaddrinfo` we give it a world of its own (RECIPES §4c): `ip netns exec`
bind-mounts /etc/netns/NAME/{resolv.conf,hosts} over /etc, and a `DnsServer` listens on
127.0.0.1:53 *inside* the namespace. No query ever leaves that namespace's loopback.

The DnsServer runs in this process: its sockets are created while the calling thread has
joined the namespace (setns), so tests can still read `ns.dns.queries`. Use `ns.inside()`
the same way to start any other peer (an HttpServer for `api.openai.test`, ...) in there.
"""

from __future__ import annotations

import ctypes
import functools
import itertools
import os
import shutil
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from .daemons import which
from .dns import DnsServer, Zones

CLONE_NEWNET = 0x40000000
_counter = itertools.count()
DEFAULT_HOSTS = "127.0.0.1 localhost\n"
DEFAULT_RESOLV = "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n"


def _setns(fd: int) -> None:
    if hasattr(os, "setns"):  # Python 3.12+
        os.setns(fd, CLONE_NEWNET)
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"setns: {os.strerror(err)}")


def _ip(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["ip", *args], capture_output=True, text=True, timeout=10, check=False)


@functools.cache
def netns_available() -> tuple[bool, str]:
    """(usable, reason): root, iproute2, and a namespace can actually be created.

    Probed once per process, on first use (creating a namespace takes a few hundred ms).
    """
    if os.geteuid() != 0:
        return False, "needs root to create a network namespace"
    if which("ip") is None:
        return False, "needs iproute2 (`ip`)"
    probe = f"llmd-probe-{os.getpid()}"
    made = _ip("netns", "add", probe)
    if made.returncode != 0:
        return False, f"`ip netns add` failed: {made.stderr.strip()}"
    _ip("netns", "del", probe)
    return True, ""


#: Skips a test (or module: `pytestmark = requires_netns`) unless namespaces work here. The
#: probe is lazy: the `_require_netns` fixture in tests/conftest.py runs it at setup time.
requires_netns = pytest.mark.usefixtures("_require_netns")


class NetNamespace:
    """`ip netns add NAME`, lo up, /etc/netns/NAME/{resolv.conf,hosts}, and (given `zones`) a
    DnsServer on 127.0.0.1:53 inside. Without zones nothing listens on :53, so lookups fail
    with `[Errno -3] Temporary failure in name resolution`.
    """

    def __init__(
        self,
        zones: Zones | None = None,
        *,
        hosts: str = DEFAULT_HOSTS,
        resolv_conf: str = DEFAULT_RESOLV,
    ) -> None:
        self.name = f"llmd-{os.getpid()}-{next(_counter)}"
        self.etc = Path("/etc/netns") / self.name
        self.dns: DnsServer | None = None
        created = _ip("netns", "add", self.name)
        if created.returncode != 0:
            raise OSError(f"ip netns add {self.name} failed: {created.stderr.strip()}")
        try:
            up = _ip("-n", self.name, "link", "set", "lo", "up")
            if up.returncode != 0:
                raise OSError(f"could not bring lo up in {self.name}: {up.stderr.strip()}")
            self.etc.mkdir(parents=True)
            (self.etc / "resolv.conf").write_text(resolv_conf)
            (self.etc / "hosts").write_text(hosts)
            if zones is not None:
                with self.inside():
                    self.dns = DnsServer(zones, host="127.0.0.1", port=53)
        except BaseException:
            self.close()
            raise

    @contextmanager
    def inside(self) -> Iterator[None]:
        """Run the block with this thread in the namespace: sockets made here live in there.

        Threads started inside inherit the namespace, so a peer's serving threads do too.
        """
        home = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
        target = os.open(f"/run/netns/{self.name}", os.O_RDONLY)
        try:
            _setns(target)
            try:
                yield
            finally:
                _setns(home)
        finally:
            os.close(target)
            os.close(home)

    def argv(self, argv: Sequence[str]) -> list[str]:
        """`argv` prefixed so it runs inside the namespace (with its resolv.conf and hosts)."""
        return ["ip", "netns", "exec", self.name, *argv]

    def run(
        self,
        argv: Sequence[str],
        env: Mapping[str, str] | None = None,
        timeout: float = 30,
        **kwargs: Any,
    ) -> subprocess.CompletedProcess[str]:
        """Run to completion inside the namespace; text output captured."""
        kwargs.setdefault("capture_output", True)
        kwargs.setdefault("text", True)
        return subprocess.run(
            self.argv(argv), env=dict(env) if env is not None else None, timeout=timeout, check=False, **kwargs
        )

    def popen(self, argv: Sequence[str], env: Mapping[str, str] | None = None, **kwargs: Any) -> subprocess.Popen[Any]:
        """Start inside the namespace; the caller owns the process."""
        return subprocess.Popen(self.argv(argv), env=dict(env) if env is not None else None, **kwargs)

    def close(self) -> None:
        """Stop the DNS server, delete the namespace and /etc/netns/NAME. Idempotent."""
        if self.dns is not None:
            self.dns.stop()
            self.dns = None
        _ip("netns", "del", self.name)
        shutil.rmtree(self.etc, ignore_errors=True)

    def __enter__(self) -> NetNamespace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
