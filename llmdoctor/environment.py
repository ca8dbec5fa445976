"""Facts about the machine for a support ticket: OS, Python, package versions, proxy variables."""

from __future__ import annotations

import platform
import sys
from collections.abc import Mapping
from importlib import metadata

from llmdoctor import __version__
from llmdoctor.net.truststore import httpx_trust_store
from llmdoctor.secrets import redact_url

PACKAGES = ("httpx", "httpcore", "httpx2", "httpcore2", "socksio", "openai", "anthropic", "certifi",
            "truststore", "dnspython", "requests", "urllib3")
PROXY_VARIABLES = ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy",
                   "NO_PROXY", "no_proxy")
TLS_VARIABLES = ("SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")


def package_versions() -> dict[str, str | None]:
    versions: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def _sdk_stacks() -> list[dict[str, object]]:
    """Which HTTP stack (httpx or httpx2) each installed official SDK runs on, from metadata only."""
    from llmdoctor.proxyenv.sdks import installed

    try:
        return [stack.to_dict() for stack in installed(None)]
    except Exception:  # metadata of a broken install must not cost the report
        return []


def collect(env: Mapping[str, str]) -> dict[str, object]:
    """Everything here is safe to share: proxy URLs lose their passwords."""
    return {
        "os": f"{platform.system()} {platform.release()}",
        "platform": sys.platform,
        "python": platform.python_version(),
        "python_executable": sys.executable,
        "llmdoctor": __version__,
        "packages": package_versions(),
        "sdks": _sdk_stacks(),
        "proxy_variables": {k: redact_url(env[k]) for k in PROXY_VARIABLES if k in env},
        "tls_variables": {k: env[k] for k in TLS_VARIABLES if k in env},
        "trust_store": httpx_trust_store(env).to_dict(),
    }
