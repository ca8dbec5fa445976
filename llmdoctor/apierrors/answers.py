"""Rows for answers whose words outweigh their status: account states, hosting platforms and gateways.

Data only, like `rules.py`, and read the same way (a pattern over the lower-cased type, code, status,
reasons and message; the best confidence any row gives a cause wins). Kept apart because these rows
name who answered (a platform's router, a CDN, a gateway) or in what state the account is, not what
the API thought of the request:

- a hosting platform or gateway answered for the API (Vercel's FUNCTION_INVOCATION_TIMEOUT, Heroku's
  "Application error", Fly's load balancer, Azure Front Door, Kong's and AWS API Gateway's 504 texts,
  Tengine's 502 page): the hop between the user and the model failed, not the model;
- a domain the platform does not serve (Railway's "train has not arrived"): the base URL points at
  nothing deployed;
- account states said under a generic status: an unverified organization (400), a suspended key
  (403 CONSUMER_SUSPENDED), an account terminated for policy (429 RateLimitError), billing not active;
- one request larger than the model's context, said without the usual `context_length_exceeded` code.

Sources of the wordings: Vercel's error-code list (vercel.com/docs/errors), Heroku's error codes
(H10-H99), Fly's proxy log lines, Kong's `kong/tools/utils` 5xx texts, AWS API Gateway's default
gateway responses (INTEGRATION_TIMEOUT), Azure Front Door's error page, OpenAI's organization
verification text, Google's ErrorInfo reasons, Anthropic's context-limit message.
"""

from __future__ import annotations

from llmdoctor.signatures.prefilter import Lazy  # compiled only when a text holds a literal piece

