"""Node.js and Bun clients: what each does with the proxy variables, NO_PROXY and the trust store, per version.

Sources (Node doc/api/cli.md YAML `added:` lines; undici lib/dispatcher/env-http-proxy-agent.js):
- Node's global `fetch` (undici) ignores HTTP(S)_PROXY unless `NODE_USE_ENV_PROXY=1` (added v24.0.0,
  v22.21.0; nodejs/node#57165) or `--use-env-proxy` (v24.5.0, v22.21.0; nodejs/node#59151). Then it
  installs undici's `EnvHttpProxyAgent`, whose rules `proxy_for` follows: `http_proxy ?? HTTP_PROXY`,
  `https_proxy ?? HTTPS_PROXY` (an https URL falls back to the http proxy), no ALL_PROXY;
  `no_proxy ?? NO_PROXY` split on commas *and* blanks; `*` alone disables; an entry with `:port` only
  for that port; `example.com` matches that host only; `.example.com` and `*.example.com` match
  subdomains. Tested against the real node (its bundled undici) in tests/test_node_clients.py.
- The official SDKs (openai v5+, @anthropic-ai/sdk) call the global fetch: the same rule. openai v4
  and older @anthropic-ai/sdk used node-fetch with their own agent: proxy only via `httpAgent`.
- `https-proxy-agent` reads no variable (the app passes the URL); `global-agent` reads
  `GLOBAL_AGENT_HTTP_PROXY` / `GLOBAL_AGENT_HTTPS_PROXY` / `GLOBAL_AGENT_NO_PROXY` after
  `require('global-agent/bootstrap')`, for the http/https modules only, not fetch.
- Bun's fetch reads HTTP_PROXY, HTTPS_PROXY and NO_PROXY by itself (bun.sh docs, "Proxy").
- Trust: Node uses its bundled Mozilla CAs plus `NODE_EXTRA_CA_CERTS` (read at start-up), the system
  store only with `--use-system-ca` (v23.8.0, v22.15.0) or `NODE_USE_SYSTEM_CA=1` (v24.6.0, v22.19.0);
  `SSL_CERT_FILE` only with `--use-openssl-ca`; `NODE_TLS_REJECT_UNAUTHORIZED=0` turns verification off.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from llmdoctor.proxyenv.decision import DEFAULT_PORTS, ClientDecision, with_endpoint
from llmdoctor.secrets import redact_url

ENV_PROXY = ((24, 0), (22, 21))  # NODE_USE_ENV_PROXY: first major with it, and the backport line
CLI_ENV_PROXY = ((24, 5), (22, 21))
SYSTEM_CA_FLAG = ((23, 8), (22, 15))
SYSTEM_CA_ENV = ((24, 6), (22, 19))


def has(version: tuple[int, ...], since: tuple[tuple[int, int], tuple[int, int]]) -> bool:
    """True when `version` has a feature added in `since[0]` and backported to the `since[1]` line."""
    current, backport = since
    if version[:2] >= current:
        return True
    return version[:1] == backport[:1] and version[:2] >= backport


def node_options(env: Mapping[str, str]) -> list[str]:
    return env.get("NODE_OPTIONS", "").split()


def unknown_options(env: Mapping[str, str], version: tuple[int, ...]) -> list[str]:
    """Flags in NODE_OPTIONS this Node does not know: node then refuses to start at all (exit 9,
    "node: --use-env-proxy is not allowed in NODE_OPTIONS")."""
    known = {"--use-env-proxy": CLI_ENV_PROXY, "--use-system-ca": SYSTEM_CA_FLAG}
    return [f for f in node_options(env) if f in known and not has(version, known[f])]


def env_proxy_enabled(env: Mapping[str, str], version: tuple[int, ...]) -> bool:
    flag = "--use-env-proxy" in node_options(env)
    return (env.get("NODE_USE_ENV_PROXY") == "1" and has(version, ENV_PROXY)) or (flag and has(version, CLI_ENV_PROXY))


def _no_proxy_match(host: str, port: int, no_proxy: str) -> str | None:
    """undici EnvHttpProxyAgent #shouldProxy: the entry that sends (host, port) direct."""
    if no_proxy == "*":
        return "*"
    for entry in (e for e in re.split(r"[,\s]", no_proxy) if e):
        parsed = re.match(r"^(.+):(\d+)$", entry)
        name = (parsed.group(1) if parsed else entry).lower()
        entry_port = int(parsed.group(2)) if parsed else 0
        if entry_port and entry_port != port:
            continue
        if not re.match(r"^[.*]", name):
            if host == name:
                return entry
        elif host.endswith(re.sub(r"^\*", "", name)):
            return entry
    return None


