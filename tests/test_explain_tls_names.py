# ruff: noqa: E501  (real texts are quoted whole, as their sources printed them)
"""A host-name mismatch read by its names, and unknown-issuer wordings whose threads confirm no one cause.

Texts are real (tests/corpus, tuned part; the URL is where each was printed). The names come from each stack's
template (Node's checkServerIdentity, Go's HostnameError, curl's subject check): a DNS filter's certificate is the
resolver sending the host to a block page; a hosting platform's default certificate is a custom domain not set up
there; the reading quotes the user's own names.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from helpers import reading

from llmdoctor.explain import explain
from llmdoctor.signatures import certnames

SINKHOLE = "failed to verify certificate: x509: certificate is valid for chalupa-dns-sinkhole.corp.amazon.com, not proxy.golang.org"  # https://github.com/aws-samples/one-observability-demo/issues/286
PLATFORM = ("Error: Hostname/IP does not match certificate's altnames: Host: publicapi.txdpsscheduler.com. is not in the cert's altnames: "
            "DNS:*.txSchedulingAppServiceEnvironment.p.azurewebsites.us, DNS:*.scm.txSchedulingAppServiceEnvironment.p.azurewebsites.us")  # https://github.com/phamleduy04/texas-dps-scheduler/issues/131
RAILWAY = "ctor socket error: Hostname/IP does not match certificate's altnames: Host: relay.o8.run. is not in the cert's altnames: DNS:*.up.railway.app"  # https://github.com/hurttlocker/o8/issues/1592
OTHER = "tunl server connection failed: server dial failed: tls: failed to verify certificate: x509: certificate is valid for smoovall.be, www.smoovall.be, not _.tunl.es"  # https://github.com/pjvds/tunl/issues/7
IP = "[ERR_TLS_CERT_ALTNAME_INVALID]: Hostname/IP does not match certificate's altnames: IP: 8.209.82.158 is not in the cert's list: "  # https://github.com/emqx/MQTTX/issues/1456
JAVA = "GPT 3.5 Turbo Request failure, cause: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: \nunable to find valid certification path to requested target"  # https://github.com/obiscr/ChatGPT/issues/116
AIOHTTP = "aiohttp.client_exceptions.ClientConnectorCertificateError: Cannot connect to host www.fkf.hu:443 ssl:True [SSLCertVerificationError: (1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1125)')]"  # https://github.com/amaximus/fkf-garbage-collection/issues/13
SCHANNEL_CHAIN = "Error in curl::curl_fetch_memory(url, handle = handle) : \n  schannel: CertGetCertificateChain trust error CERT_TRUST_IS_UNTRUSTED_ROOT"  # https://github.com/jeroen/curl/issues/193


def _explain(text: str) -> tuple[int, dict]:
    run = subprocess.run([sys.executable, "-m", "llmdoctor", "explain", "--json", text],
                         capture_output=True, text=True, timeout=60)
    return run.returncode, json.loads(run.stdout)


def _said(result: object) -> str:
    return " ".join(" ".join(map(str, c.evidence)) for c in result.causes)  # type: ignore[attr-defined]


@pytest.mark.parametrize(("text", "wanted", "held"), [
    (SINKHOLE, "proxy.golang.org", ["chalupa-dns-sinkhole.corp.amazon.com"]),
    (RAILWAY, "relay.o8.run", ["*.up.railway.app"]),
    (OTHER, "_.tunl.es", ["smoovall.be", "www.smoovall.be"]),
    (IP, "8.209.82.158", []),
    ("* SSL: certificate subject name 'git.opendesktop.org' does not match target host name 'api.opencode.net'",
     "api.opencode.net", ["git.opendesktop.org"]),
])
def test_each_stacks_template_gives_the_host_asked_for_and_the_certificates_names(text: str, wanted: str, held: list[str]) -> None:
    assert certnames.names(text) == (wanted, held)


def test_a_dns_filters_certificate_is_the_resolver_sending_the_host_to_its_block_page() -> None:
    result = explain(SINKHOLE)
    assert reading(result) == "dns.hijacked"
    assert "chalupa-dns-sinkhole.corp.amazon.com" in _said(result) and "proxy.golang.org" in _said(result)
    code, answer = _explain(SINKHOLE)
    assert code == 1 and answer["causes"][0]["id"] == "dns.hijacked"


@pytest.mark.parametrize("text", [PLATFORM, RAILWAY])
def test_a_hosting_platforms_default_certificate_is_a_custom_domain_not_set_up(text: str) -> None:
    result = explain(text)
    assert reading(result) == "tls.hostname_mismatch"
    assert "hosting platform's default certificate" in _said(result)


def test_another_sites_certificate_names_both_and_the_places_to_look() -> None:
    result = explain(OTHER)
    assert reading(result) == "tls.hostname_mismatch"
    said = _said(result)
    assert "smoovall.be" in said and "_.tunl.es" in said and "resolves" in said


def test_an_ip_address_asked_for_is_said_as_one() -> None:
    result = explain(IP)
    assert reading(result) == "tls.hostname_mismatch" and "IP address 8.209.82.158" in _said(result)


def test_javas_pkix_sentence_gets_candidates_not_a_guess() -> None:
    result = explain(JAVA)
    assert result.ambiguous and {c.id for c in result.causes} >= {"tls.intercepted", "tls.unknown_ca"}
    code, answer = _explain(JAVA)
    assert code == 1 and answer["ambiguous"] is True


def test_aiohttp_without_a_sign_ranks_the_servers_chain_first() -> None:
    result = explain(AIOHTTP)
    assert reading(result) == "tls.unknown_ca" and result.likely


def test_curls_schannel_chain_check_is_an_unknown_issuer() -> None:
    result = explain(SCHANNEL_CHAIN)
    assert result.recognised and result.likely and reading(result) in ("tls.intercepted", "tls.unknown_ca")


def test_aiohttps_certificate_error_template_alone_reads_as_aiohttp() -> None:
    # an app that logs str(e) prints ClientConnectorCertificateError's template without the class name
    text = "ERROR:apps.openai.main:Connection error: Cannot connect to host api.openai.com:443 ssl:True [SSLCertVerificationError: (1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1006)')]"  # https://github.com/open-webui/open-webui/issues/3696
    result = explain(text)
    assert reading(result) == "tls.unknown_ca" and result.likely


def test_a_handshake_cut_inside_curls_proxy_tunnel_is_the_proxy_or_its_upstream() -> None:
    text = ("curl -x http://vproxy.com:555 https://httpbin.org/ip\ncurl: (35) error:0A000126:SSL routines::unexpected eof while reading\n\n"
            "curl -k -x http://vproxy.com:555 https://httpbin.org/ip\ncurl: (35) error:0A000126:SSL routines::unexpected eof while reading")  # https://github.com/0x676e67/vproxy/issues/150
    assert reading(explain(text)) == "proxy.upstream_failed"
    # without the proxy the same line is the peer cutting the handshake
    assert reading(explain("curl: (35) error:0A000126:SSL routines::unexpected eof while reading")) == "tls.handshake_reset"


@pytest.mark.parametrize("text", [
    "[1008/144031.262143:ERROR:cert_issuer_source_aia.cc(135)] AiaRequest::OnFetchCompleted got error -105\n[1008/144031.262242:ERROR:cert_verify_proc_builtin.cc(670)] CertVerifyProcBuiltin for aa.bb.cc.dd failed:\n----- Certificate i=0 (CN=aa.bb.cc.dd) -----\nERROR: No matching issuer found\n\n[1008/144031.262463:ERROR:ssl_client_socket_impl.cc(983)] handshake failed; returned -1, SSL error code 1, net_error -202",  # https://github.com/klzgrad/naiveproxy/issues/331
    "[2023-03-29 14:33:58] [Error] [tag=libnaive] [0329/223358.803136:ERROR:cert_issuer_source_aia.cc(135)] AiaRequest::OnFetchCompleted got error -103\n[2023-03-29 14:33:58] [Error] [tag=libnaive] ----- Certificate i=0 (CN=yeshang.eu.org) -----\n[2023-03-29 14:33:58] [Error] [tag=libnaive] ERROR: No matching issuer found",  # https://github.com/klzgrad/naiveproxy/issues/486
])
def test_chromiums_failed_aia_fetch_is_the_servers_incomplete_chain(text: str) -> None:
    result = explain(text)
    assert reading(result) == "tls.unknown_ca" and not result.likely
    assert "intermediate" in _said(result)
