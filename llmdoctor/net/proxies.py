"""Which proxy a request takes, decided exactly as httpx decides it, from an environment snapshot.

httpx (`_utils.get_environment_proxies`) reads `urllib.request.getproxies()`: lower-case variables
win over upper-case ones, an empty lower-case value unsets the upper-case one, `HTTP_PROXY` is ignored
under CGI (`REQUEST_METHOD` set). Then it builds mount patterns — NO_PROXY entries become
`all://*host` patterns, `*` disables every proxy — and the most specific matching pattern wins.
We rebuild the mounts from our snapshot (never `os.environ`) and reuse httpx's own `URLPattern`
(a private name: llmdoctor/httpx_internals.py holds it).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass

from llmdoctor.secrets import redact_url


@dataclass(frozen=True)
class ProxyChoice:
    """The proxy for one URL and why: `url` is None for a direct connection."""

    url: str | None
    source: str  # e.g. "env:https_proxy", "--proxy", "--no-proxy", "none"
    bypass: str | None = None  # the NO_PROXY entry that sent this URL direct

    @property
    def redacted(self) -> str | None:
        return redact_url(self.url) if self.url else None

    @property
    def scheme(self) -> str:
        return self.url.split("://", 1)[0].lower() if self.url and "://" in self.url else ""

    def to_dict(self) -> dict[str, str | None]:
        return {"proxy": self.redacted, "source": self.source, "bypassed_by": self.bypass}


def urllib_proxies(env: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """`urllib.request.getproxies_environment()` over a snapshot: scheme -> (value, variable name)."""
    proxies: dict[str, tuple[str, str]] = {}
    for name, value in env.items():
        lowered = name.lower()
        if value and lowered.endswith("_proxy"):
            proxies[lowered[:-6]] = (value, name)
    if "REQUEST_METHOD" in env:
        proxies.pop("http", None)
    for name, value in env.items():
        if name.endswith("_proxy"):
            key = name.lower()[:-6]
            if value:
                proxies[key] = (value, name)
            else:
                proxies.pop(key, None)
    return proxies


def _is_ipv4(host: str) -> bool:
    try:
        ipaddress.IPv4Address(host.split("/")[0])
        return True
    except ValueError:
        return False


def _is_ipv6(host: str) -> bool:
    try:
        ipaddress.IPv6Address(host.split("/")[0])
        return True
    except ValueError:
        return False


def _no_proxy_pattern(host: str, flavour: str) -> str | None:
    """The mount pattern one NO_PROXY entry becomes; the two libraries differ on CIDR and `*.` entries."""
    if "://" in host:
        return host
    if _is_ipv4(host):
        return f"all://{host}"
    if _is_ipv6(host):
        if flavour == "httpx2":
            addr, _, subnet = host.partition("/")
            return f"all://[{addr}]/{subnet}" if subnet else f"all://[{host}]"
        return f"all://[{host}]"
    if host.lower() == "localhost":
        return f"all://{host}"
    if flavour == "httpx":
        return f"all://*{host}"  # httpx 0.28: `*.example.com` becomes `**.example.com`, which never matches
    if host.startswith("[") or (host.startswith("*.") and "/" not in host):
        return f"all://{host}"
    return f"all://*{host}" if "/" not in host else None


def environment_mounts(env: Mapping[str, str], flavour: str = "httpx") -> list[tuple[str, str | None, str]]:
    """The mount table (pattern, proxy URL or None for direct, the variable it came from).

    `flavour` "httpx" follows httpx 0.28 (`_utils.get_environment_proxies`), which llmdoctor's own
    probes use; "httpx2" follows httpx2, the stack of the recent official SDKs.
    """
    info = urllib_proxies(env)
    mounts: list[tuple[str, str | None, str]] = []
    for scheme in ("http", "https", "all"):
        if scheme in info:
            value, var = info[scheme]
            mounts.append((f"{scheme}://", value if "://" in value else f"http://{value}", var))
    no_value, no_var = info.get("no", ("", "NO_PROXY"))
    for raw in no_value.split(","):
        host = raw.strip()
        if host == "*":
            return []
        if not host:
            continue
        pattern = _no_proxy_pattern(host, flavour)
        if pattern is not None:
            mounts.append((pattern, None, f"{no_var}={host}"))
    return mounts


def choose_proxy(url: str, env: Mapping[str, str], override: str | None = None,
                 no_proxy: bool = False, flavour: str = "httpx") -> ProxyChoice:
    """The proxy httpx (or httpx2) would use for `url` with `trust_env=True`, or the CLI's override."""
    if no_proxy:
        return ProxyChoice(None, "--no-proxy")
    if override:
        return ProxyChoice(override, "--proxy")
    from httpx import URL

    from llmdoctor.httpx_internals import url_pattern  # httpx's own matcher, so the choice is exactly httpx's

    request_url = URL(url)
    matches = []
    for pattern_text, proxy, var in environment_mounts(env, flavour):
        try:
            pattern = url_pattern(pattern_text)
        except Exception:  # httpx drops patterns it cannot parse; so do we
            continue
        if pattern.matches(request_url):
            matches.append((pattern, proxy, var))
    if not matches:
        return ProxyChoice(None, "none")
    pattern, proxy, var = sorted(matches, key=lambda m: m[0])[0]  # URLPattern sorts most specific first
    if proxy is None:
        return ProxyChoice(None, "no_proxy", bypass=var.split("=", 1)[1])
    return ProxyChoice(proxy, f"env:{var}")


def predict_proxy(url: str, env: Mapping[str, str], override: str | None = None,
                  no_proxy: bool = False) -> ProxyChoice | None:
    """`choose_proxy`'s answer without importing httpx (~50 ms), where it cannot differ; None elsewhere.

    For the path opened early (net/early.py), before httpx is loaded. Only the plain case is
    answered: no NO_PROXY entry (which takes httpx's own matcher), an http(s) URL; then httpx's
    mounts for it are `https://` (or `http://`) and `all://`, and the scheme's one is the more
    specific. tests/test_early_path.py holds it to `choose_proxy` over the fidelity matrix.
    """
    if no_proxy:
        return ProxyChoice(None, "--no-proxy")
    if override:
        return ProxyChoice(override, "--proxy")
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme not in ("http", "https"):
        return None
    info = urllib_proxies(env)
    if info.get("no", ("", ""))[0].strip():
        return None
    for key in (scheme, "all"):
        if key in info:
            value, var = info[key]
            return ProxyChoice(value if "://" in value else f"http://{value}", f"env:{var}")
    return ProxyChoice(None, "none")
