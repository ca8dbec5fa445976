"""The loopback test world: every test runs guarded, with a clean environment, in a tmp dir.

- The loopback guard is installed; a connect or name lookup beyond loopback raises
  LoopbackViolation, and a violation the code under test swallowed still fails the test.
- Proxy, TLS-trust and LLM-provider variables are removed (httpx reads them; so might the
  CLI), HOME points at an empty tmp dir, and the cwd is a tmp dir so no `.env` is read.
- Fixtures start real peers: `certs`, `https_server`, `http_server`, `dns_server`, `pproxy`,
  `tinyproxy`, `microsocks`, `dnsmasq`, `netns`; `cli_env` and `run_cli` run the CLI guarded.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

TESTS_DIR = Path(__file__).resolve().parent
REPO_ROOT = TESTS_DIR.parent
GUARD_DIR = TESTS_DIR / "guard"
# tests/ for `import peers`, tests/guard for `import loopback_guard`, the repo for `import
# llmdoctor` when the package is not installed into the venv.
for _path in (REPO_ROOT, GUARD_DIR, TESTS_DIR):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import loopback_guard  # noqa: E402
from peers import (  # noqa: E402
    Certs,
    DnsmasqServer,
    DnsServer,
    HttpServer,
    MicrosocksServer,
    NetNamespace,
    PproxyServer,
    Reply,
    Request,
    TinyproxyServer,
    make_certs,
    netns_available,
    which,
)
from peers.certs import LeafKind  # noqa: E402
from peers.dns import Zones  # noqa: E402

# Variables that change what an HTTP client or the CLI does; names compared upper-cased, so
# http_proxy and HTTP_PROXY both go.
_CLEARED_NAMES = frozenset({
    "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY",
    "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE",
    "GOOGLE_API_KEY", "OPENAI_API_VERSION",
})
_CLEARED_PREFIXES = (
    "OPENAI_", "ANTHROPIC_", "GEMINI_", "DEEPSEEK_", "MOONSHOT_", "DASHSCOPE_", "OPENROUTER_",
    "AZURE_OPENAI_", "GROQ_", "MISTRAL_", "OLLAMA_", "LLMDOCTOR_",
)
_CLEARED_SUFFIXES = ("_API_KEY", "_BASE_URL", "_API_BASE")  # any other provider's key or endpoint

_DAEMON_FIXTURES = {"tinyproxy", "microsocks", "dnsmasq"}
_NETNS_FIXTURES = {"netns", "_require_netns"}


def is_cleared_variable(name: str) -> bool:
    """True for a variable the test world removes (proxy, TLS trust, provider key or URL)."""
    upper = name.upper()
    return upper in _CLEARED_NAMES or upper.startswith(_CLEARED_PREFIXES) or upper.endswith(_CLEARED_SUFFIXES)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tag tests by the peers they use, so `-m "not daemon"` / `-m "not netns"` work."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & _DAEMON_FIXTURES:
            item.add_marker(pytest.mark.daemon)
        if names & _NETNS_FIXTURES:
            item.add_marker(pytest.mark.netns)


@pytest.fixture(autouse=True)
def _loopback_world(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    loopback_guard.install(allow_system_dns=False)
    loopback_guard.pop_violations()
    for name in list(os.environ):
        if is_cleared_variable(name):
            monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    (home / ".config").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    yield
    violations = loopback_guard.pop_violations()
    if violations:
        pytest.fail("test traffic left loopback:\n" + "\n".join(violations), pytrace=False)


# --- peers ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certs:
    """The test CA (`certs.ca_pem`) and leaves (`certs.leaf("expired")`, ...)."""
    return make_certs(tmp_path_factory.mktemp("certs"))


Handler = Callable[[Request], Reply] | Reply


@pytest.fixture
def https_server(certs: Certs) -> Iterator[Callable[..., HttpServer]]:
    """Factory: `https_server(handler, kind="valid", host="127.0.0.1") -> HttpServer`."""
    servers: list[HttpServer] = []

    def start(handler: Handler, kind: LeafKind = "valid", host: str = "127.0.0.1") -> HttpServer:
        server = HttpServer(handler, cert=certs.leaf(kind), host=host)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def http_server() -> Iterator[Callable[..., HttpServer]]:
    """Factory: `http_server(handler, host="127.0.0.1") -> HttpServer` (plain HTTP)."""
    servers: list[HttpServer] = []

    def start(handler: Handler, host: str = "127.0.0.1") -> HttpServer:
        server = HttpServer(handler, host=host)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def dns_server() -> Iterator[Callable[..., DnsServer]]:
    """Factory: `dns_server(zones) -> DnsServer` on 127.0.0.1, UDP+TCP, free port."""
    servers: list[DnsServer] = []

    def start(zones: Zones, host: str = "127.0.0.1") -> DnsServer:
        server = DnsServer(zones, host=host)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def _skip_without(binary: str, package: str) -> None:
    if which(binary) is None:
        pytest.skip(f"{binary} is not installed (apt-get install {package})")


@pytest.fixture
def pproxy() -> Iterator[PproxyServer]:
    """pproxy, HTTP and SOCKS5 on one port, user `user` / password `pproxy-pass`, `--auth 0`."""
    with PproxyServer() as server:
        yield server


@pytest.fixture
def tinyproxy() -> Iterator[TinyproxyServer]:
    """tinyproxy, HTTP CONNECT + Basic auth, user `user` / password `tiny-pass_1.0`."""
    _skip_without("tinyproxy", "tinyproxy-bin")
    with TinyproxyServer() as server:
        yield server


@pytest.fixture
def microsocks() -> Iterator[MicrosocksServer]:
    """microsocks, SOCKS5, user `user` / password `micro:p@ss w0rd` (quoted by `.url()`)."""
    _skip_without("microsocks", "microsocks")
    with MicrosocksServer() as server:
        yield server


@pytest.fixture
def dnsmasq() -> Iterator[Callable[..., DnsmasqServer]]:
    """Factory: `dnsmasq("--local=/test/", "--address=/api.openai.test/127.0.0.1") -> DnsmasqServer`."""
    _skip_without("dnsmasq", "dnsmasq-base")
    servers: list[DnsmasqServer] = []

    def start(*args: str) -> DnsmasqServer:
        server = DnsmasqServer(*args)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def _require_netns() -> None:
    """Skip unless network namespaces work here (what `peers.requires_netns` uses)."""
    usable, reason = netns_available()
    if not usable:
        pytest.skip(reason)


@pytest.fixture
def netns(_require_netns: None) -> Iterator[Callable[..., NetNamespace]]:
    """Factory: `netns(zones=None) -> NetNamespace`, removed after the test."""
    spaces: list[NetNamespace] = []

    def make(zones: Zones | None = None, **kwargs: Any) -> NetNamespace:
        space = NetNamespace(zones, **kwargs)
        spaces.append(space)
        return space

    yield make
    for space in spaces:
        space.close()


# --- running the CLI as a user would ---------------------------------------------------------


@pytest.fixture
def cli_env(tmp_path: Path) -> Callable[..., dict[str, str]]:
    """Function: `cli_env(**extra) -> dict` — a clean environment for a guarded subprocess.

    Minimal PATH (venv first), HOME in tmp, LANG=C.UTF-8, NO_COLOR=1, COLUMNS=120, no proxy /
    TLS / key variables, PYTHONPATH = tests/guard (the guard's sitecustomize) then the repo.
    `extra` adds variables; a value of None removes one.
    """
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    guard_log = tmp_path / "loopback-guard.log"

    def make(**extra: str | None) -> dict[str, str]:
        env = {
            "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin", "/bin"]),
            "HOME": str(home),
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "NO_COLOR": "1",
            "COLUMNS": "120",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONPATH": os.pathsep.join([str(GUARD_DIR), str(REPO_ROOT)]),
            loopback_guard.LOG_ENV: str(guard_log),
        }
        for key, value in extra.items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        return env

    return make


def _fail_on_guard_log(env: Mapping[str, str]) -> None:
    log = env.get(loopback_guard.LOG_ENV)
    if not log or not os.path.exists(log):
        return
    text = Path(log).read_text(encoding="utf-8")
    Path(log).unlink()
    if text.strip():
        pytest.fail(f"the CLI's traffic left loopback:\n{text}", pytrace=False)


@pytest.fixture
def run_cli(cli_env: Callable[..., dict[str, str]]) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Function: `run_cli(*args, env=None, input=None, timeout=60, netns=None) -> CompletedProcess`.

    Runs `python -m llmdoctor *args` with `cli_env()` (plus `env`, where None removes a
    variable), text output captured, in the test's tmp cwd. With `netns=`, it runs inside that
    NetNamespace and may use the system resolver there. Fails the test if the CLI tried to
    reach beyond loopback, even if it handled the error.
    """

    def run(
        *args: str | os.PathLike[str],
        env: Mapping[str, str | None] | None = None,
        input: str | None = None,
        timeout: float = 60,
        netns: NetNamespace | None = None,
    ) -> subprocess.CompletedProcess[str]:
        extra: dict[str, str | None] = dict(env or {})
        if netns is not None:
            extra.setdefault(loopback_guard.ALLOW_SYSTEM_DNS_ENV, "1")
        full_env = cli_env(**extra)
        argv: Sequence[str] = [sys.executable, "-m", "llmdoctor", *map(str, args)]
        if netns is not None:
            argv = netns.argv(argv)
        proc = subprocess.run(
            argv, env=full_env, input=input, capture_output=True, text=True, timeout=timeout,
            cwd=os.getcwd(), check=False,
        )
        _fail_on_guard_log(full_env)
        return proc

    return run
