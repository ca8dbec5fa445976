"""The warm-up thread only fills the trust-store cache: the checks get the very context it built."""

from __future__ import annotations

from pathlib import Path

import pytest
from peers import Certs

from llmdoctor import warmup
from llmdoctor.net.truststore import httpx_trust_store, shared_ssl_context


def test_the_checks_get_the_context_the_warm_up_built(certs: Certs, monkeypatch: pytest.MonkeyPatch) -> None:
    env = {"SSL_CERT_FILE": str(certs.ca_pem)}
    monkeypatch.setattr(warmup, "_THREAD", None)
    warmup.start(env)
    warmup.wait(10)
    assert warmup._THREAD is not None and not warmup._THREAD.is_alive()
    built = shared_ssl_context(httpx_trust_store(env))
    assert shared_ssl_context(httpx_trust_store(env)) is built
    assert any("Testing CA" in str(c.get("subject")) for c in built.get_ca_certs())


def test_a_broken_trust_store_does_not_stop_the_warm_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    garbage = tmp_path / "bundle.pem"
    garbage.write_text("not a certificate\n", encoding="utf-8")
    monkeypatch.setattr(warmup, "_THREAD", None)
    warmup.start({"SSL_CERT_FILE": str(garbage)})
    warmup.wait(10)
    assert warmup._THREAD is not None and not warmup._THREAD.is_alive()
    assert shared_ssl_context(httpx_trust_store({"SSL_CERT_FILE": str(garbage)})).get_ca_certs() == []
