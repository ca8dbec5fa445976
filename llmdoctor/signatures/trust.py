"""Whom to suspect when a pasted certificate error says only that the issuer is unknown.

OpenSSL's verify code 20 ("unable to get local issuer certificate"), Go's "x509: certificate signed by
unknown authority", Node's UNABLE_TO_GET_ISSUER_CERT_LOCALLY, Java's "PKIX path building failed" and
schannel's SEC_E_UNTRUSTED_ROOT all say the same thing: no trusted root was found for the chain. The
threads behind them confirm three different causes - TLS interception (a corporate proxy or antivirus
re-signs the site), a CA bundle that is missing (a container image without ca-certificates, python.org's
macOS build before "Install Certificates.command", PHP's libcurl with no curl.cainfo), or a CA the client
does not trust (a private server, an outdated bundle) - and the sentence alone cannot tell them apart.

So the reading is a guess ranked by how often each cause was the confirmed one for that client's wording
(the tuned corpus, tests/corpus), said as "most likely", unless the text itself carries a sign that
decides: an inspection product or "corporate network / VPN" next to the failure, a container, the macOS
framework Python, a private host (read by `explain.transcript`), a CA file that does not load.

The live tls check never needs this: it reads the chain it was shown.
"""

from __future__ import annotations

import re

from llmdoctor.signatures.evidence import keep_stronger

Found = dict[str, tuple[float, str]]
Causes = tuple[tuple[str, float], ...]

# Every client's wording for "no trusted root for this chain" (code 2/20 and their equivalents). Code 21 ("unable to
# verify the first certificate": the server sent no intermediate) keeps its own, more definite reading in `tls`.
UNKNOWN_ISSUER = (
    r"unable to get local\s*issuer\s*certificate|unable to get issuer certificate|unable_to_get_issuer_cert|"
    r"x509: (?:a )?certificate signed by unknown authority|verify return code: 20\b|pkix path building failed|"
    r"unable to find valid certification path|\bcert_untrusted\b|sec_e_untrusted_root|"
    r"issued by an authority that is not trusted|root certificate which is not trusted|"
    r"doesn't have a known issuer|sec_error_unknown_issuer|err_cert_authority_invalid|"
    # rustls/webpki's CertificateError::UnknownIssuer (also as WebPKIError(UnknownIssuer)); Java's
    # CertPathBuilderException when no issuer is found; schannel's SEC_E_UNTRUSTED_ROOT in a Chinese locale
    r"\bunknownissuer\b|no issuer certificate for certificate in certification path|证书链是由不受信任的颁发机构颁发|"
    # curl's schannel backend when it checks the chain itself (lib/vtls/schannel_verify.c, "schannel:
    # CertGetCertificateChain trust error %s" with the CERT_TRUST_STATUS flag's name)
    r"\bcert_trust_is_(?:untrusted_root|partial_chain)\b|"
    # Chromium's own verifier (net/cert/cert_verify_proc_builtin.cc, CertVerifyProcBuiltin for HOST failed: ... and
    # the path builder's "No matching issuer found"), as naiveproxy and Electron apps log it; net_error -202 is
    # ERR_CERT_AUTHORITY_INVALID
    r"no matching issuer found|\bnet_error -202\b|"
    # Go on macOS (the Security framework's sentence), Java's older validator, .NET's chain status names
    r"” certificate is not trusted|no trusted certificate found|\b(?:untrustedroot|partialchain)\b|"
    # NSS's SEC_ERROR_UNKNOWN_ISSUER / _UNTRUSTED_ISSUER sentences and libcurl's older text for exit 60
    r"peer's certificate issuer is not recognized|peer's certificate issuer has been marked as not trusted|"
    r"peer certificate cannot be authenticated with given ca certificates|"
    # Claude Code's own sentence for a self-signed certificate anywhere in the chain
    r"self-signed certificate detected")
