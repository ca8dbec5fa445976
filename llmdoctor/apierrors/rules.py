"""The rows that read an API error: message patterns, provider codes, status fallbacks.

Data only. A new provider's error is a row here: a pattern over the lower-cased type, code, status,
reasons and message of the error object (see `parse.py`), with the cause it means and how sure.
Most specific first; a cause keeps the best confidence any row gives it.
"""

from __future__ import annotations

import functools
import re

from llmdoctor.apierrors.parse import _PLAIN_TO_TLS
from llmdoctor.signatures.prefilter import Lazy

# (cause, confidence, pattern) over a lower-cased haystack of type, code, status, reasons and message.
# Most specific first; a cause keeps the best confidence any rule gives it.
_RULE_TEXT: tuple[tuple[str, float, str], ...] = (
    # A TLS port asked in plain HTTP: nginx / Cloudflare, then Go's net/http
    ("tls.protocol_mismatch", 0.95, _PLAIN_TO_TLS.pattern),
    # Account state before keys, billing and permissions: all arrive as 400, 401 or 403
    ("auth.account_disabled", 0.93,
     r"organization has been (disabled|restricted|deactivated)|account_deactivated|(account|organization) "
     r"(has been|is|was) (deactivated|disabled|locked|suspended|banned|terminated|restricted)|"
     r"deleted or deactivated|associated with a deactivated account|account suspended|access terminated|"
     r"account (?:associated with|of) [^.]{0,60}(?:has been|is) (?:deactivated|disabled|suspended|banned)|"
     r"account is currently inactive|account (is not active|does not exist)|irregular activities and has been locked|"
     r"账户已(被)?(禁用|冻结|封禁|停用|锁定)|账号已(被)?(禁用|冻结|封禁|停用|锁定)"),
    # The base URL seen from the answer: a doubled path, a path without /v1, a local server's own words.
    # OpenAI's two templates echo the path it got: "Invalid URL (POST /path)" (also One API's and New API's
    # RelayNotFound, controller/relay.go) and "Unknown request URL: POST /path. Please check the URL for typos"
    # (its unknown_url error, which openai-python 0.x raises as InvalidRequestError without the code)
    ("config.base_url_invalid", 0.92,
     r"invalid url \(?(?:get|post) (?:/v1)?/(?:chat|completions|embeddings|models|responses)|"
     r"unknown request url: (?:get|post) (?:/v1)?/(?:chat|completions|embeddings|models|responses)|"
     r"/v\d+/v\d+(?:/|\b)|/chat/completions/(?:v\d+/)?chat/completions|unknown_url|unexpected endpoint or method|"
     r"deployment_not_found|deployment could not be found on vercel"),
    # One API / New API relays (Chinese and English builds)
    ("ratelimit.relay_saturated", 0.95, r"上游负载已饱和|upstream load (is )?saturated|负载已饱和"),
    # "no channel for model X in group G": the relay does not offer that model to this token's group
    ("model.not_found", 0.88, r"下对于模型.{0,80}无可用渠道|no available channels? for model|incorrect model id"),
    ("model.not_found", 0.6, r"无可用渠道|no available channel"),
    ("gateway.error", 0.7, r"无可用渠道|no available channel|channel:no_available_key|do_request_failed"),
    ("gateway.error", 0.88, r"get_channel_failed|no available accounts"),  # the relay has no upstream to use
    # The key's shape, said by the server: Volcengine Ark's words; One API's check of a Tencent key
    # (which must be AppId|SecretId|SecretKey)
    ("config.key_malformed", 0.9,
     r"api key format is (incorrect|invalid)|invalid api key format|malformed api key|invalid te(?:n)?cent config"),
    # (One API's pre-consumption check says the numbers between its words in some builds: "user [3446] quota
    # [-20847155]preConsumedQuota [743]is not enough"; others "user quota is not enough", relay/controller)
    ("quota.insufficient", 0.92,
     r"额度已用尽|额度不足|余额不足|欠费|无可用资源包|冻结余额失败|quota\b[^.\n]{0,40}?is not enough|"
     r"token quota exhausted|"
     r"预扣费额度失败|"
     r"insufficient_user_quota|pre_consume_token_quota_failed|in arrears|please recharge|"
     r"make sure your account is in good standing|usage limit for this billing cycle|monthly usage limit|"
     r"daily request limit reached|credit limit exceeded|has reached the set inference limit|"
     r"budget has been exceeded|budgetexceeded|exceeded budget|max budget"),
    ("auth.invalid_key", 0.92,
     r"无效的令牌|令牌已过期|令牌已被禁用|令牌状态不可用|invalid token|token (has )?expired|"
     r"invalid proxy server token"),
    ("auth.wrong_header", 0.7,
     r"authentication parameter not received|未提供令牌|"
     r"you didn't provide an api key|no api key provided|missing bearer|"
     r"missing authentication|no auth credentials found|x-api-key header is required|api key is missing|"
     r"missing api key|unregistered callers|authorization header is (missing|required)|"
     r"invalid authorization header|malformed authorization|must be a bearer|"
     r"authorization header format"),
    ("config.missing_key", 0.5,
     r"未提供令牌|you didn't provide an api key|no api key provided|no auth credentials found|"
     r"x-api-key header is required|api key is missing|missing api key|unregistered callers"),
    ("auth.wrong_header", 0.88, r"no or an invalid authentication header"),
    # API generations: the model answers on another endpoint (OpenAI's texts, sub2api's relay text), an
    # openai<1.0 engines/ URL, a base URL that ends in the legacy /v1/completions, a retired completion model
    ("endpoint.wrong_generation", 0.95,
     r"is a chat model and not supported in the v1/completions endpoint|"
     r"not a chat model and thus not supported in the v1/chat/completions endpoint|"
     r"only supported in v1/responses|please use /v1/responses|unsupported legacy protocol|"
     r"in the responses api, this parameter has moved to|/v1/engines/|/v1/completions/chat/completions|"
     r"engines? endpoint .{0,40}deprecated"),
    ("endpoint.wrong_generation", 0.85, r"the model `?(text-davinci|text-curie|text-babbage|text-ada|code-davinci|"
     r"davinci|curie|babbage|ada)[\w-]*`? has been deprecated"),
    # A relay converting OpenAI chat to Anthropic Messages (or another vendor) and getting it wrong: the
    # upstream's validation error comes back (Anthropic's texts; New API / LiteLLM issue reports)
    ("relay.format_conversion", 0.9,
     r"unexpected role \"?system\"?|accepts a top-level `?system`? parameter|"
     r"max_tokens: field required|max_tokens\W{0,6}(is )?(a )?required|"
     r"`?tool_use`? ids were found without `?tool_result`? blocks|unexpected `?tool_use_id`?|"
     r"tool_result.{0,40}(must|should) (follow|correspond)|"
     r"messages with role 'tool' must be a response to a preceeding message with 'tool_calls'|"
     r"tool_calls.{0,60}must be followed by tool messages|"
     r"(stream_options|logit_bias|frequency_penalty|presence_penalty|n|response_format|"
     r"parallel_tool_calls|logprobs|seed|user)\W{0,4}extra inputs are not permitted"),
    # What the SDK raises on an answer it cannot parse (explain reads these; no server sends them)
    ("response.unparseable", 0.9,
     r"keyerror: '(choices|content|message|delta|text)'|"
     r"validation errors? for (chatcompletion|chatcompletionchunk|completion|message|choice|response)\b|"
     r"'str' object has no attribute '(choices|content|model_dump|usage|output_text|message)'|"
     r"'nonetype' object has no attribute '(content|message|text|delta|tool_calls)'|"
     r"(choices|content)\[0\][\s\S]{0,400}('nonetype' object is not subscriptable|"
     r"list index out of range)|"
     r"unexpected token '?<'?,? ?\"?<!doctype|<!doctype.{0,40}is not valid json|"
     r"is not valid json|unexpected end of json input"),
    ("response.unparseable", 0.86, r"expecting value: line 1 column 1 \(char 0\)"),
    ("response.stream_broken", 0.9,
     r"stream ended without|without (a |the )?\[done\]|never (received|got|sent) \[done\]|"
     r"missing \[done\]|unexpected event order|premature (end|close) of (the )?(event )?stream|"
     r"stream (was )?(closed|ended|terminated) (before|unexpectedly|prematurely)"),
    # Region blocks before permissions: both arrive as 403
    ("auth.region_blocked", 0.93,
     r"unsupported_country|country, region,? or territory not supported|user location is not supported|"
     r"not available in your (country|region)|region is not supported|unsupported region|"
     r"access denied\. please check your network settings"),  # Groq's answer from a blocked country
    # Anthropic's answer from an unsupported region: 403 {"type": "forbidden", "message": "Request not allowed"}
    ("auth.region_blocked", 0.9, r"request not allowed"),
    # Billing, before rate limits: OpenAI sends insufficient_quota as a 429
    ("quota.insufficient", 0.93,
     r"insufficient_quota|exceeded_current_quota|insufficient balance|insufficient_balance|"
     r"insufficient (account )?credits|requires more credits|credit balance is too low|arrearage|"
     r"billing_hard_limit|payment required|billing details|exceeded your current quota|"
     r"balance is insufficient|credit balance (is )?too low|insufficient balances"),
    ("request.too_large", 0.93,
     r"context_length_exceeded|maximum context length|request too large|request_too_large|"
     r"prompt is too long|input token count.{0,40}exceeds|string_above_max_length|"
     r"payload too large|request entity too large|reduce the length|range of input length|"
     r"exceeds the maximum (allowed )?(number of )?(bytes|tokens)|context window|prompt ?超长|输入.{0,8}超长|"
     r"超过.{0,12}最大长度|token limit|input token length too long|oversizedimage|"
     r"size of the input .{0,20}exceeds the limit"),
    # "too many tokens" is also how a per-minute token budget is said: weaker, and it yields to rate words
    ("request.too_large", 0.7, r"too many tokens"),
    ("request.content_filtered", 0.9,
     r"datainspectionfailed|content_filter|content_policy_violation|inappropriate content|"
     r"considered high risk|responsibleaipolicyviolation|content management policy|unsafe or sensitive content|"
     r"sensitive_words_detected|敏感"),
    ("ratelimit.exceeded", 0.88,
     r"rate_limit_exceeded|rate_limit_error|rate_limit_reached|rate limit|ratelimit|too many requests|"
     r"throttling|resource_exhausted|resource has been exhausted|请求过于频繁|速率限制|限流|"
     r"requests per min|tokens per min|per minute|qps request limit|high concurrency|max rpm|"
     r"max organization concurrency|concurrency limit"),
    ("server.overloaded", 0.9,
     r"overloaded|at capacity|over capacity|no capacity|server is busy|服务器繁忙|系统繁忙|too busy|"
     r"model is currently loading|not ready yet"),
    ("model.not_found", 0.9,
     r"model_not_found|deploymentnotfound|deployment for this resource does not exist|"
     r"does not exist or you do not have access|is not a valid model|invalid model|model not exist|"
     r"(?<!openai)modelnotfound|model[^.]{0,80}not found|not found the model|no such model|unknown model|"
     # a quoted name with dots in it ("model 'qwen2.5:7b' not found", Ollama's server/routes.go since 0.5;
     # "gpt-4.1", "gemini-1.5-flash"): the row above stops at the first dot. Continue says it for Ollama as 'The model
     # "qwen-coder2.5-7b" was not found. To download it, run `ollama run ...`' (core/llm/llms/Ollama.ts); a log may wrap
     # the line between "not" and "found"
     r"model ['\"`][^'\"`\n]{1,80}['\"`] (?:is |was )?not\s+found|"
     r"is not found for api version|is not supported for generatecontent|model_not_available|"
     # (OpenAI's 2023 wording put a colon after "model": "The model: `gpt-4` does not exist", as openai-php's
     # ErrorException and others quote it)
     r"the model:? .{0,80} does not exist|try pulling it first|model does not exist|模型不存在|"
     r"model or endpoint .{0,80}does not exist|invalidendpointormodel|invalidendpoint|modelidaccessdisabled|"
     r"endpoint that does not exist|deployment for the resource does not exist|"
     r"no endpoints found for"),  # OpenRouter: no provider serves that model id
    # (not langchain_openai's OpenAIModelNotFoundError: its name for every 404, a wrong path as well)
    ("auth.invalid_key", 0.93,
     r"invalid_api_key|incorrect api key|invalid api key|api key not valid|api_key_invalid|"
     r"invalid x-api-key|invalidapikey|invalid api-key|invalid_authentication|invalid authentication|"
     r"authentication fails|authentication_error|authenticationerror|invalid subscription key|"
     r"user not found|api key\s+(is\s+)?(invalid|expired|disabled|revoked)|unauthenticated|key is invalid|"
     r"access token (provided )?(is )?invalid|invalid access token|iam certification failed|"
     r"authentication token|signaturefailure|signature verification failed|signature calculated is different|"
     r"credentials could not be validated|invalid api key or secret key|api key 无效|api key 错误|"
     r"签名验证失败|鉴权失败|认证失败|暂无权限使用.{0,20}令牌|invalidtokenerror|no such user"),
    ("auth.wrong_endpoint", 0.55, r"wrong api endpoint|correct regional api endpoint"),
    ("auth.permission_denied", 0.85,
     r"permission_error|permission_denied|permissiondenied|you do not have permission|"
     r"not have permission|insufficient permissions|missing scopes|mismatched_organization|"
     r"must be a member of an organization|service_disabled|has not been used in project|"
     r"api_key_service_blocked|accessdenied|access denied\.|forbidden|not allowed to access|no permission|"
     r"appidnoautherror|没有相关功能的授权|token not allowed to access|allowed only from approved ip"),
    ("endpoint.not_found", 0.8,
     r"invalid url|unrecognized request url|no route|page not found|resource not found|unknown endpoint|"
     r"404 not found|cannot (get|post) /|route .{0,80} not found|unsupported api-version|"
     r"api version not supported|api-version .{0,40}not supported|path not found|^not found$|"
     r"unsupported openapi method"),
    # DashScope's (Alibaba Bailian's) SystemError: "系统错误，请稍后再试。 | An system error has occurred, please
    # try again later.", type and code "system_error" in its OpenAI-compatible mode
    ("server.error", 0.8,
     r"internal server error|internal_error|server had an error|internal error|^internal$|"
     r"internalerror|unexpected error|\bsystem_error\b|an? system error has occurred"),
    ("gateway.error", 0.8,
     r"bad gateway|gateway time-?out|upstream (connect )?error|upstream request timeout|"
     r"error code 52[0-7]|deadline_exceeded|origin is unreachable"),
)