def undici_env_decision(url: str, env: Mapping[str, str], client: str) -> ClientDecision:
    """undici's EnvHttpProxyAgent for `url` (what fetch does with NODE_USE_ENV_PROXY=1)."""
    import urllib.parse

    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return ClientDecision(client, "none", problem="the URL cannot be parsed")
    scheme = parts.scheme.lower()
    host = parts.netloc.rpartition("@")[2]
    host = re.sub(r":\d*$", "", host).lower()  # url.host keeps IPv6 brackets, as undici's does
    try:
        port = parts.port or DEFAULT_PORTS.get(scheme, 0)
    except ValueError:
        port = 0
    http = env.get("http_proxy") if "http_proxy" in env else env.get("HTTP_PROXY")
    https = env.get("https_proxy") if "https_proxy" in env else env.get("HTTPS_PROXY")
    no_proxy = env.get("no_proxy") if "no_proxy" in env else env.get("NO_PROXY", "")
    if not (http or https):
        return ClientDecision(client, "none")
    matched = _no_proxy_match(host, port, no_proxy or "")
    if matched is not None:
        return ClientDecision(client, "no_proxy", None, matched)
    name = ("https_proxy" if "https_proxy" in env else "HTTPS_PROXY") if scheme == "https" and https else \
        ("http_proxy" if "http_proxy" in env else "HTTP_PROXY")
    proxy = https if scheme == "https" and https else http
    if not proxy:
        return ClientDecision(client, "none")
    try:
        target = urllib.parse.urlsplit(proxy)
        proxy_port = target.port or DEFAULT_PORTS.get(target.scheme.lower(), 80)
        if target.scheme.lower() not in ("http", "https") or not target.hostname:
            raise ValueError(target.scheme)
    except ValueError:
        return ClientDecision(client, f"env:{name}", proxy, None,
                              f"undici's ProxyAgent rejects {name}={redact_url(proxy)!r} (needs http:// or https://)")
    return with_endpoint(ClientDecision(client, f"env:{name}", proxy), target.scheme, target.hostname, proxy_port)


def _with(decision: ClientDecision, version: str, note: str) -> ClientDecision:
    from dataclasses import replace

    return replace(decision, version=version, note=note)


def trust_note(env: Mapping[str, str], version: tuple[int, ...]) -> str:
    """Which CAs Node trusts in this environment (said on every Node row)."""
    options = node_options(env)
    parts = ["bundled Mozilla CAs"]
    if env.get("NODE_EXTRA_CA_CERTS"):
        parts.append(f"+ NODE_EXTRA_CA_CERTS={env['NODE_EXTRA_CA_CERTS']}")
    if ("--use-system-ca" in options and has(version, SYSTEM_CA_FLAG)) or (
            env.get("NODE_USE_SYSTEM_CA") == "1" and has(version, SYSTEM_CA_ENV)):
        parts.append("+ the system store")
    if "--use-openssl-ca" in options:
        parts = ["OpenSSL's store (SSL_CERT_FILE/SSL_CERT_DIR)"]
    elif env.get("SSL_CERT_FILE"):
        parts.append("(SSL_CERT_FILE is ignored)")
    text = "trusts " + " ".join(parts)
    if env.get("NODE_TLS_REJECT_UNAUTHORIZED") == "0":
        text = "certificate verification OFF (NODE_TLS_REJECT_UNAUTHORIZED=0)"
    return text


