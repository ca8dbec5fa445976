"""A "no such path" answer that names the path: the base URL's shape, or a client speaking another API.

The rule (docs/architecture.md, "A 404 that names one path"): `config.base_url_invalid` when the path shows
the base URL is wrong for the API the client speaks (a doubled segment, a missing /v1, a router's own 404
for the SDK's standard path: those rules live in `apierrors/rules.py` and `explain/rank.py`);
`endpoint.not_found` when the path is well formed for *another* API than the server's: a local server's
native route (Ollama's /api/chat, llama.cpp's /completion, vLLM's and TGI's /generate) called at a server
that does not serve it. No base URL fixes that: the client's provider type or endpoint setting does.

Read here, after the API rules, because the same answer (LM Studio's "Unexpected endpoint or method",
FastAPI's {"detail":"Not Found"}, a router's "404 page not found") says either, and only the path decides.
"""

from __future__ import annotations

import re

from llmdoctor.explain.match import Found
from llmdoctor.signatures.evidence import keep_stronger
from llmdoctor.signatures.prefilter import Lazy

# The path a client called, as the answer or the client prints it: LM Studio's "(POST /v1/api/chat)", uvicorn's
# '"POST /generate HTTP/1.1" 404', a URL "for address: http://host:5000/v1/completion"
_NATIVE_PATH = Lazy(
    r"(?:\((?:get|post) |\"(?:get|post) |https?://[^\s'\"()<>]+?)((?:/v\d+)?/(?:api/(?:chat|generate|embed|embeddings|"
    r"tags|show)|completion|generate|generate_stream|infill))(?=[\s'\"?).,]|$)", re.I | re.M)
_SAYS_NO_PATH = ("config.base_url_invalid", "endpoint.not_found")
# openai-python 0.x when a 404's body is not JSON: "Invalid response object from API: '404 Not Found' (HTTP response
# code was 404)"; the Stainless SDKs (openai-python 1.x, anthropic-python: _base_client.py
# _make_status_error_from_response, err_msg = err_text or f"Error code: {status}") print such a body as it is, without
# their "Error code: 404 - " ("openai.NotFoundError: 404 Not Found"). An API answers a missing model in JSON; a
# plain-text 404 is a web server's or router's own. (An HTML body is read as the page it is, elsewhere.)
_PLAIN_404 = Lazy(r"invalid response object from api: '[^'\n]{0,200}' \(http response code was 404\)|"
                  r"\b(?:openai|anthropic)\.notfounderror: (?!error code)(?![^\n]*\bmodel\b)[^\s<{\[][^\n]{0,200}$",
                  re.I | re.M)


# Ollama's own routes. Ollama answers 404 on them for two things: a model it has not pulled (a JSON body,
# {"error":"model \"x\" not found, try pulling it first"}, which the API rules read as the model) and a route it
# does not have (Go's router: "404 page not found", an Ollama older than /api/chat or /api/embed, or no Ollama at
# all). A client that prints only the status (httpx's "Client error '404 Not Found' for url '.../api/chat'") shows
# neither body, and threads confirm both causes for that same line (ollama#4125 the version, llama_index#12985 an
# unpulled model): candidates, not a verdict.
_OLLAMA_ROUTE = re.compile(r"/api/(?:chat|generate|embed|embeddings)$")
_STATUS_404 = re.compile(r"\b404\b")
_ROUTER_PAGE = Lazy(r"404 page not found|\bnot found\b['\"]?\s*[,}]|['\"](?:error|detail|message)['\"]\s*:", re.I)


def _base_url_second(found: Found) -> None:
    """A reading that named what the path is (a model Ark lacks, another server's native route) keeps a base-URL
    reading present only as a candidate: at most 0.5."""
    if "config.base_url_invalid" in found:
        confidence, said = found["config.base_url_invalid"]
        found["config.base_url_invalid"] = (min(confidence, 0.5), said)


# A provider's native API root given to an OpenAI-style client, which then asks it for /chat/completions (or
# /models) and gets 404: DashScope serves its own protocol at /api/v1 and the OpenAI one at /compatible-mode/v1
# (help.aliyun.com/zh/model-studio/compatibility-of-openai-with-dashscope); its native SDK never calls the former
# with a path it lacks. cline#926, Qwen-Agent#461.
_NATIVE_BASE = Lazy(r"https?://(dashscope(?:-intl)?\.aliyuncs\.com)/api/v1\b", re.I)


def _native_base(scan: str, found: Found) -> bool:
    hit = _NATIVE_BASE.search(scan, scan.lower())
    if not hit or not _STATUS_404.search(scan):
        return False
    keep_stronger(found, "config.base_url_invalid", 0.9, f"The base URL is DashScope's native API root "
                  f"(https://{hit.group(1)}/api/v1), which serves DashScope's own protocol; an OpenAI-compatible "
                  f"client needs https://{hit.group(1)}/compatible-mode/v1, and gets 404 for its paths at the other.")
    return True


