"""Rows for provider answers that frameworks and agents pass on inside their own words (issue 16, frameworks class).

Same shape as `rules._RULE_TEXT` (cause, confidence, pattern over the lower-cased haystack), in a block of their own.
The wrapper (Codex's "stream disconnected before completion: ...", an AI SDK's AI_APICallError, OpenRouter's
envelope) is not the evidence; the provider's own sentence inside it is:
- OpenAI's Responses API fails a stream with a `response.failed` / `error` event whose message for `server_error`
  is "An error occurred while processing your request. You can retry your request, or contact us through our help
  center at help.openai.com if the error persists. Please include the request ID ... in your message." Codex CLI
  prints it after "stream disconnected before completion:"; it is the provider failing, like a 500's "The server had
  an error while processing your request".
(OpenRouter's "Provider returned error" envelope needs its status: `explain.wrappers.read_answer`.)
"""

from __future__ import annotations

RULE_TEXT: tuple[tuple[str, float, str], ...] = (
    ("server.error", 0.88,
     r"an error occurred while processing your request\.?\s+you can retry your request"),
)
