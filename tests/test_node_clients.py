"""What llmdoctor predicts for Node.js is what the real `node` does, against a real tinyproxy on loopback.

Targets are loopback servers; the route is read from tinyproxy's own log (it logs every request
line it proxies: undici's CONNECT, or the absolute URL). undici's EnvHttpProxyAgent, what
NODE_USE_ENV_PROXY installs, is the one bundled in this node (`--expose-internals`), so its NO_PROXY
rules are tested even on a Node without the switch.
"""

from __future__ import annotations

import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from peers import HttpServer, Reply, TinyproxyServer, which

from llmdoctor.proxyenv import node_rules, runtimes

NODE = shutil.which("node")
pytestmark = [pytest.mark.skipif(NODE is None, reason="no node binary (apt-get install nodejs)"),
              pytest.mark.skipif(which("tinyproxy") is None, reason="no tinyproxy (apt-get install tinyproxy-bin)")]

FETCH = "fetch(process.argv[1]).then(r => r.text()).then(t => console.log('ok ' + t), e => console.log('error ' + " \
        "(e.cause && e.cause.code || e.message)))"
AGENT = ("const u = require('internal/deps/undici/undici');"
         "fetch(process.argv[1], {dispatcher: new u.EnvHttpProxyAgent()}).then(r => r.text())"
         ".then(t => console.log('ok ' + t), e => console.log('error ' + (e.cause && e.cause.code || e.message)))")


def node_version() -> tuple[int, ...]:
    [node] = [r for r in runtimes.detect(("node",)) if r.name == "node"]
    return node.version


def run_node(script: str, url: str, env: dict[str, str], *flags: str) -> str:
    assert NODE is not None
    proc = subprocess.run([NODE, *flags, "-e", script, url], env={"PATH": "/usr/bin:/bin", **env},
                          capture_output=True, text=True, timeout=30)
    return proc.stdout.strip() or proc.stderr.strip()


@pytest.fixture(scope="module")
def proxy() -> object:
    with TinyproxyServer(None, None) as server:
        yield server


@pytest.fixture(scope="module")
def target() -> object:
    with HttpServer(Reply(200, body=b"hello")) as server:
        yield server


def route(proxy: TinyproxyServer, target: HttpServer, script: str, env: dict[str, str], host: str = "127.0.0.1",
          *flags: str) -> tuple[str, str]:
    """('proxy' | 'direct' | 'error', the URL) for one request of the real node."""
    path = f"/{uuid.uuid4().hex}"
    url = f"http://{host}:{target.port}{path}"
    before = len(proxy.log_text())
    out = run_node(script, url, env, *flags)
    if not out.startswith("ok"):
        return "error", url
    new = proxy.log_text()[before:]  # undici tunnels even http:// with CONNECT; others send the full URL
    return ("proxy" if path in new or f"CONNECT {host}:{target.port}" in new else "direct"), url


def test_detects_node_and_its_version() -> None:
    version = node_version()
    assert version[0] >= 18
    out = subprocess.run([str(NODE), "--version"], capture_output=True, text=True, timeout=10).stdout
    assert out.strip().lstrip("v").startswith(".".join(map(str, version[:2])))


@pytest.mark.parametrize("switch", [{}, {"NODE_USE_ENV_PROXY": "1"}, {"NODE_OPTIONS": "--use-env-proxy"}])
def test_fetch_and_the_env_proxy_switch(proxy: TinyproxyServer, target: HttpServer, switch: dict[str, str]) -> None:
    env = {"HTTP_PROXY": proxy.url(auth=False), "HTTPS_PROXY": proxy.url(auth=False), **switch}
    real, url = route(proxy, target, FETCH, env)  # "error" when this node refuses the NODE_OPTIONS flag
    [fetch, *_rest] = node_rules.node_decisions(url, env, node_version())
    assert {"fails": "error"}.get(fetch.route, fetch.route) == real


@pytest.mark.parametrize(("no_proxy", "name"), [
    ("", "NO_PROXY"), ("127.0.0.1", "NO_PROXY"), ("127.0.0.1", "no_proxy"), ("127.0.0.1:{port}", "NO_PROXY"),
    ("127.0.0.1:1", "NO_PROXY"), ("*", "NO_PROXY"), (".0.0.1", "NO_PROXY"), ("*.0.1", "NO_PROXY"),
    ("0.0.1", "NO_PROXY"), ("foo,127.0.0.1", "NO_PROXY"), ("foo 127.0.0.1", "NO_PROXY"), ("localhost", "NO_PROXY"),
])
def test_undici_env_proxy_agent_no_proxy_rules(proxy: TinyproxyServer, target: HttpServer, no_proxy: str,
                                               name: str) -> None:
    env = {"HTTP_PROXY": proxy.url(auth=False), name: no_proxy.format(port=target.port)}
    real, url = route(proxy, target, AGENT, env, "127.0.0.1", "--expose-internals", "--no-warnings")
    assert node_rules.undici_env_decision(url, env, "node fetch").route == real


