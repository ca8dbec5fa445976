"""Secrets are shown only as prefix + last four characters, everywhere."""

from __future__ import annotations

import base64

from llmdoctor.secrets import Scrubber, Secret, redact, redact_url, scrubber_from_env

KEY = "sk-proj-Canary0123456789abcdefghijklmnopqrstuvwxyzWXYZ"


def test_redacted_form_is_prefix_and_last_four() -> None:
    assert redact(KEY) == "sk-proj-…WXYZ"
    assert redact("sk-ant-api03-" + "x" * 40 + "9876") == "sk-ant-api03-…9876"
    assert redact("short-key") == "………"
    assert KEY not in redact(KEY)


def test_secret_never_prints_itself() -> None:
    secret = Secret(KEY)
    for shown in (str(secret), repr(secret), f"{secret}", f"{secret!r}", "%s" % secret):  # noqa: UP031
        assert KEY not in shown and "…WXYZ" in shown
    assert secret.reveal() == KEY


def test_proxy_urls_lose_their_password() -> None:
    assert redact_url("http://user:pa%3Ass@127.0.0.1:7890") == "http://user:***@127.0.0.1:7890"
    assert redact_url("socks5h://u:p@[::1]:1080/") == "socks5h://u:***@[::1]:1080/"
    assert redact_url("http://127.0.0.1:7890") == "http://127.0.0.1:7890"


def test_scrubber_catches_raw_quoted_and_basic_auth_forms() -> None:
    scrub = Scrubber([KEY])
    scrub.add("pa:ss@w0rd", "user")
    basic = base64.b64encode(b"user:pa:ss@w0rd").decode()
    text = f"key={KEY} url=http://user:pa%3Ass%40w0rd@h auth=Basic {basic} raw=pa:ss@w0rd"
    cleaned = scrub(text)
    for leaked in (KEY, "pa%3Ass%40w0rd", basic, "pa:ss@w0rd"):
        assert leaked not in cleaned
    assert scrub.scrub_data({"a": [KEY, {"b": KEY}]}) == {"a": ["sk-proj-…WXYZ", {"b": "sk-proj-…WXYZ"}]}


def test_scrubber_from_env_finds_keys_and_proxy_passwords() -> None:
    scrub = scrubber_from_env({"OPENAI_API_KEY": KEY, "HTTPS_PROXY": "http://bob:hunter2-secret@127.0.0.1:3128",
                               "PATH": "/usr/bin"})
    assert "hunter2-secret" not in scrub("proxy said hunter2-secret and key " + KEY)
    assert "/usr/bin" in scrub("/usr/bin")


def test_a_long_proxy_password_is_masked_whole_not_prefix_and_last_four() -> None:
    """An API key's prefix is public (sk-proj-); a password's first and last characters are not."""
    password = "Corp0rate-Proxy-Pa55word"  # 24 characters: long enough for the prefix + last-four form
    scrub = scrubber_from_env({"HTTPS_PROXY": f"http://alice:{password}@127.0.0.1:3128",
                               "PROXY_PASSWORD": "another-long-password-value"})
    basic = base64.b64encode(f"alice:{password}".encode()).decode()
    seen = scrub(f"407 for alice:{password}; Proxy-Authorization: Basic {basic} and another-long-password-value")
    assert password not in seen and "Cor" not in seen and "word" not in seen
    assert "another" not in seen and "alue" not in seen
    assert seen.count("***") >= 2