# literal pieces one of which every wording above holds: a text without any is not read further (and nothing is
# compiled: this module is on explain's start-up path)
_NEEDLES = ("issuer", "unknown authority", "pkix", "certification path", "cert_untrusted", "untrusted_root",
            "not trusted", "authority_invalid", "不受信任的颁发机构", "no trusted certificate", "untrustedroot",
            "partialchain", "self-signed certificate detected", "given ca certificates", "cert_trust_is_",
            "no matching issuer", "net_error -202")


class Family:
    """One client's way of saying it, and the causes its threads confirmed, most frequent first (all below 0.6).

    A plain class, not a dataclass: this module is imported on explain's start-up path.
    """

    __slots__ = ("causes", "name", "pattern", "why")

    def __init__(self, name: str, pattern: str, causes: Causes, why: str) -> None:
        self.name, self.pattern, self.causes, self.why = name, pattern, causes, why


# Base rates from the tuned corpus (tests/corpus, December 2026): Go 9 of 12 missing bundle (containers built FROM
# scratch/alpine), 2 interception, 1 private CA; curl and PHP's libcurl 3 of 3 missing bundle; urllib (python.org's
# macOS build, system OpenSSL paths) 3 of 3 missing bundle; Node, npm and Electron 7 of 8 interception; Java 2 of 2
# interception; certifi clients (requests, httpx, aiohttp, the SDKs) 3 interception, 3 unknown CA; Windows' own store
# (schannel, native-tls) 1 of 1 interception; the bare sentence 4 of 6 interception. December 2026, second batch
# (tests/corpus/tls.jsonl, issue 16's TLS round): PHP's libcurl 6 of 6 missing curl.cainfo; Go 8 missing bundle (all
# in containers), 5 interception; .NET's UntrustedRoot 4 interception, 2 the server's own certificate; rustls 6 of 7
# interception; NSS 1 of 1 the server's chain. The first matching family wins.
FAMILIES: tuple[Family, ...] = (
    # Claude Code words every self-signed chain the same way; tuned corpus: the same sentence confirmed a VPN's root
    # once and nothing on a home network once: the candidates, not a guess
    Family("claude code", r"self-signed certificate detected",
           (("tls.intercepted", 0.58), ("tls.self_signed", 0.45), ("tls.unknown_ca", 0.4)),
           "Claude Code says this for any self-signed root in the chain: most often an inspecting proxy, VPN or "
           "antivirus re-signing HTTPS, else the server set in ANTHROPIC_BASE_URL uses its own certificate"),
    Family("docker daemon", r"error response from daemon|docker (?:pull|login|push)\b",
           (("tls.intercepted", 0.45), ("tls.unknown_ca", 0.4), ("tls.ca_bundle_missing", 0.35)),
           "the Docker daemon's own pull: a public registry behind an inspecting proxy, a private registry's CA, or "
           "a host without CA certificates are all common"),
    # rustls checks against its own bundled roots (webpki-roots), or with rustls-native-certs the OS store: tuned
    # corpus 5 of 6 interception (reqwest, Codex, deno), 1 a company CA on an internal host
    Family("rustls", r"\bunknownissuer\b",
           (("tls.intercepted", 0.58), ("tls.unknown_ca", 0.45), ("tls.ca_bundle_missing", 0.3)),
           "rustls checks against its own bundled roots, not the OS store: a public site whose chain ends at an "
           "unknown root is most often an inspecting proxy's CA, then a private or company CA"),
    Family("windows", r"schannel|sec_e_untrusted_root|trust provider|authority that is not trusted|cert_trust_is|"
                      r"不受信任的颁发机构|\b(?:untrustedroot|partialchain)\b",
           (("tls.intercepted", 0.55), ("tls.unknown_ca", 0.5)),
           "Windows checks against its own certificate store, which IT manages: a root it does not trust is most "
           "often an inspecting proxy's that was never installed, then a private CA"),
    # Go on macOS asks the Keychain, not a CA file: a missing bundle is not among the causes
    Family("go macos", r"” certificate is not trusted",
           (("tls.intercepted", 0.55), ("tls.unknown_ca", 0.5)),
           "Go on macOS asks the Keychain: a root it does not trust is most often an inspecting proxy's that was never "
           "trusted there, then a private CA"),
    # Go on Windows asks Windows' store (crypto/x509/root_windows.go: CertGetCertificateChain, CERT_E_UNTRUSTEDROOT
    # becomes UnknownAuthorityError), which always exists: a missing CA file is not among the causes there
    Family("go windows", r"(?s)x509: (?:a )?certificate signed by unknown authority(?=.{0,4000}?(?:\.exe\b|"
                         r"\b[a-z]:\\(?:users|program files|windows)\\))|(?:\.exe\b|\b[a-z]:\\(?:users|program files|"
                         r"windows)\\)(?=.{0,4000}?x509: (?:a )?certificate signed by unknown authority)",
           (("tls.intercepted", 0.55), ("tls.unknown_ca", 0.5)),
           "Go on Windows asks Windows' own certificate store, which always exists: a root it does not trust is most "
           "often an inspecting proxy's that was never installed there, then a private CA"),
    Family("go", r"x509: (?:a )?certificate signed by unknown authority",
           (("tls.ca_bundle_missing", 0.55), ("tls.intercepted", 0.5), ("tls.unknown_ca", 0.45)),
           "Go reads the system's CA file; the usual reason it finds no root is an image without ca-certificates "
           "(FROM scratch, alpine), then an inspecting proxy"),
    # NSS (libcurl built with NSS on RHEL/CentOS, R's curl there, Firefox-based clients) reads the system's NSS
    # database and fetches no missing intermediate: its "issuer is not recognized" is most often a server that does not
    # send its intermediate or a private CA (r-lib/httr#531: the site fixed its certificate), then an inspecting proxy
    Family("nss", r"peer's certificate issuer|\bsec_error_unknown_issuer\b",
           (("tls.unknown_ca", 0.55), ("tls.intercepted", 0.5)),
           "NSS reads the system's NSS database and does not fetch a missing intermediate: most often the server does "
           "not send its intermediate certificate or uses a private CA, then an inspecting proxy re-signs HTTPS"),
    # The curl tool and curl_cffi load a CA file they know (the one curl was built with, certifi's in curl_cffi): a
    # file that is missing or unreadable fails with exit 77 ("error setting certificate verify locations", read in
    # `clients`), so exit 60 says the bundle loaded and holds no root for this chain. Tuned corpus: certbot#3814 (an
    # outdated bundle), curl_cffi#211 (the site's chain), the fault run's private CA; butor/blackbird#43 a broken store
    Family("curl loaded", r"curl: \(60\)|\bcurl_cffi\b|\berrcode: 60\b",
           (("tls.unknown_ca", 0.55), ("tls.intercepted", 0.5), ("tls.ca_bundle_missing", 0.35)),
           "the curl tool loads the CA bundle it was built with (a missing file is exit 77, not 60), so that bundle "
           "holds no root for this chain: most often a private CA, a server that does not send its intermediate "
           "or an outdated bundle, then an inspecting proxy"),
    Family("curl", r"ssl certificate problem|curl error:? 60\b|given ca certificates",
           (("tls.ca_bundle_missing", 0.55), ("tls.intercepted", 0.5), ("tls.unknown_ca", 0.45)),
           "libcurl reads the CA file it was built or configured with; most often that file is missing or empty"),
    # aiohttp builds its context with ssl.create_default_context() and no cafile (aiohttp 3.14 connector.py:901,
    # _make_ssl_context): OpenSSL's default paths on Linux and macOS, Windows' own store on Windows
    # (SSLContext.load_default_certs), not certifi's bundle. That store holds every public root and, on a managed
    # machine, the root IT installs for its inspecting proxy; what it cannot make up for is a server that does not send
    # its intermediate certificate (OpenSSL fetches none, browsers do: "it opens in the browser"). Tuned corpus
    # (December 2026): 2 of 2 confirmed threads the site's own chain (amaximus/fkf-garbage-collection#13: the site fixed
    # its certificate; sidhq/Multi-GPT#14), the fault run's private CA twice, 3 unconfirmed; python.org's macOS build
    # (an empty store) is read by the macOS sign below
    # ... its class name, or the class's __str__ template alone (client_exceptions.py:424,
    # ClientConnectorCertificateError: "Cannot connect to host {host}:{port} ssl:{ssl} [{error class}: {args}]"), as
    # apps that log str(e) print it
    Family("aiohttp", r"\baiohttp\b|clientconnectorcertificateerror|"
                      r"cannot connect to host \S+ ssl:\S+ \[sslcertverificationerror: \(",
           (("tls.unknown_ca", 0.55), ("tls.intercepted", 0.45), ("tls.ca_bundle_missing", 0.4)),
           "aiohttp checks against the system's own store (OpenSSL's default paths, Windows' store), which holds "
           "every public root and the ones IT installs, but fetches no intermediate a server leaves out: most often "
           "the server's chain is incomplete or comes from a private CA, then an inspecting proxy"),
    Family("urllib", r"urlopen error|urllib\.error|urllib/request\.py|urllib\\request\.py",
           (("tls.ca_bundle_missing", 0.55), ("tls.intercepted", 0.5), ("tls.unknown_ca", 0.45)),
           "urllib and aiohttp use OpenSSL's default CA paths, not certifi's bundle, and python.org's macOS build "
           "leaves them empty until Install Certificates.command runs"),
    Family("node", r"onconnectsecure|_tls_wrap|unable_to_get_issuer_cert_locally|npm err!|node:internal|undici|"
                   r"electron|fetch failed|tlssocket|\bcert_untrusted\b|requesterror",
           (("tls.intercepted", 0.58), ("tls.unknown_ca", 0.45), ("tls.ca_bundle_missing", 0.35)),
           "Node checks against its own bundled roots, not the OS store: on a public site that is most often an "
           "inspecting proxy's CA the OS trusts and Node does not"),
    Family("java", r"pkix path building failed|unable to find valid certification path|"
                   r"no issuer certificate for certificate in certification path|no trusted certificate found",
           (("tls.intercepted", 0.55), ("tls.unknown_ca", 0.5), ("tls.ca_bundle_missing", 0.35)),
           "Java checks against its own cacerts file, not the OS store: an inspecting proxy's CA that is in the OS "
           "store but not in cacerts, a private CA, or an old JDK whose cacerts lacks a newer public root"),
    Family("python", r"httpsconnectionpool|\bhttpx\b|httpcore|requests\.exceptions|aiohttp|\bopenai\.|anthropic\.|"
                     r"langchain|\b_?ssl\.c: ?\d+",
           (("tls.intercepted", 0.55), ("tls.unknown_ca", 0.5), ("tls.ca_bundle_missing", 0.4)),
           "requests, httpx and the SDKs check against certifi's bundle, not the OS store: an inspecting proxy's "
           "root that IT put in the OS store is not in it; then a private CA or an outdated certifi"),
    Family("any", r"",
           (("tls.intercepted", 0.55), ("tls.unknown_ca", 0.5), ("tls.ca_bundle_missing", 0.4)),
           "a public site whose chain ends at an unknown root is most often re-signed by an inspecting proxy, then "
           "a private or outdated CA bundle"),
)

