"""Rows for every answer One API and New API give in their own words, Chinese and English (issue 16).

Same shape as `rules._RULE_TEXT` (cause, confidence, pattern over the lower-cased haystack), kept in a block of
their own. Read from the relays' sources, not from the texts in front of us, so that the whole family reads right
(relays built on them - Veloera, done-hub, AIHubMix, the many public "中转站" - keep these strings):
- New API: i18n/locales/zh-CN.yaml and en.yaml (token.*, user.*, quota.*, channel.*, distributor.*, rate_limit.*);
- One API: model/token.go (ValidateUserToken), middleware/distributor.go, and i18n/en.json for its English build.
Each message arrives inside {"error": {"message": "... (request id: ...)", "type": "new_api_error"}}. Routers that
are no One API (OpenRouter) have a block of their own at the end.
"""

from __future__ import annotations

RULE_TEXT: tuple[tuple[str, float, str], ...] = (
    # no token in the Authorization header (New API token.not_provided, One API's English "No token provided"; its
    # "未提供令牌" is in the main table): the SDKs refuse to send without a key, so a request that arrives without
    # one mostly carried it in another header (Anthropic's x-api-key, Gemini's x-goog-api-key), as 未提供令牌 reads
    ("auth.wrong_header", 0.7, r"\btoken not provided\b|\bno token provided\b"),
    ("config.missing_key", 0.5, r"\btoken not provided\b|\bno token provided\b"),
    # the token's own quota ran out: New API token.exhausted carries TokenStatusExhausted[sk-abc***xyz]
    ("quota.insufficient", 0.95,
     r"tokenstatusexhausted|令牌额度已用尽|令牌可用额度已用尽|token quota (?:is|has been) (?:exhausted|used up)|"
     r"令牌额度不足|insufficient (?:token|user) quota|您的额度已用尽|your quota has been used up|"
     r"用户额度不足|剩余额度\s*[:：]\s*[＄$¥￥]?\s*-"),
    # the relay's quota word alone, said as its whole message (quota.insufficient: "额度不足" / "Insufficient quota")
    ("quota.insufficient", 0.88, r"^\s*insufficient quota\b"),
    # a disabled or unusable token (token.status_unavailable), One API's "The token status is not available"
    ("auth.invalid_key", 0.92,
     r"token status is (?:unavailable|not available)|令牌验证失败|token verification failed|"
     r"the token has expired|this token has expired"),
    # the relay's user behind the token is disabled, banned or deleted (user.disabled, oauth.user_banned)
    ("auth.account_disabled", 0.92,
     r"该用户已被禁用|this user has been disabled|\buser has been (?:banned|disabled|deleted)\b|用户已注销"),
    # the token may not use this model or group (distributor.token_model_forbidden, group_access_denied)
    ("auth.permission_denied", 0.92,
     r"该令牌无权访问(?:模型|任何模型)|this token has no access to (?:model\b|any models)|无权访问该分组|"
     r"no permission to access this group"),
    # no model in the request, or one the relay cannot parse (distributor.model_name_required, _parse_model)
    ("request.invalid", 0.88,
     r"未指定模型名称|model name not specified|无法解析模型|unable to parse model"),
    # New API's own per-user request limit (rate_limit.reached / total_reached)
    ("ratelimit.exceeded", 0.92, r"您已达到(?:总)?请求数限制|you have reached the (?:total )?request limit"),
    # "no channel offers model M to group G" in New API's words (distributor.no_available_channel,
    # get_channel_failed, channel.get_available_failed); One API's "下对于模型 ... 无可用渠道" is in the main table
    ("model.not_found", 0.9,
     r"分组\s*\S+\s*下模型.{0,80}无可用渠道|no available channel for model .{0,80}under group|"
     r"获取分组.{0,40}下模型.{0,80}的可用渠道失败|failed to get available channels? for model"),
    # the channel has keys no more (channel.no_available_key, the message of code channel:no_available_key)
    ("relay.upstream_key_rejected", 0.85, r"没有可用的渠道密钥|no available channel keys"),
    # the relay has no working upstream, or the channel it picked is switched off: the operator's side
    ("gateway.error", 0.85,
     r"无有效上游渠道|no valid upstream channel|该渠道已被禁用|(?:this|the) channel has been disabled"),
    # One API's Baidu adaptor could not get the channel's access token with the channel's AK/SK (GetRequestURL ->
    # getBaiduAccessToken): "get request url failed: invalid_request: The request is missing a required parameter",
    # "... invalid_client: unknown client id"; the channel's credentials, not the caller's token
    ("relay.upstream_key_rejected", 0.88,
     r"get request url failed:\s*(?:invalid_request|invalid_client|unknown client|.{0,40}access.?token)"),
    # One API's English build of 当前分组上游负载已饱和
    ("ratelimit.relay_saturated", 0.95, r"current group (?:upstream )?load is saturated"),
    # --- CliRelay (kittors/CliRelay, sdk/cliproxy/auth/selection_diagnostics.go): a credential serves the model, but
    # the caller's key may not use its channel or channel group (codes model_outside_allowed_channel_groups,
    # model_outside_allowed_channels): "model %q is served by credentials in channel group %s, which this credential
    # may not use (allowed: %s)", "... served only by credentials outside the channels this credential may use"
    ("auth.permission_denied", 0.9,
     r"model_outside_allowed_channel|is served (?:only )?by credentials (?:in|outside) (?:the )?channel|"
     r"which this\s+credential may not use"),
    # ... and a channel group whose allowed-models list leaves the model out (model_not_allowed_by_channel_group):
    # the relay's "no channel for this model in your group", as One API's 无可用渠道 reads
    ("model.not_found", 0.88,
     r"model_not_allowed_by_channel_group|is not in the allowed models of channel group"),
    # --- OpenRouter (https://openrouter.ai/docs/api-reference/errors): its moderation refuses the input (403); the
    # account's privacy settings leave no provider for the model ("No endpoints found matching your data policy")
    ("request.content_filtered", 0.93, r"your input was flagged for|requires moderation on \w+"),
    ("auth.permission_denied", 0.9, r"no endpoints found matching your data policy"),
)
