"""The names in a host-name mismatch: the host asked for against the names the certificate holds.

Every TLS stack that prints the certificate's names does it with one template, read from its source:
- Node (lib/tls.js, checkServerIdentity): "Host: %s. is not in the cert's altnames: DNS:a, DNS:b" and
  "IP: %s is not in the cert's list: %s" (ERR_TLS_CERT_ALTNAME_INVALID);
- Go (crypto/x509/verify.go, HostnameError.Error): "x509: certificate is valid for a, b, not %s" and
  "x509: certificate is not valid for any names, but wanted to match %s";
- curl (lib/vtls/openssl.c): "SSL: certificate subject name '%s' does not match target host name '%s'", and in
  a verbose run "subject: CN=%s" before "no alternative certificate subject name matches target host name '%s'".

What the names say tells the causes apart: a DNS filter's own name (a sinkhole, a block page) says the resolver
answered with the filter's address; a hosting platform's default certificate says the custom domain is not set up
on that platform; a wildcard one level up says the wildcard covers one label only; anything else is a server
answering with another site's certificate, which the text alone does not explain further. The names are quoted in
the reading so the user sees their own values.
"""

from __future__ import annotations

import re

Found = dict[str, tuple[float, str]]

_NODE_HOST = re.compile(r"Host: ([^\s\"']+?)\.? is not in the cert's altnames: ([^\n\"]*)")
_NODE_IP = re.compile(r"IP: ([0-9a-fA-F.:]+) is not in the cert's list: ([^\n\"]*)")
_GO = re.compile(r"x509: certificate is valid for ([^\n\"]+?), not ([^\s\"',]+)")
_CURL_SUBJECT = re.compile(r"certificate subject name '([^'\n]+)' does not match target host name '([^'\n]+)'")
_CURL_VERBOSE = re.compile(r"subject: [^\n]*?\bCN ?= ?([^\s,;/]+)(?s:.{0,2000}?)no alternative certificate subject "
                           r"name matches target host name '([^'\n]+)'")
# a DNS filter answers a blocked name with its own address, whose page carries the filter's certificate
_FILTER = re.compile(r"sinkhole|opendns\.com|umbrella|\bpi\.hole\b|adguard|nextdns|block ?page|\bblocked?\b|"
                     r"\bblock\.", re.I)
# hosting platforms' and ingress controllers' default certificates: the custom domain is not set up there
_PLATFORM = re.compile(r"azurewebsites\.|\.up\.railway\.app|railway\.app|herokuapp\.com|vercel\.app|netlify\.|"
                       r"cloudfront\.net|github\.io|b-cdn\.net|onrender\.com|fly\.dev|pages\.dev|workers\.dev|"
                       r"azureedge\.net|appspot\.com|run\.app|elb\.amazonaws\.com|traefik default cert|"
                       r"kubernetes ingress controller fake certificate|ingress\.local", re.I)
_SECOND_LEVEL = frozenset(("co", "com", "net", "org", "gov", "edu", "ac", "ne", "or", "go"))


def names(text: str) -> tuple[str, list[str]] | None:
    """(host asked for, the certificate's names) when the text prints both."""
    hit = _NODE_HOST.search(text) or _NODE_IP.search(text)
    if hit:
        return hit.group(1), [n.split(":", 1)[-1].strip() for n in hit.group(2).split(",") if n.strip()]
    hit = _GO.search(text)
    if hit:
        return hit.group(2), [n.strip() for n in hit.group(1).split(",") if n.strip()]
    hit = _CURL_SUBJECT.search(text) or _CURL_VERBOSE.search(text)
    if hit:
        return hit.group(2), [hit.group(1)]
    return None


def _site(name: str) -> str:
    """The registrable part of a name, roughly: the last two labels (three under co.uk, com.cn and the like)."""
    labels = name.lower().strip(".").lstrip("*.").split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def _is_ip(name: str) -> bool:
    return bool(re.fullmatch(r"[0-9.]+|[0-9a-fA-F:]+:[0-9a-fA-F:]*", name))


def read(text: str, found: Found) -> None:
    """Refines a host-name mismatch in `found` by the names the text prints."""
    if "tls.hostname_mismatch" not in found:
        return
    pair = names(text[:200_000])
    if not pair:
        return
    wanted, held = pair
    shown = ", ".join(held[:4]) + (", ..." if len(held) > 4 else "") if held else "no names"
    confidence = found["tls.hostname_mismatch"][0]
    filtered = next((n for n in held if _FILTER.search(n)), None)
    if filtered:
        found["dns.hijacked"] = (max(confidence, 0.9) + 0.02,
                                 f"The server that answered for {wanted} holds a DNS filter's certificate "
                                 f"({filtered}): the resolver sent {wanted} to the filter's block page instead of "
                                 f"the real server, so the filter blocks {wanted}. Ask whoever runs the filter (IT, "
                                 "the router's DNS) to allow it, or use a resolver that does not filter it.")
        return
    platform = next((n for n in held if _PLATFORM.search(n)), None)
    if platform and not _PLATFORM.search(wanted):
        message = (f"The address of {wanted} answers with its hosting platform's default certificate ({platform}), "
                   f"not one for {wanted}: the custom domain is not set up on that platform, or its certificate was "
                   "never issued. Whoever runs that server fixes it; meanwhile use the platform's own address.")
    elif _is_ip(wanted):
        listed = (f"names only {shown}: connect by one of those names" if held
                  else "lists no names for it: connect by the server's host name")
        message = (f"You connected to the IP address {wanted}, and the certificate {listed}, or give the server a "
                   "certificate that lists the IP address.")
    elif any(n.startswith("*.") and wanted.lower().endswith(n[1:].lower()) for n in held):
        message = (f"The certificate's wildcard ({shown}) covers one label only, and {wanted} sits deeper: the "
                   "server needs a certificate that names it; check the host in your base URL.")
    elif any(_site(n) == _site(wanted) for n in held):
        message = (f"The certificate is for {shown}, a sibling of {wanted} on the same domain: the base URL's host "
                   "is not one the server's certificate covers; use the listed name or fix the server's certificate.")
    else:
        message = (f"The certificate that came back is for {shown}, another site than {wanted}: the server at that "
                   f"address serves someone else's certificate, DNS or a hosts entry sends {wanted} elsewhere, or "
                   "the base URL names the wrong host. Check what the name resolves to and the base URL's host.")
    found["tls.hostname_mismatch"] = (confidence, message)
