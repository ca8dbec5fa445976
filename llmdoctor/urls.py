"""Validation of the URLs a user configures: API base URLs and proxy URLs. Pure functions."""

from __future__ import annotations

import ipaddress
import urllib.parse

PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")  # what httpx accepts (httpx/_config.py)


def is_local_host(host: str) -> bool:
    """Loopback, `localhost`, or a private/link-local address: plain http is acceptable there."""
    host = host.strip("[]").lower()
    if host in ("localhost", "host.docker.internal") or host.endswith(".localhost") or host.endswith(".local"):
        return True
    try:
        addr = ipaddress.ip_address(host)
    except ValueError:
        return False
    return addr.is_loopback or addr.is_private or addr.is_link_local


def split_url(url: str) -> urllib.parse.SplitResult | None:
    try:
        parts = urllib.parse.urlsplit(url)
        _ = parts.port  # raises ValueError for a bad port
    except ValueError:
        return None
    return parts


def validate_proxy_url(value: str) -> str | None:
    """A one-line problem with a proxy URL, or None when httpx can use it."""
    text = value.strip()
    if text != value:
        return f"{value!r} has surrounding whitespace"
    if any(c in "\"'" or c.isspace() or not c.isprintable() for c in text):
        return "the proxy URL contains quotes, spaces or control characters"
    if "://" not in text:
        return f"{text!r} has no scheme; write http://{text} (or socks5h://{text} for a SOCKS proxy)"
    scheme = text.split("://", 1)[0].lower()
    if scheme not in PROXY_SCHEMES:
        if scheme in ("socks", "socks4", "socks4a"):
            return f"httpx does not support {scheme}:// proxies; use socks5:// or socks5h://"
        return f"unsupported proxy scheme {scheme}:// (httpx accepts http, https, socks5, socks5h)"
    parts = split_url(text)
    if parts is None:
        return "the proxy URL cannot be parsed (bad port?)"
    if not parts.hostname:
        return "the proxy URL has no host"
    return None


def ip_or_none(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host is, brackets and an IPv6 zone left out; None for a name."""
    try:
        return ipaddress.ip_address(text.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def is_ipv4(text: str) -> bool:
    """A dotted IPv4 literal (the NO_PROXY rules of httpx, requests and curl each test for one)."""
    import ipaddress

    try:
        ipaddress.IPv4Address(text)
        return True
    except ValueError:
        return False


# Hosts that serve pages about an API, never the API: an error's "see https://platform.openai.com/docs/…" or a
# forum paste's issue link. Taken for the URL called, a fix would send the user's key to a documentation site.
_REFERENCE_HOSTS = frozenset({"platform.openai.com", "openai.com", "help.openai.com", "github.com", "docs.github.com",
                              "stackoverflow.com", "ai.google.dev", "aistudio.google.com", "console.anthropic.com",
                              "www.anthropic.com", "anthropic.com", "console.cloud.google.com", "portal.azure.com",
                              "learn.microsoft.com", "python.org", "docs.python.org", "nodejs.org"})
_REFERENCE_PREFIXES = ("docs.", "help.", "support.", "learn.", "community.", "status.")


def is_reference_link(url: str) -> bool:
    """A link to documentation, help or a forum (a host or a `/docs` path of that kind), not an API's URL."""
    parts = split_url(url)
    if parts is None:
        return False
    host = (parts.hostname or "").lower()
    path = parts.path.lower()
    return (host in _REFERENCE_HOSTS or host.startswith(_REFERENCE_PREFIXES) or host.endswith(".readthedocs.io")
            or path.startswith(("/docs/", "/doc/", "/help/")) or path in ("/docs", "/doc"))