def test_empty_lower_case_no_proxy_hides_the_upper_case_one(proxy: TinyproxyServer, target: HttpServer) -> None:
    env = {"HTTP_PROXY": proxy.url(auth=False), "NO_PROXY": "127.0.0.1", "no_proxy": ""}
    real, url = route(proxy, target, AGENT, env, "127.0.0.1", "--expose-internals", "--no-warnings")
    assert real == "proxy"
    assert node_rules.undici_env_decision(url, env, "node fetch").route == real


def test_trust_store_follows_node_extra_ca_certs(https_server, certs, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    server = https_server(Reply(200, body=b"tls"))
    url = f"{server.url}/"
    ca = str(certs.ca_pem)
    cases = [({}, False), ({"NODE_EXTRA_CA_CERTS": ca}, True), ({"SSL_CERT_FILE": ca}, False)]
    version = node_version()
    for env, trusted in cases:
        out = run_node(FETCH, url, env)
        assert out.startswith("ok") is trusted, (env, out)
        note = node_rules.trust_note(env, version)
        assert ("NODE_EXTRA_CA_CERTS" in note) is trusted
        if "SSL_CERT_FILE" in env:
            assert "SSL_CERT_FILE is ignored" in note


def test_tls_reject_unauthorized_zero_is_a_loud_finding(https_server) -> None:  # type: ignore[no-untyped-def]
    server = https_server(Reply(200, body=b"tls"))
    env = {"NODE_TLS_REJECT_UNAUTHORIZED": "0"}
    assert run_node(FETCH, f"{server.url}/", env).startswith("ok")  # any certificate is accepted
    codes = [code for code, _m, _h in node_rules.findings(env, node_version())]
    assert codes == ["env.tls_verification_disabled"]
    assert "certificate verification OFF" in node_rules.trust_note(env, node_version())


def test_the_fix_says_what_to_set_for_node() -> None:
    env = {"HTTPS_PROXY": "http://127.0.0.1:7890"}
    [(code, message, hint)] = node_rules.findings(env, (20, 20, 2))
    assert code == "env.node_proxy_ignored" and "Node 20.20.2" in message and "upgrade" in hint
    [(_c, _m, hint24)] = node_rules.findings(env, (24, 6, 0))
    assert hint24.startswith("export NODE_USE_ENV_PROXY=1")


def test_node_fixes_join_the_shell_fix_commands() -> None:
    from llmdoctor.proxyenv.analysis import Observations, analyse
    from llmdoctor.proxyenv.runtimes import Runtime
    from llmdoctor.proxyenv.system import SystemProxySettings

    env = {"HTTPS_PROXY": "http://127.0.0.1:7890", "SHELL": "/bin/bash", "NODE_TLS_REJECT_UNAUTHORIZED": "0"}
    obs = Observations(SystemProxySettings("linux"), runtimes=(Runtime("node", (24, 6, 0), "/usr/bin/node"),))
    result = analyse(env, [("openai", "https://api.openai.com/v1")], obs, runtime_findings=True)
    assert result.fix["NODE_USE_ENV_PROXY"] == "1" and result.fix["NODE_TLS_REJECT_UNAUTHORIZED"] is None
    bash = result.fix_commands[0]
    assert "export NODE_USE_ENV_PROXY=1" in bash["this_window"] and "unset NODE_TLS_REJECT_UNAUTHORIZED" in \
        bash["this_window"]
    rows = {d.client: d for d in result.targets[0].decisions}
    assert rows["node fetch"].route == "direct"
    assert rows["node fetch + NODE_USE_ENV_PROXY=1"].route == "proxy"


def test_an_unknown_node_options_flag_is_named() -> None:
    """The real node 20 exits 9 on NODE_OPTIONS=--use-env-proxy (test_fetch_and_the_env_proxy_switch)."""
    env = {"NODE_OPTIONS": "--use-env-proxy"}
    codes = [code for code, _m, _h in node_rules.findings(env, (20, 20, 2))]
    assert codes == ["env.proxy_misconfigured"]
    assert node_rules.findings(env, (24, 6, 0)) == []


@pytest.mark.parametrize(("env_extra", "host"), [
    ({"NO_PROXY": "[::1]"}, "[::1]"), ({"NO_PROXY": "::1"}, "[::1]"), ({"NO_PROXY": "*"}, "[::1]"),
    ({"no_proxy": "other", "NO_PROXY": "127.0.0.1"}, "127.0.0.1"), ({"NO_PROXY": "127.0.0.1:80"}, "127.0.0.1"),
    ({"NO_PROXY": "127.0.0.1,,foo"}, "127.0.0.1"), ({"NO_PROXY": " 127.0.0.1 "}, "127.0.0.1"),
])
def test_undici_no_proxy_on_ipv6_and_spellings(proxy: TinyproxyServer, env_extra: dict[str, str], host: str) -> None:
    bind = "::1" if host.startswith("[") else "127.0.0.1"
    with HttpServer(Reply(200, body=b"hello"), host=bind) as server:
        env = {"http_proxy": proxy.url(auth=False), **env_extra}
        real, url = route(proxy, server, AGENT, env, host, "--expose-internals", "--no-warnings")
    assert node_rules.undici_env_decision(url, env, "node fetch").route == real
