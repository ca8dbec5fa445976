"""Bad input never crashes: property tests for every parser of what a server or a proxy sends, and the
CLI's answer to bad options, values, environment and files (exit 2 and one line, or a clean report).

Parsers already fuzzed elsewhere: dotenv, URLs, option parsers, proxy choice, offline checks
(test_fuzz_core.py), explain (test_explain.py), proxy-environment readers (test_proxyenv_*.py).
Here: apierrors.classify_response, the api/ readers (model lists, SSE, streams, rate-limit headers,
request ids), the bounded Content-Encoding decoder, certinfo, the HTTP CONNECT and SOCKS5 handshakes
fed random bytes by a loopback server, and the knowledge base.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import math
import os
import socket
import subprocess
import sys
import threading
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import loopback_guard
import pytest
from helpers import make_target
from httpx import DecodingError as HttpxDecodingError
from httpx._decoders import DeflateDecoder, GZipDecoder, MultiDecoder
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from peers import Certs

from llmdoctor import knowledge
from llmdoctor.api.findings import from_classified
from llmdoctor.api.models import closest, find, model_ids
from llmdoctor.api.observe import rate_headers, request_ids
from llmdoctor.api.ratelimits import headroom, retry_after
from llmdoctor.api.sse import SseReader, error_payload, is_content
from llmdoctor.api.stream import analyse
from llmdoctor.apierrors import Classified, classify_response, redact_text
from llmdoctor.net import httpconnect, socks
from llmdoctor.net.certinfo import parse_der
from llmdoctor.net.decoding import DecodingError, codings, decoded_chunks
from llmdoctor.net.tunnel import ProxyEndpoint, ProxyProblem

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NET_FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                          HealthCheck.function_scoped_fixture])

# JSON-like values, the way servers send them: nested objects and arrays of anything.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(
        st.sampled_from(["error", "message", "code", "type", "status", "data", "models", "choices", "delta",
                         "content", "candidates", "parts", "text", "finish_reason", "finishReason", "details",
                         "violations", "quotaId", "reason", "id", "name", "model", "request_id", "msg", "detail",
                         "errors", "success", "object", "statusCode", "error_msg"]) | st.text(max_size=10),
        inner, max_size=6),
    max_leaves=25)
bodies = st.one_of(
    st.binary(max_size=600),
    st.text(max_size=600),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.sampled_from([b"[" * 100_000, b'{"a":' * 50_000, b"<html><title>" + b"x" * 5000, b"\xff\xfe\x00",
                     b'{"error": {"message": "Incorrect API key provided: sk-proj-abcdefghijklmnopqrstuvwx"}}']),
)
header_maps = st.dictionaries(
    st.sampled_from(["content-type", "retry-after", "retry-after-ms", "x-request-id", "cf-ray", "location",
                     "x-ratelimit-remaining-requests", "x-ratelimit-limit-tokens", "x-ratelimit-reset-requests",
                     "anthropic-ratelimit-tokens-reset", "anthropic-ratelimit-requests-limit", "x-ratelimit-limit",
                     "x-ratelimit-remaining", "x-ratelimit-reset", "www-authenticate", "Content-Type"])
    | st.text(min_size=1, max_size=20),
    st.text(max_size=60) | st.sampled_from(["inf", "-inf", "nan", "1e400", "-1", "9" * 400, "6m0s", "1.5ms",
                                           "2025-13-45T99:99:99Z", "Wed, 21 Oct 2015 07:28:00 GMT",
                                           "Mon, 01 Jan 99999 00:00:00 GMT", "application/json", "text/html"]),
    max_size=8)
AT = "2026-11-25T12:00:00.000Z"
TARGET = make_target("openai", "https://127.0.0.1:9/v1", "sk-test-" + "a1b2" * 10)


def _json_safe(value: Any) -> None:
    json.dumps(value, allow_nan=False)  # a report must be valid JSON: no NaN or Infinity


# --- API answers -----------------------------------------------------------------------------------


@FUZZ
@given(status=st.none() | st.integers(-10, 1000) | st.sampled_from([401, 403, 404, 429, 500, 529]), body=bodies,
       headers=header_maps, provider=st.sampled_from([None, "openai", "anthropic", "relay", "moonshot", "gemini"]),
       endpoint=st.sampled_from(["models", "chat"]))
def test_classify_response_reads_anything(status: int | None, body: bytes | str, headers: dict[str, str],
                                          provider: str | None, endpoint: str) -> None:
    found = classify_response(status, body, headers, provider, endpoint)
    kb = knowledge.load()
    for item in found:
        assert isinstance(item, Classified)
        assert "classifier_error" not in item.facts, item  # the catch-all hides a real bug
        assert item.cause_id in kb, item.cause_id
        assert 0 <= item.confidence <= 1 and isinstance(item.message, str)
    for finding in from_classified(found, TARGET, "GET /v1/models"):
        _json_safe(finding.to_dict())  # what reaches the report
    assert [c.confidence for c in found] == sorted((c.confidence for c in found), reverse=True)


@FUZZ
@given(st.text(max_size=300))
def test_redact_text_keeps_no_long_key(text: str) -> None:
    out = redact_text(text + " sk-proj-abcdefghijklmnopqrstuvwxyz012345")
    assert "abcdefghijklmnopqrstuvwxyz0123" not in out


@FUZZ
@given(bodies)
@example(b"[" * 100_000)
@example(b'{"data": 5}')
def test_model_lists(body: bytes | str) -> None:
    raw = body.encode() if isinstance(body, str) else body
    ids = model_ids(raw)
    assert ids is None or all(isinstance(i, str) and i for i in ids)
    if ids:
        kind, match = find(ids[0], ids)
        assert kind == "exact" and match == ids[0]
        assert isinstance(closest(ids[0], ids), list)


sse_lines = st.lists(st.one_of(
    json_values.map(lambda v: f"data: {json.dumps(v)}"),
    st.sampled_from(["", ":", ": keep-alive", "event: error", "event: message_stop", "data: [DONE]", "data:",
                     "retry: 10", "id: 1", "data: {\"choices\": 5}", "data: {\"candidates\": [{\"content\": []}]}",
                     "data: " + "[" * 50_000, "data: {\"choices\": [{\"delta\": \"x\", \"finish_reason\": 1}]}"]),
    st.text(max_size=40)), max_size=30)


@FUZZ
@given(lines=sse_lines, cuts=st.lists(st.integers(0, 4000), max_size=8), eol=st.sampled_from(["\n", "\r\n", "\r"]),
       api=st.sampled_from(["openai", "anthropic", "gemini"]), junk=st.binary(max_size=20))
def test_sse_streams(lines: list[str], cuts: list[int], eol: str, api: str, junk: bytes) -> None:
    data = eol.join(lines).encode() + junk
    whole = SseReader()
    whole.feed(data, 1.0)
    whole.close(1.0)
    pieces = [data[a:b] for a, b in zip([0, *sorted(cuts)], [*sorted(cuts), len(data)], strict=True)]
    split = SseReader()
    for piece in pieces:
        split.feed(piece, 1.0)
    split.close(1.0)
    assert [(e.event, e.data) for e in split.events] == [(e.event, e.data) for e in whole.events]
    for event in whole.events:
        is_content(event, api)
        error_payload(event)
    report = analyse([(float(i), p) for i, p in enumerate(pieces)], api, {"content-type": "text/event-stream"})
    _json_safe(report.facts())


@FUZZ
@given(headers=header_maps, at=st.sampled_from([AT, "not a time", ""]))
def test_rate_limit_headers(headers: dict[str, str], at: str) -> None:
    for room in headroom(headers, at):
        _json_safe(room.to_dict())
        assert isinstance(room.text(), str) and isinstance(room.low, bool)
        assert room.reset_s is None or (math.isfinite(room.reset_s) and room.reset_s >= 0)
    wait = retry_after(headers, at)
    assert wait is None or (math.isfinite(wait) and wait >= 0)
    lowered = {k.lower(): v for k, v in headers.items()}
    _json_safe([request_ids(lowered, at), rate_headers(lowered)])


# --- Content-Encoding: the bounded decoder is httpx's, with a ceiling ------------------------------


def _httpx_decode(chunks: list[bytes], names: list[str]) -> bytes:
    classes = {"gzip": GZipDecoder, "deflate": DeflateDecoder}
    decoders = [classes[n]() for n in names if n in classes]
    decoder: Any = decoders[0] if len(decoders) == 1 else MultiDecoder(decoders)
    return b"".join(decoder.decode(c) for c in chunks) + decoder.flush()


def _encode(data: bytes, names: list[str]) -> bytes:
    for name in names:  # applied in header order
        if name == "gzip":
            data = gzip.compress(data)
        elif name == "deflate":
            data = zlib.compress(data)
        elif name == "raw-deflate":
            comp = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
            data = comp.compress(data) + comp.flush()
    return data


@FUZZ
@given(data=st.binary(max_size=5000) | st.just(bytes(300_000)),
       names=st.lists(st.sampled_from(["gzip", "deflate", "raw-deflate", "identity"]), min_size=1, max_size=3),
       cuts=st.lists(st.integers(0, 6000), max_size=6), budget=st.integers(1, 400_000))
def test_bounded_decoding_matches_httpx(data: bytes, names: list[str], cuts: list[int], budget: int) -> None:
    header = [n.replace("raw-deflate", "deflate") for n in names]
    wire = _encode(data, names)
    chunks = [wire[a:b] for a, b in zip([0, *sorted(cuts)], [*sorted(cuts), len(wire)], strict=True)]
    layers = codings([", ".join(header)])
    assert layers is not None
    try:
        expected = _httpx_decode(chunks, header)
    except HttpxDecodingError:
        # httpx gives up on a raw deflate body after an empty first chunk; we may still read it
        with contextlib.suppress(DecodingError):
            assert b"".join(decoded_chunks(chunks, layers, budget)) == data[:budget]
        return
    assert expected == data
    assert b"".join(decoded_chunks(chunks, layers, budget)) == data[:budget]


@FUZZ
@given(st.binary(max_size=300), st.sampled_from([["gzip"], ["deflate"], ["gzip", "deflate"]]))
def test_bounded_decoding_of_garbage(wire: bytes, layers: list[str]) -> None:
    with contextlib.suppress(DecodingError):
        assert len(b"".join(decoded_chunks([wire], layers, 1000))) <= 1000


def test_unknown_codings_are_left_to_httpx() -> None:
    assert codings(["br"]) is None and codings(["gzip, zstd"]) is None
    assert codings(["Identity"]) == [] and codings([]) == []


# --- certificates ------------------------------------------------------------------------------------


def _real_der(certs: Certs) -> bytes:
    import ssl

    return ssl.PEM_cert_to_DER_cert(certs.leaf("valid")[0].read_text())


@FUZZ
@given(data=st.binary(max_size=2000), flips=st.lists(st.tuples(st.integers(0, 4000), st.integers(0, 255)),
                                                     max_size=6), use_real=st.booleans())
def test_certificate_parser(certs: Certs, data: bytes, flips: list[tuple[int, int]], use_real: bool) -> None:
    der = bytearray(_real_der(certs) if use_real else data)
    for index, value in flips:
        if der:
            der[index % len(der)] = value
    info = parse_der(bytes(der))
    if info is not None:
        _json_safe(info.to_dict())
        info.validity()


def test_a_certificate_with_a_broken_subject_is_not_a_crash(certs: Certs) -> None:
    der = bytearray(_real_der(certs))
    der[158] = 0  # found by the fuzz test above: the subject's tag
    info = parse_der(bytes(der))
    assert info is None or isinstance(info.subject, str)


# --- proxies: a loopback server answers with random bytes ------------------------------------------


class ByteServer:
    """Answers every connection with `self.reply` after reading the client's first bytes, then closes."""

    def __init__(self) -> None:
        self.reply = b""
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.stopping = False
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stopping:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn, self.reply), daemon=True).start()

    def _answer(self, conn: socket.socket, reply: bytes) -> None:
        with conn:
            conn.settimeout(1.0)
            with contextlib.suppress(OSError):
                conn.recv(4096)
                conn.sendall(reply)
                conn.shutdown(socket.SHUT_WR)
                while conn.recv(4096):
                    pass

    def stop(self) -> None:
        self.stopping = True
        self.sock.close()


