"""Reads which hop answered in a pasted transcript: the proxy's CONNECT reply, a proxy that let the tunnel up and
then lost the site, a private server's own CA, a TLS handshake with the proxy itself.

The signature table says what a wording means; these rules say whose answer it is, from the structure of the
paste:

- curl -v shows what it sent (`> CONNECT host:443`, `> Proxy-Connection: Keep-Alive`) and what came back
  (`< HTTP/1.1 407`). The first answer after a CONNECT is the proxy's, never the API's: tinyproxy and wstunnel
  answer a wrong password with 401, Fiddler a failed lookup with 502.
- A proxy that granted the tunnel (CONNECT 200, "SOCKS5 request granted") after which the exchange dies
  without a byte (reset, empty reply, EOF) could not reach the site: 3proxy answers 200 before it has tried.
- urllib3 calls `_connect_tls_proxy` only for an https:// proxy URL: an EOF or WRONG_VERSION_NUMBER there is
  TLS spoken to a plain-HTTP proxy.
- A chain ending in a self-signed root on a private address (10/8, 172.16/12, 192.168/16, *.local) is that
  server's own CA: interception is about public sites.
- Node's `socket hang up` / `read ECONNRESET` while a local proxy port (7890) and a remote API are named: the
  proxy closed the connection.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from llmdoctor.secrets import redact_text
from llmdoctor.signatures.evidence import keep_stronger
from llmdoctor.signatures.prefilter import Lazy
from llmdoctor.signatures.proxyanswer import connect_status_cause

Found = dict[str, tuple[float, str]]

_SENT_CONNECT = Lazy(r"^[^<>\n]{0,12}>\s*connect\s+[^\s:]+:\d+|establish http proxy tunnel to", re.I | re.M)
_SENT_VIA_PROXY = Lazy(r"^[^<>\n]{0,12}>\s*proxy-connection:", re.I | re.M)
_ANSWER = Lazy(r"^[^<>\n]{0,12}<\s*http/\d(?:\.\d)?\s+(\d{3})\b[^\n]*", re.I | re.M)
# (a proxy's own reason phrase for its 200 to CONNECT, "HTTP/1.1 200 Connection established" (Squid, Clash/mihomo,
# tinyproxy), is what `curl -I` prints of the proxy's answer with no "<" before it)
_TUNNEL_UP = Lazy(r"connect tunnel established, response 200|connect phase completed|proxy replied 200 to connect|"
                  r"\bhttp/1\.[01] 200 connection established\b|"
                  r"socks[45]a? request granted|socks5 connect to [^\n]+\(remotely resolved\)", re.I)
_DIED = Lazy(r"empty reply from server|connection reset|connection was reset|recv failure|"
             r"software caused connection abort|ssl_error_syscall|unexpected eof|curl: \((?:35|52|56)\)", re.I)
_TLS_TO_PROXY = Lazy(r"_connect_tls_proxy(?s:.*)(?:eof occurred|ssleoferror|wrong_version_number|"
                     r"wrong version number|connection reset|ssl: )", re.I)
_PRIVATE_HOST = Lazy(r"(?:host='|https?://|connected to |\bhost:? )(?:10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|"
                     r"172\.(?:1[6-9]|2\d|3[01])\.\d+\.\d+|[\w-]+(?:\.[\w-]+)*\.(?:local|lan|internal|intranet))\b|"
                     # an https:// URL on loopback is the user's own server (mkcert, a dev certificate, a local
                     # gateway); a local proxy is an http:// URL, and a name a local tool took over (hosts file) is
                     # still the public name in the URL
                     r"https://(?:localhost|127\.\d+\.\d+\.\d+|\[::1\])(?![\w.-])",
                     re.I)
_HANG_UP = Lazy(r"socket hang up|read econnreset", re.I)

_SAYS = {"proxy.auth_failed": "the proxy wants (other) credentials",
         "proxy.protocol_mismatch": "that address is an HTTP server, not a forward proxy that tunnels",
         "proxy.blocked": "the proxy refuses to open a tunnel to this host",
         "proxy.upstream_failed": "the proxy could not reach the site"}


def read(text: str, found: Found, vague: Found, local_proxy: Callable[[], tuple[int, str] | None],
         remote_url: bool) -> None:
    """Adds what the structure of the paste shows; `local_proxy` finds a loopback proxy port in the text."""
    head = text[:200_000]
    lowered = head.lower()
    connect = _SENT_CONNECT.search(head, lowered)
    forward = None if connect else _SENT_VIA_PROXY.search(head, lowered)
    sent = connect or forward
    if sent:
        answer = _ANSWER.search(head[sent.end():], lowered[sent.end():])
        status = int(answer.group(1)) if answer else None
        cause = connect_status_cause(status) if status and (connect or status >= 500) else None
        if cause in _SAYS and answer:
            said = redact_text(answer.group(0).strip(" <")[:120])
            keep_stronger(found, cause, 0.95, f"The proxy itself answered {said!r} to the "
                          f"{'CONNECT' if connect else 'request sent through it'}: {_SAYS[cause]}.")
            for other in ("gateway.error", "auth.invalid_key", "server.error", "server.overloaded"):
                found.pop(other, None)
    if _TUNNEL_UP.search(head, lowered) and _DIED.search(head, lowered) and not _cert_failure(found):
        keep_stronger(found, "proxy.upstream_failed", 0.9, "The proxy accepted the tunnel, then the connection died "
                      "before the site said anything: the proxy (or the server behind it) could not reach the site.")
        vague.pop("proxy.upstream_failed", None)
    if _TLS_TO_PROXY.search(head, lowered):
        keep_stronger(found, "proxy.protocol_mismatch", 0.94, "The TLS handshake that failed was with the proxy "
                      "itself (urllib3's _connect_tls_proxy, used for an https:// proxy URL): the proxy speaks plain "
                      "HTTP, so the proxy URL should start with http://.")
    if "tls.unknown_ca" in found and "tls.intercepted" in found and _PRIVATE_HOST.search(head, lowered):
        keep_stronger(found, "tls.unknown_ca", max(found["tls.intercepted"][0], found["tls.unknown_ca"][0]) + 0.02,
                      "The unknown issuer belongs to a server on a private address: that server uses its own CA, "
                      "which this client does not trust.")
    elif "tls.intercepted" in found and _PRIVATE_HOST.search(head, lowered):
        keep_stronger(found, "tls.self_signed", max(found["tls.intercepted"][0], 0.85) + 0.02,
                      "The self-signed root belongs to a server on a private address: that server uses its own CA, "
                      "which this client does not trust.")
    if _HANG_UP.search(head, lowered) and remote_url:
        port = local_proxy()
        if port:
            keep_stronger(found, "proxy.not_responding", 0.82, f"The connection was closed by the local proxy on "
                          f"127.0.0.1:{port[0]} ({port[1]}) before any answer came.")


def private_host(text: str) -> bool:
    """The text calls a server on a private address (10/8, 172.16/12, 192.168/16, *.local): its own CA, not a MITM."""
    head = text[:200_000]
    return bool(_PRIVATE_HOST.search(head, head.lower()))


def _cert_failure(found: Found) -> bool:
    return any(cause in found for cause in ("tls.unknown_ca", "tls.intercepted", "tls.self_signed",
                                            "tls.hostname_mismatch", "tls.expired", "tls.verify_failed"))
