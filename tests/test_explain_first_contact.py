# ruff: noqa: E501  (real texts are quoted whole, as their sources printed them)
"""First contact with coding agents' and chat apps' texts (issue 16, clients class), read as classes.

Each text is quoted as its source printed it, from tests/corpus (tuned part); the URL is where it comes from and
where the cause was confirmed. The held-out corpus is never used here. The locale table is checked row by row
with glibc's own translations (libc.po of glibc 2.36) and Windows' WSAE* texts.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from helpers import reading

from llmdoctor.explain import explain
from llmdoctor.signatures import errnos

CASES = [
    # --- OS socket errors in other locales (Windows' WSAE* texts in es, fr, ja; one table for every locale)
    ("System.Net.Http.HttpRequestException: No se puede establecer una conexión ya que el equipo de destino denegó expresamente dicha conexión. (localhost:5051)\n ---> System.Net.Sockets.SocketException (10061): No se puede establecer una conexión ya que el equipo de destino denegó expresamente dicha conexión.",
     "net.connect_refused"),  # https://github.com/dotnet/dotnet-api-docs/issues/9821
    ("[1337x] Exception (1337x): Aucune connexion n’a pu être établie car l’ordinateur cible l’a expressément refusée.: Aucune connexion n’a pu être établie car l’ordinateur cible l’a expressément refusée.",
     "net.connect_refused"),  # https://github.com/Jackett/Jackett/issues/10704
    ("<urlopen error [WinError 10061] 対象のコンピューターによって拒否されたため、接続できませんでした。>",
     "net.connect_refused"),  # https://github.com/kabucom/kabusapi/issues/159
    ("System.Net.Http.HttpRequestException: The SSL connection could not be established, see inner exception.\n ---> System.IO.IOException: Unable to read data from the transport connection: Se ha forzado la interrupción de una conexión existente por el host remoto..\n ---> System.Net.Sockets.SocketException (10054): Se ha forzado la interrupción de una conexión existente por el host remoto.",
     "tls.handshake_reset"),  # https://github.com/RatScanner/RatScanner/issues/535
    # --- A status in an app's own frame: Goose's "Bad request (400):", Cline's '401 "..."', LiteLLM's class for 503
    ("Request failed: Bad request (400): Server received a request which exceeds maximum allowed content length. RequestSize(bytes): 34021227, Limit(bytes): 33554432.",
     "request.too_large"),  # https://github.com/aaif-goose/goose/issues/11171
    ("401 \"API key not found or invalid\"\nRequest ID: 20...",
     "auth.invalid_key"),  # https://github.com/cline/cline/issues/5420
    ("06:31:06 - openhands:ERROR: agent_controller.py:307 - [Agent Controller bd95cc704ebb4d5b86914863809ac8ef] Error while running the agent (session ID: bd95cc704ebb4d5b86914863809ac8ef): litellm.ServiceUnavailableError: ServiceUnavailableError: OpenAIException - Loading model.",
     "server.overloaded"),  # https://github.com/OpenHands/OpenHands/issues/8832
    # --- The upstream's body nested in another error: OpenRouter's metadata.raw, the Gemini SDK's message
    ("\"error\": {\n    \"code\": 429,\n    \"message\": \"Provider returned error\",\n    \"metadata\": {\n      \"provider_name\": \"Google\",\n      \"raw\": \"{\\n  \\\"error\\\": {\\n    \\\"code\\\": 429,\\n    \\\"message\\\": \\\"Quota exceeded for aiplatform.googleapis.com/generate_content_requests_per_minute_per_project_per_base_model with base model: gemini-experimental. Please submit a quota increase request. https://cloud.google.com/vertex-ai/docs/generative-ai/quotas-genai.\\\",\\n    \\\"status\\\": \\\"RESOURCE_EXHAUSTED\\\"\\n  }\\n}\\n\"\n    }\n  },",
     "ratelimit.exceeded"),  # https://github.com/aaif-goose/goose/issues/1244
    ("got status: 401 Unauthorized. {\"error\":{\"message\":\"{\\n \\\\\"error\\\\\": {\\n \\\\\"code\\\\\": 401,\\n \\\\\"message\\\\\": \\\\\"API keys are not supported by this API. Expected OAuth2 access token or other authentication credentials that assert a principal. See https://cloud.google.com/docs/authentication\\\\\",\\n \\\\\"status\\\\\": \\\\\"UNAUTHENTICATED\\\\\",\\n \\\\\"details\\\\\": [\\n {\\n \\\\\"@type\\\\\": \\\\\"type.googleapis.com/google.rpc.ErrorInfo\\\\\",\\n \\\\\"reason\\\\\": \\\\\"CREDENTIALS_MISSING\\\\\",\\n \\\\\"domain\\\\\": \\\\\"googleapis.com\\\\\",\\n \\\\\"metadata\\\\\": {\\n \\\\\"method\\\\\": \\\\\"google.cloud.aiplatform.v1beta1.PredictionService.StreamGenerateContent\\\\\",\\n \\\\\"service\\\\\": \\\\\"aiplatform.googleapis.com\\\\\"\\n }\\n }\\n ]\\n }\\n}\\n\",\"code\":401,\"status\":\"Unauthorized\"}}",
     "auth.wrong_endpoint"),  # https://github.com/Kilo-Org/kilocode/issues/1548
    # --- Bun's fetch errors by code (opencode, Claude Code's native build)
    ("ERROR 2025-12-30T00:13:28 +0ms service=llm providerID=opencode modelID=big-pickle sessionID=ses_49365bcebffegE2LCYQtUJAMuy small=false agent=build error={\"error\":{\"code\":\"ConnectionRefused\",\"path\":\"https://opencode.ai/zen/v1/responses\",\"errno\":0}} stream error\nERROR 2025-12-30T00:13:28 +1ms service=session.processor error=Unable to connect. Is the computer able to access the url? process",
     "net.connect_refused"),  # https://github.com/anomalyco/opencode/issues/6412
    # --- Provider sentences and who answered
    ("API Error: 400 [{\"error\":{\"code\":400,\"message\":\"Multiple authentication credentials received. Please pass only \n     one.\",\"status\":\"INVALID_ARGUMENT\"}}]",
     "config.conflicting_keys"),  # https://github.com/Gitlawb/openclaude/issues/749
    ("Error: Execution failed: ProxyResponseError: HTTP 403 response does not appear to originate from GitHub. Is a proxy or firewall intercepting this request?  https://gh.io/copilot-firewall",
     "proxy.blocked"),  # https://github.com/github/app/issues/741
]

AMBIGUOUS = [
    "Error: Unable to connect. Is the computer able to access the url?",  # https://github.com/anomalyco/opencode/issues/5945
    "API 请求失败：\nTXT\nLoad failed",  # https://github.com/chatboxai/chatbox/issues/555
    "Connection failed.\nTry again\nIf the problem persists, please check your internet connection or VPN, or email us at hi@cursor.sh.",  # https://github.com/cursor/cursor/issues/2006
    "API Error (500 {\"error\":{\"message\":\"fetch failed\",\"type\":\"api_error\",\"code\":\"internal_error\"}}) · Retrying in 1 seconds… (attempt 1/10)",  # https://github.com/musistudio/claude-code-router/issues/203
    "{\n  \"error\": true,\n  \"message\": \"Load failed\"\n}",  # https://github.com/ChatGPTNextWeb/NextChat/issues/2415
    "Connection failed. HTTP 429: Invalid key or insufficient credits.",  # https://github.com/altic-dev/FluidVoice/issues/10
]


@pytest.mark.parametrize(("text", "cause"), CASES)
def test_first_contact_texts_read_right(text: str, cause: str) -> None:
    result = explain(text)
    assert reading(result) == cause, [(c.id, c.confidence) for c in result.causes[:3]]


@pytest.mark.parametrize("text", AMBIGUOUS)
def test_apps_sentences_that_do_not_tell_are_not_given_a_verdict(text: str) -> None:
    result = explain(text)
    assert result.ambiguous and not result.recognised, [(c.id, c.confidence) for c in result.causes[:3]]
    assert len(result.causes) >= 2


def test_an_ambiguous_app_sentence_exits_1_and_says_so() -> None:
    done = subprocess.run([sys.executable, "-m", "llmdoctor", "explain", AMBIGUOUS[0]], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "does not tell" in done.stdout
    assert "Traceback" not in done.stderr


_OUTCOME_READS = {errnos.REFUSED: "net.connect_refused", errnos.TIMEOUT: "net.connect_timeout",
                  errnos.DNS: "dns.failure", errnos.UNREACHABLE: "net.unreachable"}


@pytest.mark.parametrize(("name", "text"), [(name, text) for name, texts in errnos.LOCALE_TEXTS.items()
                                            for text in texts])
def test_every_locale_text_reads_as_its_row(name: str, text: str) -> None:
    row = next(r for r in errnos.SOCKET_ERRORS if r.name == name)
    result = explain(f"OSError: {text}")
    if row.outcome == errnos.RESET:  # a reset with no step named does not tell
        assert result.ambiguous, [(c.id, c.confidence) for c in result.causes[:3]]
    else:
        assert reading(result) == _OUTCOME_READS[row.outcome], [(c.id, c.confidence) for c in result.causes[:3]]


def test_a_status_named_in_other_languages_is_a_status() -> None:
    from llmdoctor.explain import parse

    for said, status in (("ステータスコード: 429", 429), ("código de estado 401", 401), ("상태 코드 503", 503),
                         ("Der Antwortstatuscode gibt keinen Erfolg an: 401 (Unauthorized).", 401),
                         ("код ответа 502", 502), ("code d'état : 403", 403), ("Statuscode 500", 500),
                         ("Server error: Server error (503 Service Unavailable): upstream", 503)):
        assert parse.status(said, []) == status, said
    assert parse.status("ステータスコード: 8080 のポート", []) is None


def test_an_answer_that_is_not_http_names_the_proxy_first_without_deciding() -> None:
    # https://github.com/dwgx/WindsurfAPI/issues/25 (a SOCKS5 port given as an HTTP proxy; the text alone cannot tell
    # it from http:// spoken to a TLS port)
    result = explain("✗ 失败: 连接失败: Parse Error: Expected HTTP/, RTSP/ or ICE/ · 324ms")
    assert result.ambiguous
    assert result.causes[0].id == "proxy.protocol_mismatch"


@pytest.mark.parametrize(("text", "cause"), [
    # .NET Framework's WebException in Windows' display language, as pasted in public READMEs, logs and docs
    # (found with the code search; PowerShell's irm/Invoke-RestMethod and WebClient print them)
    ("irm : 未能解析此远程名称: 'raw.githubusercontent.com'", "dns.failure"),
    ("[P: 3] 2015-11-26 16:03:31.993 System.Net.WebException: Le nom distant n'a pas pu être résolu: 'vcenter'",
     "dns.failure"),
    ("要求の送信中にエラーが発生しました。 ---> System.Net.WebException: リモート名を解決できませんでした: 'lcsapi.lcs.dynamics.com'",
     "dns.failure"),
    ("No se puede resolver el nombre remoto: 'smtp.gmail.com'", "dns.failure"),
])
def test_dotnet_framework_web_exceptions_in_display_languages(text: str, cause: str) -> None:
    assert reading(explain(text)) == cause
