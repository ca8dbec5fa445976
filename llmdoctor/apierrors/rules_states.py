"""Rows for a key or account the provider has put in a state of its own (issue 16, provider answers).

Same shape as `rules._RULE_TEXT` (cause, confidence, pattern over the lower-cased type, code, status,
reasons and message). These answers arrive under a generic 403/400 (Google's PERMISSION_DENIED,
an `invalid_request_error`) whose words, not status, say what to do:

- Google (ai.google.dev/gemini-api/docs/troubleshooting, "Your API key was reported as leaked"): a key
  found in public code is blocked for good; the way out is a new key, as for a key that is wrong;
- New API / One API (service/quota.go, relay/*_handler.go): before relaying, the relay reserves the request's
  price from the user's quota; "chat pre-consumed quota failed, user quota: N, need quota: M" (also rerank,
  embedding, audio) is the relay user's own quota spent, said in its log and in its answer;
- a relay's or platform's own daily/weekly/monthly cap ("Daily token limit exceeded Used: N, Limit: M", under a
  402 Payment Required): a budget spent for the period, not one request too large for the model;
- OpenAI (platform.openai.com/docs/guides/error-codes, 503 "Slow Down"): a sudden rise in the request rate;
  the answer is to go back to the earlier rate, a rate limit in all but status.
"""

from __future__ import annotations

RULE_TEXT: tuple[tuple[str, float, str], ...] = (
    # Google: a key reported as leaked is blocked; a new key is the fix, not a permission on the project
    ("auth.invalid_key", 0.94, r"api key was reported as leaked|reported as leaked\. please use another api key"),
    # New API / One API: the user's (or token's) quota is below the price the relay reserves for the request
    ("quota.insufficient", 0.92,
     r"pre-?consumed? quota failed|(?:user|token remain) quota: [^,\n]{1,24}, need quota: "),
    # a period's budget spent: "Daily token limit exceeded Used: 3056133, Limit: 3000000"
    ("quota.insufficient", 0.94,
     r"(?:daily|weekly|monthly) (?:token|request|usage|spend(?:ing)?|cost) (?:limit|quota|budget) "
     r"(?:exceeded|reached|hit|used up)"),
    # OpenAI's 503 Slow Down: the rate rose too fast; not the service failing
    ("ratelimit.exceeded", 0.88,
     r"slow down: please reduce your request rate|reduce your request rate to its original level|\bslow_down\b"),
)
