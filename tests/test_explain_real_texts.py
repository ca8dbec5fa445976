# ruff: noqa: E501  (real texts are quoted whole, as their sources printed them)
"""Every class of the issue's "what misses" list, read right, on real texts from tests/corpus (tuned part).

Each text is quoted as its source printed it (keys masked as the source masked them); the URL is where it
comes from and where the cause was confirmed. The held-out corpus is never used here.
"""

from __future__ import annotations

import pytest
from helpers import reading

from llmdoctor.explain import explain

CASES = [
    # --- A status said in words or only in an HTML title
    ('OpenAI API Response was: Error: Request failed with status code 407. More information about this error: https://www.codegpt.co/docs/tutorial-basics/api_errors',
     'proxy.auth_failed'),  # https://github.com/diffbot/code-gpt-docs/issues/33
    ('openai.error.APIError: HTTP code 502 from API (<!DOCTYPE html>\n\n <html class="no-js" lang="en-US">\n<head>\n\n<title>api.openai.com | 502: Bad gateway</title>\n<meta charset="UTF-8" />',
     'gateway.error'),  # https://github.com/yoheinakajima/babyagi/issues/64
    ('AI回答问题时发生错误: DeepSeek API request failed: 401 Client Error: Unauthorized for url: https://api.deepseek.com/v1/chat/completions',
     'auth.invalid_key'),  # https://github.com/Karben233/bili-hardcore/issues/37
    # --- Proxy answers read as proxy answers, not API answers (incl. tinyproxy's 401 to CONNECT)
    ("OSError('Tunnel connection failed: 407 Proxy Authentication Required')",
     'proxy.auth_failed'),  # https://github.com/cubewise-code/tm1py/issues/531
    ('Error: tunneling socket could not be established, statusCode=407',
     'proxy.auth_failed'),  # https://github.com/postmanlabs/postman-app-support/issues/9331
    ('Establishing a CONNECT tunnel through proxy failed with response code 407',
     'proxy.auth_failed'),  # https://github.com/pear/pear-core/pull/72
    # --- A refusal that names the proxy host or port is the proxy
    ('> 2022-12-07 22:06:33,002 - DEBUG - Error connecting to SOCKS5 proxy 127.0.0.1:20176 due to: [Errno 111] Connection refused',
     'proxy.unreachable'),  # https://github.com/mheidari98/proxyUtil/issues/1
    ("(Caused by ProxyError('Cannot connect to proxy.', NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f>: Failed to establish a new connection: [Errno 111] Connection refused')))",
     'proxy.unreachable'),  # https://github.com/jas502n/CVE-2019-16759/issues/1
    ('connect 61.205.127.35 fail:Error connecting to HTTP proxy :8080: [Errno 61] Connection refused cost:0 h:0',
     'proxy.unreachable'),  # https://github.com/XX-net/XX-Net/issues/3610
    # --- Envoy, Cloudflare and hosting-platform pages are gateways
    ('upstream connect error or disconnect/reset before headers. reset reason: overflow',
     'gateway.error'),  # https://github.com/ProletRevDicta/Prolet/issues/1131
    ('Error Upstream connect error or disconnect/reset before headers. reset reason: remote reset',
     'gateway.error'),  # https://github.com/abyssparanoia/rapid-go/issues/197
    ('HTTP error (503): upstream connect error or disconnect/reset before headers',
     'gateway.error'),  # https://github.com/department-of-veterans-affairs/caseflow-efolder/issues/770
    # --- Words over a generic status
    ('503 Incorrect model ID. Please request to view the model page or you do not have permission to use this model',
     'model.not_found'),  # https://docs.aihubmix.com/en/FAQs/HTTP-Codes
    ('429 {"error":{"code":"1113","message":"Insufficient balance or no resource package. Please recharge."},"request_id":"202603142338501da90b7ebe1d473d"}',
     'quota.insufficient'),  # https://github.com/7836246/cursor2api/issues/30
    ('HTTP 429:余额不足或无可用资源包,请充值。',
     'quota.insufficient'),  # https://github.com/mf-yang/openclaw-cn/issues/540
    # --- Missing keys, in the SDKs' and frameworks' words, and null/undefined keys
    ('openai.OpenAIError: Missing credentials. Please pass an `api_key`, `workload_identity`, `admin_api_key`, or set the `OPENAI_API_KEY` or `OPENAI_ADMIN_KEY` environment variable.',
     'config.missing_key'),  # https://github.com/Comfy-Org/ComfyUI/issues/13911
    ('ValueError: Did not find OPENAI_API_KEY, please add an environment variable `OPENAI_API_KEY` which contains it, or pass  OPENAI_API_KEY as a named parameter.',
     'config.missing_key'),  # https://github.com/krrishdholakia/betterprompt/issues/3
    ('The api_key client option must be set either by passing api_key to the client or by setting the OPENAI_API_KEY environment variable',
     'config.missing_key'),  # https://github.com/ivnvxd/hack-interview/issues/2
    # --- Chinese providers: Zhipu, Qianfan, Spark, Volcengine, MiniMax, SiliconFlow, Hunyuan, Moonshot
    ('{"error":{"code":"1113","message":"Your account is in arrears, please recharge and try again"}}',
     'quota.insufficient'),  # https://docs.z.ai/api-reference/api-code
    # --- One API / New API / LiteLLM relays, bilingual
    ('insufficient_user_quota: 额度不足',
     'quota.insufficient'),  # https://doc.tokendog.io/zh/api-reference/guide/error-codes
    ('403 insufficient_user_quota: Your account balance is insufficient. Please recharge your account to continue using the API.',
     'quota.insufficient'),  # https://docs.aihubmix.com/en/FAQs/HTTP-Codes
    # --- Base URL shapes seen from the answer
    ('openai.error.InvalidRequestError: Invalid URL (POST /v1/chat/completions/chat/completions)',
     'config.base_url_invalid'),  # https://github.com/LinLin00000000/vercel-proxy-openai/issues/2
    ('InvalidRequestError: Invalid URL (POST /chat/completions)',
     'config.base_url_invalid'),  # https://github.com/KenyonY/openai-forward/issues/10
    ("Oops. Something went wrong: Error condensing thoughts: OpenAIException - Error code: 404 - {'message': 'Invalid URL (POST /chat/completions)'}",
     'config.base_url_invalid'),  # https://github.com/OpenHands/OpenHands/issues/485
    # --- curl and libcurl wordings
    ('curl: (7) Failed to connect to api.openai.com port 443: Operation timed out\nYour request to Open AI API failed:',
     'net.connect_timeout'),  # https://github.com/0xacx/chatGPT-shell-cli/issues/49
    ('Error in curl::curl_fetch_memory(url, handle = handle) : \n  Timeout was reached: [api.openai.com] Failed to connect to api.openai.com port 443 after 10002 ms: Timeout was reached',
     'net.connect_timeout'),  # https://github.com/irudnyts/openai/issues/61
    ('#Error in curl::curl_fetch_memory(url, handle = handle) : Timeout was reached: [api.openai.com] Failed to connect to api.openai.com port 443 after 10009 ms: Timeout was reached',
     'net.connect_timeout'),  # https://github.com/Winnie09/GPTCelltype/issues/1
    # --- Node: fetch failed and its cause
    ('FetchError: request to http://localhost:8080/ failed, reason: connect ECONNRESET 127.0.0.1:8080\n    at ClientRequest.<anonymous> (/home/pierre/code/hello/node_modules/node-fetch/lib/index.js:1501:11)',
     'net.connect_refused'),  # https://github.com/netlify/cli/issues/7952
    ('[ERROR] FetchError: request to https://chat.duti.tech/api/conversation failed, reason: getaddrinfo ENOTFOUND chat.duti.tech',
     'dns.failure'),  # https://github.com/gmpetrov/openai-chatgpt/issues/7
    ('request to https://api.openai.com/v1/chat/completions failed, reason: getaddrinfo EAI_AGAIN api.openai.com',
     'dns.failure'),  # https://github.com/Chanzhaoyu/chatgpt-web/issues/1323
    # --- Windows socket errors in a Chinese locale
    ('  File "C:\\Program Files\\Python310\\lib\\asyncio\\windows_events.py", line 821, in _poll\n    value = callback(transferred, key, ov)\nConnectionRefusedError: [WinError 1225] 远程计算机拒绝网络连接。',
     'net.connect_refused'),  # https://github.com/code-monad/ChatGPTBot/issues/3
    ("Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x000001B18A7A2A60>: Failed to establish a new connection: [WinError 10061] 由于目标计算机积极拒绝，无法连接。')",
     'net.connect_refused'),  # https://github.com/binary-husky/gpt_academic/issues/63
    ('2019-10-21 21:28:28 WARNING  [Errno 10061] [Error 10061] 由于目标计算机积极拒绝，无法连接。',
     'net.connect_refused'),  # https://github.com/felix021/ssocks5/issues/3
    # --- Account states
    ('{"error":{"code":"1112","message":"Your account has been locked, please contact customer service to unlock"}}',
     'auth.account_disabled'),  # https://docs.z.ai/api-reference/api-code
    ('403 Account suspended.',
     'auth.account_disabled'),  # https://docs.aihubmix.com/en/FAQs/HTTP-Codes
    ('API Error: 400 {"type":"error","error":{"type":"invalid_request_error","message":"This organization has been disabled."},"request_id":"req_011CXF1SZ3S3oXChsdxhoUwV"}',
     'auth.account_disabled'),  # https://github.com/anthropics/claude-code/issues/19028
    # --- Other clients (Claude Code, Go, SDK version clashes)
    ('Unable to connect to API (ConnectionRefused) · Retrying in 11s · attempt 8/10',
     'net.connect_refused'),  # https://github.com/anthropics/claude-code/issues/71188
    ('Unable to connect to API (ECONNREFUSED)',
     'net.connect_refused'),  # https://github.com/anthropics/claude-code/issues/18766
    ('Internal error: API Error: Unable to connect to API (ConnectionRefused)',
     'net.connect_refused'),  # https://github.com/aipoch/open-science/issues/1548
]


@pytest.mark.parametrize(("text", "cause"), CASES)
def test_real_texts_read_right(text: str, cause: str) -> None:
    result = explain(text)
    got = reading(result)
    assert got == cause, [(c.id, c.confidence) for c in result.causes[:3]]


@pytest.mark.parametrize("text", [
    "openai.APIConnectionError: Connection error.",  # https://github.com/BerriAI/litellm/issues/3415
    '"AxiosError: Request failed with status code 429"',  # https://github.com/hkjang/node-red-contrib-openai/issues/3
    "Error: [WinError 10054] 远程主机强迫关闭了一个现有的连接。",  # https://github.com/hcfyapp/google-translate-cn-ip/issues/3
])
def test_texts_that_do_not_name_a_cause_are_not_given_a_verdict(text: str) -> None:
    result = explain(text)
    assert result.ambiguous and not result.recognised