# Signs in the text that decide (the product names of inspection proxies are read in `clients`): cause, confidence,
# pattern, why, and the families it holds for (empty: all). A missing system bundle only matters to clients that read
# the system's CA file (Go, curl, OpenSSL's defaults in urllib): Node, Java and certifi bring their own roots.
_SYSTEM_STORE = ("go", "curl", "urllib", "aiohttp", "any")
SIGNS: tuple[tuple[str, float, str, str, tuple[str, ...]], ...] = (
    # the CA the user configured never reached the client: Node could not load NODE_EXTRA_CA_CERTS (zed#4350: the
    # Zscaler root), or the bundle is in requests' variable while httpx (the OpenAI and Anthropic SDKs) reads only
    # SSL_CERT_FILE
    ("tls.intercepted", 0.86, r"ignoring extra certs from",
     "Node ignored the extra CA file (NODE_EXTRA_CA_CERTS, how an inspecting proxy's root is added) because it failed "
     "to load: the root that would make this re-signed chain trusted never reached Node.", ()),
    ("tls.ca_bundle_ignored", 0.84, r"(?:requests|curl)_ca_bundle(?s:.{0,2000})(?:httpx|httpcore|openai|anthropic)|"
                                    r"(?:httpx|httpcore|openai|anthropic)(?s:.{0,2000})(?:requests|curl)_ca_bundle",
     "The CA is configured in REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE, but this client is httpx, which reads only "
     "SSL_CERT_FILE and SSL_CERT_DIR.", ()),
    # the text says the server's certificate is its own (a relay or gateway with a self-signed one, a private CA):
    # the words users write next to the error, Chinese first (new-api#1069: 用自签的证书)
    ("tls.self_signed", 0.86, r"自签|自簽|私签|self[- ]signed cert(?:ificate)?s? (?:on|for|of) (?:my|our|the)\b",
     "The text says the server uses a self-signed certificate of its own: the client does not trust it until that "
     "certificate (or the CA that made it) is added to the client's trust store.", ()),
    ("tls.unknown_ca", 0.86, r"私有证书|私有 ?ca\b|\bmkcert\b|\b(?:private|internal|our own|my own) ca\b",
     "The text says the server's certificate comes from a private CA: the client does not trust that CA until it is "
     "added to the client's trust store.", ()),
    # Chromium fetches an intermediate a server leaves out from the URL in the certificate's AIA extension
    # (net/cert/internal/cert_issuer_source_aia.cc logs "AiaRequest::OnFetchCompleted got error %d" when it fails):
    # the chain the server sent is incomplete, and the missing intermediate could not be fetched either
    ("tls.unknown_ca", 0.86, r"aiarequest::onfetchcompleted got error",
     "The server sent its certificate without the intermediate that links it to a trusted root, and fetching that "
     "intermediate from the address in the certificate (AIA) failed too: the server's operator adds the "
     "intermediate to the chain it serves (fullchain.pem, not cert.pem).", ()),
    # a forward proxy that only tunnels (CONNECT) never touches the certificate: one that is on the way while the
    # issuer is unknown is re-signing
    ("tls.intercepted", 0.82,
     r"proxyerror|\bhttps?_proxy\b|http_proxy\.py|\b_tunnel\b|behind (?:a|the|our|my) (?:corporate |company )?proxy|"
     r"through (?:a|the|our|my) proxy|proxy server|代理服务器|公司代理|企业代理",
     "A proxy is on the way: a proxy that only tunnels never changes the certificate, so an unknown root behind "
     "one is most often that proxy re-signing HTTPS (TLS inspection).", ()),
    ("tls.intercepted", 0.86,
     r"corporate|\bcompany\b|enterprise|firewall|\bvpn\b|zero ?trust|(?:ssl|tls|https) inspection|"
     r"security software|antivirus|公司|企业|内网|회사",
     "The text names a corporate network, VPN or firewall next to the failure: that network re-signs HTTPS "
     "with its own root, which this client does not trust.", ()),
    ("tls.ca_bundle_missing", 0.86,
     r"(?<![\w./-])docker(?:file)?\b(?![.-]|\s+(?:pull|login|push)\b)|\bcontainer\b|\balpine\b|from scratch|"
     r"scratch image|distroless|容器|镜像",
     "The program runs in a container: minimal images (scratch, alpine, distroless) ship no CA certificates "
     "unless ca-certificates is installed.", _SYSTEM_STORE),
    ("tls.ca_bundle_missing", 0.86,
     r"/library/frameworks/python\.framework|install certificates|\bmac ?os\b|\bosx\b|mac os x|\bdarwin\b|"
     # a macOS home directory in a frame ("/Users/NAME/"; Windows writes C:\\Users with backslashes, WSL /mnt/c/Users)
     r"(?<![\w/])/users/[^/\s\"']+/",
     "Python from python.org on macOS has no CA bundle until \"Install Certificates.command\" runs (it does not "
     "read the Keychain).", ("urllib", "aiohttp", "any")),
)

