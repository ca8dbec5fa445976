# ruff: noqa: E501  (real texts are quoted whole, as their sources printed them)
"""Which hop failed, read from the templates of the clients and proxies that print them: curl's SOCKS5 reply
code in both of its wordings, curl's "Proxy CONNECT aborted" (the proxy hung up: the text does not say why),
urllib3's "Cannot connect to proxy." with a reset, Clash/mihomo's log of its own failed dial, a tunnel that
`curl -I` shows granted, a socket error from bind() (a local server, no API call), and "proxy" as a directory
name in a traceback's paths.

Texts are from tests/corpus (tuned part) with their source URL; a variant of a template is marked as such.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import reading

from llmdoctor.explain import explain
from llmdoctor.explain.match import match

REAL = [
    # curl lib/socks.c: "Can't complete SOCKS5 connection to %s. (%d)", "cannot complete" since curl 8; the number
    # is the proxy's RFC 1928 reply (4 = host unreachable: the proxy could not reach the site)
    ('"AppChatReverse: Chat failed, Failed to perform, curl: (97) cannot complete SOCKS5 connection to grok.com. (4). See https://curl.se/libcurl/c/libcurl-errors.html first for more details."',
     "proxy.upstream_failed"),  # https://github.com/chenyme/grok2api/issues/343
    ("curl --socks5-hostname 127.0.0.1:50328 www.google.com\ncurl: (7) Can't complete SOCKS5 connection to 0.0.0.0:0. (4)",
     "proxy.upstream_failed"),  # https://github.com/getlantern/lantern/issues/5531
    ("curl: (97) cannot complete SOCKS5 connection to api.openai.com. (2)", "proxy.blocked"),  # the template, reply 2
    # curl lib/cf-h1-proxy.c: the proxy closed the connection before answering CONNECT ("Proxy CONNECT aborted"):
    # its node failed, the port is no HTTP proxy, or it drops the client - not said
    ("PS D:\\Desktop> curl -x localhost:8080 https://js.stripe.com/v3\ncurl: (56) Proxy CONNECT aborted",
     "ambiguous"),  # https://github.com/qwj/python-proxy/issues/192
    ("curl_cffi.requests.errors.RequestsError: Failed to perform, ErrCode: 56, Reason: 'Proxy CONNECT aborted'.",
     "ambiguous"),  # https://github.com/lexiforest/curl_cffi/issues/234
    # ... while "due to timeout" is the proxy not answering in time
    ("curl: (28) Proxy CONNECT aborted due to timeout", "proxy.not_responding"),  # curl lib/cf-h1-proxy.c
    # mihomo tunnel/tunnel.go "[TCP] dial %s (match %s/%s) %s --> %s error: %s": the proxy's own failed dial out
    ("07-23 20:57:44[warning] [TCP] dial PROXY (match Match/) 10.0.0.13:2141 --> alive.github.com:443 error: 110.242.74.102:10001 connect error: dial tcp 110.242.74.102:10001: i/o timeout",
     "proxy.upstream_failed"),  # https://github.com/kenzok8/openwrt-clashoo/issues/38
    # V2Ray app/proxyman/outbound/handler.go "failed to process outbound traffic" over VMess's "failed to find an
    # available destination": the proxy could not dial its server
    ("2021/01/02 19:26:55 [Warning] [4044559620] v2ray.com/core/app/proxyman/outbound: failed to process outbound traffic > v2ray.com/core/proxy/vmess/outbound: failed to find an available destination > v2ray.com/core/common/retry: [dial tcp 103.135.100.60:28553: i/o timeout dial tcp 103.135.100.60:28553: operation was canceled] > v2ray.com/core/common/retry: all retry attempts failed",
     "proxy.upstream_failed"),  # https://github.com/v2ray/discussion/issues/862
    ("> [Warning]App|Proxyman|Outbound: failed to process outbound traffic > Proxy|VMess|Outbound: failed to find an available destination > Retry: [dial tcp xx.xx.xx.xx:xxxxx: getsockopt: connection refused] > Retry: all retry attempts failed",
     "proxy.upstream_failed"),  # https://github.com/v2ray/v2ray-core/issues/671
    # a proxy's "200 Connection established" as `curl -I` prints it, then the TLS handshake cut: the node failed
    ("curl -I https://www.google.com\nHTTP/1.1 200 Connection established\n\ncurl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to www.google.com:443",
     "proxy.upstream_failed"),  # https://github.com/SaladDay/clash-for-lab/issues/4 (its words; thread: the node)
    # an app's advice that names a proxy is no proxy: nothing listened at ANTHROPIC_BASE_URL=http://127.0.0.1:8045
    ("API Error: Connection refused — a firewall or proxy may be blocking it (ConnectionRefused)",
     "net.connect_refused"),  # https://github.com/anthropics/claude-code/issues/87259
    # a 10013 raised by bind(): a local server could not listen, no connection was tried
    ('  File "D:\\Python\\Lib\\socketserver.py", line 478, in server_bind\n    self.socket.bind(self.server_address)\n    ~~~~~~~~~~~~~~~~^^^^^^^^^^^^^^^^^^^^^\nPermissionError: [WinError 10013] 以一种访问权限不允许的方式做了一个访问套接字的尝试',
     "ambiguous"),  # https://github.com/Sophomoresty/gemini-web2api/issues/85
    ("06-01 01:26:50 [ERROR] uvicorn | [Errno 10013] error while attempting to bind on address ('127.0.0.1', 5432): 以一种访问权限不允许的方式做了一个访问套接字的尝试。",
     "ambiguous"),  # https://github.com/zhenxun-org/zhenxun_bot/issues/734
    # ... and a 10013 on a connect stays a connect failure
    ("urlopen error [WinError 10013] An attempt was made to access a socket in a way forbidden by its access permissions",
     "net.connect_refused"),  # https://github.com/axcore/tartube/issues/475
]


@pytest.mark.parametrize("text,cause", REAL)
def test_the_hop_that_failed_is_read_from_the_template(text: str, cause: str) -> None:
    result = explain(text)
    assert reading(result) == cause, [(c.id, c.confidence) for c in result.causes[:3]]


def test_a_reset_while_connecting_to_the_proxy_is_no_refusal() -> None:
    # urllib3 wraps the connect to the proxy and the CONNECT it sends as one step ("Cannot connect to proxy."):
    # a reset there is the proxy dropping the connection, not a proxy that is not running (template variant)
    text = ("requests.exceptions.ProxyError: HTTPSConnectionPool(host='api.openai.com', port=443): Max retries "
            "exceeded with url: /v1/chat/completions (Caused by ProxyError('Cannot connect to proxy.', "
            "ConnectionResetError(10054, '远程主机强迫关闭了一个现有的连接。', None, 10054, None)))")
    result = explain(text)
    assert reading(result) == "ambiguous"
    assert {c.id for c in result.causes} >= {"proxy.upstream_failed", "proxy.protocol_mismatch"}


def test_proxy_as_a_directory_in_the_paths_is_no_proxy() -> None:
    # the openai SDK at a closed local port, run from a checkout under .../llm-proxy/: the refusal is the server's
    text = ('  File "/home/u/llm-proxy/.venv/lib/python3.11/site-packages/httpcore/_backends/sync.py", line 204, in connect_tcp\n'
            "httpcore.ConnectError: [Errno 111] Connection refused\nopenai.APIConnectionError: Connection error.")
    assert "proxy.unreachable" not in match(text).found
    assert reading(explain(text)) == "net.connect_refused"


def test_a_bind_error_tells_the_user_it_is_a_local_port_and_exits_1() -> None:
    text = next(text for text, _ in REAL if "server_bind" in text)
    env = {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8", "PYTHONPATH": str(Path(__file__).parent / "guard"),
           "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-m", "llmdoctor", "explain", text], capture_output=True, env=env,
                          timeout=60, text=True)
    assert done.returncode == 1, done.stderr
    assert "This text alone does not tell" in done.stdout
    assert "bind()" in done.stdout and "excludedportrange" in done.stdout
