"""Helpers for the `llmdoctor serve` tests: an in-process exporter, an HTTP client that hides
nothing, and a parser for the exposition the exporter answers with."""

from __future__ import annotations

import http.client
import socket
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from llmdoctor.config import Settings
from llmdoctor.serve import targets
from llmdoctor.serve.prober import Prober
from llmdoctor.serve.server import ExporterServer


@dataclass
class Answer:
    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def get(port: int, path: str, headers: Mapping[str, str] | None = None, method: str = "GET",
        timeout: float = 60) -> Answer:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, headers=dict(headers or {}))
        response = conn.getresponse()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        conn.close()


def raw(port: int, data: bytes, timeout: float = 10) -> bytes:
    """Sends `data` as is and returns whatever comes back before the server closes (or times out)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        chunks = []
        try:
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
        except OSError:  # closed at accept (EPIPE, ECONNRESET, or ENOTCONN when the close won the race)
            pass
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except (ConnectionResetError, TimeoutError):
            pass
        return b"".join(chunks)


@dataclass(frozen=True)
class Sample:
    name: str
    labels: Mapping[str, str]
    value: float


@dataclass
class Exposition:
    samples: list[Sample] = field(default_factory=list)

    def value(self, name: str, **labels: str) -> float | None:
        """The value of the one sample with this name whose labels include `labels`."""
        found = [s.value for s in self.samples
                 if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())]
        assert len(found) <= 1, f"{name}{labels} matches {len(found)} samples"
        return found[0] if found else None

    def labels_of(self, name: str, label: str) -> set[str]:
        return {s.labels[label] for s in self.samples if s.name == name and label in s.labels}


def parse(text: str) -> Exposition:
    """Parsed with prometheus_client's own parser: what does not parse fails the test."""
    out = Exposition()
    for family in text_string_to_metric_families(text):
        out.samples.extend(Sample(s.name, dict(s.labels), s.value) for s in family.samples)
    return out


def write_config(directory: Path, text: str) -> Path:
    path = directory / "targets.toml"
    path.write_text(text, encoding="utf-8")
    return path


class InProcessExporter:
    """`llmdoctor serve` without the process: the same server and prober, in a thread."""

    def __init__(self, env: Mapping[str, str], config: Path | None = None, cwd: Path | None = None,
                 concurrency: int = 8, settings: Settings | None = None) -> None:
        table = targets.load(env, cwd or Path.cwd(), config)
        self.prober = Prober(table, settings or Settings(), concurrency=concurrency)
        self.server = ExporterServer(("127.0.0.1", 0), self.prober)
        self.port = int(self.server.server_address[1])
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()

    def get(self, path: str, headers: Mapping[str, str] | None = None, method: str = "GET") -> Answer:
        return get(self.port, path, headers, method)

    def probe(self, target: str, **params: str) -> tuple[Answer, Exposition]:
        query = "&".join([f"target={target}", *(f"{k}={v}" for k, v in params.items())])
        answer = self.get(f"/probe?{query}")
        assert answer.status == 200, answer.text
        return answer, parse(answer.text)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(5)


class ServeProcess:
    """`python -m llmdoctor serve --listen 127.0.0.1:0 ARGS` as a user starts it, guarded by the
    loopback guard (`env` comes from the `cli_env` fixture); `.port` is read from its start-up line."""

    def __init__(self, args: list[str], env: Mapping[str, str], cwd: Path, start_deadline: float = 30) -> None:
        import subprocess
        import sys
        import time

        self.proc = subprocess.Popen([sys.executable, "-m", "llmdoctor", "serve", "--listen", "127.0.0.1:0", *args],
                                     env=dict(env), cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.port = 0
        end = time.monotonic() + start_deadline
        while not self.port:
            line = next((x for x in self.lines if "listening on http://" in x), None)
            if line:
                self.port = int(line.split("listening on http://127.0.0.1:", 1)[1].split("/", 1)[0])
            elif self.proc.poll() is not None or time.monotonic() > end:
                self.stop()
                raise RuntimeError("llmdoctor serve did not start:\n" + "".join(self.lines))
            else:
                time.sleep(0.02)

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.append(line)

    @property
    def stderr(self) -> str:
        return "".join(self.lines)

    def get(self, path: str, headers: Mapping[str, str] | None = None) -> Answer:
        return get(self.port, path, headers)

    def stop(self) -> int:
        """SIGTERM, as a service manager stops it; the exit code."""
        from peers.daemons import stop_process

        stop_process(self.proc, grace=10)
        self._reader.join(5)
        return int(self.proc.returncode)
