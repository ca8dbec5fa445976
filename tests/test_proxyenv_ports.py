"""The 127.0.0.1 port scan against real listeners: plain TCP, an HTTP answerer, a SOCKS5 greeter, pproxy."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator

import pytest

from llmdoctor.proxyenv import ports


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def listener() -> Iterator[Callable[[bytes | None], int]]:
    """Starts a loopback server that answers every connection with `reply` (None: say nothing)."""
    sockets: list[socket.socket] = []

    def start(reply: bytes | None) -> int:
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        sockets.append(server)

        def serve() -> None:
            while True:
                try:
                    conn, _ = server.accept()
                except OSError:
                    return
                with conn:
                    try:
                        conn.settimeout(1)
                        conn.recv(64)
                        if reply is not None:
                            conn.sendall(reply)
                    except OSError:
                        pass

        threading.Thread(target=serve, daemon=True).start()
        return int(server.getsockname()[1])

    yield start
    for s in sockets:
        s.close()


def test_scan_finds_only_ports_that_speak_a_proxy_protocol(listener: Callable[[bytes | None], int]) -> None:
    http = listener(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
    login = listener(b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n")
    socks = listener(b"\x05\x00")
    web = listener(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
    silent = listener(None)
    closed = _free_port()
    found = {x.port: x.kind for x in ports.scan([http, login, socks, web, silent, closed], timeout=0.3)}
    assert found == {http: "http", login: "http", socks: "socks5"}


def test_a_web_server_is_not_a_proxy() -> None:
    """`python -m http.server` answers CONNECT with 501 and an absolute URL with 404: not a proxy."""
    import http.server

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    server.RequestHandlerClass.log_message = lambda *a: None  # type: ignore[method-assign]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        assert ports.is_listening(port)
        assert ports.identify(port) == "unknown"
        assert ports.scan([port]) == []
    finally:
        server.shutdown()
        server.server_close()


def test_tinyproxy_is_a_proxy(tinyproxy: object) -> None:
    port = int(tinyproxy.port)  # type: ignore[attr-defined]
    assert [(x.port, x.kind) for x in ports.scan([port], timeout=2.0)] == [(port, "http")]


def test_pproxy_mixed_port_answers_both(pproxy: object) -> None:
    port = int(pproxy.port)  # type: ignore[attr-defined]
    found = ports.scan([port])
    assert [(x.port, x.kind) for x in found] == [(port, "mixed")]
    assert found[0].suggested_url == f"http://127.0.0.1:{port}"


def test_scan_of_nothing_and_out_of_range_ports() -> None:
    assert ports.scan([]) == []
    assert ports.scan([0, 70000]) == []
    assert not ports.is_listening(_free_port())


def test_the_scan_only_ever_uses_loopback() -> None:
    assert ports.LOOPBACK == "127.0.0.1"
    assert set(ports.DEFAULT_PORTS) >= {7890, 7897, 1080, 10808, 10809, 8080, 8118, 8888, 20171, 20172, 1087}

