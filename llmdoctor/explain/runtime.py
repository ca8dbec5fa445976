"""Which runtime printed a pasted error: its fix differs (Node does not read SSL_CERT_FILE, curl has no pip).

A cause's texts are written for Python, the live run's runtime. A text that another runtime printed gets
that runtime's steps where the cause has them (`by_client` in its file, llmdoctor/knowledge.py): a company
CA is NODE_EXTRA_CA_CERTS for Node, `--cacert` for curl, the OS store for Go, `keytool` for Java.

Only marks a runtime alone prints count (its error codes, its frames, its tool prefix); a text that also
shows a Python traceback is Python's (a Python program that quotes a curl line). None when nothing says.
"""

from __future__ import annotations

import re

# Python first: its traceback or exception types mean the failing call was Python's, whatever it quotes.
_MARKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("python", re.compile(r"Traceback \(most recent call last\)|\bssl\.SSL\w*Error|\[SSL: [A-Z_]+\]|"
                          r"\b(?:httpx|httpcore|requests|urllib3|aiohttp)\.\w*(?:Error|Exception)\b|"
                          r"\bopenai\.\w*Error\b|\banthropic\.\w*Error\b|File \"[^\"]+\.py\", line \d+")),
    ("java", re.compile(r"\bjavax\.net\.ssl\.|\bsun\.security\.|PKIX path building failed|\bjava\.(?:net|io)\.\w+|"
                        r"\bjava\.security\.\w+Exception\b|\bInvalidAlgorithmParameterException\b")),
    ("node", re.compile(r"\bnode:(?:internal|_tls_wrap|net|events)\b|\bat TLSSocket\.|\bUND_ERR_[A-Z_]+|"
                        r"\b(?:UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|"
                        r"UNABLE_TO_VERIFY_LEAF_SIGNATURE|CERT_HAS_EXPIRED|ERR_TLS_CERT_ALTNAME_INVALID)\b|"
                        r"TypeError: fetch failed|\bAxiosError\b|NODE_TLS_REJECT_UNAUTHORIZED")),
    # .NET's HttpClient/SslStream (Windows' store, the Keychain, OpenSSL's store on Linux), PHP's cURL
    # extension and Guzzle (php.ini's curl.cainfo), Rust's rustls/webpki and the programs built on it (reqwest,
    # hyper, Deno, uv, Codex): each trusts its own store, so each has its own fix
    ("dotnet", re.compile(r"\bSystem\.Net\.(?:Http|Security|WebException)\b|\bSystem\.Security\.Authentication\.|"
                          r"The SSL connection could not be established|\bThe remote certificate is invalid\b|"
                          r"\bRemoteCertificate(?:ChainErrors|NameMismatch)\b|"
                          r"certificate chain: (?:UntrustedRoot|PartialChain|RevocationStatusUnknown)\b|"
                          # HttpClient.SendAsync's TaskCanceledException (Strings.resx net_http_request_timedout)
                          r"\bconfigured HttpClient\.Timeout of\b")),
    # (Symfony HttpClient and openai-php's own exceptions, with or without the namespace's backslashes)
    ("php", re.compile(r"\bcURL error \d+: |\bGuzzleHttp\\|\bCurlFactory\.php\b|\bcurl\.cainfo\b|\bphp\.ini\b|"
                       r"\bSymfony\\*Component\\*HttpClient|\bOpenAI\\+(?:Exceptions|Transporters)\\")),
    ("rust", re.compile(r"\binvalid peer certificate\b|\binvalid certificate: UnknownIssuer\b|\breqwest::|"
                        r"\bhyper::Error\b|\bWebPKIError\b|\brustls::|"
                        r"error trying to connect: (?:invalid|tls|error:)|"
                        # reqwest's Display of a request that failed (src/error.rs: "error sending request for url")
                        r"\berror sending request for url \(")),
    ("go", re.compile(r"\bx509: |\btls: failed to verify certificate|\bdial tcp \S+:|\bproxyconnect tcp:|"
                      r"net/http: |\(Client\.Timeout (?:exceeded|or context cancellation)")),
    ("curl", re.compile(r"^\s*curl: \(\d+\)", re.M)),
)


def runtime_of(text: str) -> str | None:
    """"python", "java", "node", "dotnet", "php", "rust", "go" or "curl" when the text carries that runtime's own
    marks, else None."""
    head = text[:65536]
    for runtime, mark in _MARKS:
        if mark.search(head):
            return runtime
    return None
