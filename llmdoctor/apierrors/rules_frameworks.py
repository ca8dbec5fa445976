"""Rows for provider answers that frameworks and agents pass on inside their own words (issue 16, frameworks class).

Same shape as `rules._RULE_TEXT` (cause, confidence, pattern over the lower-cased haystack), in a block of their own.
The wrapper (Codex's "stream disconnected before completion: ...", an AI SDK's AI_APICallError, OpenRouter's
envelope) is not the evidence; the provider's own sentence inside it is:
- OpenAI's Responses API fails a stream with a `response.failed` / `error` event whose message for `server_error`
  is "An error occurred while processing your request. You can retry your request, or contact us through our help
  center at help.openai.com if the error persists. Please include the request ID ... in your message." Codex CLI
  prints it after "stream disconnected before completion:"; it is the provider failing, like a 500's "The server had
  an error while processing your request".
- the coding agents' subscription windows: Claude Code's "Claude AI usage limit reached|<reset epoch>" (later "...
  · resets 1pm (Australia/Sydney)", "You've hit your session limit · resets 7:20am", "You've hit your Opus limit"),
  Codex CLI's UsageLimitReached "You've hit your usage limit. Upgrade to Pro (...) or try again in 2 days 3 hours"
  / "... Visit https://chatgpt.com/codex/settings/usage to purchase more credits or try again at 3:28 PM.", from
  the ChatGPT backend's 429 {"error": {"type": "usage_limit_reached", "message": "The usage limit has been
  reached", "resets_in_seconds": ...}}: the plan's allowance is used up until its window resets, read like a token
  plan's "5-hour usage limit reached" (quota.insufficient: more requests now need another plan or credits, not a
  slower client).
- OpenAI's own sentence for a 500 ("The server had an error while processing your request. Sorry about that!"),
  which the Vercel AI SDK passes on without its status: APICallError's message is the body's error message, and
  RetryError says "Failed after 3 attempts. Last error: <that message>" (packages/ai/src/util/retry-with-
  exponential-backoff.ts); the SDK retries only retryable errors, so the sentence stands for the 5xx it came with.
(OpenRouter's "Provider returned error" envelope needs its status: `explain.wrappers.read_answer`.)
"""

from __future__ import annotations

RULE_TEXT: tuple[tuple[str, float, str], ...] = (
    ("server.error", 0.88,
     r"an error occurred while processing your request\.?\s+you can retry your request|"
     r"the server had an error (?:while )?processing your request"),
    ("quota.insufficient", 0.88,
     r"claude(?: ai)? usage limit reached|you[\u2019']?ve hit your (?:\w+ ){0,2}limit\b|"
     r"\busage_limit_reached\b|the usage limit has been reached"),
)
