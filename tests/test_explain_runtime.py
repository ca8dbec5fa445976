"""A pasted error from Node, curl, Go, Java, .NET, PHP or Rust gets that runtime's fix, never Python's (certifi,
pip, truststore).

The runtime is read from marks only that runtime prints (llmdoctor/explain/runtime.py); it is checked
against the client each corpus row's source names, and the fix text against what each runtime really reads.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from llmdoctor.explain.runtime import runtime_of

ROOT = Path(__file__).resolve().parent.parent
# The corpus's client labels, by runtime (only labels whose runtime is certain).
RUNTIMES = {
    "python": {"openai-python", "requests", "httpx", "anthropic-python", "openai-python-async", "litellm", "langchain",
               "aiohttp", "urllib", "pysocks", "python", "openai-python-0.x", "curl_cffi"},
    "node": {"openai-node", "node-fetch", "node", "undici", "axios", "claude-code", "node-tunnel-agent",
             "vercel-ai-sdk", "gemini-cli", "qwen-code"},
    "go": {"go", "go-net-http"}, "java": {"java", "spring-ai"}, "curl": {"curl"},
    "dotnet": {"dotnet", "dotnet-httpclient"}, "php": {"php", "guzzle", "php-curl", "php-guzzle"},
    "rust": {"rust", "reqwest", "reqwest-rustls", "deno"},
}
PYTHON_ONLY = re.compile(r"\bcertifi\b|\bpip install\b|truststore\.inject|SSL_CERT_FILE=/path/to/company|\bPython\b")

NODE_TLS = ("Error: unable to get local issuer certificate\n    at TLSSocket.onConnectSecure (node:_tls_wrap:1674:34)\n"
            "    at TLSSocket.emit (node:events:519:28) {\n  code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'\n}")
CURL_TLS = ("curl: (60) SSL certificate problem: self-signed certificate in certificate chain\n"
            "More details here: https://curl.se/docs/sslcerts.html")
GO_TLS = ('Get "https://api.openai.com/v1/models": tls: failed to verify certificate: x509: certificate signed by '
          'unknown authority')
JAVA_TLS = ("javax.net.ssl.SSLHandshakeException: PKIX path building failed: "
            "sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to "
            "requested target")
PY_TLS = ("httpx.ConnectError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate in "
          "certificate chain (_ssl.c:1006)")


def test_the_runtime_read_from_a_corpus_text_is_never_another_than_its_sources() -> None:
    by_label = {label: runtime for runtime, labels in RUNTIMES.items() for label in labels}
    read = wrong = 0
    for path in sorted((ROOT / "tests" / "corpus").glob("*.jsonl")):
        if path.name == "holdout.jsonl":
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            truth, got = by_label.get(row["client"]), runtime_of(row["text"])
            if truth and got:
                read += 1
                wrong += got != truth
    assert read > 300 and wrong == 0


def _explain(text: str, lang: str = "en") -> dict:
    run = subprocess.run([sys.executable, "-m", "llmdoctor", "explain", "--json", "--lang", lang, text],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 1, run.stderr
    return json.loads(run.stdout)


@pytest.mark.parametrize(("text", "runtime", "says"), [
    (NODE_TLS, "node", "NODE_EXTRA_CA_CERTS=/path/to/"),
    (CURL_TLS, "curl", "curl --cacert /path/to/"),
    (GO_TLS, "go", "update-ca-certificates"),
    (JAVA_TLS, "java", "keytool -importcert -cacerts"),
])
def test_a_tls_error_from_another_runtime_gets_that_runtimes_fix(text: str, runtime: str, says: str) -> None:
    assert runtime_of(text) == runtime
    lead = _explain(text)["causes"][0]
    assert lead["layer"] == "tls"
    words = " ".join([lead["explanation"], *lead["fix"], *lead.get("docs", [])])
    assert says in words
    assert not PYTHON_ONLY.search(words)


def test_the_chinese_view_of_a_node_tls_error_names_node_extra_ca_certs() -> None:
    lead = _explain(NODE_TLS, "zh")["causes"][0]
    assert "NODE_EXTRA_CA_CERTS" in " ".join(lead["fix"]) and not PYTHON_ONLY.search(lead["explanation"])


def test_a_python_tls_error_keeps_pythons_fix() -> None:
    lead = _explain(PY_TLS)["causes"][0]
    words = " ".join([lead["explanation"], *lead["fix"]])
    assert "SSL_CERT_FILE" in words and "NODE_EXTRA_CA_CERTS" not in words
