# ruff: noqa: E501  (real texts are quoted whole, as their sources printed them)
"""Clients other than Python's SDK, read by their own message templates (issue 16: other clients, Node).

Each class here is one client's template, read from its source, so every text the template prints reads the
same: Symfony HttpClient's idle timeout (the transport openai-php finds), OpenAI's 2023 "The model: `x` does not
exist", go-openai's APIError/RequestError, and the per-runtime steps of a client timeout that is too short, with
the limit the text names. Real texts come from the tuned corpus (never the held-out file), each with its thread.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from helpers import reading

from llmdoctor.cli import main
from llmdoctor.explain import explain
from llmdoctor.explain.runtime import runtime_of
from llmdoctor.explain.values import timeout_named

# Symfony HttpClient, Response/TransportResponseTrait.php: sprintf('Idle timeout reached for "%s".', url)
SYMFONY_IDLE = [
    'Symfony\\Component\\HttpClient\\Exception\\TimeoutException: Idle timeout reached for "https://api.openai.com/v1/chat/completions".',  # https://github.com/openai-php/laravel/issues/36
    'Fatal error: Uncaught Symfony\\Component\\HttpClient\\Exception\\TimeoutException: Idle timeout reached for "https://api.openai.com/v1/chat/completions". in /var/www/html/xxx/chatgpt/vendor/symfony/http-client/Chunk/ErrorChunk.php:56 Stack trace: #0 /var/www/html/xxx/chatgpt/vendor/symfony/http-client/Response/CommonResponseTrait.php(146): Symfony\\Component\\HttpClient\\Chunk\\ErrorChunk->isFirst()',  # https://github.com/openai-php/client/issues/294
    'PHP Fatal error:  Uncaught Symfony\\\\Component\\\\HttpClient\\\\Exception\\\\TimeoutException: Idle timeout reached for "https://api.openai.com/v1/chat/completions". in /var/www/html/gpt/vendor/symfony/http-client/Chunk/ErrorChunk.php:56\\nStack trace:\\',  # https://github.com/openai-php/client/issues/129
    'Fatal error: Uncaught SymfonyComponentHttpClientExceptionTimeoutException: Idle timeout reached for "https://api.openai.com/v1/chat/completions".',  # https://github.com/openai-php/client/issues/153
]


@pytest.mark.parametrize("text", SYMFONY_IDLE)
def test_symfony_idle_timeout_is_a_client_timeout_with_php_steps(text: str) -> None:
    result = explain(text)
    assert reading(result) == "net.client_timeout_too_short", [(c.id, c.confidence) for c in result.causes[:3]]
    assert runtime_of(text) == "php"
    fix = " ".join(result.causes[0].fix)
    assert "withHttpClient" in fix and "OPENAI_REQUEST_TIMEOUT" in fix
    assert "OpenAI(timeout=" not in fix  # Python's step is not PHP's


def test_symfony_idle_timeout_on_the_command_line() -> None:
    proc = CliRunner().invoke(main, ["explain", "-"], input=SYMFONY_IDLE[0])
    assert proc.exit_code == 1
    assert "OPENAI_REQUEST_TIMEOUT=300" in proc.output
    data = json.loads(CliRunner().invoke(main, ["explain", "--json", "-"], input=SYMFONY_IDLE[0]).output)
    assert data["causes"][0]["id"] == "net.client_timeout_too_short"


@pytest.mark.parametrize(("text", "runtime", "step"), [
    ('System.Threading.Tasks.TaskCanceledException: The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing.\n   at System.Net.Http.HttpClient.HandleFailure(Exception e, Boolean telemetryStarted, HttpResponseMessage response, CancellationTokenSource cts, CancellationToken cancellationToken, CancellationTokenSource pendingRequestsCts)\n   at OpenAI_API.EndpointBase.HttpRequestRaw(String url, HttpMethod verb, Object postData, Boolean streaming)',
     "dotnet", "TimeSpan.FromMinutes(5)"),  # https://github.com/OkGoDoIt/OpenAI-API-dotnet/issues/102
    ('I make some large requests to OpenAI, and even with the GPT 3.5 Turbo model, the responses are sometimes slow, and I receive a `java.net.SocketTimeoutException: timeout` exception.',
     "java", "Duration.ofMinutes(5)"),  # https://github.com/TheoKanning/openai-java/issues/147
    ('Something went wrong!\nnet/http: request canceled (Client.Timeout or context cancellation while reading body)',
     "go", "http.Client{Timeout: 5 * time.Minute}"),  # https://github.com/acheong08/ChatGPT/issues/439
    ('"cURL error 28: Operation timed out after 30002 milliseconds with 0 bytes received (see https://curl.haxx.se/libcurl/c/libcurl-errors.html) for https://generativelanguage.googleapis.com/v1/models/gemini-1.5-pro:generateContent',
     "php", "withHttpClient"),  # https://github.com/google-gemini-php/laravel/issues/13
])
def test_a_client_timeout_gets_its_runtimes_own_steps(text: str, runtime: str, step: str) -> None:
    assert runtime_of(text) == runtime
    kb_cause = next(c for c in explain(text).causes if c.id == "net.client_timeout_too_short")
    assert any(step in line for line in kb_cause.fix), kb_cause.fix
    assert not any("httpx.Timeout" in line for line in kb_cause.fix)


@pytest.mark.parametrize(("text", "said"), [
    ("The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing.", "100 s"),  # .NET Strings.resx
    ("cURL error 28: Operation timed out after 30002 milliseconds with 0 bytes received", "30 s"),  # libcurl lib/transfer.c
    ("AxiosError: timeout of 60000ms exceeded", "60 s"),  # axios lib/adapters/http.js
    ("TimeoutError: Timeout awaiting 'request' for 30000ms", "30 s"),  # got source/core/timed-out.ts
    ("Provider response headers timed out after 10000ms", "10 s"),  # https://github.com/anomalyco/opencode/issues/29548
    ("Response timeout while trying to fetch https://api.openai.com/v1/chat/completions (over 500ms)", "500 ms"),  # node-fetch 2 src/body.js
    ("java.net.SocketTimeoutException: timeout", None),
])
def test_the_limit_a_client_names_is_read_from_its_template(text: str, said: str | None) -> None:
    assert timeout_named(text) == said


def test_the_fix_names_the_limit_the_client_gave_up_at() -> None:
    text = "System.Threading.Tasks.TaskCanceledException: The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing."  # https://github.com/OkGoDoIt/OpenAI-API-dotnet/issues/102
    assert explain(text).causes[0].fix[0].startswith("Your client gave up after 100 s:")
    assert explain(text, lang="zh").causes[0].fix[0].startswith("客户端在 100 s 后放弃了")
    # a text that names no limit gets no step with a hole in it
    fix = explain("java.net.SocketTimeoutException: timeout").causes[0].fix
    assert not any("{timeout}" in line or "gave up after" in line for line in fix)


@pytest.mark.parametrize("text", [
    "OpenAI\\Exceptions\\ErrorException: The model: `gpt-4` does not exist in H:\\[..]\\openai-php\\client\\src\\Transporters\\HttpTransporter.php:130 Stack trace: #0 H:\\[..]\\openai-php\\client\\src\\Transporters\\HttpTransporter.php(55): OpenAI\\Transporters\\HttpTransporter->throwIfJsonError(Array, '{\\n \"error\": ...')",  # https://github.com/openai-php/client/issues/124
    "openai.error.InvalidRequestError: The model: `gpt-4` does not exist",  # OpenAI's 2023 wording, as apps quoted it
    "Error model_not_found: The model: `gpt-4` does not exist",  # AI Engine (WordPress) matching the same answer
])
def test_openais_2023_model_wording_with_a_colon_is_a_missing_model(text: str) -> None:
    assert reading(explain(text)) == "model.not_found"


# go-openai error.go: APIError "error, status code: %d, status: %s, message: %s" (older: without "status: %s"),
# RequestError "error, status code: %d, status: %s, message: %s, body: %s" - the status and the server's message
# both read, whatever wraps them (k8sgpt's "failed while calling AI provider openai:", GPTScript, eino)
@pytest.mark.parametrize(("text", "cause"), [
    ("Error: failed while calling AI provider openai: error, status code: 401, status: 401 Unauthorized, message: Incorrect API key provided: sk-proj-****X0AA. You can find your API key at https://platform.openai.com/account/api-keys.", "auth.invalid_key"),  # k8sgpt README
    ("error, status code: 429, message: You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.", "quota.insufficient"),  # GPTScript docs
    ("error, status code: 429, status: 429 Too Many Requests, message: Rate limit reached for gpt-4 in organization org-x on tokens per min (TPM): Limit 40000, Used 39415, Requested 646. Please try again in 91ms.", "ratelimit.exceeded"),
    ("ERR OpenAI streaming request failed error=\"error, status code: 401, status: 401 Unauthorized, message: You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)\"", "config.missing_key"),
    ("error, status code: 502, status: 502 Bad Gateway, message: invalid character '<' looking for beginning of value, body: <html>\r\n<head><title>502 Bad Gateway</title></head>", "gateway.error"),
])
def test_go_openai_templates_read_status_and_message(text: str, cause: str) -> None:
    assert reading(explain(text)) == cause


# OkHttp's call timeout (RealCall.kt: InterruptedIOException("timeout")), the whole call's limit that openai4j under
# LangChain4j sets to 60 s: a client limit, with the Java steps (LangChain4j's .timeout(...))
@pytest.mark.parametrize("text", [
    'Exception in thread "main" java.lang.RuntimeException: java.lang.RuntimeException: java.io.InterruptedIOException: timeout\n\tat dev.langchain4j.internal.RetryUtils.withRetry(RetryUtils.java:29)\n\tat dev.langchain4j.model.openai.OpenAiChatModel.sendMessages(OpenAiChatModel.java:126)',  # https://github.com/langchain4j/langchain4j/issues/179
    'Input: What is google ?\nOutput: java.io.InterruptedIOException: timeout\n\nBut:\nInput: Hello\nOutput: Hello! How can I assist you today?',  # https://github.com/langchain4j/langchain4j/issues/238
    'Caused by: java.io.InterruptedIOException: timeout\n\tat okhttp3.internal.connection.RealCall.timeoutExit(RealCall.kt:398)\n\tat okhttp3.internal.connection.RealCall.callDone(RealCall.kt:360)',  # https://github.com/langchain4j/langchain4j-examples/issues/20
    # Spring's ResourceAccessException passing OkHttp's "timeout" on: "I/O error on POST request for \"URL\": timeout"
    'Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed: org.springframework.web.client.ResourceAccessException: I/O error on POST request for "http://localhost:11434/api/chat": timeout] with root cause\n\njava.net.SocketException: Socket closed\n\tat java.base/sun.nio.ch.NioSocketImpl.endRead(NioSocketImpl.java:253) ~[na:na]',  # https://github.com/spring-projects/spring-ai/issues/1634
])
def test_okhttps_call_timeout_is_a_client_limit_with_java_steps(text: str) -> None:
    result = explain(text)
    assert reading(result) == "net.client_timeout_too_short"
    assert any("LangChain4j: .timeout(Duration.ofMinutes(5))" in line for line in result.causes[0].fix)


@pytest.mark.parametrize("text", [
    'Symfony\\Component\\HttpClient\\Exception\\TransportException: Idle timeout reached for "https://api.openai.com/v1/chat/completions".',  # openai-php with Symfony HttpClient
    "cURL error 28: Operation timed out after 30002 milliseconds with 0 bytes received",  # libcurl lib/transfer.c, PHP's Guzzle
])
def test_every_timeout_candidate_speaks_the_clients_runtime(text: str) -> None:
    """The read-timeout candidate beside the client-timeout one gets the runtime's own steps too: Python's
    `OpenAI(timeout=httpx.Timeout(...))` is no step for a PHP or curl user."""
    causes = {c.id: c for c in explain(text).causes}
    assert "net.read_timeout" in causes, list(causes)
    steps = " ".join(causes["net.read_timeout"].fix)
    assert "httpx" not in steps and "stream=True" not in steps and "max_retries" not in steps, steps
    assert "Retry the call" in steps
