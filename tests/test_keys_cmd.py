"""`llmdoctor keys` end to end: the real CLI against a loopback relay over TLS holding a key of every class."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import read_pty
from peers import Certs, PproxyServer, closed_port
from peers.keypool import SCENARIOS, KeyPoolApi, pool_key

Run = Callable[..., Any]


@pytest.fixture
def pool(certs: Certs) -> Iterator[tuple[KeyPoolApi, dict[str, str]]]:
    keys = {pool_key(s): s for s in (*SCENARIOS, "quota_on_chat")}
    with KeyPoolApi(certs, keys, work=0.01, hang=2.5) as api:
        yield api, keys


def _write(tmp_path: Path, keys: dict[str, str], extra: str = "") -> Path:
    lines = ["# the team's pool", ""] + [f"{scenario}={key}" for key, scenario in keys.items()]
    path = tmp_path / "pool.txt"
    path.write_text("\r\n".join(lines) + "\r\n" + extra, encoding="utf-8")
    return path


def _no_key_anywhere(keys: dict[str, str], *texts: str) -> None:
    for key in keys:
        for text in texts:
            assert key not in text
            assert key[3:] not in text  # not even without its prefix


def _tls(certs: Certs) -> dict[str, str]:
    return {"SSL_CERT_FILE": str(certs.ca_pem)}


def test_every_class_in_json_with_cause_evidence_and_no_key(run_cli: Run, certs: Certs, tmp_path: Path,
                                                           pool: tuple[KeyPoolApi, dict[str, str]]) -> None:
    api, keys = pool
    valid = next(k for k, s in keys.items() if s == "valid")
    path = _write(tmp_path, keys, extra=f"  {valid}  \r\n")  # a duplicate, with whitespace around it
    before = (path.read_bytes(), path.stat().st_mtime_ns, sorted(os.listdir(tmp_path)))
    proc = run_cli("keys", path, "--base-url", api.url, "--model", "gpt-4o", "--timeout", "1", "--json",
                   env=_tls(certs))
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == ""  # no progress bar in a pipe
    data = json.loads(proc.stdout)
    assert data["schema_version"] == "1.0"
    rows = {row["name"]: row for row in data["keys"]}
    assert {name: row["status"] for name, row in rows.items()} == {
        "valid": "valid", "invalid": "invalid", "wrong_provider": "wrong_provider", "no_quota": "no_quota",
        "rate_limited": "rate_limited", "region_blocked": "region_blocked", "model_restricted": "model_restricted",
        "unreachable": "unreachable", "error": "error", "quota_on_chat": "valid"}
    assert {name: row["cause"] for name, row in rows.items() if name != "valid"} == {
        "invalid": "auth.invalid_key", "wrong_provider": "auth.key_wrong_provider",
        "no_quota": "quota.insufficient", "rate_limited": "ratelimit.exceeded",
        "region_blocked": "auth.region_blocked", "model_restricted": "model.not_found",
        "unreachable": "net.read_timeout", "error": "server.error", "quota_on_chat": None}
    assert rows["rate_limited"]["retry_after_s"] == 1.0
    assert rows["rate_limited"]["attempts"] == 3  # retried first in line after each pause, then believed
    assert "Country, region, or territory not supported" in rows["region_blocked"]["evidence"]
    assert "该令牌额度已用尽" in rows["no_quota"]["evidence"]
    for key, scenario in keys.items():
        row = rows[scenario]
        assert row["fingerprint"] == hashlib.sha256(key.encode()).hexdigest()[:12]
        assert row["redacted"].endswith(key[-4:]) and "…" in row["redacted"]
    causes = {c["id"]: c for c in data["causes"]}
    assert causes["ratelimit.exceeded"]["keys"] == 1 and causes["ratelimit.exceeded"]["retry"] == "after_wait"
    assert causes["config.key_whitespace"]["keys"] == 1 and causes["auth.invalid_key"]["fix"]
    assert set(rows["valid"]) >= {"fingerprint", "redacted", "name", "status", "cause", "evidence", "retry_after_s"}
    # the duplicate: audited once, both lines listed, the whitespace reported
    assert rows["valid"]["lines"] == [3, 13]
    assert data["input"]["duplicate_lines"] == 1
    assert data["duplicates"] == [{"fingerprint": rows["valid"]["fingerprint"], "redacted": rows["valid"]["redacted"],
                                   "lines": [3, 13]}]
    assert sum(1 for r in api.requests if valid in (r.headers.get("authorization") or "")) == 1
    assert data["summary"] == {"valid": 2, "invalid": 1, "wrong_provider": 1, "no_quota": 1, "rate_limited": 1,
                               "region_blocked": 1, "model_restricted": 1, "unreachable": 1, "error": 1}
    order = [row["status"] for row in data["keys"]]
    assert order == sorted(order, key=["valid", "invalid", "wrong_provider", "no_quota", "rate_limited",
                                       "region_blocked", "model_restricted", "unreachable", "error"].index)
    assert data["hosts"][0]["peak_in_flight"] <= 8 and api.max_in_flight <= 8
    _no_key_anywhere(keys, proc.stdout, proc.stderr)
    # the input was only read
    assert (path.read_bytes(), path.stat().st_mtime_ns, sorted(os.listdir(tmp_path))) == before


def test_table_and_csv_views_hold_no_key(run_cli: Run, certs: Certs, tmp_path: Path,
                                         pool: tuple[KeyPoolApi, dict[str, str]]) -> None:
    api, keys = pool
    path = _write(tmp_path, keys)
    table = run_cli("keys", path, "--base-url", api.url, "--timeout", "1", env=_tls(certs))
    assert table.returncode == 1, table.stderr
    lines = table.stdout.splitlines()
    assert any("region_blocked" in ln and "auth.region_blocked" in ln for ln in lines)
    summary = next(ln for ln in lines if ln.startswith("10 keys:"))
    assert summary.startswith("10 keys: 3 valid, 1 invalid")  # model_restricted is valid without --model
    assert any("asked to slow down 3 times" in ln for ln in lines)  # the rate-limited key's 429s paused the host
    # each cause once, with the knowledge base's title and first fix
    assert any(ln.startswith("quota.insufficient (1 key): Your account has no credit or quota left — ")
               for ln in lines)
    zh = run_cli("keys", path, "--base-url", api.url, "--timeout", "1", "--lang", "zh", env=_tls(certs))
    assert "quota.insufficient (1 个密钥): 账户余额或额度已用完" in zh.stdout
    statuses = [s for ln in lines for s in SCENARIOS if f" {s} " in ln]
    assert statuses.index("valid") < statuses.index("invalid") < statuses.index("error")
    out = run_cli("keys", path, "--base-url", api.url, "--timeout", "1", "--csv", env=_tls(certs))
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert {r["name"]: r["status"] for r in rows}["no_quota"] == "no_quota"
    assert list(rows[0]) == ["fingerprint", "redacted", "name", "status", "cause", "evidence", "retry_after_s",
                             "lines", "notes"]
    _no_key_anywhere(keys, table.stdout, table.stderr, out.stdout, out.stderr, zh.stdout, zh.stderr)


def test_probe_completion_says_it_spends_tokens_and_finds_quota_only_a_completion_shows(
        run_cli: Run, certs: Certs, tmp_path: Path, pool: tuple[KeyPoolApi, dict[str, str]]) -> None:
    api, keys = pool
    subset = {k: s for k, s in keys.items() if s in ("valid", "quota_on_chat", "invalid")}
    proc = run_cli("keys", _write(tmp_path, subset), "--base-url", api.url, "--probe-completion", "--json",
                   env=_tls(certs))
    assert "spends tokens" in proc.stderr
    rows = {row["name"]: row for row in json.loads(proc.stdout)["keys"]}
    assert rows["quota_on_chat"]["status"] == "no_quota" and rows["quota_on_chat"]["cause"] == "quota.insufficient"
    assert rows["valid"]["status"] == "valid" and "completion" in rows["valid"]["evidence"]
    chats = [r for r in api.requests if r.path.endswith("/chat/completions")]
    assert len(chats) == 2  # only keys the zero-token probe found valid
    _no_key_anywhere(keys, proc.stdout, proc.stderr)


def test_every_key_valid_exits_0(run_cli: Run, certs: Certs, tmp_path: Path) -> None:
    keys = {pool_key("valid", n): "valid" for n in range(5)}
    with KeyPoolApi(certs, keys) as api:
        path = tmp_path / "keys.txt"
        path.write_text("\n".join(keys) + "\n")
        proc = run_cli("keys", path, "--base-url", api.url, env=_tls(certs))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[-1] == "5 keys: 5 valid"


def test_stdin_and_group_options(run_cli: Run, certs: Certs) -> None:
    keys = {pool_key("valid", n): "valid" for n in range(2)}
    with KeyPoolApi(certs, keys) as api:
        proc = run_cli("--base-url", api.url, "keys", "-", "--json", input="\n".join(keys), env=_tls(certs))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["input"]["source"] == "standard input"


def test_at_most_concurrency_in_flight(run_cli: Run, certs: Certs, tmp_path: Path) -> None:
    keys = {pool_key("valid", n): "valid" for n in range(24)}
    with KeyPoolApi(certs, keys, work=0.05) as api:
        path = tmp_path / "keys.txt"
        path.write_text("\n".join(keys) + "\n")
        proc = run_cli("keys", path, "--base-url", api.url, "--concurrency", "3", "--json", env=_tls(certs))
        assert proc.returncode == 0, proc.stderr
        assert 1 < api.max_in_flight <= 3
        assert api.server.accepted <= 3 + 1  # pooled keep-alive connections (+1: stop()'s wake-up connect)
    assert json.loads(proc.stdout)["hosts"][0]["peak_in_flight"] <= 3


def test_a_server_that_rate_limits_the_auditor_gets_a_pause_not_a_hammering(
        run_cli: Run, certs: Certs, tmp_path: Path) -> None:
    keys = {pool_key("valid", n): "valid" for n in range(30)}
    # 5 requests at once, then 8 a second: far slower than the auditor would go on its own
    with KeyPoolApi(certs, keys, work=0.02, throttle=(5, 8.0), retry_after=1) as api:
        path = tmp_path / "keys.txt"
        path.write_text("\n".join(keys) + "\n")
        proc = run_cli("keys", path, "--base-url", api.url, "--concurrency", "4", "--json", env=_tls(certs))
        assert api.throttled_at, "the server never throttled: the test proves nothing"
        # during each wait the server asked for, only requests already on their way arrive; none sent later
        assert api.hammering() == 0, (api.windows, api.early_arrivals)
        assert api.max_in_flight <= 4
    data = json.loads(proc.stdout)
    assert proc.returncode == 0, proc.stdout
    assert data["summary"]["valid"] == 30  # a throttle aimed at the auditor is not the keys' fault
    assert data["hosts"][0]["backoffs"] >= 1 and data["hosts"][0]["paused_s"] >= 1


def test_unreachable_host_is_the_network_not_the_keys(run_cli: Run, tmp_path: Path) -> None:
    keys = {pool_key("valid", n): "valid" for n in range(20)}
    path = tmp_path / "keys.txt"
    path.write_text("\n".join(keys) + "\n")
    proc = run_cli("keys", path, "--base-url", f"https://127.0.0.1:{closed_port()}/v1", "--json")
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert data["summary"]["unreachable"] == 20
    assert {row["cause"] for row in data["keys"]} == {"net.connect_refused"}
    assert data["hosts"][0]["requests"] < 20  # after the first failures, the rest were not sent
    assert any(row["evidence"].startswith("not sent:") for row in data["keys"])


def test_probes_go_through_the_users_proxy(run_cli: Run, certs: Certs, tmp_path: Path,
                                           pproxy: PproxyServer) -> None:
    keys = {pool_key("valid", n): "valid" for n in range(3)}
    with KeyPoolApi(certs, keys) as api:
        path = tmp_path / "keys.txt"
        path.write_text("\n".join(keys) + "\n")
        env = {**_tls(certs), "HTTPS_PROXY": pproxy.url()}
        proc = run_cli("keys", path, "--base-url", api.url, "--json", env=env)
        bad = run_cli("keys", path, "--base-url", api.url, "--json",
                      env={**env, "HTTPS_PROXY": pproxy.url(password="wrong-pass")})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert json.loads(bad.stdout)["summary"]["unreachable"] == 3
    assert {row["cause"] for row in json.loads(bad.stdout)["keys"]} == {"proxy.auth_failed"}
    for text in (proc.stdout, proc.stderr, bad.stdout, bad.stderr):
        assert "pproxy-pass" not in text and "wrong-pass" not in text
    _no_key_anywhere(keys, proc.stdout, bad.stdout)


@pytest.mark.parametrize(("args", "content", "message"), [
    (("missing.txt",), None, "cannot read missing.txt"),
    ((".",), None, "is a directory"),
    (("bin.dat",), b"\x7fELF\x02\x01\x01\x00" * 8, "looks binary"),
    (("big.txt",), b"sk-" + b"a" * (9 * 1024 * 1024), "larger than 8 MB"),
    (("empty.txt",), b"# nothing\n\n", "no keys found"),
    (("k.txt", "--json", "--csv"), b"sk-abc\n", "--json and --csv exclude each other"),
    (("k.txt", "--provider", "nope"), b"sk-abc\n", "unknown provider 'nope'"),
    (("k.txt", "--provider", "relay"), b"sk-abc\n", "--provider relay needs --base-url"),
    (("k.txt", "--base-url", "http://relay.example.com/v1"), b"sk-abc\n", "will not send the key unencrypted"),
    (("k.txt", "--concurrency", "0"), b"sk-abc\n", "--concurrency"),
    (("k.txt", "--column", "key"), b"sk-abc\n", "--column applies to CSV or JSON"),
])
def test_bad_usage_is_one_line_and_exit_2(run_cli: Run, tmp_path: Path, args: tuple[str, ...],
                                          content: bytes | None, message: str) -> None:
    if content is not None:
        (Path.cwd() / args[0]).write_bytes(content)
    proc = run_cli("keys", *args)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert "sk-abc" not in proc.stderr


def test_an_internal_error_never_shows_a_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The error path: an exception that carries the key (message and traceback) is scrubbed."""
    from click.testing import CliRunner

    from llmdoctor import cli
    from llmdoctor.keypool import audit

    key = pool_key("valid", 7)

    def explode(pool: Any, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"boom while holding {pool.entries[0].secret.reveal()}")

    monkeypatch.setattr(audit, "run", explode)
    path = tmp_path / "keys.txt"
    path.write_text(key + "\n")
    for debug in ("", "1"):
        monkeypatch.setenv("LLMDOCTOR_DEBUG", debug)
        result = CliRunner().invoke(cli.main, ["keys", str(path), "--base-url", "https://127.0.0.1:9/v1"])
        assert result.exit_code == 3
        assert "internal error: RuntimeError: boom while holding sk-" in result.output
        assert key not in result.output and key[3:] not in result.output
        if debug:
            assert "Traceback" in result.output