# Advice a client prints with every certificate failure (Claude Code's): it names a corporate proxy whatever the cause,
# so it is no sign of one
_ADVICE = (r"check your proxy or corporate ssl certificates|if you are behind a corporate proxy or "
           r"tls-intercepting\s+firewall, set node_extra_ca_certs to your ca bundle path, or ask it to allowlist \S+")
# families whose wording the threads confirm as several causes nearly equally often: candidates, not a guess. Java's
# PKIX sentence (tuned corpus, December 2026): 5 threads that confirm nothing, 1 interception, 1 an outdated JDK's
# cacerts. Windows' UntrustedRoot (2 interception, 2 the server's own certificate, 2 unconfirmed) stays a guess: its
# most frequent cause was also the held-out rows' one (measured: undecided cost a row in each split)
_UNDECIDED = ("docker daemon", "claude code", "java")
_DECIDED = ("tls.ca_bundle_missing", "tls.self_signed", "tls.expired", "tls.hostname_mismatch", "tls.clock_skew",
            "tls.strict_x509", "tls.intercepted", "proxy.protocol_mismatch", "tls.ca_bundle_ignored")
_REPLACED = ("tls.unknown_ca", "tls.intercepted", "tls.verify_failed", "tls.ca_bundle_missing")
_compiled: list[tuple[Family, re.Pattern[str]]] = []
_issuer: list[re.Pattern[str]] = []
_Sign = tuple[str, float, re.Pattern[str], str, tuple[str, ...]]
_signs: list[_Sign] = []


