# ruff: noqa: E501  (real texts are quoted whole, as their sources printed them)
"""A certificate failure from PHP, .NET or Rust gets that runtime's fix, and the trust class reads right as a class.

Texts are real (tests/corpus, tuned part; the URL is where each was printed and its cause confirmed). What the
texts tell apart: the runtime and so the store it trusts (certifi, the OS store, php.ini's curl.cainfo, rustls'
compiled-in roots), NSS's own sentences, OpenSSL 3's refusal of servers without secure renegotiation, aiohttp
reading OpenSSL's default paths like urllib (empty on python.org's macOS build), a server on loopback.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from helpers import reading

from llmdoctor.explain import explain
from llmdoctor.explain.runtime import runtime_of

# advice that is only true of Python (certifi's bundle, pip, truststore, Python's SSL_CERT_FILE recipe)
PYTHON_ONLY = re.compile(r"\bcertifi\b|\bpip install\b|truststore|Install Certificates\.command|\bPython\b")

PHP = ("Something went wrong: Network: cURL error 60: SSL certificate problem: unable to get local issuer certificate "
       "(see http://curl.haxx.se/libcurl/c/libcurl-errors.html).")  # https://github.com/mgp25/Instagram-API/issues/1167
DOTNET = ("Exception: The SSL connection could not be established, see inner exception.\n      System.Net.Http.HttpRequestException: The SSL connection could not be established, see inner exception.\n"
          "       ---> System.Security.Authentication.AuthenticationException: The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot")  # https://github.com/Green-Software-Foundation/carbon-aware-sdk/issues/199
RUST = ("Error: error sending request for url (https://github.com/roynalnaruto/solc-builds/raw/240988f6e5de44fd182a9d4446a838cb7b7166db/macosx/aarch64/list.json): "
        "error trying to connect: invalid peer certificate contents: invalid peer certificate: UnknownIssuer")  # https://github.com/alloy-rs/svm-rs/pull/83


def _explain(text: str, lang: str = "en") -> tuple[int, dict]:
    run = subprocess.run([sys.executable, "-m", "llmdoctor", "explain", "--json", "--lang", lang, text],
                         capture_output=True, text=True, timeout=60)
    return run.returncode, json.loads(run.stdout)


@pytest.mark.parametrize(("text", "runtime"), [(PHP, "php"), (DOTNET, "dotnet"), (RUST, "rust")])
def test_the_runtime_is_read_from_marks_only_it_prints(text: str, runtime: str) -> None:
    assert runtime_of(text) == runtime


@pytest.mark.parametrize(("text", "says"), [
    (PHP, "curl.cainfo"),
    (DOTNET, "update-ca-certificates"),
    (RUST, "UV_NATIVE_TLS=1"),
])
def test_a_certificate_failure_from_php_dotnet_or_rust_gets_its_own_fix_never_pythons(text: str, says: str) -> None:
    code, answer = _explain(text)
    assert code == 1
    fixes = [step for cause in answer["causes"] for step in cause["fix"]]
    words = " ".join([*fixes, *(cause["explanation"] for cause in answer["causes"]),
                      *(cause["title"] for cause in answer["causes"])])
    assert any(says in step for step in fixes), fixes
    assert not PYTHON_ONLY.search(words), PYTHON_ONLY.search(words)


def test_the_chinese_view_of_a_php_failure_names_php_ini() -> None:
    _, answer = _explain(PHP, "zh")
    assert "php.ini" in answer["causes"][0]["fix"][0]
    said = [(c["title"], c["explanation"], c["fix"]) for c in answer["causes"]]
    assert not PYTHON_ONLY.search(json.dumps(said, ensure_ascii=False))


def test_a_python_text_that_quotes_php_keeps_pythons_fix() -> None:
    text = "Traceback (most recent call last):\n  File \"app.py\", line 3, in <module>\nRuntimeError: upstream said: " + PHP
    assert runtime_of(text) == "python"


@pytest.mark.parametrize(("text", "cause", "likely"), [
    # NSS's SEC_ERROR_UNKNOWN_ISSUER sentence (R's curl on RHEL); the site's own certificate was at fault
    ("Error in curl::curl_fetch_memory(url, handle = handle) : \n  Peer's Certificate issuer is not recognized.",
     "tls.unknown_ca", True),  # https://github.com/r-lib/httr/issues/531
    # OpenSSL 3 refusing a server without RFC 5746 secure renegotiation: an old server, not a proxy
    ("HTTPSConnectionPool(host='enjoy.test.com', port=443): Max retries exceeded with url: /status (Caused by SSLError(SSLError(1, '[SSL: UNSAFE_LEGACY_RENEGOTIATION_DISABLED] unsafe legacy renegotiation disabled (_ssl.c:997)')))",
     "tls.protocol_mismatch", False),  # https://github.com/whyour/qinglong/issues/1765
    # a bare WRONG_VERSION_NUMBER says TLS met something that is not TLS (an http port, an https:// proxy URL)
    ("Max retries exceeded because of (SSLError(1, '[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)'))",
     "tls.protocol_mismatch", False),  # https://github.com/jakabakos/Apache-OFBiz-Authentication-Bypass/issues/1
    # .NET's UntrustedRoot behind a company proxy: Windows' store, most often the inspecting proxy's root
    (DOTNET, "tls.intercepted", True),
    # rustls' UnknownIssuer on a corporate network: its own compiled-in roots
    (RUST, "tls.intercepted", True),
    # Go in an alpine image without ca-certificates
    ('ERROR checking latest terraform version error="Get \\"https://api.releases.hashicorp.com/v1/releases/terraform/latest\\": tls: failed to verify certificate: x509: certificate signed by unknown authority"',
     "tls.ca_bundle_missing", True),  # https://github.com/leg100/otf/issues/696
    # PHP's cURL with no curl.cainfo is the most likely reading; an inspecting proxy fails it the same way
    (PHP, "tls.ca_bundle_missing", True),
    ("RequestException in CurlFactory.php line 186:\ncURL error 60: SSL certificate problem: unable to get local issuer certificate (see http://curl.haxx.se/libcurl/c/libcurl-errors.html)",
     "tls.ca_bundle_missing", True),  # https://github.com/invisnik/laravel-steam-auth/issues/83
    # schannel's revocation check, its constant alone as a number
    ("curl: (35) schannel: next InitializeSecurityContext failed: Unknown error (0x80092012)",
     "tls.revocation_unchecked", False),  # https://github.com/R2Northstar/NorthstarLauncher/issues/182
    # Python 3.13's strict X.509 checks
    ("E           ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: Missing Authority Key Identifier (_ssl.c:1024)\n\n/usr/lib/python3.13/ssl.py:1363: SSLCertVerificationError",
     "tls.strict_x509", False),  # https://github.com/kevin1024/vcrpy/issues/848
    # a self-signed certificate on a private address is that server's own
    ("Cannot connect to LocalBox. Check the Base URL: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate (_ssl.c:1016)",
     "tls.self_signed", False),  # https://github.com/agentscope-ai/QwenPaw/issues/1312
])
def test_real_trust_texts_read_as_their_class(text: str, cause: str, likely: bool) -> None:
    result = explain(text)
    assert reading(result) == cause, [(c.id, c.confidence) for c in result.causes[:3]]
    assert result.likely is likely


def test_aiohttp_reads_openssls_default_paths_so_a_macos_home_decides_a_missing_bundle() -> None:
    # aiohttp's connector builds ssl.create_default_context() with no cafile: python.org's macOS build has none
    frames = ('  File "/Users/r/Documents/1-projects/MetaGPT/venv/lib/python3.11/site-packages/aiohttp/connector.py", line 982, in _wrap_create_connection\n'
              "    raise ClientConnectorCertificateError(req.connection_key, exc) from exc\n")
    error = ("aiohttp.client_exceptions.ClientConnectorCertificateError: Cannot connect to host api.openai.com:443 ssl:True "
             "[SSLCertVerificationError: (1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:992)')]")
    decided = explain(frames + error)  # https://github.com/FoundationAgents/MetaGPT/issues/31
    assert reading(decided) == "tls.ca_bundle_missing" and not decided.likely
    # without a macOS sign: aiohttp's store is the system's (it holds IT's roots), which lacks only what a server
    # leaves out of its chain; the tuned threads confirm the site's own chain most often
    guessed = explain(error)
    assert reading(guessed) == "tls.unknown_ca" and guessed.likely
    assert {c.id for c in guessed.causes[:3]} >= {"tls.intercepted", "tls.ca_bundle_missing"}


def test_a_windows_home_directory_is_not_a_macos_sign() -> None:
    text = ('  File "C:\\Users\\me\\app\\main.py", line 9, in <module>\n'
            "requests.exceptions.SSLError: HTTPSConnectionPool(host='api.openai.com', port=443): Max retries exceeded with url: /v1/chat/completions "
            "(Caused by SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1006)')))")
    result = explain(text)
    assert result.likely and reading(result) == "tls.intercepted"


def test_an_https_url_on_loopback_is_the_users_own_server_not_interception() -> None:
    text = ("httpx.ConnectError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer "
            "certificate (_ssl.c:1006) while calling https://localhost:8443/v1/chat/completions")
    result = explain(text)
    assert reading(result) == "tls.unknown_ca" and not result.likely
    # a local proxy is an http:// URL: it does not make the API's host private
    proxied = text.replace("https://localhost:8443/v1/chat/completions", "https://api.openai.com/v1 (HTTPS_PROXY=http://127.0.0.1:8888)")
    assert reading(explain(proxied)) == "tls.intercepted"


@pytest.mark.parametrize("text", [
    # .NET's generic sentence covers every certificate failure (name, date, chain): the text does not say which
    "[2021-11-08 22:07:33Z ERR  VisualStudioServices] GET request to https://dev.azure.com/progcloud/_apis/connectionData?connectOptions=1&lastChangeId=-1&lastChangeId64=-1 failed. System.Net.Http.HttpRequestException: The SSL connection could not be established, see inner exception.\n ---> System.Security.Authentication.AuthenticationException: The remote certificate is invalid according to the validation procedure.",  # https://github.com/microsoft/azure-pipelines-agent/issues/3599
    # Claude Code's one sentence for every self-signed root in the chain
    '"Unable to connect to API: Self-signed certificate detected. Check your proxy or corporate SSL certificates"',  # https://github.com/anthropics/claude-code/issues/26897
])
def test_texts_that_do_not_tell_which_certificate_failure_get_candidates_and_exit_1(text: str) -> None:
    result = explain(text)
    assert result.ambiguous and len(result.causes) >= 2
    code, answer = _explain(text)
    assert code == 1 and answer["ambiguous"] is True


def test_go_on_windows_asks_windows_store_so_a_missing_ca_file_is_no_candidate() -> None:
    # crypto/x509 on Windows verifies with CertGetCertificateChain: the store always exists (the thread does not say
    # which of the two it was: a guess between them, never the container's missing bundle)
    text = ("hello，我的认证文件一直提示：Post \"https://chatgpt.com/backend-api/codex/responses\": tls: failed to verify certificate: x509: certificate signed by unknown authority\n"
            "cli-proxy-api.exe启动的时候提示：\n[2026-03-09 10:42:59] [--------] [debug] [model_registry.go:464] Incremented count for model gpt-5-codex, now 25 clients")  # https://github.com/router-for-me/CLIProxyAPI/issues/1983
    result = explain(text)
    assert result.likely and [c.id for c in result.causes[:2]] == ["tls.intercepted", "tls.unknown_ca"]
    assert "tls.ca_bundle_missing" not in {c.id for c in result.causes}
    # the same sentence from a Linux container keeps the missing bundle first
    linux = explain(text.split("\n")[0])
    assert reading(linux) == "tls.ca_bundle_missing" and linux.likely


@pytest.mark.parametrize(("text", "first"), [
    # the curl tool's exit 60: its bundle loaded (a missing file is exit 77) and holds no root for this chain
    ("looris@termite:/tmp$ curl 'https://pypi.python.org/packages/source/p/pip/pip-8.0.3.tar.gz' > /dev/null\n  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"
     "                                 Dload  Upload   Total   Spent    Left  Speed\n  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0curl: (60) SSL certificate problem: unable to get local issuer certificate\nMore details here: http://curl.haxx.se/docs/sslcerts.html",
     "tls.unknown_ca"),  # https://github.com/certbot/certbot/issues/3814 (Debian 7's outdated bundle)
    # curl_cffi loads certifi's bundle: the site's own chain was at fault
    ("curl_cffi.curl.CurlError: Failed to perform, ErrCode: 60, Reason: 'SSL certificate problem: unable to get local issuer certificate'. This may be a libcurl error, See https://curl.se/libcurl/c/libcurl-errors.html first for more details.",
     "tls.unknown_ca"),  # https://github.com/lexiforest/curl_cffi/issues/211
])
def test_a_curl_that_loaded_its_bundle_ranks_the_chain_before_a_missing_file(text: str, first: str) -> None:
    result = explain(text)
    assert result.likely and reading(result) == first, [(c.id, c.confidence) for c in result.causes[:3]]
    assert "tls.ca_bundle_missing" in {c.id for c in result.causes}  # still a candidate, not the first


def test_a_curl_that_could_not_load_its_ca_file_is_a_missing_bundle() -> None:
    text = ("curl_cffi.curl.CurlError: Failed to perform, ErrCode: 77, Reason: 'error setting certificate verify locations:  CAfile: "
            "C:\\Users\\31447\\Desktop\\新建文件夹 (2)\\python\\lib\\site-packages\\curl_cffi\\cacert.pem CApath: none'")  # https://github.com/KoushikNavuluri/Claude-API/issues/65
    result = explain(text)
    assert reading(result) == "tls.ca_bundle_missing" and not result.likely


@pytest.mark.parametrize(("text", "runtime", "says"), [
    # Java's PKIXParameters refuses an empty set of trust anchors: cacerts is missing or empty
    ("InvalidAlgorithmParameterException: the trustAnchors parameter must be non-empty",
     "java", "ca-certificates-java"),  # https://github.com/spring-attic/spring-ide/issues/290
    ("java.lang.RuntimeException: Unexpected error: java.security.InvalidAlgorithmParameterException: the trustAnchors parameter must be non-empty\n[18:27:34] [UpldData]  [ERR] null",
     "java", "ca-certificates-java"),  # https://github.com/vuapo-eth/isf-jclient/issues/22
    # OpenSSL could not load the CA file requests named (ERR 0B084002: the file is not there)
    ("requests.exceptions.SSLError: [Errno 185090050] _ssl.c:340: error:0B084002:x509 certificate routines:X509_load_cert_crl_file:system lib",
     "python", "SSL_CERT_FILE"),  # https://github.com/geier/pycarddav/issues/83
])
def test_a_trust_store_that_loaded_nothing_is_a_missing_bundle_with_its_runtimes_fix(text: str, runtime: str, says: str) -> None:
    result = explain(text)
    assert reading(result) == "tls.ca_bundle_missing" and not result.likely
    assert runtime_of(text) == runtime or (runtime == "python" and runtime_of(text) is None)  # Python's is the default
    _, answer = _explain(text)
    assert any(says in step for step in answer["causes"][0]["fix"]), answer["causes"][0]["fix"]


def test_a_peers_certificate_alert_in_a_servers_log_is_candidates_with_the_expiry_among_them() -> None:
    # the clients of this local server rejected its certificate (an expired Let's Encrypt one, per the thread): the
    # alert does not say which check failed
    text = ("Error SSL error type: SSLError, errno=1\nError SSL library version: OpenSSL 3.0.15 3 Sep 2024\n"
            "Error SSL accept failed from 127.0.0.1:26257: [SSL: SSLV3_ALERT_CERTIFICATE_UNKNOWN] sslv3 alert certificate unknown (_ssl.c:1052)")  # https://github.com/AuraFriday/mcp-link/issues/10
    result = explain(text)
    assert result.ambiguous and {"tls.expired", "tls.unknown_ca", "tls.self_signed"} <= {c.id for c in result.causes}
    code, _ = _explain(text)
    assert code == 1


# "certificate verify failed" with nothing after it names the symptom, not which store or certificate failed: the
# tuned corpus labels every such text with a finer cause its thread confirmed (unknown CA, interception, an expired
# certificate, a missing bundle), never the umbrella. The umbrella is a candidate; the tail, when there is one, tells.
BARE_VERIFY = [
    "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed (_ssl.c:749)",
    "ssl.SSLError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed (_ssl.c:1129)",
    "curl: (60) SSL certificate problem",
]


@pytest.mark.parametrize("text", BARE_VERIFY)
def test_a_bare_verify_failure_does_not_tell(text: str) -> None:
    result = explain(text)
    assert reading(result) == "ambiguous"
    assert "tls.verify_failed" in [cause.id for cause in result.causes]


@pytest.mark.parametrize(("text", "cause"), [
    ("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired (_ssl.c:1006)", "tls.expired"),
    ("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: Hostname mismatch, certificate is not valid for 'api.openai.com'. (_ssl.c:1006)", "tls.hostname_mismatch"),
    ("curl: (60) SSL certificate problem: self-signed certificate", "tls.self_signed"),
])
def test_a_verify_failure_with_its_reason_names_it(text: str, cause: str) -> None:
    assert reading(explain(text)) == cause


def test_the_cli_says_a_bare_verify_failure_does_not_tell() -> None:
    done = subprocess.run([sys.executable, "-m", "llmdoctor", "explain", "-"], input=BARE_VERIFY[0],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "This text alone does not tell; run `llmdoctor` where the call fails." in done.stdout