ANSWER_RULES: tuple[tuple[str, float, str], ...] = (
    # --- a platform, CDN or gateway answered for the API
    ("gateway.error", 0.92,
     r"an error occurred with your deployment|(?:edge_)?function_invocation_(?:timeout|failed)|"
     r"serverless function has timed out|gateway_timeout|cf_gateway_timeout|"
     r"the upstream server is timing out|an invalid response was received from the upstream server|"
     r"failure to get a peer from the ring-balancer|endpoint request timed out|integration_timeout|"
     r"could not find a good candidate within \d+ attempts at load balancing|"
     r"our services aren't available right now|"
     r"an error occurred in the application and your page could not be served|heroku logs --tail|"
     r"application failed to respond|\bcode=h1[0-9]\b|"
     r"the proxy server received an invalid response from an upstream server|"
     r"while (?:connecting to|reading response header from) upstream|upstream prematurely closed|"
     r"error code:? 52[0-7]\b"),
    # a gateway's reason phrase said without its number ("[OpenAI] 错误的网关 | Bad Gateway": chatgpt-web)
    ("gateway.error", 0.86, r"\bbad gateway\b|\bgateway time-?out\b|错误的网关|网关超时|网关错误"),
    # Vercel's and EdgeOne Pages' function and routing codes (vercel.com/docs/errors), Cloudflare's own 1xxx
    # errors for the origin and for a Worker relay, Heroku's router codes, Fly's proxy, Kong's DNS of its upstream
    ("gateway.error", 0.9,
     r"no_response_from_function|body_not_a_string_from_function|middleware_invocation_(?:timeout|failed)|"
     r"function_throttled|(?:node|edge)_function_(?:invocation_(?:failed|timeout)|service_unavailable)|"
     r"dns_hostname_(?:not_found|resolve_failed|server_error|empty)|infinite_loop_detected|"
     r"deployment_(?:paused|disabled|blocked)|"
     r"error (?:code:? )?1(?:016|033|034|101|102)\b|origin dns error|argo tunnel error|worker threw exception|"
     r"\bcode=h\d\d\b|instance refused connection|is your app listening on|name resolution failed"),
    ("ratelimit.exceeded", 0.88, r"error (?:code:? )?1015\b|you are being rate limited"),
    ("request.too_large", 0.9, r"(?:node_)?function_payload_too_large"),
    # --- the base URL's domain is served by nothing (the platform's own not-found page)
    ("config.base_url_invalid", 0.9,
     r"the train has not arrived at the station|application not found|no such app\b|"
     r"there isn't a github pages site here|domain_not_found|no deployment found for this domain|"
     r"deployment_deleted|"
     # a gateway with no route for the path: Kong, APISIX
     r"no route matched with those values|404 route not found|"
     # Cloudflare: the name is not set up there, or an IP was used where a host name belongs
     r"error (?:code:? )?100[13]\b|direct ip access not allowed"),
    # AWS answers "Missing Authentication Token" both for a path no API Gateway stage serves and for an unsigned
    # call to an AWS service (Bedrock): two candidates; explain's context (an execute-api or a bedrock host) decides
    ("config.base_url_invalid", 0.55, r"missing authentication token|missingauthenticationtokenexception"),
    ("auth.wrong_header", 0.5, r"missing authentication token|missingauthenticationtokenexception"),
    # Azure API Management in front of Azure OpenAI: the gateway's own key header is missing
    ("auth.wrong_header", 0.85, r"missing subscription key"),
    # --- account states under a generic status
    ("auth.permission_denied", 0.94,
     r"organization must be verified|verify organization|organization (?:is not|has not been) verified|"
     r"organization verification|verify your account to continue|validation_required"),
    ("quota.insufficient", 0.96,
     r"not active, please check your billing|check your account balance|free trial (?:has )?(?:expired|ended)|"
     r"trial (?:has )?expired"),
    # the type names alone are weaker than words: relays reuse billing_not_active for "group saturated"
    ("quota.insufficient", 0.9, r"billing_not_active|exceeded_current_quota"),
    ("auth.invalid_key", 0.95,
     r"consumer_suspended|consumer '?api_key:[^']{0,80}'? has been suspended|"
     r"api key (?:has been |was )?(?:suspended|revoked)|key (?:has been|was) revoked|credentials revoked"),
    ("auth.account_disabled", 0.94,
     r"your access was terminated|access was terminated due to violation|violation of our policies|"
     r"disabled in this account for violation|for violation of (?:the )?terms of\s+service|"
     r"oauth authentication is currently not allowed for this organization|用户已(?:被)?(?:禁用|封禁|冻结)"),
    # --- one request larger than the context, in words other than context_length_exceeded (Anthropic's
    # "input length and max_tokens exceed context limit", vLLM's "longer than the maximum model length",
    # llama.cpp's "exceeds the available context size", Bedrock's "Input is too long for requested model")
    ("request.too_large", 0.94,
     r"exceeds? (?:the )?context (?:limit|length)|exceed context limit|input length and `?max_tokens`? exceed|"
     r"longer than the maximum model length|exceeds the available context size|input is too long for|"
     r"上下文长度超|超出.{0,6}上下文|请求体过大"),
    # --- a region the provider does not serve, in other words than unsupported_country
    ("auth.region_blocked", 0.92,
     r"only available in certain (?:regions|countries)|unavailable in your (?:region|country)|"
     r"(?:所在|当前)(?:的)?(?:国家|地区|区域).{0,10}不支持|不支持(?:您|你)?(?:所在|当前)?的?(?:国家|地区|区域)"),
    # --- a model the server does not (or no longer) serve
    ("model.not_found", 0.88,
     r"model[^.\n]{0,80}(?:decommissioned|no longer (?:supported|available))|"
     r"model identifier is invalid|unable to access model|"
     r"模型.{0,20}不存在|(?:未找到|找不到).{0,6}模型|无效的模型|模型名称.{0,10}(?:错误|无效)"),
    # --- an account that must first be verified (Chinese providers' real-name check)
    ("auth.permission_denied", 0.9, r"(?:完成|进行|需要|未)实名认证|real-name (?:verification|authentication)"),
)

# An account-state word next to a billing word is the billing state ("not active, please check your billing
# details": OpenAI's billing_not_active; "not active, current state: suspended ... check your account balance":
# Moonshot), not a disabled account.
_BILLING_STATE = Lazy(r"billing_not_active|not active, please check your billing|check your account balance|"
                            r"exceeded_current_quota")


_AWS_MISSING_TOKEN = Lazy(r"missing authentication token|missingauthenticationtokenexception")


def settle(found: dict[str, tuple[float, dict[str, object]]], haystack: str) -> None:
    """Corrections these rows need before the general ones in `rank.adjust` run."""
    if _BILLING_STATE.search(haystack):
        found.pop("auth.account_disabled", None)
    if _AWS_MISSING_TOKEN.search(haystack):  # not the generic "missing authentication" of the header rows
        for cause in ("auth.wrong_header", "auth.invalid_key", "config.missing_key"):
            if cause in found:
                found[cause] = (min(found[cause][0], 0.5), found[cause][1])
