"""The loopback world the fault matrix runs the real CLI against, and the canary secrets it plants.

`World` is session-scoped: every peer (the fake API, TLS servers with bad certificates, hostile
TCP peers, pproxy, tinyproxy, microsocks) starts on first use and is shared by every scenario
that needs it. Things a scenario must own alone (a network namespace, a `.env` file) are
registered with `world.scoped(...)` and torn down after that test.

Secrets: every API key is `key(...)`, which embeds CANARY in the part the report must never show
(only the prefix and the last four characters may appear); every proxy password is a canary too.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import os
import secrets
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from peers import (
    BlackholeServer,
    Certs,
    DnsServer,
    FinServer,
    GarbageServer,
    HttpServer,
    MicrosocksServer,
    NetNamespace,
    PproxyServer,
    Reply,
    ResetServer,
    SynDropServer,
    TinyproxyServer,
    closed_port,
)
from peers.dns import Zones
from peers.fakeapi import HOST_NAMES, OPENAI_MODELS, FakeApi

PROXY_PASSWORD = "CanaryProxyPass9"  # tinyproxy's grammar allows only [A-Za-z0-9._-]
WRONG_PROXY_PASSWORD = "WrongCanaryPass7"
KEY_MARK = "CANARY"  # sits in the middle of every planted key: never part of a redacted form

TESTS_DIR = Path(__file__).resolve().parent.parent
GUARD_DIR = TESTS_DIR / "guard"
REPO_ROOT = TESTS_DIR.parent

_planted: set[str] = {PROXY_PASSWORD, WRONG_PROXY_PASSWORD}


def key(scenario: str = "good", prefix: str = "sk-test-") -> str:
    """A realistic key whose middle holds the canary mark; the fake API reads `scenario` from
    `sk-test-SCENARIO-…` keys (any other prefix: see tests/peers/fakeapi.py `_scenario`)."""
    tail = secrets.token_hex(12)
    middle = f"{scenario}-" if prefix == "sk-test-" else ""
    value = f"{prefix}{middle}{KEY_MARK}{tail}"
    _planted.add(value)
    return value


def planted() -> frozenset[str]:
    """Every secret value handed to a scenario so far (keys and proxy passwords)."""
    return frozenset(_planted)


def cli_path() -> str:
    """The PATH tests/conftest.py `cli_env` gives the CLI (venv first)."""
    return os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin", "/bin"])


def models_reply() -> Reply:
    data = [{"id": m, "object": "model", "created": 1715367049, "owned_by": "system"} for m in OPENAI_MODELS]
    return Reply.json(200, {"object": "list", "data": data})


def completion_error(status: int, body: dict[str, Any]) -> Callable[[Any], Reply]:
    """A server whose model list works and whose completions fail with `status`/`body`."""

    def handle(req: Any) -> Reply:
        if req.path.split("?")[0].rstrip("/").endswith("/models"):
            return models_reply()
        return Reply.json(status, body)

    return handle


class World:
    """Lazily started, shared loopback peers; `scoped` holds what one test owns."""

    def __init__(self, certs: Certs, workdir: Path) -> None:
        self.certs = certs
        self.workdir = workdir
        self._peers: dict[str, Any] = {}
        self._scoped: list[Any] = []
        self.netns: NetNamespace | None = None

    # --- lifecycle --------------------------------------------------------------------------

    def _shared(self, name: str, make: Callable[[], Any]) -> Any:
        if name not in self._peers:
            self._peers[name] = make()
        return self._peers[name]

    def scoped(self, resource: Any) -> Any:
        """Register something this test alone uses; it is stopped/closed after the test."""
        self._scoped.append(resource)
        return resource

    def end_test(self) -> None:
        while self._scoped:
            item = self._scoped.pop()
            for method in ("stop", "close"):
                if hasattr(item, method):
                    getattr(item, method)()
                    break
        self.netns = None

    def close(self) -> None:
        self.end_test()
        for peer in self._peers.values():
            peer.stop()
        self._peers.clear()

    # --- placeholders every scenario may use -------------------------------------------------

    def common(self) -> dict[str, str]:
        return {"ca": str(self.certs.ca_pem), "path": cli_path(), "guard": str(GUARD_DIR), "repo": str(REPO_ROOT),
                "proxy_pass": PROXY_PASSWORD, "wrong_pass": WRONG_PROXY_PASSWORD}

    # --- API servers -------------------------------------------------------------------------

    @property
    def api(self) -> FakeApi:
        return self._shared("api", lambda: FakeApi(self.certs))

    @property
    def plain_api(self) -> FakeApi:
        return self._shared("plain_api", lambda: FakeApi(self.certs, tls=False))

    @property
    def remote_api(self) -> FakeApi:
        """The fake API with a certificate that also names llm.example.net (a remote-looking relay)."""
        return self._shared("remote_api", lambda: FakeApi(self.certs, names=(*HOST_NAMES, "llm.example.net")))

    def clock_server(self, days: int) -> HttpServer:
        """An expired certificate whose server clock (Date) says it is `days` from now: valid there."""
        when = email.utils.format_datetime(dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=days), usegmt=True)
        reply = models_reply()
        reply.headers = {**reply.headers, "date": when}
        return self._shared(f"clock:{days}", lambda: HttpServer(reply, cert=self.certs.leaf("expired")))

    def client_only_server(self) -> HttpServer:
        """A certificate from the test CA whose extended key usage is client authentication only:
        OpenSSL rejects it with verify code 26 (unsupported certificate purpose)."""
        return self._shared("client-only", lambda: HttpServer(models_reply(), cert=self._client_only_leaf()))

    def _client_only_leaf(self) -> tuple[Path, Path]:
        import ipaddress

        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

        ca = self.certs.ca
        now = dt.datetime.now(dt.timezone.utc)
        leaf_key = ec.generate_private_key(ec.SECP256R1())
        cert = (x509.CertificateBuilder()
                .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "client only")]))
                .issuer_name(ca._certificate.subject)  # trustme keeps its CA certificate and key private
                .public_key(leaf_key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(now - dt.timedelta(days=1))
                .not_valid_after(now + dt.timedelta(days=30))
                .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                               critical=False)
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
                .sign(ca._private_key, hashes.SHA256()))
        cert_path = self.dir("client-only") / "leaf.pem"
        key_path = self.dir("client-only") / "key.pem"
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_path.write_bytes(leaf_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                    serialization.NoEncryption()))
        return cert_path, key_path

    def os_ca_dir(self) -> Path:
        """An OpenSSL hashed CA directory (as /etc/ssl/certs is) holding the test CA; OpenSSL's default
        paths read it via SSL_CERT_DIR, httpx does not when SSL_CERT_FILE is also set."""
        path = self.dir("os-ca")
        target = path / "test-ca.pem"
        if not target.exists():
            target.write_bytes(self.certs.ca_pem.read_bytes())
            subject_hash = subprocess.run(["openssl", "x509", "-hash", "-noout", "-in", str(target)],
                                          capture_output=True, text=True, check=True, timeout=10).stdout.strip()
            (path / f"{subject_hash}.0").symlink_to(target.name)
        return path

    def reply_server(self, name: str, handler: Callable[[Any], Reply] | Reply, tls: bool = True) -> HttpServer:
        """A TLS server (valid certificate for 127.0.0.1) answering with `handler`, shared by name."""
        cert = self.certs.leaf("valid") if tls else None
        return self._shared(f"reply:{name}", lambda: HttpServer(handler, cert=cert))

    def leaf_server(self, kind: str) -> HttpServer:
        """A working model list behind a certificate of `kind` (expired, notyet, wronghost, ...)."""
        return self._shared(f"leaf:{kind}", lambda: HttpServer(models_reply(), cert=self.certs.leaf(kind)))  # type: ignore[arg-type]

    # --- hostile TCP peers -------------------------------------------------------------------

    @property
    def reset(self) -> ResetServer:
        return self._shared("reset", ResetServer)

    @property
    def fin(self) -> FinServer:
        return self._shared("fin", FinServer)

    @property
    def blackhole(self) -> BlackholeServer:
        return self._shared("blackhole", BlackholeServer)

    @property
    def syndrop(self) -> SynDropServer:
        return self._shared("syndrop", SynDropServer)

    def garbage(self, name: str, data: bytes) -> GarbageServer:
        return self._shared(f"garbage:{name}", lambda: GarbageServer(data))

    @staticmethod
    def closed_port() -> int:
        return closed_port()

    # --- proxies -----------------------------------------------------------------------------

    @property
    def pproxy(self) -> PproxyServer:
        return self._shared("pproxy", lambda: PproxyServer("user", PROXY_PASSWORD))

    @property
    def tinyproxy(self) -> TinyproxyServer:
        return self._shared("tinyproxy", lambda: TinyproxyServer("user", PROXY_PASSWORD))

    @property
    def microsocks(self) -> MicrosocksServer:
        return self._shared("microsocks", lambda: MicrosocksServer("user", PROXY_PASSWORD))

    # --- per-test helpers --------------------------------------------------------------------

    def namespace(self, zones: Zones | None = None, **kwargs: Any) -> NetNamespace:
        """A private netns whose system resolver is a DnsServer on its 127.0.0.1:53; the CLI runs inside."""
        self.netns = self.scoped(NetNamespace(zones, **kwargs))
        return self.netns

    def inside(self, make: Callable[[], Any]) -> Any:
        """Start a peer inside the current namespace (it is stopped after the test)."""
        assert self.netns is not None
        with self.netns.inside():
            return self.scoped(make())

    def disable_ipv6(self) -> dict[str, str]:
        """No IPv6 in the namespace: connecting to ::1 fails at once with 'address not available'."""
        assert self.netns is not None
        subprocess.run(self.netns.argv(["sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1",
                                        "net.ipv6.conf.lo.disable_ipv6=1"]), check=True, timeout=10)
        return {}

    def dns(self, zones: Zones) -> DnsServer:
        """A DnsServer on a high port of the namespace's loopback (for --dns-server)."""
        return self.inside(lambda: DnsServer(zones))  # type: ignore[no-any-return]

    def dir(self, name: str) -> Path:
        path = self.workdir / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def no_socksio_dir(self) -> Path:
        """A PYTHONPATH entry whose sitecustomize makes `import socksio` fail, as if httpx[socks]
        was never installed (the guard's sitecustomize chains to it)."""
        path = self.dir("no-socksio")
        (path / "sitecustomize.py").write_text(
            '"""Simulate an environment without socksio: importlib finds nothing, import fails."""\n'
            "import sys\n\nsys.modules['socksio'] = None\n")
        return path

    def old_sdk_dir(self) -> Path:
        """A PYTHONPATH entry holding the metadata of openai 1.30.0 (before the httpx 0.28 fix)."""
        path = self.dir("old-sdk")
        info = path / "openai-1.30.0.dist-info"
        info.mkdir(exist_ok=True)
        (info / "METADATA").write_text("Metadata-Version: 2.1\nName: openai\nVersion: 1.30.0\n"
                                       "Requires-Dist: httpx<1,>=0.23.0\n")
        return path

    def fake_gsettings_dir(self) -> Path:
        """A PATH entry with a `gsettings` that reports GNOME's manual proxy 127.0.0.1:7890."""
        path = self.dir("gsettings-bin")
        script = path / "gsettings"
        script.write_text("#!/bin/sh\n"
                          'case "$3" in\n'
                          "  mode) echo \"'manual'\" ;;\n"
                          "  host) echo \"'127.0.0.1'\" ;;\n"
                          "  port) echo 7890 ;;\n"
                          "  ignore-hosts) echo \"['localhost', '127.0.0.0/8']\" ;;\n"
                          "  *) echo \"''\" ;;\n"
                          "esac\n")
        script.chmod(0o755)
        return path

    def dotenv(self, text: str) -> Path:
        """A .env in the test's cwd (where the CLI runs)."""
        path = Path(os.getcwd()) / ".env"
        path.write_text(text)
        return path