def test_a_live_progress_bar_on_a_terminal(cli_env: Callable[..., dict[str, str]], certs: Certs,
                                           tmp_path: Path) -> None:
    """stderr on a pseudo-terminal gets rich's bar; the JSON on stdout stays clean (in a pipe: no bar at all,
    asserted in the first test)."""
    import pty
    import subprocess
    import sys

    keys = {pool_key("valid", n): "valid" for n in range(12)}
    with KeyPoolApi(certs, keys, work=0.1) as api:
        path = tmp_path / "keys.txt"
        path.write_text("\n".join(keys) + "\n")
        master, slave = pty.openpty()
        env = cli_env(**_tls(certs), TERM="xterm-256color")
        proc = subprocess.Popen([sys.executable, "-m", "llmdoctor", "keys", str(path), "--base-url", api.url,
                                 "--json", "--concurrency", "2"], stdout=subprocess.PIPE, stderr=slave, env=env)
        os.close(slave)
        seen = read_pty(master, proc)
        out, _ = proc.communicate(timeout=60)
        os.close(master)
    assert proc.returncode == 0
    assert b"auditing keys" in seen and b"/12" in seen
    assert json.loads(out)["summary"]["valid"] == 12
    _no_key_anywhere(keys, seen.decode("utf-8", "replace"), out.decode())


