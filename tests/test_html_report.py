"""`--output report.html`: one self-contained page, opened in a real headless Chromium.

The page must need nothing from outside (no script, no stylesheet, image or font fetched), show the
verdict, the chain with where it broke, the waterfall, the causes with their fixes and the
environment, and carry no secret.
"""

from __future__ import annotations

import html.parser
import shutil
import struct
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.peers.certs import Certs
from tests.peers.fakeapi import FakeApi, key_for
from tests.peers.raw import closed_port

KEY = "sk-proj-HTMLcanary0123456789abcdefghijklmnopWXYZ"
PROXY_PASSWORD = "Pr0xyHtmlCanary"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--enable-logging=stderr",
                  "--v=0"]


class _Fetches(html.parser.HTMLParser):
    """Every element or attribute that would make a browser fetch something, or run code."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "img", "link", "iframe", "object", "embed", "video", "audio", "source"):
            self.found.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "srcset", "action", "poster") or name.startswith("on"):
                self.found.append(f"{tag}[{name}={value}]")
            if name == "style" and value and "url(" in value:
                self.found.append(f"{tag}[style url()]")


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium): the HTML report is not opened")
    return path


def _open(page: Path, tmp_path: Path) -> tuple[str, Path, str]:
    """(the DOM Chromium built, a screenshot, Chromium's log) for `page`."""
    chromium = _chromium()
    shot = tmp_path / "report.png"
    common = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1100,1400"]
    shot_run = subprocess.run([*common, f"--screenshot={shot}", page.as_uri()], capture_output=True, text=True,
                              timeout=120)
    dom = subprocess.run([*common, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    return dom.stdout, shot, shot_run.stderr + dom.stderr


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def _assert_self_contained(text: str, log: str) -> None:
    parser = _Fetches()
    parser.feed(text)
    assert parser.found == []
    assert "url(" not in text and "@import" not in text
    for sign in ("Failed to load resource", "Refused to load", "net::ERR_"):
        assert sign not in log, log[-3000:]


def test_a_failing_run_as_a_page(run_cli: Callable[..., subprocess.CompletedProcess[str]], tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    proc = run_cli("--provider", "openai", "--base-url", f"https://127.0.0.1:{closed_port()}/v1", "--output", str(page),
                   env={"HTTPS_PROXY": f"http://bob:{PROXY_PASSWORD}@127.0.0.1:{closed_port()}", "OPENAI_API_KEY": KEY})
    assert proc.returncode == 1, proc.stderr
    assert f"Report saved to {page}" in proc.stdout
    text = page.read_text(encoding="utf-8")
    assert KEY not in text and PROXY_PASSWORD not in text and "sk-proj-…WXYZ" in text
    dom, shot, log = _open(page, tmp_path)
    _assert_self_contained(text, log)
    assert _png_size(shot)[0] >= 1000 and shot.stat().st_size > 20_000
    assert "Verdict: The proxy variable points at a port where nothing listens" in dom
    # The chain: every check a link with its status, the first failure marked as where it broke.
    assert dom.count('class="link ') == 12
    assert '<div class="link fail broke"' in dom and dom.count(" broke\"") == 1 and "broke here" in dom
    assert "Start the proxy app so that it listens on 127.0.0.1:" in dom  # a fix, with the user's address
    assert "HTTPS_PROXY" in dom and "bob:***@127.0.0.1" in dom  # the environment table, redacted
    assert KEY not in dom and PROXY_PASSWORD not in dom


def test_a_healthy_run_draws_its_waterfall(run_cli: Callable[..., subprocess.CompletedProcess[str]],
                                           certs: Certs, tmp_path: Path) -> None:
    page = tmp_path / "ok.html"
    with FakeApi(certs) as api:
        proc = run_cli("--provider", "openai", "--output", str(page), "--lang", "zh",
                       env={"OPENAI_BASE_URL": api.url, "OPENAI_API_KEY": key_for("ok"),
                            "SSL_CERT_FILE": str(certs.ca_pem)})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    dom, shot, log = _open(page, tmp_path)
    _assert_self_contained(page.read_text(encoding="utf-8"), log)
    assert '<div class="verdict healthy"' in dom and "结论" in dom
    assert dom.count('class="bar"') >= 3  # dns, connect, tls, first byte…
    assert " broke\"" not in dom and "在此中断" not in dom
    assert _png_size(shot)[1] >= 1000
