"""Where the API lives (a private namespace or plain loopback), one client call, and peers the shared ones lack."""

from __future__ import annotations

import contextlib
import socket
import ssl
import struct
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from peers import (
    HttpServer,
    MicrosocksServer,
    Reply,
    TinyproxyServer,
)
from peers.certs import _self_signed
from peers.netns import NetNamespace
from peers.raw import _TcpPeer, free_port

PY = sys.executable
OPENAI_KEY = "sk-test-faults-" + "4f9a1c2e" * 5
ANTHROPIC_KEY = "sk-ant-test-faults-" + "7b3d5e1a" * 5
PROXY_PASSWORD = "tiny-pass_1.0"
WRONG_PASSWORD = "wrong-pass_9"
HANG = 1.5  # seconds before the Ctrl-C
TIMEOUT = 1.0  # the client's own timeout in the timeout scenarios
RUN_DEADLINE = 25.0  # a client that is still running then is killed and gives no row
CAUSES = Path(__file__).resolve().parents[2] / "llmdoctor" / "data" / "causes"


# --- daemons that resolve names as clients do --------------------------------------------------------------

NAMESPACE: list[NetNamespace] = []  # the namespace main() made, if any


class _InNamespace:
    """Started through `ip netns exec`, so a proxy resolves api.openai.com with the namespace's resolv.conf."""

    def argv(self) -> list[str]:
        argv: list[str] = super().argv()  # type: ignore[misc]
        return NAMESPACE[0].argv(argv) if NAMESPACE else argv


class NsTinyproxy(_InNamespace, TinyproxyServer):
    pass


class NsMicrosocks(_InNamespace, MicrosocksServer):
    pass


# --- peers the shared ones do not cover --------------------------------------------------------------------


class _ResettingTlsServer(_TcpPeer):
    """TLS, reads the request, sends what `_answer` writes, then resets the connection (SO_LINGER 0)."""

    def __init__(self, ctx: ssl.SSLContext, host: str = "127.0.0.1", port: int = 0) -> None:
        self.ctx = ctx
        super().__init__(host, port)

    def _answer(self, tls: ssl.SSLSocket, request: bytes) -> None:
        raise NotImplementedError

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        tls = self.ctx.wrap_socket(conn, server_side=True)
        self._answer(tls, tls.recv(65536))
        time.sleep(0.1)
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conn.close()


class TruncatingTlsServer(_ResettingTlsServer):
    """Sends the headers and half the body, then resets."""

    def _answer(self, tls: ssl.SSLSocket, request: bytes) -> None:
        body = b'{"id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG", "object": "chat.completion", "created": 17415'
        tls.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 812\r\n"
                    b"x-request-id: req_5c0f3a9e7d2b41c8a6f1e0d9b8c7a6f5\r\n\r\n" + body)


class CutStreamTlsServer(_ResettingTlsServer):
    """Starts a 200 event stream (two events), then resets mid-stream."""

    def _answer(self, tls: ssl.SSLSocket, request: bytes) -> None:
        if b"/messages" in request.split(b"\r\n", 1)[0]:
            events = [b'event: message_start\ndata: {"type": "message_start", "message": {"id": '
                      b'"msg_01XFDUDYJgAACzvnptvVoYEL", "type": "message", "role": "assistant", "content": [], '
                      b'"model": "claude-haiku-4-5-20251001", "stop_reason": null, "stop_sequence": null, '
                      b'"usage": {"input_tokens": 14, "output_tokens": 1}}}\n\n',
                      b'event: content_block_start\ndata: {"type": "content_block_start", "index": 0, '
                      b'"content_block": {"type": "text", "text": ""}}\n\n']
        else:
            chunk = (b'data: {"id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", "object": "chat.completion.chunk", '
                     b'"created": 1741569952, "model": "gpt-4o-mini-2024-07-18", "choices": [{"index": 0, '
                     b'"delta": {"content": "%s"}, "finish_reason": null}]}\n\n')
            events = [chunk % b"O", chunk % b"K"]
        tls.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\n"
                    b"transfer-encoding: chunked\r\nx-request-id: req_5c0f3a9e7d2b41c8a6f1e0d9b8c7a6f5\r\n\r\n")
        for event in events:
            tls.sendall(b"%x\r\n%s\r\n" % (len(event), event))
            time.sleep(0.05)


# --- the world: where the API lives ------------------------------------------------------------------------