# Only used when nothing above matched: these words appear in many specific errors too.
_FALLBACK_TEXT: tuple[tuple[str, float, str], ...] = (
    ("auth.invalid_key", 0.75, r"unauthorized|authentication|not authenticated"),
    ("auth.permission_denied", 0.7, r"^permission|access denied"),
    ("request.invalid", 0.65,
     r"invalid_request_error|invalidparameter|invalid_argument|bad request|validation error|"
     r"unprocessable|invalid parameter|invalid_value|unsupported parameter|unsupported_value|"
     r"badrequest|invalid_request|failed_precondition"),
    ("model.not_found", 0.6, r"^not_found$|not_found_error[\s\S]{0,40}model|^model:"),
    ("endpoint.not_found", 0.6, r"not_found_error|^not_found$|not found"),
    ("server.overloaded", 0.7, r"^unavailable$|service unavailable"),
)

# LiteLLM prefixes its exception class name to the message: litellm.<Class>: ...
_LITELLM = {
    "authenticationerror": "auth.invalid_key", "permissiondeniederror": "auth.permission_denied",
    "ratelimiterror": "ratelimit.exceeded", "notfounderror": "model.not_found",
    "contextwindowexceedederror": "request.too_large", "badrequesterror": "request.invalid",
    "contentpolicyviolationerror": "request.content_filtered", "budgetexceedederror": "quota.insufficient",
    "serviceunavailableerror": "server.overloaded", "internalservererror": "server.error",
    "apiconnectionerror": "gateway.error", "timeout": "gateway.error", "badgatewayerror": "gateway.error",
}

