"""Which hop a client's error is about when the client's way of printing hides it.

The signature table says what a wording means; these rules read what a client leaves out:

- Rust's reqwest (and Codex, aichat, every CLI built on it) takes HTTP(S)_PROXY, ALL_PROXY and the system proxy
  by default and reports a failed connect with the *request's* URL and a bare `io::Error` ("tcp connect error:
  Connection refused (os error 111)", "stream disconnected before completion: ... (os error 10061)"): the
  address it dialed is not printed, so a dead proxy looks like the API refusing. A provider's API front end
  (api.openai.com, chatgpt.com, api.anthropic.com: Cloudflare and Google front ends) accepts on 443 from
  everywhere; the threads behind such refusals (reqwest#2079, codex#44517, tdog-cli#2) found a
  proxy setting pointing at a port where nothing listens. That is a most-likely reading, said as one, with
  how to confirm it. Node, Go, OkHttp and curl print the address they dialed (the proxy's when there is one),
  and their rows read that address directly.
- A resolver error for a name that is a URL's scheme ("getaddrinfo ENOTFOUND http", Node given
  "http://172.17.0.1:3128" as a host) or two URLs glued together ("proxy.example.orghttps"): a URL was put
  where a host name belongs - the proxy setting when the text is about a proxy, else the base URL.
- curl's "Connection timed out after N milliseconds" is its whole connect phase, which includes TLS; on a
  plain http:// URL with no proxy named there is no TLS, so it is the TCP connect.
- A wait for the answer that timed out when every URL is this machine's (localhost, host.docker.internal: a
  local model server such as Ollama) has no network in it: the model took longer to start answering than the
  client's timeout (AgenticGoKit's 30 s ResponseHeaderTimeout, a Go client's Client.Timeout, undici's
  headersTimeout). A connect to loopback does not time out - it is accepted or refused at once.
- A refusal or a timeout at the Docker host's name (host.docker.internal, gateway.docker.internal) on a proxy app's
  port is the host's proxy, which listens on 127.0.0.1 only unless "allow LAN" is on.
- A connect that timed out to a machine of the local network on a proxy app's port (Clash with "allow LAN",
  192.168.1.2:7890) is that proxy not answering, as `match` reads it for a refusal.
"""

from __future__ import annotations

import re

from llmdoctor.signatures.evidence import keep_stronger
from llmdoctor.signatures.prefilter import Lazy

Found = dict[str, tuple[float, str]]

# Rust's io::Error display ("(os error 61)"), hyper-util's and reqwest's connect wordings, Codex's stream error
_RUST_CONNECT = Lazy(r"\(os error \d+\)|tcp connect error|error trying to connect|client error \(connect\)|"
                     r"hyper::error\(connect|stream disconnected before completion", re.I)
# the coding agents' endpoints when their error names no URL: Codex talks to chatgpt.com or api.openai.com
_AGENT_WORDS = Lazy(r"stream disconnected before completion|codex", re.I)
# reqwest's Debug form of the URL ("url: Url { scheme: \"https\", ... host: Some(Domain(\"api.stripe.com\"))"), as Rust
# programs print an unwrapped reqwest::Error; and a public API's own host name (api.<name>.<tld>): such front ends
# (Cloudflare, Fastly, a cloud's load balancer) accept on 443 from everywhere, like the providers' do
_REQWEST_DEBUG_HOST = Lazy(r'host: some\(domain\("([^"\s]+)"\)\)', re.I)
_PUBLIC_API_HOST = Lazy(r"^api\.[a-z0-9-]+\.(?:com|io|ai|net|org|dev|co|app)$", re.I)
_AGENT_HOSTS = ("chatgpt.com", "api.openai.com", "api.anthropic.com", "generativelanguage.googleapis.com",
                "cloudcode-pa.googleapis.com")
_LOOPBACK = ("127.0.0.1", "localhost", "::1", "0.0.0.0")
# the name a resolver could not find, as Node, Python and Go print it
_NOT_FOUND = Lazy(r"getaddrinfo\s+(?:enotfound|eai_again)\s+(\S+)|failed to resolve '([^']+)'|"
                  r"lookup (\S+?)(?: on \S+)?: no such host", re.I)
