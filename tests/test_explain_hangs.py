"""A traceback ended by Ctrl-C after a hang names the step that hung: real httpx clients, real loopback peers.

Each peer accepts and then goes silent at one step (the SOCKS5 greeting, the CONNECT reply, the response
headers, the middle of a stream). The client runs in its own interpreter; once the peer has seen it reach
that step, the test sends SIGINT, exactly what a user's Ctrl-C does, and feeds the printed traceback to
`explain`. No timing is asserted: every wait is on an event, bounded by a generous timeout.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from llmdoctor.explain import explain

GUARD = str(Path(__file__).parent / "guard")
WAIT = 20.0


@contextmanager
def silent_peer(behaviour: Callable[[socket.socket, threading.Event], None]) -> Iterator[tuple[int, threading.Event]]:
    """A loopback server that runs `behaviour` on its first connection and then holds it open, saying nothing."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    reached = threading.Event()
    release = threading.Event()

    def serve() -> None:
        try:
            conn, _ = server.accept()
        except OSError:
            return
        with conn:
            conn.settimeout(WAIT)
            with contextlib.suppress(OSError):
                behaviour(conn, reached)
            release.wait(WAIT)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], reached
    finally:
        release.set()
        server.close()
        thread.join(WAIT)


def _read_some(conn: socket.socket, reached: threading.Event) -> None:
    conn.recv(65536)
    reached.set()


def _stream_then_stall(conn: socket.socket, reached: threading.Event) -> None:
    conn.recv(65536)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                 b"d\r\ndata: first\n\n\r\n")
    reached.set()


def _wait_until_blocked(pid: int) -> None:
    """Until the process sleeps in the kernel (a socket read), as /proc/<pid>/wchan shows on Linux."""
    import time

    wchan = Path(f"/proc/{pid}/wchan")
    if not wchan.exists():
        pytest.skip("needs /proc/<pid>/wchan (Linux) to know the client is blocked in its read")
    deadline = time.monotonic() + WAIT
    asleep = 0
    while time.monotonic() < deadline:
        state = wchan.read_text(errors="replace").strip()
        asleep = asleep + 1 if state not in ("", "0") else 0
        if asleep >= 5:  # asleep in the kernel for 50 ms running: the read, not a passing send
            return
        time.sleep(0.01)
    raise AssertionError("the client never blocked in its read")


def interrupted_traceback(code: str, reached: threading.Event, wait_for_output: bool = False) -> str:
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": GUARD, "NO_PROXY": "", "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        assert reached.wait(WAIT), "the client never reached the peer"
        if wait_for_output:
            assert proc.stdout is not None
            proc.stdout.readline()  # the client has read the first event ...
        _wait_until_blocked(proc.pid)  # ... and is in the socket read, waiting for the next step
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=WAIT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(WAIT)
    text = err.decode("utf-8", "replace")
    assert "KeyboardInterrupt" in text, text
    return text


def test_a_hang_in_the_socks5_handshake() -> None:
    with silent_peer(_read_some) as (port, reached):
        text = interrupted_traceback(
            f"import httpx; httpx.get('http://127.0.0.1:9/', proxy='socks5://127.0.0.1:{port}', timeout=None)",
            reached)
    result = explain(text)
    assert result.recognised and result.causes[0].id == "proxy.socks_handshake_hang", text


def test_a_hang_waiting_for_the_proxy_connect_reply() -> None:
    with silent_peer(_read_some) as (port, reached):
        text = interrupted_traceback(
            f"import httpx; httpx.get('https://127.0.0.1:9/', proxy='http://127.0.0.1:{port}', timeout=None)",
            reached)
    result = explain(text)
    assert result.recognised and result.causes[0].id == "proxy.not_responding", text


def test_a_hang_waiting_for_the_answer() -> None:
    with silent_peer(_read_some) as (port, reached):
        text = interrupted_traceback(f"import httpx; httpx.get('http://127.0.0.1:{port}/v1/models', timeout=None)",
                                     reached)
    result = explain(text)
    assert result.recognised and result.causes[0].id == "net.read_timeout", text


def test_a_hang_in_the_middle_of_a_stream() -> None:
    code = ("import httpx\n"
            "with httpx.stream('GET', 'http://127.0.0.1:{port}/v1/chat/completions', timeout=None) as r:\n"
            "    for line in r.iter_lines():\n"
            "        print(line, flush=True)\n")
    with silent_peer(_stream_then_stall) as (port, reached):
        text = interrupted_traceback(code.format(port=port), reached, wait_for_output=True)
    result = explain(text)
    assert result.recognised and result.causes[0].id == "net.stream_stalled", text


@pytest.mark.parametrize("text", [
    # https://github.com/TheR1D/shell_gpt/issues/666: interrupted in interpreter shutdown, no step in the frames
    "^CException ignored in: <module 'threading' from '/usr/lib/python3.12/threading.py'>\nTraceback (most recent "
    "call last):\n  File \"/usr/lib/python3.12/threading.py\", line 1592, in _shutdown\n    atexit_call()\n"
    "KeyboardInterrupt:",
])
def test_an_interrupt_that_names_no_step_is_not_a_verdict(text: str) -> None:
    result = explain(text)
    assert result.ambiguous and not result.recognised
