# ruff: noqa: E501  (real texts are quoted whole, as their sources printed them)
"""Certificate, TLS-handshake, Node and Windows-socket errors, read as classes, on real texts (tuned corpus).

An unknown issuer (OpenSSL's code 20, Go's "unknown authority", Node's UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
Java's PKIX, schannel's untrusted root) does not say why no root was found: the reading is then the most
frequent confirmed cause for that client's wording, said as "most likely" (`likely`), unless the text
carries a sign that decides (a container, the macOS framework Python, a corporate network, an inspection
product in the issuer). Texts that name no cause at all are candidates only, exit 1. Each URL is where the
text comes from and where its cause was confirmed; the held-out corpus is never used here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from llmdoctor.explain import explain

GUARD = str(Path(__file__).parent / "guard")

# (text, cause, likely): likely = the cause is a base-rate guess, not named by the text
READINGS = [
    # --- a sign in the text decides the unknown issuer
    ('With the docker image built from the current Dockerfile, you get the error "x509: certificate signed by unknown authority".',
     "tls.ca_bundle_missing", False),  # https://github.com/xqdoo00o/ChatGPT-to-API/pull/49
    ('File "/Library/Frameworks/Python.framework/Versions/3.10/lib/python3.10/urllib/request.py", line 1351, in do_open\n    raise URLError(err)\nurllib.error.URLError: <urlopen error [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:997)>',
     "tls.ca_bundle_missing", False),  # https://github.com/elebumm/RedditVideoMakerBot/issues/48
    ("I tried installing the electron-prebuilt in corporate network and I get CERT_UNTRUSTED error.",
     "tls.intercepted", False),  # https://github.com/electron/electron/issues/1666
    ('Java 기반 (JDK) 프로젝트 실행 시 소켓 연결 시 `PKIX path building failed" and "unable to find valid certification path to requested target` 에러가 발생\n- 회사 VPN 이 켜져 있는 경우에만 발생',
     "tls.intercepted", False),  # https://github.com/occidere/TIL/issues/170
    ('Sentry.captureException(e) generate Envelope submission failed SSLHandshakeException PKIX path building failed\n      "issuer"             : "EMAILADDRESS=support@zscaler.com, CN=Zscaler Intermediate Root CA (zscalertwo.net), OU=Zscaler Inc., O=Zscaler Inc., ST=California, C=US",',
     "tls.intercepted", False),  # https://github.com/getsentry/sentry-java/issues/4254
    # --- nothing decides: the most frequent cause for that client's wording, as a guess
    ("requests.exceptions.SSLError: HTTPSConnectionPool(host='mytenant.britive-app.com', port=443): Max retries exceeded with url: /api/auth/cli/retrieve-tokens (Caused by SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1010)')))",
     "tls.intercepted", True),  # https://github.com/britive/python-cli/issues/213
    ("Clearcut POST request error:  Error: unable to get local issuer certificate\n    at TLSSocket.onConnectSecure (node:_tls_wrap:1679:34)\n    at TLSSocket.emit (node:events:518:28)\n    at TLSSocket._finishInit (node:_tls_wrap:1078:8)\n    at ssl.onhandshakedone (node:_tls_wrap:864:12) {\n  code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'\n}",
     "tls.intercepted", True),  # https://github.com/google-gemini/gemini-cli/issues/1561
    ('Get "https://app.terraform.io/api/v2/ping": x509: certificate signed by unknown authority',
     "tls.ca_bundle_missing", True),  # https://github.com/hashicorp/go-tfe/issues/172
    # (the curl tool's exit 60, butor/blackbird#43, ranks the chain first: a CA file it cannot load is exit 77,
    # tests/test_explain_tls_trust.py)
    ("<urlopen error [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1056)>",
     "tls.ca_bundle_missing", True),  # https://github.com/mondul/HiyaCFW-Helper/pull/13
    # --- handshake alerts are the server refusing what the client offers
    ("connecting to older iLO 3 and getting Cannot establish ssl session with xyz SSLV3_ALERT_HANDSHAKE_FAILURE",
     "tls.protocol_mismatch", False),  # https://github.com/seveas/python-hpilo/issues/147
    ("SSL3_READ_BYTES:tlsv1 alert protocol version",
     "tls.protocol_mismatch", False),  # https://github.com/jazzband/django-push-notifications/issues/493
    # --- Node: fetch failed and its cause, node-fetch's reasons
    ("bower morris.js#^0.5.1 EAI_AGAIN Request to https://registry.bower.io/packages/morrisjs failed: getaddrinfo EAI_AGAIN registry.bower.io:443",
     "dns.failure", False),  # https://github.com/nodejs/node/issues/15780
    ('{\n  "cause": {\n    "errno": -3001,\n    "code": "EAI_AGAIN",\n    "syscall": "getaddrinfo",\n    "hostname": "api.openai.com"\n  }\n}',
     "dns.failure", False),  # https://github.com/ChatGPTNextWeb/NextChat/issues/713
    ("TypeError: fetch failed\n    at Object.fetch (node:internal/deps/undici/undici:11576:11)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)\n {\n  cause: Error: getaddrinfo ENOTFOUND openapi.ssiic.com\n      at GetAddrInfoReqWrap.onlookup [as oncomplete] (node:dns:108:26) {\n    errno: -3008,\n    code: 'ENOTFOUND',\n    syscall: 'getaddrinfo',\n    hostname: 'openapi.ssiic.com'\n  }\n}",
     "dns.failure", False),  # https://github.com/2WeirDo/weirdo_terminal/issues/2
    (" [TypeError: fetch failed] {\n  cause:  [ConnectTimeoutError: Connect Timeout Error] {\n  name: 'ConnectTimeoutError',\n  code: 'UND_ERR_CONNECT_TIMEOUT',\n  message: 'Connect Timeout Error'\n}",
     "net.connect_timeout", False),  # https://github.com/mckaywrigley/ai-code-translator/issues/38
    (" FetchError: request to https://api.openai.com/dashb\noard/billing/credit_grants failed, reason: connect ETIMEDOUT 31.13.76.65:443\n    at ClientRequest.<anonymous> (file:///D:/Yunzai-Bot/node_modules/.pnpm/node\n-fetch@3.3.0/node_modules/node-fetch/src/index.js:108:11)\n  type: 'system',\n  errno: 'ETIMEDOUT',\n  code: 'ETIMEDOUT',\n  erroredSysCall: 'connect'\n}",
     "net.connect_timeout", False),  # https://github.com/ikechan8370/chatgpt-plugin/issues/211
    ("Error: Client network socket disconnected before secure TLS connection was established",
     "tls.handshake_reset", False),  # https://github.com/Tsuk1ko/cq-picsearcher-bot/issues/418
    # --- Windows sockets, Chinese and English locales
    ("httpx.ConnectTimeout: [WinError 10060] 由于连接方在一段时间后没有正确答复或连接的主机没有反应，连接尝试失败。",
     "net.connect_timeout", False),  # https://github.com/LYiHub/psydraw/issues/2
    ("ProxyError(MaxRetryError(\"HTTPSConnectionPool(host='ishin-global.aktsk.com', port=443): Max retries exceeded with url: /auth/sign_up (Caused by ProxyError('Cannot connect to proxy.', NewConnectionError('<urllib3.connection.VerifiedHTTPSConnection object at 0x03CDF550>: Failed to establish a new connection: [WinError 10061] No connection could be made because the target machine actively refused it')))\"))",
     "proxy.unreachable", False),  # https://github.com/FlashChaser/Open-Source-Battle-Bot/issues/19
    ("ConnectError: [WinError 10061] No connection could be made because the target machine actively refused it",
     "net.connect_refused", False),  # https://github.com/Nixtla/nixtla/issues/234
    ('I can see the website. But when I type anything, it reads {"_action":"_ask","error":"an error occurred [Errno 11001] getaddrinfo failed","success":false}.\n\nAnd the cmd reads:\n[Errno 11001] getaddrinfo failed',
     "dns.failure", False),  # https://github.com/ramon-victor/freegpt-webui/issues/50
]


@pytest.mark.parametrize(("text", "cause", "likely"), READINGS)
def test_real_texts_read_as_their_class(text: str, cause: str, likely: bool) -> None:
    result = explain(text)
    assert result.recognised and not result.ambiguous, [(c.id, c.confidence) for c in result.causes[:3]]
    assert result.causes[0].id == cause, [(c.id, c.confidence) for c in result.causes[:3]]
    assert result.likely is likely
    if likely:  # a guess stays below the confidence of a verdict, with the others it cannot be told from
        assert result.causes[0].confidence < 0.6 and len(result.causes) >= 2
        assert all(result.tells.get(c.id) for c in result.causes[:2])


UNDECIDED = [
    # Docker's daemon pulling from a registry: interception, a private registry's CA, a host without CA files
    ("C:\\WINDOWS\\system32> docker pull hello-world\nUsing default tag: latest\nError response from daemon: Get https://registry-1.docker.io/v2/: x509: certificate signed by unknown authority",
     "tls.intercepted"),  # https://github.com/docker-library/hello-world/issues/86
    # .NET's and Windows' generic certificate failure, in English and Chinese
    ('"The remote certificate is invalid according to the validation procedure."',
     "tls.hostname_mismatch"),  # https://github.com/i4004/Simplify/issues/92 (an IP address instead of the name)
    ("The underlying connection was closed: Could not establish trust relationship for the SSL/TLS secure channel.",
     "tls.unknown_ca"),  # https://github.com/chocolatey-archive/chocolatey/issues/252
    ("未能为 SSL/TLS 安全通道建立信任关系", "tls.intercepted"),  # https://github.com/d100000/worktimemanage/issues/3
    # Go without the "current time ... is after/before" tail: expired, or the clock is wrong
    ("x509: certificate has expired or is not yet valid", "tls.clock_skew"),  # https://github.com/ConnectAI-E/feishu-openai/issues/11
    # a reset with no step named, Windows' English words
    ("requests.exceptions.ConnectionError: ('Connection aborted.', ConnectionResetError(10054, 'An existing connection was forcibly closed by the remote host', None, 10054, None))",
     "tls.handshake_reset"),  # https://github.com/SafeBreach-Labs/CloudMiner/issues/4
]


@pytest.mark.parametrize(("text", "candidate"), UNDECIDED)
def test_texts_that_do_not_tell_get_candidates_not_a_verdict(text: str, candidate: str) -> None:
    result = explain(text)
    assert result.ambiguous and not result.recognised
    assert candidate in [c.id for c in result.causes]


def test_an_extra_ca_file_node_could_not_load_is_the_inspecting_proxys_root() -> None:
    # the stderr of https://github.com/zed-industries/zed/issues/4350 (Zscaler), as the thread printed it
    text = ("Warning: Ignoring extra certs from `/Users/<redacted-a>/Documents/<redacted-b>/system-certs/cacert.pem`, "
            "load failed: error:80000001:system library::Operation not permitted\nnpm ERR! code "
            "UNABLE_TO_GET_ISSUER_CERT_LOCALLY\nnpm ERR! errno UNABLE_TO_GET_ISSUER_CERT_LOCALLY\nnpm ERR! request to "
            "https://registry.npmjs.org/yaml-language-server failed, reason: unable to get local issuer certificate")
    result = explain(text)
    assert result.causes[0].id == "tls.intercepted" and not result.likely
    assert "NODE_EXTRA_CA_CERTS" in result.causes[0].evidence[0]


def test_a_proxy_on_the_way_decides_an_unknown_issuer() -> None:
    # composed: chocolatey's line for an explicit proxy (chocolatey-archive/chocolatey#725), then Go's sentence
    text = ("Using explicit proxy server 'http://proxy.corp.example:8080'. through the proxy server: "
            "x509: certificate signed by unknown authority")
    result = explain(text)
    assert result.causes[0].id == "tls.intercepted" and not result.likely


def test_a_container_decides_only_for_clients_that_read_the_systems_ca_file() -> None:
    # Go reads /etc/ssl/certs: an image without ca-certificates is the cause; Node brings its own roots, so a
    # container says nothing about it (composed from the Go and Node texts above)
    go = "running in a docker container: Get \"https://api.openai.com/v1/models\": x509: certificate signed by unknown authority"
    node = "running in a docker container: Error: unable to get local issuer certificate\n    at TLSSocket.onConnectSecure (node:_tls_wrap:1679:34)"
    assert explain(go).causes[0].id == "tls.ca_bundle_missing" and not explain(go).likely
    assert explain(node).causes[0].id == "tls.intercepted" and explain(node).likely


def test_go_says_which_side_of_the_validity_window_the_clock_is_on() -> None:
    # crypto/x509's CertificateInvalidError(Expired) detail, as Go formats it
    after = 'Post "https://api.example.com/v1": x509: certificate has expired or is not yet valid: current time 2026-03-13T23:50:32+08:00 is after 2025-09-30T14:01:15Z'
    before = after.replace("is after", "is before")
    assert explain(after).causes[0].id == "tls.expired"
    assert explain(before).causes[0].id == "tls.clock_skew"


def test_a_bare_eof_does_not_say_whose_side_closed() -> None:
    text = "httpx.ConnectError: [SSL: UNEXPECTED_EOF_WHILE_READING] EOF occurred in violation of protocol (_ssl.c:1006)"
    result = explain(text)
    assert result.ambiguous and {"tls.handshake_reset", "proxy.protocol_mismatch"} <= {c.id for c in result.causes}


def _cli(args: list[str], lang: str = "C.UTF-8") -> subprocess.CompletedProcess[bytes]:
    env = {"PATH": os.environ.get("PATH", ""), "LANG": lang, "PYTHONPATH": GUARD, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "llmdoctor", "explain", *args], capture_output=True, env=env,
                          timeout=60)


def test_a_guess_is_said_as_most_likely_with_how_to_confirm_and_exits_1() -> None:
    text = 'Get "https://app.terraform.io/api/v2/ping": x509: certificate signed by unknown authority'
    result = _cli([text])
    assert result.returncode == 1, result.stderr
    out = result.stdout.decode()
    assert "Most likely: " in out and "; to confirm: " in out and "ca-certificates" in out
    data = json.loads(_cli(["--json", text]).stdout)
    assert data["recognised"] is True and data["likely"] is True and data["exit_code"] == 1
    assert [c["id"] for c in data["causes"][:3]] == ["tls.ca_bundle_missing", "tls.intercepted", "tls.unknown_ca"]
    zh = _cli(["--lang", "zh", text]).stdout.decode()
    assert "最可能的原因：" in zh and "确认方法：" in zh


def test_a_generic_certificate_failure_says_the_text_does_not_tell_and_exits_1() -> None:
    result = _cli(["The underlying connection was closed: Could not establish trust relationship for the SSL/TLS "
                   "secure channel."])
    assert result.returncode == 1
    assert "This text alone does not tell" in result.stdout.decode()
