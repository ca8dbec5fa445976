"""Texts real clients printed in real faults (benchmarks/corpus_faults.py, tuned rows), read as classes.

Each case names a scenario and a client; its text is the corpus row the fault generator wrote (never a held-out
row). The classes: aiohttp's exception classes and frames, a reset inside the SDK's stream frames, a TLS
handshake cut inside a proxy's tunnel, a Ctrl-C in httpcore's connect_tcp with nothing under it (the lookup or
the connect: this text alone does not tell) and in anyio's connect_tcp past its lookup.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from llmdoctor.explain import explain

CORPUS = Path(__file__).parent / "corpus"
ROWS = {" ".join(row["source"].split()[2:4]): row
        for path in sorted(CORPUS.glob("fault_*.jsonl"))
        for row in map(json.loads, path.read_text(encoding="utf-8").splitlines())
        if row["source"].startswith("generated: ")}

CASES = [
    ("tls_handshake_reset aiohttp", "tls.handshake_reset"),
    ("tls_handshake_eof aiohttp", "tls.handshake_reset"),
    ("html_console_answer aiohttp", "endpoint.not_an_api"),
    ("http_proxy_url_at_socks_port aiohttp", "proxy.protocol_mismatch"),
    ("hang_read_timeout aiohttp", "net.read_timeout"),
    ("connect_timeout aiohttp", "net.connect_timeout"),
    ("hang_proxy_sigint aiohttp", "proxy.not_responding"),
    ("hang_read_sigint aiohttp", "net.read_timeout"),
    ("hang_dns_sigint aiohttp", "dns.failure"),
    ("sse_cut_midstream openai-python-async", "net.stream_stalled"),
    ("proxy_closes_after_connect httpx", "proxy.upstream_failed"),
    ("proxy_closes_after_connect requests", "proxy.upstream_failed"),
    ("proxy_closes_after_connect aiohttp", "proxy.upstream_failed"),
    ("hang_connect_sigint openai-python-async", "net.connect_timeout"),
]
AMBIGUOUS = ["hang_dns_sigint openai-python", "hang_dns_sigint anthropic-python", "http_to_tls_port aiohttp"]


@pytest.mark.parametrize(("key", "cause"), CASES)
def test_a_fault_text_names_its_cause(key: str, cause: str) -> None:
    row = ROWS[key]
    assert row["cause"] == cause
    result = explain(row["text"])
    assert not result.ambiguous and result.causes[0].id == cause, [c.id for c in result.causes[:3]]


@pytest.mark.parametrize("key", AMBIGUOUS)
def test_a_fault_text_that_does_not_tell_says_so(key: str, run_cli: object) -> None:
    row = ROWS[key]
    assert row["cause"] == "ambiguous"
    proc = run_cli("explain", "-", input=row["text"])  # type: ignore[operator]
    assert proc.returncode == 1 and "does not tell" in proc.stdout, proc.stdout[:600]