def node_decisions(url: str, env: Mapping[str, str], version: tuple[int, ...]) -> list[ClientDecision]:
    """The Node rows: fetch as it is, fetch with the env proxy switched on, the SDKs, the agents."""
    text = ".".join(map(str, version))
    unknown = unknown_options(env, version)
    if unknown:
        problem = (f"node {text} refuses to start: {unknown[0]} is not allowed in NODE_OPTIONS (exit 9); "
                   "every Node program in this environment fails")
        return [_with(ClientDecision(client, "env:NODE_OPTIONS", problem=problem), text, "remove it from NODE_OPTIONS")
                for client in ("node fetch", "openai (Node)", "@anthropic-ai/sdk")]
    trust = trust_note(env, version)
    enabled = env_proxy_enabled(env, version)
    configured = bool(env.get("HTTPS_PROXY") or env.get("https_proxy") or env.get("HTTP_PROXY")
                      or env.get("http_proxy"))
    if enabled:
        fetch = undici_env_decision(url, env, "node fetch")
        how = "NODE_USE_ENV_PROXY/--use-env-proxy is on"
    else:
        fetch = ClientDecision("node fetch", "none")
        how = ("ignores HTTP(S)_PROXY: set NODE_USE_ENV_PROXY=1" if has(version, ENV_PROXY) else
               f"ignores HTTP(S)_PROXY and Node {text} has no NODE_USE_ENV_PROXY (needs >= 22.21 or >= 24): the app "
               "must pass a dispatcher (undici ProxyAgent)") if configured else "no proxy variable"
    rows = [_with(fetch, text, f"{how}; {trust}")]
    if not enabled and has(version, ENV_PROXY) and configured:
        rows.append(_with(undici_env_decision(url, env, "node fetch + NODE_USE_ENV_PROXY=1"), text,
                          "what fetch does once NODE_USE_ENV_PROXY=1 is set"))
    for sdk in ("openai (Node)", "@anthropic-ai/sdk"):
        rows.append(_with(ClientDecision(sdk, fetch.source, fetch.proxy_url, fetch.bypass, fetch.problem,
                                         fetch.host, fetch.port, fetch.scheme), text,
                          "global fetch, as above (openai v4 / old @anthropic-ai/sdk: only an httpAgent proxies)"))
    rows.append(_with(ClientDecision("https-proxy-agent", "none"), "", "reads no variable: only the URL the app "
                                                                      "passes; NO_PROXY is not applied"))
    rows.append(_with(global_agent_decision(url, env), "", "GLOBAL_AGENT_* variables, after "
                      "require('global-agent/bootstrap'); http/https modules only, not fetch"))
    return rows


def global_agent_decision(url: str, env: Mapping[str, str]) -> ClientDecision:
    """global-agent (src/factories/createGlobalProxyAgent.js, src/utilities/isUrlMatchingNoProxy.js):
    GLOBAL_AGENT_HTTP_PROXY, GLOBAL_AGENT_HTTPS_PROXY (default: the HTTP one), GLOBAL_AGENT_NO_PROXY
    split on commas and blanks, each a glob (`matcher`) on the host name, a leading dot read as `*`
    (so `.example.com` also matches `example.com` and `myexample.com`), `:port` only that explicit port."""
    import fnmatch
    import urllib.parse

    try:
        parts = urllib.parse.urlsplit(url)
        host, port = (parts.hostname or "").lower(), parts.port
    except ValueError:
        return ClientDecision("global-agent", "none", problem="the URL cannot be parsed")
    http = env.get("GLOBAL_AGENT_HTTP_PROXY") or None
    https = env.get("GLOBAL_AGENT_HTTPS_PROXY") or http
    name = "GLOBAL_AGENT_HTTPS_PROXY" if parts.scheme == "https" and env.get("GLOBAL_AGENT_HTTPS_PROXY") else \
        "GLOBAL_AGENT_HTTP_PROXY"
    proxy = https if parts.scheme == "https" else http
    if not proxy:
        return ClientDecision("global-agent", "none")
    for rule in (r for r in re.split(r"[\s,]+", env.get("GLOBAL_AGENT_NO_PROXY", "")) if r):
        match = re.match(r"^(.+?)(?::(\d+))?$", re.sub(r"^\.", "*", rule))
        if match and fnmatch.fnmatchcase(host, match.group(1).lower()) and (
                not match.group(2) or (port is not None and str(port) == match.group(2))):
            return ClientDecision("global-agent", "no_proxy", None, rule)
    try:
        target = urllib.parse.urlsplit(proxy)
        proxy_port = target.port or 80
    except ValueError:
        return ClientDecision("global-agent", f"env:{name}", proxy, None, "the proxy URL does not parse")
    return with_endpoint(ClientDecision("global-agent", f"env:{name}", proxy), target.scheme or "http",
                         target.hostname or "", proxy_port)


