"""The timing check: a waterfall from the measured phases, and which timeout a user would hit."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import pytest
from helpers import codes, make_context, make_target, run_chain, run_check
from peers import Certs, SynDropServer
from peers.fakeapi import FakeApi, key_for

from checks.auth import AuthCheck
from checks.completion import CompletionCheck
from checks.timing import TimingCheck
from llmdoctor.model import CheckResult, Status


@pytest.fixture
def api(certs: Certs) -> Iterator[FakeApi]:
    with FakeApi(certs, slow=1.2) as server:
        yield server


def timed(certs: Certs, base: str, scenario: str = "good", completion: bool = False,
          **settings: Any) -> dict[str, CheckResult]:
    chain = [AuthCheck, CompletionCheck, TimingCheck] if completion else [AuthCheck, TimingCheck]
    target = make_target("openai", base, key_for(scenario), model="gpt-4o-mini")
    return run_chain(chain, target, env={"SSL_CERT_FILE": str(certs.ca_pem)}, probe_completion=completion,
                     **settings)


def phases(result: CheckResult) -> list[str]:
    return [row["phase"] for row in result.facts["waterfall"]]


def contiguous(result: CheckResult) -> bool:
    rows = result.facts["waterfall"]
    return all(abs(b["start_ms"] - (a["start_ms"] + a["ms"])) < 0.2 for a, b in pairwise(rows))


def test_waterfall_of_the_auth_request(certs: Certs, api: FakeApi) -> None:
    result = timed(certs, api.url)["timing"]
    assert result.status is Status.PASS, result
    assert phases(result) == ["connect", "tls", "first_byte", "transfer"] and contiguous(result)
    assert result.facts["probe"] == "auth"
    assert "first byte" in result.summary and "read 600 s, 2 retries" in result.summary
    assert result.facts["sdk_defaults"]["worst_case_silent_server_s"] == 1801.5


def test_waterfall_of_the_completion_probe_has_first_token(certs: Certs, api: FakeApi) -> None:
    result = timed(certs, api.url, completion=True)["timing"]
    assert phases(result) == ["connect", "tls", "first_byte", "first_token", "transfer"] and contiguous(result)
    assert result.facts["probe"] == "completion"


def test_dns_time_from_the_dns_check_comes_first(certs: Certs, api: FakeApi) -> None:
    auth = timed(certs, api.url)["auth"]
    dns = CheckResult(Status.PASS, "ok", (), {"dns_ms": 7.5})
    target = make_target("openai", api.url, key_for("good"))
    result = run_check(TimingCheck, make_context(target=target, results={"dns": dns, "auth": auth}))
    assert result.facts["waterfall"][0] == {"phase": "dns", "start_ms": 0.0, "ms": 7.5}
    assert result.facts["waterfall"][1]["start_ms"] == 7.5


def test_client_timeout_shorter_than_the_first_byte(certs: Certs, api: FakeApi) -> None:
    result = timed(certs, api.url, "slow", client_timeout=0.5)["timing"]
    assert codes(result) == ["net.client_timeout_too_short"] and result.status is Status.FAIL
    assert "your client's timeout (0.5 s) is shorter than the measured time to first byte" in result.summary
    assert "Raise the timeout in your code" in result.findings[0].hint


def test_no_first_byte_within_the_timeout(certs: Certs, api: FakeApi) -> None:
    results = timed(certs, api.url, "slow", timeout=0.5, client_timeout=0.3)
    assert codes(results["auth"]) == ["net.read_timeout"]
    timing = results["timing"]
    assert codes(timing) == ["net.slow_first_byte", "net.client_timeout_too_short"]
    assert timing.facts["timeout_kind"] == "first_byte" and "within 0.5 s" in timing.summary


def test_connect_timeout_is_named_not_repeated(certs: Certs) -> None:
    with SynDropServer() as peer:
        results = timed(certs, f"https://127.0.0.1:{peer.port}/v1", timeout=0.5)
    assert codes(results["auth"]) == ["net.connect_timeout"]
    timing = results["timing"]
    assert timing.status is Status.SKIP and timing.facts["timeout_kind"] == "connect"
    assert "hit a connect timeout" in timing.summary


def test_stalled_stream_is_the_timeout_kind(certs: Certs) -> None:
    with FakeApi(certs, stall=2.0) as api:
        results = timed(certs, api.url, "stall", completion=True, timeout=1.0)
    assert codes(results["completion"]) == ["net.stream_stalled"]
    assert results["timing"].facts["timeout_kind"] == "stream_stall"