# LiteLLM raises NotFoundError for any 404 its upstream answered (litellm_core_utils/exception_mapping_utils.py maps
# the status, not the words). A router's own not-found page quoted inside it ("OpenAIException - 404 page not
# found", Go net/http's NotFound body; FastAPI's {"detail":"Not Found"}; nginx's 404 page; Express' "Cannot POST
# /x") says the path is not served there: no model was looked up.
LITELLM_ROUTER_404 = re.compile(r"exception - (?:404 page not found|\{?['\"]detail['\"]: ?['\"]not found['\"]|"
                                r"<html>\s*<head><title>404 not found|cannot (?:post|get) /)")

# LiteLLM's upstream exception class inside its message, and the model group it routed to
_LITELLM_UPSTREAM = re.compile(r"(openai|anthropic|azure|gemini|vertex_ai|bedrock|deepseek|mistral|groq|"
                               r"openrouter|ollama|hosted_vllm|\w+)exception - ")


def upstream_answer(text: str) -> bool:
    """LiteLLM quotes its upstream's answer as `<Provider>Exception - <body>`: the API answered, whatever
    exception class (APIConnectionError) LiteLLM raised around it."""
    return _LITELLM_UPSTREAM.search(text[:8192].lower()) is not None


_LITELLM_GROUP = re.compile(r"model group '([^']+)'|received model group=([^\s,]+)", re.I)
_ONE_API_ID = re.compile(r"\(request id: \d{20,}\)")  # the suffix One API / New API append to every message
_UPSTREAM_KEY = re.compile(r"incorrect api key provided|invalid_api_key|invalid x-api-key|api key not valid")
_RELAY_OWN_TOKEN = re.compile(r"令牌|invalid token|token (has )?expired")
_LITELLM_NO_DB = re.compile(r"no connected db|no_db_connection")
# LiteLLM's own router texts (proxy/route_llm_request.py), which carry no litellm.<Class> prefix
_LITELLM_TEXT = re.compile(r"invalid model name passed in model=|to view available models for your key|"
                           r"no deployments available for selected model|invalid proxy server token|"
                           r"litellm_verificationtokentable|budget has been exceeded|exceededbudget")

