"""Facts about the machine for a support ticket: OS, Python, package versions, proxy variables."""

from __future__ import annotations

import platform
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from llmdoctor import __version__, distinfo
from llmdoctor.net.truststore import httpx_trust_store
from llmdoctor.secrets import redact_url

if TYPE_CHECKING:
    from llmdoctor.runmemo import RunMemo

PACKAGES = ("httpx", "httpcore", "httpx2", "httpcore2", "socksio", "openai", "anthropic", "certifi",
            "truststore", "dnspython", "requests", "urllib3")
PROXY_VARIABLES = ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy",
                   "NO_PROXY", "no_proxy")
TLS_VARIABLES = ("SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")


def package_versions() -> dict[str, str | None]:
    return {name: distinfo.version(name) for name in PACKAGES}


def _sdk_stacks() -> list[dict[str, object]]:
    """Which HTTP stack (httpx or httpx2) each installed official SDK runs on, from metadata only."""
    from llmdoctor.proxyenv.sdks import installed

    try:
        return [stack.to_dict() for stack in installed(None)]
    except Exception:  # metadata of a broken install must not cost the report
        return []


def _route(row: Mapping[str, object]) -> str:
    """One cell: what the client does with that URL, in words a support engineer reads aloud."""
    if row.get("problem"):
        return f"fails: {row['problem']}"
    if row.get("proxy"):
        hop = f" -> {row['connects_to']}" if row.get("connects_to") and str(row["connects_to"]) not in str(
            row["proxy"]) else ""
        return f"via {row['proxy']} ({row['source']}){hop}"
    if row.get("bypassed_by"):
        return f"direct (NO_PROXY {row['bypassed_by']})"
    return "direct"


def client_table(env: Mapping[str, str], urls: Sequence[tuple[str, str]],
                 python: str | None = None, memo: RunMemo | None = None) -> dict[str, object]:
    """Per client, what it does with each target's URL: one table (rows: clients; one column per target).

    The rows are the user's Python clients (the interpreter `llmdoctor.interpreter` picks), curl,
    Node.js / Bun when installed, Go and Rust; each row says where it runs and its version.
    """
    from llmdoctor.interpreter import describe_once
    from llmdoctor.proxyenv.analysis import analyse, observe
    from llmdoctor.proxyenv.system import reader_for

    try:
        pythons = describe_once(env, python)
        obs = observe(env, reader_for(sys.platform, env), None, pythons=pythons, memo=memo)
        analysis = analyse(env, urls, obs)
    except Exception as exc:  # the table must never cost the report
        return {"error": f"{type(exc).__name__}: {exc}", "targets": [], "rows": []}
    rows: dict[str, dict[str, object]] = {}
    for target in analysis.targets:
        for decision in target.decisions:
            data = decision.to_dict()
            row = rows.setdefault(decision.client, {
                "client": decision.client, "version": decision.version,
                "runs_in": decision.interpreter or "", "note": decision.note, "routes": {}})
            routes = row["routes"]
            assert isinstance(routes, dict)
            routes[target.name] = _route(data)
    return {"targets": [{"name": t.name, "url": t.url} for t in analysis.targets],
            "pythons": [p.to_dict() for p in obs.pythons], "rows": list(rows.values())}


def _user_sdks(table: Mapping[str, object]) -> list[dict[str, object]] | None:
    """The SDK stacks of the first described interpreter (the one the per-client rows describe)."""
    from llmdoctor.proxyenv.sdks import from_python
    from llmdoctor.proxyenv.stack import PythonStack

    pythons = table.get("pythons")
    if not isinstance(pythons, list) or not pythons:
        return None
    first = pythons[0]
    py = PythonStack(str(first["executable"]), str(first["version"]), dict(first["packages"]),
                     dict(first["importable"]), str(first["chosen_by"]))
    return [s.to_dict() for s in from_python(py)]


def collect(env: Mapping[str, str], urls: Sequence[tuple[str, str]] = (),
            python: str | None = None, memo: RunMemo | None = None) -> dict[str, object]:
    """Everything here is safe to share: proxy URLs lose their passwords. With the run's `memo`, the OS
    proxy settings and the proxy ports' state the checks read are not read again."""
    extra: dict[str, object] = {}
    if urls:
        table = client_table(env, urls, python, memo)
        extra["clients"] = table
        extra["described_pythons"] = table.get("pythons", [])
        user_sdks = _user_sdks(table)
        if user_sdks is not None:
            extra["sdks"] = user_sdks
    return {
        "os": f"{platform.system()} {platform.release()}",
        "platform": sys.platform,
        "python": platform.python_version(),
        "python_executable": sys.executable,  # llmdoctor's own; the user's: described_pythons
        "packages_of": "llmdoctor's own interpreter",
        "llmdoctor": __version__,
        "packages": package_versions(),
        "sdks": _sdk_stacks(),
        "proxy_variables": {k: redact_url(env[k]) for k in PROXY_VARIABLES if k in env},
        "tls_variables": {k: env[k] for k in TLS_VARIABLES if k in env},
        "trust_store": httpx_trust_store(env).to_dict(),
        **extra,
    }