@pytest.fixture(scope="module")
def byte_server() -> Iterator[ByteServer]:
    server = ByteServer()
    yield server
    server.stop()


def _handshake(fn: Callable[..., dict[str, Any]], server: ByteServer, proxy_url: str) -> None:
    proxy = ProxyEndpoint.parse(proxy_url)
    with socket.create_connection(("127.0.0.1", server.port), timeout=2) as sock:
        try:
            facts = fn(sock, proxy, "api.openai.com", 443, 0.5, {})
        except ProxyProblem as problem:
            assert problem.cause in knowledge.load(), problem.cause
            assert problem.message and "secret" not in problem.message
            _json_safe(problem.facts)
        else:
            _json_safe(facts)


http_replies = st.one_of(
    st.binary(max_size=300),
    st.builds(lambda status, reason, headers, tail: (f"HTTP/1.1 {status} ".encode() + reason + b"\r\n" + headers
                                                     + b"\r\n" + tail),
              st.integers(0, 999), st.binary(max_size=30),
              st.lists(st.binary(min_size=1, max_size=40).map(lambda h: b"x-h: " + h.replace(b"\r\n", b"")),
                       max_size=4).map(lambda hs: b"".join(h + b"\r\n" for h in hs)),
              st.binary(max_size=30)),
    st.sampled_from([b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: NTLM\r\n\r\n",
                     b"HTTP/1.0 200 Connection established\r\n\r\n", b"\x05\x00", b"\x16\x03\x01\x00\x05hello"]))