# Key prefixes a server may echo back, and the provider family they belong to.
_KEY_FAMILIES = (("sk-ant-", "anthropic"), ("sk-or-", "openrouter"), ("aiza", "gemini"), ("gsk_", "groq"),
                 ("xai-", "xai"), ("sk-proj-", "openai"), ("sk-svcacct-", "openai"))
_PROVIDER_FAMILY = {"gemini-native": "gemini"}

_STATUS_FALLBACK: dict[int, tuple[tuple[str, float], ...]] = {
    400: (("request.invalid", 0.5),),
    401: (("auth.invalid_key", 0.7),),
    402: (("quota.insufficient", 0.8),),
    403: (("auth.permission_denied", 0.55), ("auth.region_blocked", 0.3)),
    404: (("endpoint.not_found", 0.6),),
    405: (("endpoint.not_found", 0.6),),
    407: (("proxy.auth_failed", 0.9),),
    408: (("gateway.error", 0.6),),
    409: (("request.invalid", 0.4),),
    413: (("request.too_large", 0.85),),
    422: (("request.invalid", 0.5),),
    429: (("ratelimit.exceeded", 0.7),),
    500: (("server.error", 0.7),),
    501: (("endpoint.not_found", 0.5),),
    502: (("gateway.error", 0.8),),
    503: (("server.error", 0.6), ("server.overloaded", 0.5)),
    504: (("gateway.error", 0.8),),
    # Cloudflare's own statuses: the CDN could not get an answer from the origin (the API or relay behind it)
    **{code: (("gateway.error", 0.85),) for code in (*range(520, 528), 530)},  # 530: with a 1xxx error
    529: (("server.overloaded", 0.9),),
}

