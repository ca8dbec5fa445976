"""Rows for the error bodies providers beyond OpenAI's best-known codes send (issue 16).

Same shape as `rules._RULE_TEXT` (cause, confidence, pattern over the lower-cased type, code, status,
reasons and message), kept in a block of their own. Each row reads a provider's own code, type or
sentence, taken from its error reference, and outweighs the generic status it arrives under:

- OpenAI (platform.openai.com/docs/guides/error-codes): `unsupported_parameter` / `unsupported_value`
  ("'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead") is a request the
  model rejects, said even without a status; "organizations must be verified" is the plural of the
  verification text;
- AWS Bedrock (docs.aws.amazon.com/bedrock/latest/APIReference/CommonErrors.html, the runtime's
  ThrottlingException / AccessDeniedException / ValidationException): "Too many tokens, please wait before
  trying again" is its throttle, not a request too large; "You don't have access to the model with the
  specified model ID" is a model not enabled for the account (the same family as OpenAI's "does not exist or
  you do not have access to it"); Marketplace and IAM denials are permissions;
- Google (ai.google.dev/gemini-api/docs/troubleshooting, cloud.google.com/vertex-ai/docs/quotas): a quota
  whose metric is per minute is a rate limit, a free-tier quota of `limit: 0` is a plan that does not include
  the model; "is not found for API version" wraps across lines in terminals;
- Groq (console.groq.com/docs/errors): `model_decommissioned`; Cohere (docs.cohere.com/reference/errors):
  "invalid api token", a trial key's per-minute limit, "total number of tokens in the prompt cannot exceed";
  Together (docs.together.ai/docs/error-codes): "`inputs` tokens + `max_new_tokens` must be <="; xAI
  (docs.x.ai): a team without credits; LM Studio: "No models loaded"; Ollama: "model requires more system
  memory (X GiB) than is available (Y GiB)", a local server that cannot load the model, not a server error.
"""

from __future__ import annotations

RULE_TEXT: tuple[tuple[str, float, str], ...] = (
    # OpenAI: a parameter this model does not take (code unsupported_parameter / unsupported_value)
    ("request.invalid", 0.88,
     r"unsupported_parameter|unsupported parameter: '|is not supported with this model\. use '|"
     r"use 'max_completion_tokens' instead"),
    # OpenAI: the verification text in the plural ("organizations must be verified to stream this model")
    ("auth.permission_denied", 0.94, r"organi[sz]ations? must be verified"),
    # Bedrock's throttle says "tokens" but is a rate: ThrottlingException's own sentences
    ("ratelimit.exceeded", 0.93,
     r"throttlingexception|too many (?:tokens|requests)(?: per (?:minute|day|hour))?, please wait before trying again|"
     r"request was throttled"),
    # Bedrock: the model is not enabled for this account (a model the key cannot use)
    # (Gemini's INVALID_ARGUMENT says the same: "You don't have access to this model or the model name is invalid")
    ("model.not_found", 0.93,
     r"(?:do not|don't) have access to the model with the specified model id|"
     r"(?:do not|don't) have access to this model or the model name is invalid"),
    # Bedrock through AWS Marketplace / IAM: the role may not subscribe to or invoke the model
    ("auth.permission_denied", 0.93,
     r"model access is denied|not authorized to perform the required aws marketplace actions|"
     r"is not authorized to perform: bedrock:"),
    # Google: a quota counted per minute is a rate limit, whatever "quota" says
    ("ratelimit.exceeded", 0.92,
     r"quota exceeded for (?:quota metric )?[^\n]{0,160}(?:per[_ ]minute|_per_min\b|requests per min)"),
    # Google: a free tier whose limit is 0 for this model: the plan must change, waiting does not help
    ("quota.insufficient", 0.94, r"free_tier[a-z_]*, limit: 0\b"),
    # Google: "models/x is not found for API version v1beta" wrapped across lines by a terminal
    ("model.not_found", 0.9, r"is\s+not\s+found\s+for\s+api\s+version|not\s+supported\s+for\s+generatecontent"),
    # Groq and others: a retired model id
    ("model.not_found", 0.92, r"model_decommissioned|has been decommissioned"),
    # Cohere
    ("auth.invalid_key", 0.92, r"invalid api token"),
    ("ratelimit.exceeded", 0.92, r"trial key, which is limited to"),
    ("request.too_large", 0.93, r"total number of tokens in the prompt cannot exceed"),
    # Together: a model served only on a dedicated endpoint, or one whose endpoint is stopped
    ("model.not_found", 0.92,
     r"dedicated_endpoint_not_running|dedicated endpoint for .{0,160} is not running|non-serverless model"),
    # llama.cpp's server (exceed_context_size_error, and its older 500 "Context size has been exceeded."),
    # llama-cpp-python's "Requested tokens (N) exceed context window of M"
    ("request.too_large", 0.93,
     r"exceed_context_size_error|context size has been exceeded|exceeds? (?:the )?context window of \d+"),
    # Together (text-generation-inference's validation)
    ("request.too_large", 0.92, r"tokens \+ `?max_new_tokens`? must be <="),
    # xAI: a team that has no credits, or has spent them
    ("quota.insufficient", 0.93,
     r"(?:doesn't|does not) have any credits|used all available credits|reached its monthly spending limit|"
     r"(?:have|has) run out of credits"),
    # Google Cloud IAM: "Permission 'aiplatform.endpoints.predict' denied on resource ... (or it may not exist)"
    ("auth.permission_denied", 0.92, r"permission '[a-z]+\.[a-z.]+' denied on resource|iam_permission_denied"),
    # a local server that cannot load the model: Ollama's 500, CUDA's allocation failure
    ("server.insufficient_memory", 0.93,
     r"requires more system memory|cuda (?:error: )?out of memory|cudamalloc failed: out of memory"),
    # Bedrock's other runtime exceptions (API_runtime_InvokeModel.html#API_runtime_InvokeModel_Errors): the service
    # or the model is not ready, not the caller's rate; Anthropic models need the account's use-case form first
    ("server.overloaded", 0.9, r"serviceunavailableexception|modelnotreadyexception|model is not ready for inference"),
    ("server.error", 0.85, r"modelerrorexception"),
    ("auth.permission_denied", 0.92, r"model use case details have not been submitted"),
    # DeepSeek's own status texts (api-docs.deepseek.com/quick_start/error_codes): 400 Invalid Format,
    # 422 Invalid Parameters
    ("request.invalid", 0.86, r"^\W*(?:4\d\d\W{1,4})?invalid (?:format|parameters)\W*$"),
    # OpenRouter's 403 (openrouter.ai/docs/api-reference/errors): the input was flagged by the moderation model
    ("request.content_filtered", 0.9, r"flagged by moderation|input was flagged|requires moderation"),
    # Mistral's 429 when the tier's shared capacity is full (code 3505): the provider's capacity, not your rate
    ("server.overloaded", 0.9, r"service_tier_capacity_exceeded|service tier capacity exceeded"),
    # LM Studio's local server with nothing loaded
    ("model.not_found", 0.88, r"no models loaded|please load a model"),
)