# Volcengine Ark's documented chat path, whole (www.volcengine.com/docs/82379/1299023): Ark answers a model or
# endpoint ID it does not know with 404 (InvalidEndpointOrModel.NotFound) at that very path, so a 404 said for
# it is the model, whatever the client calls it ("... not found, verify your API base", 5ire#195). A doubled or
# longer path (".../chat/completions/chat/completions") is the base URL and is left to the rules above.
_ARK_CHAT = Lazy(r"https://ark\.[a-z0-9-]+\.(?:volces|bytepluses)\.com/api/v3/chat/completions(?![/\w])", re.I)
_SAID_404 = Lazy(r"\b404\b|\bnot found\b", re.I)


def _ark_model(scan: str, found: Found) -> bool:
    hit = _ARK_CHAT.search(scan, scan.lower())
    if not hit or not _SAID_404.search(scan, scan.lower()):
        return False
    if found.get("config.base_url_invalid", (0.0,))[0] >= 0.9:  # the path itself said wrong, as in "/v1/v1"
        return False
    keep_stronger(found, "model.not_found", 0.85, f"The call went to {hit.group(0)}, Ark's own chat path, and Ark "
                  "answers 404 there for a model or endpoint ID it does not know (InvalidEndpointOrModel.NotFound): "
                  "the model name is a dated model ID (doubao-1-5-pro-32k-250115) or an endpoint ID (ep-...), and "
                  "the model must be activated in the Ark console.")
    _base_url_second(found)
    return True


# OpenAI's (and One API's, New API's: RelayNotFound in controller/relay.go) "Invalid URL (METHOD PATH)" echoes the
# path the server got. For the path every OpenAI-compatible server serves (/v1/chat/completions) the base URL's
# shape was right, and threads confirm different causes for that same line: a proxy address in the wrong format
# that forwarded elsewhere (chatbox#199), an account without API access (nextai-translator#106,
# chatgpt-web#546). Candidates, not a verdict; a doubled or unversioned echo still names the base URL.
_STANDARD_PATH_REFUSED = Lazy(r"invalid url \((?:get|post) /v1/(?:chat/completions|completions|embeddings|models)\)",
                              re.I)
_OTHER_PATH_SHOWN = Lazy(r"https?://[^\s'\"]+/(?:v\d|chat|completions|embeddings|models)|/v\d+/v\d+/|"
                         r"completions/chat/completions", re.I)


def _standard_path_refused(scan: str, found: Found, vague: Found) -> bool:
    confidence = found.get("config.base_url_invalid", (0.0, ""))[0]
    path = _STANDARD_PATH_REFUSED.search(scan, scan.lower())
    if not path or _OTHER_PATH_SHOWN.search(scan, scan.lower()) \
            or confidence > 0.92 or any(c > 0.6 for cause, (c, _) in found.items() if cause not in _SAYS_NO_PATH):
        return False
    said = path.group(0)
    for cause in _SAYS_NO_PATH:
        found.pop(cause, None)
    keep_stronger(vague, "config.base_url_invalid", 0.5, f"The server answered \"{said}\" for the standard path: a "
                  "proxy or relay address in the wrong format can forward the call to a path the API does not serve.")
    keep_stronger(vague, "endpoint.not_found", 0.45, "A relay or gateway in between may not serve that endpoint.")
    keep_stronger(vague, "auth.permission_denied", 0.35, "OpenAI answered the same words in 2023 to accounts without "
                  "API access to that endpoint.")
    return True


def read(text: str, found: Found, vague: Found | None = None) -> None:
    """Turns a path answer about a native route into `endpoint.not_found`, a plain-text 404 into the base URL;
    leaves every other text alone."""
    scan = text[:200_000]
    if _native_base(scan, found) or _ark_model(scan, found) or (
            vague is not None and _standard_path_refused(scan, found, vague)):
        return
    if _PLAIN_404.search(scan, scan.lower()) and not _NATIVE_PATH.search(scan, scan.lower()):
        keep_stronger(found, "config.base_url_invalid", 0.8, "The 404 came with a body that is not JSON: a web "
                      "server's or router's own page, not the API saying which model it lacks. The base URL does not "
                      "point at the API root (a missing /v1, a trailing slash, another host).")
        return
    if not any(cause in found for cause in _SAYS_NO_PATH) or found.get("model.not_found", (0.0,))[0] >= 0.8:
        return  # Ollama answers 404 on /api/chat for a model it has not pulled: the model, not the route
    hit = _NATIVE_PATH.search(scan, scan.lower())
    if not hit:
        return
    path = hit.group(1)
    if vague is not None and _OLLAMA_ROUTE.search(path) and _STATUS_404.search(scan) \
            and not _ROUTER_PAGE.search(scan, scan.lower()):
        for cause in _SAYS_NO_PATH:
            found.pop(cause, None)
        keep_stronger(vague, "model.not_found", 0.5, f"Ollama answers 404 on {path} for a model it has not pulled; "
                      "the text shows the status without the body that would name the model.")
        keep_stronger(vague, "endpoint.not_found", 0.45, f"Ollama answers 404 on {path} also when it is older than "
                      "that route, or when the server at that port is not Ollama.")
        return
    keep_stronger(found, "endpoint.not_found", 0.93, f"The client called {path}, a local server's own (native) API "
                  "route, and this server does not serve it: it speaks another API (OpenAI-compatible, llama.cpp, "
                  "Ollama). Set the client's provider type to the server's API, or use the server that route "
                  "belongs to; the base URL itself is not what is wrong.")
    _base_url_second(found)
