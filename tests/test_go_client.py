"""Go's net/http `ProxyFromEnvironment`, asked by a real Go program (tests/programs/goproxy.go), vs llmdoctor.

The program prints the decision per URL and never connects; one process per environment because
Go reads the variables once per process.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from llmdoctor.proxyenv import native_rules

GO = shutil.which("go")
pytestmark = pytest.mark.skipif(GO is None, reason="no Go toolchain (apt-get install golang-go)")
PROGRAM = Path(__file__).parent / "programs" / "goproxy.go"
URLS = ("https://api.openai.com/v1", "http://api.openai.com/v1", "https://sub.api.openai.com/", "https://myopenai.com/",
        "https://10.1.2.3/", "http://127.0.0.1:11434/", "http://localhost:11434/", "http://[::1]:11434/",
        "https://api.openai.com:8443/", "https://openai.com/")
P = "http://127.0.0.1:3"
ENVS = [
    {"HTTPS_PROXY": P}, {"https_proxy": P}, {"HTTP_PROXY": P}, {"http_proxy": P}, {"ALL_PROXY": P},
    {"HTTPS_PROXY": P, "https_proxy": "http://127.0.0.1:9"}, {"HTTPS_PROXY": "", "https_proxy": P},
    {"HTTP_PROXY": P, "REQUEST_METHOD": "GET"}, {"HTTPS_PROXY": "127.0.0.1:3"}, {"HTTPS_PROXY": "socks5://127.0.0.1:4"},
    {"HTTPS_PROXY": "http://127.0.0.1"}, {"HTTPS_PROXY": "https://127.0.0.1"},
    *({"HTTPS_PROXY": P, "HTTP_PROXY": P, name: value}
      for name in ("NO_PROXY", "no_proxy")
      for value in ("api.openai.com", ".openai.com", "*.openai.com", "openai.com", "penai.com", "10.0.0.0/8",
                    "10.1.2.3", "api.openai.com:443", "api.openai.com:8443", "*", "foo,*", " openai.com ",
                    "OPENAI.COM", "::1", "[::1]")),
    {"HTTPS_PROXY": P, "NO_PROXY": "openai.com", "no_proxy": "other.com"},
    {"HTTPS_PROXY": P, "NO_PROXY": "", "no_proxy": "openai.com"},
]


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("go")
    binary = work / "goproxy"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(work), "GOCACHE": str(work / "cache"), "GO111MODULE": "off",
           "GOFLAGS": "", "CGO_ENABLED": "0"}
    subprocess.run([str(GO), "build", "-o", str(binary), str(PROGRAM)], env=env, check=True, timeout=300,
                   capture_output=True)
    return binary


def real(program: Path, env: dict[str, str]) -> list[tuple[object, ...]]:
    out = subprocess.run([str(program), *URLS], env={"PATH": "/usr/bin:/bin", **env}, capture_output=True,
                         text=True, timeout=30, check=True).stdout.split("\n")
    answers: list[tuple[object, ...]] = []
    for line in out[: len(URLS)]:
        parts = line.split()
        answers.append(("proxy", parts[1], parts[2], int(parts[3])) if parts[0] == "proxy" else (parts[0],))
    return answers


@pytest.mark.parametrize("env", ENVS, ids=lambda e: ",".join(f"{k}={v}" for k, v in e.items()))
def test_go_rule_matches_the_real_go(program: Path, env: dict[str, str]) -> None:
    expected = real(program, env)
    ours = [native_rules.go_decision(url, env).outcome() for url in URLS]
    assert ours == expected