@NET_FUZZ
@given(reply=http_replies, creds=st.booleans())
def test_http_connect_reads_any_answer(byte_server: ByteServer, reply: bytes, creds: bool) -> None:
    byte_server.reply = reply
    url = f"http://{'u:secret@' if creds else ''}127.0.0.1:{byte_server.port}"
    _handshake(httpconnect.connect, byte_server, url)


socks_replies = st.one_of(
    st.binary(max_size=40),
    st.tuples(st.sampled_from([b"\x05\x00", b"\x05\x02", b"\x05\xff", b"\x04\x00"]), st.binary(max_size=30))
    .map(lambda t: t[0] + t[1]),
    st.builds(lambda code, atype, rest: b"\x05\x00" + bytes([5, code, 0, atype]) + rest,
              st.integers(0, 255), st.sampled_from([1, 3, 4, 9]), st.binary(max_size=30)),
    st.builds(lambda ok, rest: b"\x05\x02" + (b"\x01\x00" if ok else b"\x01\x01") + rest, st.booleans(),
              st.binary(max_size=30)))


@NET_FUZZ
@given(reply=socks_replies, creds=st.booleans())
def test_socks5_reads_any_answer(byte_server: ByteServer, reply: bytes, creds: bool) -> None:
    byte_server.reply = reply
    url = f"socks5h://{'u:secret@' if creds else ''}127.0.0.1:{byte_server.port}"
    _handshake(socks.handshake, byte_server, url)


