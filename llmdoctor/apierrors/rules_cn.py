"""Rows for the words of Chinese providers, relays' Chinese errors and key mistakes (issue 16).

Same shape as `rules._RULE_TEXT` (cause, confidence, pattern over the lower-cased haystack), kept in a
block of their own. Codes are not here: a provider's numbered or named code is a row in
data/provider_codes.json; these rows read the *messages*, so a pasted message without its code (or a
relay that rewrote the code) still reads right.
"""

from __future__ import annotations

RULE_TEXT: tuple[tuple[str, float, str], ...] = (
    # MiniMax 1004: "login fail: Please carry the API secret key in the 'Authorization' field of the request header"
    ("auth.wrong_header", 0.88, r"please carry the api secret key in the '?(?:authorization|x-api-key)'? field"),
    # Tencent Cloud API 3.0 (Hunyuan): AuthFailure.SecretIdNotFound's message, with or without the code
    ("auth.invalid_key", 0.92, r"the secretid is not found|secretid.{0,12}(?:不存在|not exist)"),
    # Tencent Cloud's RequestLimitExceeded message, English and Chinese
    ("ratelimit.exceeded", 0.9,
     r"exceeds the frequency limit|超过了每秒频率上限|请求的次数超过了频率限制|"
     r"并发数过高|频率过高|秒级流控超限|并发流控超限|用户流量受限|"
     r"请求(?:速度|频率)过(?:快|高)|(?:限制了|超过了?)(?:访问|调用|请求)频率|(?:访问|调用|请求)频率(?:超限|受限)"),
    # a per-minute/second budget named by its abbreviation: "RPM limit exceeded", "TPM 超限", "QPS limit"
    # (a config line such as "RPM=0, TPM=0" is not one: the limit word follows the abbreviation)
    ("ratelimit.exceeded", 0.9,
     r"\b(?:rpm|tpm|rpd|tpd|qps)\b[\s:_-]{0,3}(?:rate[\s_-]?)?(?:limits?\b|exceeded|超限|限制)|"
     r"(?:exceeded|reached|超过|达到)[^.\n]{0,30}\b(?:rpm|tpm|rpd|tpd|qps)\b"),
    # Zhipu 1220 in Chinese: "[1220][您无权访问chatglm_130b。]"
    ("auth.permission_denied", 0.88, r"您无权访问|无权访问该模型"),
    # Qianfan 336003/336006 said without the code
    ("request.invalid", 0.85, r"the length of messages must be an odd number|消息个数应为奇数"),
    ("request.too_large", 0.93,
     r"prompt exceeds (?:the )?max(?:imum)? length|token\s*数量超过上限|"
     r"length of prompt_tokens \(\d+\) must be less than"),
    # Volcengine Ark ModelNotOpen's message
    ("model.not_found", 0.9, r"has not activated the model|未开通(?:该)?模型"),
    # iFlytek Spark 10013/10014/10019 and similar audit wordings
    ("request.content_filtered", 0.92, r"输入内容审核不通过|输出内容涉及敏感信息|涉嫌违规|涉及违规信息"),
    # One API / New API (and relays built on them, e.g. AIHubMix): the token may not use this model / IP range
    ("auth.permission_denied", 0.9,
     r"该令牌无权使用模型|令牌无权使用|该令牌只能在指定网段使用|not authorized to access the requested model"),
    # ChatAnywhere's free keys: "HTTP code 401 from API (limit to use gpt-3.5-turbo and embeddings)"
    ("auth.permission_denied", 0.88, r"\blimit to use [\w.-]+"),
    ("auth.account_disabled", 0.93, r"用户已被(?:封禁|禁用)"),
    # providers' own words for the same states, when the code is not pasted with them: Ark's AccountOverdueError,
    # Tencent Cloud's resource-pack errors, OpenRouter's per-key credit limit, Cohere's trial keys
    ("quota.insufficient", 0.93,
     r"has an overdue balance|资源包余量已用尽|资源包.{0,4}(?:已用尽|耗尽)|免费额度.{0,6}(?:已用完|用尽|耗尽)|"
     r"\bkey limit exceeded|using a trial key, which is limited to"),
    # Groq's retired models; Azure's network rules; iFlytek's signature
    ("model.not_found", 0.9, r"has been decommissioned|model_decommissioned"),
    ("auth.permission_denied", 0.88, r"access denied due to (?:virtual network|firewall)"),
    ("auth.invalid_key", 0.88, r"hmac signature does not match"),
    # the template's text sent as the key: "Incorrect API key provided: your key*here" (the echo has a space, so
    # the echo-shape check in match.py cannot take it)
    ("config.key_placeholder", 0.9,
     r"api key provided: ['\"]?(?:your|add[_ -]?your|insert|paste|enter)[\w*_ -]{0,20}(?:key|here)\b"),
    # no credentials at all: AIHubMix's "未登录且未提供 access token" (its English twin is in the signature table)
    ("config.missing_key", 0.88, r"未登录且未提供|未提供 ?access ?token"),
    # --- the providers' documented messages said without their code (issue 16: read from the error-code pages:
    # api-docs.deepseek.com/zh-cn/quick_start/error_codes, docs.bigmodel.cn/cn/api/api-code)
    # DeepSeek 429 in Chinese; Zhipu 1305 "当前API请求过多" and the generic "请求过多" (too many requests)
    ("ratelimit.exceeded", 0.9, r"请求速率(?:或并发)?达到上限|请求过多|请求次数过多"),
    # Zhipu 1305 "该模型当前访问量过大，请您稍后再试" (docs.bigmodel.cn/cn/api/api-code): the model's traffic on the
    # platform, not this account's rate; 1302 "您的账户已达到速率限制" is the account's own limit (above)
    ("server.overloaded", 0.9, r"当前访问量过大|访问量过大，请(?:您)?稍后再试"),
    # Zhipu 1001: no authentication parameter in the header (the key went in another header, or none at all)
    ("auth.wrong_header", 0.93, r"header\s*中未接收到认证参数|未接收到认证参数"),
    # Zhipu 1110 / 1111: the account is inactive or does not exist
    ("auth.account_disabled", 0.9, r"账户当前处于非活动状态|账户处于非活动状态"),
    # a server's own "the key is missing" in Chinese: "API_KEY缺失" (grok2api), "缺少API Key", "API Key为空"
    ("config.missing_key", 0.88, r"api[_ -]?key\s*(?:缺失|为空|未设置|未配置|未填写)|缺少\s*api[_ -]?key"),
    # Zhipu's parameter family (1210 "API 调用参数有误", 1214 "messages 参数非法" / "max_tokens参数非法" /
    # "history参数非法", "...请检查文档。") and the same words of other Chinese APIs: the API refuses one of the fields
    ("request.invalid", 0.88, r"参数非法|参数有误|参数不合法|非法参数|请求参数错误"),
    # ... and the request's shape in the same words: Hunyuan's OpenAI-compatible "请求格式有误" (4003), "请求体格式错误"
    ("request.invalid", 0.85, r"请求(?:体)?格式(?:有误|错误|不正确|不合法)"),
    # Qianfan's (and relays' passing it on) "parameter check failed, max_output_tokens range is [2, 2048]"
    ("request.invalid", 0.88, r"parameter check failed|\brange is \[\d+,\s*\d+\]"),
    # "request was throttled" / "requests are being throttled": a rate limit in the passive voice
    ("ratelimit.exceeded", 0.88, r"\brequests? (?:was|were|is|are|has been|have been|being) throttled\b"),
    # an account in arrears in the words of DashScope's OpenAI-compatible endpoint and others: "Access denied due to
    # overdue account", the error-code page's "#overdue-payment" anchor
    ("quota.insufficient", 0.93, r"due to (?:an )?overdue (?:account|balance|payment)|account (?:is|has been) overdue|"
                                 r"#overdue-payment"),
)