@dataclass
class World:
    """Names and ports. In a namespace the API is https://api.openai.com on 443; outside, 127.0.0.1:free."""

    netns: NetNamespace | None
    certs: Any
    tmp: Path

    @property
    def api_host(self) -> str:
        return "api.openai.com" if self.netns else "127.0.0.1"

    @property
    def anthropic_host(self) -> str:
        return "api.anthropic.com" if self.netns else "127.0.0.1"

    def port(self, wanted: int) -> int:
        return wanted if self.netns else free_port()

    def leaf(self, kind: str) -> tuple[Path, Path]:
        """A server certificate of `kind` for the API's names (the shared ones are for *.test names)."""
        cert, key = self.tmp / f"{kind}.cert.pem", self.tmp / f"{kind}.key.pem"
        if not cert.exists():
            names = ("api.openai.com", "api.anthropic.com", "faults-eastus.openai.azure.com", "localhost", "127.0.0.1")
            if kind == "selfsigned":
                chain, private = _self_signed(names)
            elif kind == "nointermediate":  # issued by an intermediate CA the server does not send
                issued = self.certs.ca.create_child_ca().issue_cert(*names)
                chain, private = issued.cert_chain_pems[0].bytes(), issued.private_key_pem.bytes()
            elif kind == "wronghost":
                return self.certs.leaf("wronghost")
            else:
                import datetime as dt

                now, day = dt.datetime.now(dt.timezone.utc), dt.timedelta(days=1)
                ca = self.certs.other_ca if kind == "unknownca" else self.certs.ca
                dates = {"not_before": now - 30 * day, "not_after": now - day} if kind == "expired" else {}
                issued = ca.issue_cert(*names, **dates)
                chain = b"".join(blob.bytes() for blob in issued.cert_chain_pems)
                private = issued.private_key_pem.bytes()
            cert.write_bytes(chain)
            key.write_bytes(private)
        return cert, key


@dataclass
class Call:
    """One client call: where to, with what environment, and how it ends (timeout, Ctrl-C)."""

    openai_base: str
    anthropic_base: str
    env: dict[str, str] = field(default_factory=dict)
    timeout: float | None = None
    interrupt: float | None = None
    stream: bool = False
    model: str = "gpt-4o-mini"
    anthropic_model: str = "claude-haiku-4-5"
    block: tuple[str, ...] = ()  # modules to make unimportable (socksio: "installed without httpx[socks]")
    secrets: tuple[str, ...] = ()
    # true once the hanging peer has the client's connection: Ctrl-C comes HANG seconds after that, so
    # it lands in the hang and not in a slow import (anthropic's takes over a second)
    ready: Callable[[], bool] | None = None
    unset: tuple[str, ...] = ()  # variables the client must not see at all


@dataclass(frozen=True)
class Scenario:
    name: str
    cause: str
    clients: tuple[str, ...]
    setup: Callable[[World], contextlib.AbstractContextManager[Call]]
    # per client (or "*"): a different cause when that client's text honestly says less (or something else)
    overrides: dict[str, str] = field(default_factory=dict)


PYTHON = ("openai-python", "openai-python-async", "anthropic-python", "httpx", "requests")
# more Python clients: aiohttp (trust_env=True: HTTP(S)_PROXY, no SOCKS), urllib3 directly (no proxy variables,
# no failure on a status), LangChain's ChatOpenAI (the openai SDK underneath, LangChain's frames on top)
MORE_PYTHON = ("aiohttp", "urllib3", "langchain-openai")
ALL = (*PYTHON, *MORE_PYTHON, "curl", "node-fetch", "openai-node")
HTTP_CLIENTS = (*PYTHON, "aiohttp", "langchain-openai", "curl", "openai-node")  # node's fetch does not fail on a status
PROXY_CLIENTS = (*PYTHON, "aiohttp", "langchain-openai", "curl")  # Node 20's fetch ignores HTTPS_PROXY
SOCKS_CLIENTS = (*PYTHON, "langchain-openai", "curl")  # aiohttp speaks no SOCKS without aiohttp-socks
SIGINT_CLIENTS = (*PYTHON, *MORE_PYTHON)


def api_call(world: World, port: int, scheme: str = "https") -> Call:
    def base(host: str) -> str:
        default = 443 if scheme == "https" else 80
        return f"{scheme}://{host}" + ("" if port == default else f":{port}")

    return Call(base(world.api_host) + "/v1", base(world.anthropic_host))


def local_call(port: int, scheme: str = "http") -> Call:
    return Call(f"{scheme}://localhost:{port}/v1", f"{scheme}://localhost:{port}")


def trusting(world: World, call: Call) -> Call:
    ca = str(world.certs.ca_pem)
    call.env.update(SSL_CERT_FILE=ca, REQUESTS_CA_BUNDLE=ca, CURL_CA_BUNDLE=ca, NODE_EXTRA_CA_CERTS=ca)
    return call


@contextlib.contextmanager
def https_api(world: World, handler: Any, kind: str = "valid") -> Iterator[tuple[HttpServer, Call]]:
    server = HttpServer(handler, cert=world.leaf(kind), host="127.0.0.1", port=world.port(443))
    try:
        yield server, trusting(world, api_call(world, server.port))
    finally:
        server.stop()


def ok_reply(req: Any) -> Reply:
    return Reply.json(200, {"id": "chatcmpl-x", "object": "chat.completion", "choices": []})