def test_the_global_deadline_ends_the_audit_and_says_which_keys_were_not_probed(
        run_cli: Run, certs: Certs, tmp_path: Path) -> None:
    keys = {pool_key("valid", n): "valid" for n in range(10)}
    # 10 keys one at a time at 0.6 s each cannot finish within 3 s, however fast or loaded the machine is.
    with KeyPoolApi(certs, keys, work=0.6) as api:
        path = tmp_path / "keys.txt"
        path.write_text("\n".join(keys) + "\n")
        proc = run_cli("keys", path, "--base-url", api.url, "--concurrency", "1", "--deadline", "3", "--json",
                       env=_tls(certs))
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    assert data["deadline_hit"] is True
    skipped = [row for row in data["keys"] if row["evidence"].startswith("not probed: the audit's deadline")]
    assert skipped and all(row["status"] == "error" and row["cause"] is None for row in skipped)
    assert data["summary"].get("valid", 0) + len(skipped) == 10


def test_an_anthropic_relay_gets_the_anthropic_sdks_headers(run_cli: Run, certs: Certs, tmp_path: Path) -> None:
    keys = {pool_key("valid", 1): "valid", pool_key("invalid", 1): "invalid"}
    with KeyPoolApi(certs, keys) as api:
        path = tmp_path / "keys.txt"
        path.write_text("\n".join(keys) + "\n")
        proc = run_cli("keys", path, "--provider", "anthropic", "--base-url", api.server.url, "--json",
                       env=_tls(certs))
        seen = api.requests
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["summary"]["valid"] == 1
    assert all(r.path.startswith("/v1/models") and "anthropic-version" in r.headers and "x-api-key" in r.headers
               and "authorization" not in r.headers for r in seen)