# --- the knowledge base -------------------------------------------------------------------------------


@FUZZ
@given(json_values)
def test_a_corrupted_knowledge_document_is_refused_with_a_plain_error(data: Any) -> None:
    doc = data if isinstance(data, dict) else {"causes": data}
    try:
        kb = knowledge.parse(doc)
    except (ValueError, KeyError, TypeError) as exc:
        assert str(exc)
    else:
        assert len(kb) >= 0


def test_a_truncated_causes_file_is_refused() -> None:
    path = Path(knowledge.__file__).parent / "data" / "causes" / "auth.invalid_key.json"
    text = path.read_text(encoding="utf-8")
    with pytest.raises(ValueError):
        json.loads(text[: len(text) // 2])
    broken = {"causes": knowledge.read_entries()}
    broken["causes"][0]["retry"] = "sometimes"
    with pytest.raises(ValueError, match="retry must be one of"):
        knowledge.parse(broken)


# --- the CLI: bad options, values, environment and files ------------------------------------------

USAGE, REPORT = 2, "report"
CLOSED = b"https://127.0.0.1:9/v1"  # port 9 (discard) is closed on loopback: refused at once
BASE = [b"--provider", b"openai", b"--base-url", CLOSED, b"--timeout", b"1", b"--json"]
OFFLINE = [b"--only", b"proxy-env,endpoint,key"]


def run_bytes(cli_env: Callable[..., dict[str, str]], args: list[bytes], env: dict[bytes, bytes] | None = None,
              stdin: bytes | None = b"", cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """The CLI with raw bytes in argv, environment and stdin (run_cli only takes text)."""
    full = {os.fsencode(k): os.fsencode(v) for k, v in cli_env().items()}
    full.update(env or {})
    proc = subprocess.run([os.fsencode(sys.executable), b"-m", b"llmdoctor", *args], env=full, input=stdin,
                          stdin=subprocess.DEVNULL if stdin is None else None, capture_output=True, timeout=60,
                          cwd=cwd or os.getcwd(), check=False)
    log = Path(cli_env()[loopback_guard.LOG_ENV])
    if log.exists() and log.read_text(encoding="utf-8").strip():
        pytest.fail(f"the CLI's traffic left loopback:\n{log.read_text(encoding='utf-8')}")
    return proc


def assert_outcome(proc: subprocess.CompletedProcess[bytes], expect: int | str, words: str = "") -> None:
    err = proc.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in proc.stderr and "internal error" not in err, err
    if expect == USAGE:
        assert proc.returncode == 2, (proc.returncode, err)
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("llmdoctor: error:"), err
        assert words in lines[0], lines[0]
        assert proc.stdout == b""
    else:
        assert proc.returncode in (0, 1), (proc.returncode, err)
        report = json.loads(proc.stdout)
        assert report["exit_code"] == proc.returncode
        if words:
            assert words in proc.stdout.decode("utf-8", "replace"), words


# (extra argv after BASE, expected outcome, words in the one error line or the report)
OPTION_CASES: list[tuple[list[bytes], int | str, str]] = [
    ([b"--timeout", b""], USAGE, "--timeout"),
    ([b"--timeout", b"abc"], USAGE, "not a valid float"),
    ([b"--timeout", b"0"], USAGE, "positive number of seconds"),
    ([b"--timeout", b"-3"], USAGE, "positive number of seconds"),
    ([b"--timeout", b"nan"], USAGE, "positive number of seconds"),
    ([b"--timeout", b"inf"], USAGE, "at most 86400"),
    ([b"--timeout", b"1e400"], USAGE, "at most 86400"),
    ([b"--timeout", b"99999999999"], USAGE, "at most 86400"),
    ([b"--timeout", b"\xff"], USAGE, "--timeout"),
    ([b"--deadline", b"inf"], USAGE, "--deadline"),
    ([b"--deadline", b"-1"], USAGE, "--deadline"),
    ([b"--deadline", b"0.001"], REPORT, ""),
    ([b"--client-timeout", b"nan"], USAGE, "--client-timeout"),
    ([b"--client-timeout", b"1e308"], USAGE, "--client-timeout"),
    ([b"--provider", b""], USAGE, "--provider: the value is empty"),
    ([b"--provider", b"nope"], USAGE, "unknown provider 'nope'"),
    ([b"--provider", b"\xff"], USAGE, "unknown provider"),
    ([b"--base-url", b""], USAGE, "--base-url: the value is empty"),
    ([b"--base-url", b"http://[::1"], USAGE, "is not a URL"),
    ([b"--base-url", b"https://127.0.0.1:99999/v1"], USAGE, "is not a URL"),
    ([b"--base-url", b"https://127.0.0.1:x/v1"], USAGE, "is not a URL"),
    ([b"--base-url", b"not a url"], REPORT, "config.base_url_invalid"),
    ([b"--base-url", b"ftp://127.0.0.1/v1"], REPORT, "config.base_url_invalid"),
    ([b"--base-url", b"https://"], REPORT, "config.base_url_invalid"),
    ([b"--base-url", b"\xff"], REPORT, "config.base_url_invalid"),
    ([b"--base-url", CLOSED + b"/" + b"a" * 100_000], REPORT, ""),
    ([b"--api-key", b""], USAGE, "--api-key: the value is empty"),
    ([b"--api-key", b"   "], USAGE, "--api-key: the value is empty"),
    ([b"--api-key", b"\xff\xfe-not-utf8-key"], USAGE, "--api-key: the key contains bytes that are not UTF-8"),
    ([b"--model", b""], USAGE, "--model: the value is empty"),
    ([b"--model", b"\xff"], REPORT, ""),
    ([b"--model", b"m" * 100_000], REPORT, ""),
    ([b"--proxy", b""], USAGE, "--proxy: the value is empty"),
    ([b"--proxy", b"http://[::1"], USAGE, "--proxy: the proxy URL cannot be parsed"),
    ([b"--proxy", b"http://u:p@h:notaport"], USAGE, "--proxy: the proxy URL cannot be parsed"),
    ([b"--proxy", b"127.0.0.1:7890"], USAGE, "has no scheme"),
    ([b"--proxy", b"\xff"], USAGE, "--proxy"),
    ([b"--proxy", b"http://127.0.0.1:9", b"--no-proxy"], USAGE, "exclude each other"),
    ([b"--dns-server", b""], USAGE, "--dns-server ''"),
    ([b"--dns-server", b"1.2.3.4:99999"], USAGE, "port out of range"),
    ([b"--dns-server", b"\xff"], USAGE, "expected an IP address"),
    ([b"--resolve", b""], USAGE, "expected HOST:PORT:ADDRESS"),
    ([b"--resolve", b"h:99999:127.0.0.1"], USAGE, "port out of range"),
    ([b"--resolve", b"h:443:notanip"], USAGE, "is not an IP address"),
    ([b"--resolve", b"\xff:1:127.0.0.1"], REPORT, ""),
    ([b"--only", b""], USAGE, "--only: no check ids given"),
    ([b"--only", b",,,"], USAGE, "--only: no check ids given"),
    ([b"--only", b"nope"], USAGE, "unknown check 'nope'"),
    ([b"--skip", b"\xff"], USAGE, "unknown check"),
    ([b"--lang", b"fr"], USAGE, "'fr' is not one of"),
    ([b"--lang", b""], USAGE, "--lang"),
    ([b"--output", b""], USAGE, "--output: the value is empty"),
    ([b"--output", b"missing-dir/r.json"], USAGE, "cannot write missing-dir/r.json"),
    ([b"--output", b"."], USAGE, "is a directory"),
    ([b"--output", b"report.txt"], USAGE, ".html, .json, .md or .prom"),
    ([b"--output", b"\xff.json"], REPORT, ""),
    ([b"--output", b"missing-dir/r.prom"], USAGE, "cannot write missing-dir/r.prom"),
    ([b"--junit", b""], USAGE, "--junit: the value is empty"),
    ([b"--junit", b"missing-dir/r.xml"], USAGE, "cannot write missing-dir/r.xml"),
    ([b"--junit", b"."], USAGE, "is a directory"),
    ([b"--no-such-option"], USAGE, "No such option"),
    ([b"--timeout"], USAGE, "requires an argument"),
    ([b"chekcs"], USAGE, "No such command 'chekcs'"),
]


@pytest.mark.parametrize(("extra", "expect", "words"), OPTION_CASES,
                         ids=[f"{i}-{c[0][0].decode('ascii', 'replace')}" for i, c in enumerate(OPTION_CASES)])
def test_cli_options(cli_env: Callable[..., dict[str, str]], extra: list[bytes], expect: int | str,
                     words: str) -> None:
    assert_outcome(run_bytes(cli_env, [*BASE, *extra]), expect, words)


# (environment, argv after the common part, expected outcome, words)
ENV_CASES: list[tuple[dict[bytes, bytes], list[bytes], int | str, str]] = [
    ({b"OPENAI_BASE_URL": b"\xff"}, OFFLINE, REPORT, "config.base_url_invalid"),
    ({b"OPENAI_BASE_URL": b""}, OFFLINE, REPORT, ""),
    ({b"OPENAI_API_KEY": b"\xff\xfe"}, [], REPORT, ""),
    ({b"HTTPS_PROXY": b"http://[::1"}, [], REPORT, "proxy"),
    ({b"HTTPS_PROXY": b"\xff"}, [], REPORT, "proxy"),
    ({b"ALL_PROXY": b"socks5://[::1"}, [], REPORT, ""),
    ({b"NO_PROXY": b"\xff,,*,[,::1/999,.,:"}, [], REPORT, ""),
    ({b"HTTPS_PROXY": b"http://127.0.0.1:9", b"NO_PROXY": b"\x01garbage\xff"}, [], REPORT, ""),
    ({b"LANG": b"\xff", b"LC_ALL": b"\xff"}, [], REPORT, ""),
    ({b"LC_ALL": b"zh_CN.UTF-8"}, [], REPORT, ""),
    ({b"SSL_CERT_FILE": b"/nonexistent/ca.pem"}, [], REPORT, ""),
    ({b"SSL_CERT_FILE": b"\xff"}, [], REPORT, ""),
    ({b"SSL_CERT_DIR": b"/dev/null"}, [], REPORT, ""),
    ({b"COLUMNS": b"abc", b"NO_COLOR": b"\xff"}, [], REPORT, ""),
]


@pytest.mark.parametrize(("env", "extra", "expect", "words"), ENV_CASES,
                         ids=[f"{i}-{next(iter(c[0])).decode()}" for i, c in enumerate(ENV_CASES)])
def test_cli_environment(cli_env: Callable[..., dict[str, str]], env: dict[bytes, bytes], extra: list[bytes],
                         expect: int | str, words: str) -> None:
    common = [b"--provider", b"openai", b"--timeout", b"1", b"--json"]
    if b"OPENAI_BASE_URL" not in env:
        common += [b"--base-url", CLOSED]
    assert_outcome(run_bytes(cli_env, [*common, *extra], env), expect, words)


def test_an_unparsable_base_url_variable_is_a_finding(cli_env: Callable[..., dict[str, str]]) -> None:
    proc = run_bytes(cli_env, [b"--provider", b"openai", *OFFLINE, b"--json"], {b"OPENAI_BASE_URL": b"http://[::1"})
    assert_outcome(proc, REPORT, "config.base_url_invalid")


def _dotenv_dir(tmp_path: Path, kind: str) -> Path:
    cwd = tmp_path / f"dotenv-{kind}"
    cwd.mkdir()
    path = cwd / ".env"
    if kind == "directory":
        path.mkdir()
    elif kind == "unreadable":
        path.write_text("OPENAI_API_KEY=sk-test-unreadable\n")
        path.chmod(0)
    elif kind == "binary":
        path.write_bytes(b"OPENAI_API_KEY=\xff\xfe\x00key\nOPENAI_BASE_URL=\x00\n\x00\x00=\xff\n")
    elif kind == "huge":
        path.write_bytes(b"X=" + b"y" * 3_000_000 + b"\n")
    elif kind == "fifo":
        os.mkfifo(path)  # reading it would block forever
    elif kind == "eio":
        # A regular file whose read fails even for root: offset 0 of a process's memory is unmapped (EIO).
        path.symlink_to("/proc/self/mem")
    return cwd


# (kind of .env, is it reported as config.dotenv_unreadable?) A directory (`python -m venv .env`) or a fifo
# is not a .env file at all: python-dotenv's find_dotenv skips it, and so do we.
DOTENV_KINDS = [("directory", False), ("unreadable", True), ("eio", True), ("binary", False), ("huge", False),
                ("fifo", False)]


@pytest.mark.parametrize(("kind", "reported"), DOTENV_KINDS)
def test_cli_with_a_bad_dotenv(cli_env: Callable[..., dict[str, str]], tmp_path: Path, kind: str,
                               reported: bool) -> None:
    if kind == "unreadable" and os.geteuid() == 0:
        pytest.skip("root reads a file whatever its mode (the eio case covers an unreadable .env as root)")
    if kind == "eio" and not Path("/proc/self/mem").exists():
        pytest.skip("needs Linux's /proc/self/mem")
    cwd = _dotenv_dir(tmp_path, kind)
    proc = run_bytes(cli_env, BASE, cwd=cwd)
    assert_outcome(proc, REPORT)
    report = json.loads(proc.stdout)
    causes = [c["id"] for c in report["causes"]]
    assert ("config.dotenv_unreadable" in causes) is reported, causes
    if reported:
        first = report["targets"][0]["results"][0]
        assert first["check"] == "dotenv" and first["status"] == "warn" and ".env" in first["summary"]


@pytest.mark.parametrize(("stdin", "expect", "words"), [
    (b"", USAGE, "nothing was read from standard input"),
    (None, USAGE, "nothing was read from standard input"),
    (b"\n", USAGE, "nothing was read from standard input"),
    (b"\r\n", USAGE, "nothing was read from standard input"),
    (b"\xff\xfe\n", USAGE, "not UTF-8"),
    (b"sk-test-" + b"k" * 40 + b"\nsecond line\n", REPORT, ""),
])
def test_api_key_from_stdin(cli_env: Callable[..., dict[str, str]], stdin: bytes | None, expect: int | str,
                            words: str) -> None:
    assert_outcome(run_bytes(cli_env, [*BASE, b"--api-key", b"-"], stdin=stdin), expect, words)