_SCHEME_WORD = Lazy(r"^(?:https?|socks[45]?[ah]?)(?::|$)", re.I)
_GLUED_SCHEME = Lazy(r"\.[a-z]{2,12}?(?:https?|socks5h?)$", re.I)
_PROXY_WORDS = Lazy(r"\bprox(?:y|ies)\b|https?_proxy|all_proxy|proxyconnect|tunnel|代理", re.I)
_KNOWN_PROXY_PORT = Lazy(r":(?:7890|7891|7897|1080|10808|10809|3128|8118|8888|8080)\b")
_CURL_CONNECT_PHASE = Lazy(r"connection timed out after \d+ milli", re.I)
_SCHEMES = Lazy(r"\b(https?)://([^\s/'\"<>)]+)", re.I)
_CURL_DOCS = ("curl.haxx.se", "curl.se", "everything.curl.dev")
_LOCAL_SERVERS = ("127.0.0.1", "localhost", "::1", "0.0.0.0", "host.docker.internal")
_WAIT_WORDS = Lazy(r"timed? ?out|timeout|deadline exceeded", re.I)
_LOOPBACK_PROXY = Lazy(r"(?:127\.0\.0\.1\]?|localhost):(\d{2,5})\b", re.I)  # .NET: [::ffff:127.0.0.1]:7890
_DOCKER_HOST = Lazy(r"\b(?:host|gateway)\.docker\.internal:(\d{2,5})\b", re.I)
_LAN_PROXY = Lazy(r"\b(?:192\.168|10\.\d{1,3}|172\.(?:1[6-9]|2\d|3[01]))\.\d{1,3}\.\d{1,3}:(\d{2,5})\b", re.I)


def read(text: str, found: Found, vague: Found, hosts: list[str], remote_url: bool) -> bool:
    """Adds what the client's way of printing hides; True when the reading is a most-likely guess."""
    head = text[:200_000]
    _url_as_host(head, found, hosts)
    _curl_plain_http(head, found)
    _lan_proxy_timeout(head, found, remote_url)
    _local_server_too_slow(head, found, vague, hosts)
    _docker_host_proxy(head, found)
    return _hidden_proxy_refusal(head, found, hosts)


def _hidden_proxy_refusal(text: str, found: Found, hosts: list[str]) -> bool:
    refused = found.get("net.connect_refused")
    if not refused or refused[0] < 0.85 or any(cause.startswith(("proxy.", "env.")) for cause in found):
        return False
    hosts = hosts + [hit.group(1) for hit in _REQWEST_DEBUG_HOST.finditer(text)]
    if not _RUST_CONNECT.search(text) or any(host.lower() in _LOOPBACK for host in hosts):
        return False
    target = next((host for host in hosts if _provider_front_end(host)), None)
    if target is None and not (not hosts and _AGENT_WORDS.search(text)):
        return False
    where = target or "the API"
    found.pop("net.connect_refused")
    keep_stronger(found, "proxy.unreachable", 0.55,
                  f"The connection to {where} was refused, as this client prints it: with the request's URL and not "
                  "the address it dialed. It uses HTTPS_PROXY / ALL_PROXY (and the system proxy) by default, and "
                  f"{where} accepts connections from everywhere, so the refusal is most often a proxy setting that "
                  "points at a port where nothing listens.")
    keep_stronger(found, "net.connect_refused", 0.45,
                  f"Otherwise something on this machine or network refuses connections to {where} (a firewall, a "
                  "hosts entry sending the name to a local address).")
    return True


def _provider_front_end(host: str) -> bool:
    host = host.lower()
    if host in _AGENT_HOSTS or _PUBLIC_API_HOST.search(host):
        return True
    from llmdoctor.providers import owner_of_host

    return owner_of_host(host) is not None