def test_a_bug_while_reading_never_quotes_the_input(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from llmdoctor import cli
    from llmdoctor.keypool import source

    key = pool_key("valid", 8)

    def broken(text: str, *args: Any, **kwargs: Any) -> Any:
        raise ValueError(f"cannot parse {text!r}")

    monkeypatch.setattr(source, "parse", broken)
    path = tmp_path / "keys.txt"
    path.write_text(key + "\n")
    result = CliRunner().invoke(cli.main, ["keys", str(path)])
    assert result.exit_code == 3
    assert "internal error: ValueError while reading the keys" in result.output
    assert key not in result.output and key[3:] not in result.output


def test_a_wait_of_an_hour_is_the_keys_own_window_not_a_pause_of_the_audit(
        run_cli: Run, certs: Certs, tmp_path: Path) -> None:
    keys = {pool_key("rate_limited", 1): "rate_limited", **{pool_key("valid", n): "valid" for n in range(4)}}
    with KeyPoolApi(certs, keys, retry_after=3600) as api:
        path = tmp_path / "keys.txt"
        path.write_text("\n".join(keys) + "\n")
        proc = run_cli("keys", path, "--base-url", api.url, "--json", env=_tls(certs))
    data = json.loads(proc.stdout)
    row = next(r for r in data["keys"] if r["status"] == "rate_limited")
    assert (row["retry_after_s"], row["attempts"]) == (3600.0, 1)
    assert data["summary"]["valid"] == 4 and data["hosts"][0]["paused_s"] == 0


def test_a_key_with_an_invisible_character_is_malformed_and_never_sent(run_cli: Run, certs: Certs,
                                                                      tmp_path: Path) -> None:
    good = pool_key("valid", 1)
    pasted = pool_key("valid", 2)[:20] + "\u200b" + pool_key("valid", 2)[20:]  # a zero-width space from a chat app
    with KeyPoolApi(certs, {good: "valid"}) as api:
        path = tmp_path / "keys.txt"
        path.write_text(f"{good}\n{pasted}\n", encoding="utf-8")
        proc = run_cli("keys", path, "--base-url", api.url, "--json", env=_tls(certs))
        sent = len(api.requests)
    rows = json.loads(proc.stdout)["keys"]
    bad = next(r for r in rows if r["lines"] == [2])
    assert (bad["status"], bad["cause"]) == ("invalid", "config.key_malformed")
    assert [n["code"] for n in bad["notes"]] == ["config.key_malformed"]
    assert sent == 1
    _no_key_anywhere({good: "", pasted: ""}, proc.stdout, proc.stderr)