def bun_decisions(url: str, env: Mapping[str, str], version: tuple[int, ...]) -> list[ClientDecision]:
    text = ".".join(map(str, version))
    decision = undici_env_decision(url, env, "bun fetch")
    return [_with(decision, text, "Bun reads HTTP_PROXY/HTTPS_PROXY/NO_PROXY itself (NO_PROXY matching as "
                                  "modelled for undici; Bun's own matcher may differ in corner cases)")]


def fix_changes(code: str, env: Mapping[str, str], node: tuple[int, ...] | None) -> dict[str, str | None]:
    """The variable changes that fix a Node finding (None unsets), for the shell-specific fix commands."""
    if code == "env.tls_verification_disabled":
        return {"NODE_TLS_REJECT_UNAUTHORIZED": None}
    if code == "env.node_proxy_ignored" and node is not None and has(node, ENV_PROXY):
        return {"NODE_USE_ENV_PROXY": "1"}
    if code == "tls.trust_store_mismatch" and env.get("SSL_CERT_FILE"):
        return {"NODE_EXTRA_CA_CERTS": env["SSL_CERT_FILE"]}
    return {}


def findings(env: Mapping[str, str], node: tuple[int, ...] | None) -> list[tuple[str, str, str]]:
    """(code, message, hint) for Node-specific problems; the analysis turns them into findings."""
    out: list[tuple[str, str, str]] = []
    if env.get("NODE_TLS_REJECT_UNAUTHORIZED") == "0":
        out.append(("env.tls_verification_disabled",
                    "NODE_TLS_REJECT_UNAUTHORIZED=0: every Node program in this shell accepts any certificate, "
                    "including a forged one (the API key can be stolen by whoever sits in between)",
                    "unset NODE_TLS_REJECT_UNAUTHORIZED, and trust your proxy's CA instead: "
                    "export NODE_EXTRA_CA_CERTS=/path/to/corporate-ca.pem"))
    if node is None:
        return out
    for flag in unknown_options(env, node):
        out.append(("env.proxy_misconfigured", f"NODE_OPTIONS holds {flag}, which Node {'.'.join(map(str, node))} "
                                               "does not know: every node program exits at start (code 9)",
                    f"Remove {flag} from NODE_OPTIONS, or upgrade Node (>= 22.21 / 24.5 for --use-env-proxy, "
                    ">= 22.15 / 23.8 for --use-system-ca)"))
    configured = bool(env.get("HTTPS_PROXY") or env.get("https_proxy") or env.get("HTTP_PROXY")
                      or env.get("http_proxy"))
    if configured and not env_proxy_enabled(env, node):
        text = ".".join(map(str, node))
        if has(node, ENV_PROXY):
            hint = "export NODE_USE_ENV_PROXY=1 (or node --use-env-proxy) so fetch and the SDKs use HTTPS_PROXY"
        else:
            hint = (f"Node {text} cannot read the proxy variables for fetch: upgrade to Node >= 22.21 or 24 and "
                    "export NODE_USE_ENV_PROXY=1, or pass an undici ProxyAgent as the dispatcher")
        out.append(("env.node_proxy_ignored",
                    f"a proxy variable is set, but Node {text}'s fetch (and the openai / anthropic Node SDKs, "
                    "Claude Code's or Gemini CLI's own fetch aside) ignores it and connects directly", hint))
    if env.get("SSL_CERT_FILE") and not env.get("NODE_EXTRA_CA_CERTS") and \
            "--use-openssl-ca" not in node_options(env):
        out.append(("tls.trust_store_mismatch",
                    f"SSL_CERT_FILE={env['SSL_CERT_FILE']} is set (Python trusts it) but Node ignores it: a CA that "
                    "only that file holds is unknown to Node",
                    f"export NODE_EXTRA_CA_CERTS={env['SSL_CERT_FILE']}"))
    return out