def _url_as_host(text: str, found: Found, hosts: list[str]) -> None:
    if "dns.failure" not in found and "proxy.unreachable" not in found:
        return
    hit = _NOT_FOUND.search(text)
    name = hit and next((group for group in hit.groups() if group), None)
    if not name:
        return
    name = re.split(r"[\"',;\\]", name)[0]
    if not (_SCHEME_WORD.search(name) or _GLUED_SCHEME.search(name.split(":")[0])):
        return
    what = ("a whole URL" if "://" in name else "a URL's scheme" if _SCHEME_WORD.search(name) else
            "a host name with the next URL's scheme glued to it")
    said = (f"The name that does not resolve, {name!r}, is {what}, not a host name: a URL was given where only a host "
            "name belongs")
    lowered = name.lower()
    if _PROXY_WORDS.search(text) or "proxy" in lowered or _KNOWN_PROXY_PORT.search(name):
        unreachable = found.get("proxy.unreachable")
        if unreachable and repr(name.split("://")[0]) in unreachable[1]:
            found.pop("proxy.unreachable")
        keep_stronger(found, "env.proxy_misconfigured", 0.93,
                      f"{said}: the proxy setting is malformed - give the proxy as "
                      "http://host:port in one value, or host and port in their own fields.")
    else:
        keep_stronger(found, "config.base_url_invalid", 0.86, f"{said}: the base URL is malformed.")


def _curl_plain_http(text: str, found: Found) -> None:
    if "net.connect_timeout" in found or not _CURL_CONNECT_PHASE.search(text) or _PROXY_WORDS.search(text):
        return
    schemes = {hit.group(1).lower() for hit in _SCHEMES.finditer(text) if hit.group(2).lower() not in _CURL_DOCS}
    if schemes == {"http"}:
        keep_stronger(found, "net.connect_timeout", 0.8, "curl's connect phase timed out on a plain http:// URL: "
                      "with no TLS and no proxy in it, that is the TCP connect getting no answer.")


def _lan_proxy_timeout(text: str, found: Found, remote_url: bool) -> None:
    timeout = found.get("net.connect_timeout")
    if not timeout or "proxy.unreachable" in found:
        return
    # a connect on loopback is accepted or refused at once: one that timed out at a proxy app's port is that app
    # hung, whether or not the text shows the request's URL
    app = _proxy_app_at(_LOOPBACK_PROXY, text)
    if app:
        keep_stronger(found, "proxy.unreachable", max(timeout[0], 0.88) + 0.01,
                      f"The connect that timed out was to {app[0]}, the usual port of {app[1]}: a connect on this "
                      "machine is answered at once, so the proxy app there is hung or not accepting connections.")
        return
    app = _proxy_app_at(_LAN_PROXY, text) if remote_url else None
    if app:
        keep_stronger(found, "proxy.unreachable", max(timeout[0], 0.88) + 0.01,
                      f"The connect that timed out was to {app[0]}, a machine of the local network on the usual port "
                      f"of {app[1]}: that proxy does not answer (not running there, or not allowing LAN connections).")


def _proxy_app_at(where: Lazy, text: str) -> tuple[str, str] | None:
    """The first address:port in the text at the usual port of a proxy app, with the app's name (8080 and 8888
    are every other server's ports too)."""
    from llmdoctor.proxyenv.ports import KNOWN_PORTS

    for hit in where.finditer(text):
        port = int(hit.group(1))
        if port in KNOWN_PORTS and port not in (8080, 8888):
            return hit.group(0), KNOWN_PORTS[port]
    return None


def _local_server_too_slow(text: str, found: Found, vague: Found, hosts: list[str]) -> None:
    if not hosts or any(host.lower() not in _LOCAL_SERVERS for host in hosts) or any(
            cause.startswith(("proxy.", "env.")) for cause in found):
        return
    waited = found.get("net.read_timeout") or (vague.get("net.read_timeout") if _WAIT_WORDS.search(text) else None)
    if not waited or "net.connect_refused" in found:
        return
    keep_stronger(found, "net.client_timeout_too_short", max(waited[0], 0.8) + 0.01,
                  f"The server is on this machine ({hosts[0]}): no network is in between, so the wait that timed out "
                  "is the model taking longer to start answering (loading, thinking, a long prompt) than the client's "
                  "timeout allows.")


def _docker_host_proxy(text: str, found: Found) -> None:
    failed = found.get("net.connect_refused") or found.get("net.connect_timeout")
    if not failed or "proxy.unreachable" in found:
        return
    app = _proxy_app_at(_DOCKER_HOST, text)
    if app:
        keep_stronger(found, "proxy.unreachable", max(failed[0], 0.9) + 0.01,
                      f"The connection to {app[0]} failed: that is the Docker host's proxy ({app[1]}), which listens "
                      "on 127.0.0.1 only unless it allows LAN connections.")