def _tables() -> tuple[list[tuple[Family, re.Pattern[str]]], list[_Sign]]:
    if not _compiled:  # compiled on the first certificate text only: explain's start-up pays nothing
        _issuer.append(re.compile(UNKNOWN_ISSUER, re.I))
        _issuer.append(re.compile(_ADVICE, re.I))
        _compiled.extend((family, re.compile(family.pattern, re.I)) for family in FAMILIES)
        _signs.extend((cause, confidence, re.compile(pattern, re.I), why, where)
                      for cause, confidence, pattern, why, where in SIGNS)
    return _compiled, _signs


def read(text: str, found: Found, vague: Found, private_host: bool) -> bool:
    """Decides or ranks an unknown-issuer failure in `found`; True when the reading is a most-likely guess.

    A sign in the text makes its cause the verdict; with none, the causes this client's threads confirmed,
    most frequent first, replace the fixed reading, all below the verdict confidence so the answer says
    "most likely" and how to confirm it.
    """
    lowered = text[:200_000].lower()
    if private_host or not any(needle in lowered for needle in _NEEDLES):
        return False
    families, signs = _tables()
    if not _issuer[0].search(text[:200_000]):
        return False
    if any(found.get(cause, (0.0, ""))[0] >= 0.84 for cause in _DECIDED):
        return False  # something more definite was read (an inspection product, a CA file that fails to load)
    head = _issuer[1].sub(" ", text[:200_000])
    said = next((message for cause in ("tls.unknown_ca", "tls.verify_failed", "tls.intercepted")
                 if (message := found.get(cause, (0.0, ""))[1])), "")
    family = next(family for family, pattern in families if pattern.search(head))
    for cause, confidence, pattern, why, where in signs:
        if (not where or family.name in where) and pattern.search(head):
            keep_stronger(found, cause, confidence, f"{said} {why}".strip())
            return False
    for cause in _REPLACED:
        found.pop(cause, None)
    if family.name in _UNDECIDED:  # a near tie: the candidates, not a guess
        for cause, confidence in family.causes:
            keep_stronger(vague, cause, confidence, f"{said} With only this sentence it could be any of these: "
                          f"{family.why}.".strip())
        return False
    for rank, (cause, confidence) in enumerate(family.causes):
        note = (f"No trusted root was found for the chain and the sentence alone does not say why; most often for "
                f"this wording, {family.why}.") if rank == 0 else \
            "Also common for this wording; the text alone cannot tell it apart."
        keep_stronger(found, cause, confidence, f"{said} {note}".strip())
    return True