_RATE_LINE = re.compile(
    r"(requests|tokens|images|input tokens|output tokens) per (min|minute|day|hour)\s*\((\w+)\):\s*"
    r"limit\s*~?(\d+)(?:,\s*used\s*~?(\d+))?(?:,\s*requested\s*~?(\d+))?", re.I)  # Groq: "Requested ~12903"
_RETRY_IN = re.compile(r"(?:try again|retry) in\s*(?:(\d+)m)?\s*([\d.]+)\s*(ms|s)\b", re.I)
_ECHOED_KEY = re.compile(r"(?:provided|your api key)\s*:?\s*([A-Za-z0-9_\-*]{3,})", re.I)

Rules = tuple[tuple[str, float, Lazy], ...]


@functools.cache
def _compiled_rules() -> tuple[Rules, Rules]:
    """Not compiled at import (a healthy run never reads an error), and each pattern only once a
    haystack holds one of its literal pieces: compiling all of them took most of `explain`'s time."""
    from llmdoctor.apierrors.answers import ANSWER_RULES
    from llmdoctor.apierrors.rules_apps import RULE_TEXT as app_rules
    from llmdoctor.apierrors.rules_cn import RULE_TEXT as cn_rules
    from llmdoctor.apierrors.rules_forum import RULE_TEXT as forum_rules
    from llmdoctor.apierrors.rules_frameworks import RULE_TEXT as framework_rules
    from llmdoctor.apierrors.rules_keys import RULE_TEXT as key_rules
    from llmdoctor.apierrors.rules_providers import RULE_TEXT as provider_rules
    from llmdoctor.apierrors.rules_relay import RULE_TEXT as relay_rules
    from llmdoctor.apierrors.rules_states import RULE_TEXT as state_rules

    return (tuple((cause, conf, Lazy(pattern, re.M)) for cause, conf, pattern in (*_RULE_TEXT, *ANSWER_RULES,
                                                                                 *cn_rules, *forum_rules,
                                                                                 *key_rules, *relay_rules,
                                                                                 *provider_rules, *framework_rules,
                                                                                 *app_rules, *state_rules)),
            tuple((cause, conf, Lazy(pattern, re.M)) for cause, conf, pattern in _FALLBACK_TEXT))



_STATUS_ALONE = {401: "auth.invalid_key", 403: "auth.permission_denied", 404: "endpoint.not_found",
                 429: "ratelimit.exceeded"}
