"""Rows for wordings seen in texts pasted on forums, Q&A sites and relays' error databases (issue 16).

Same shape as `rules._RULE_TEXT` (cause, confidence, pattern over the lower-cased haystack), kept in a
block of their own. These are the families the GitHub-issue corpus had few of: relays' own words for a bad
key ("API key status invalid"), a rate limit said only by a code field ("code": "rate_limit", "rate_limited"),
and a server saying in Chinese that it is full ("服务器已经满载"), which must outweigh the 5xx it came with.
"""

from __future__ import annotations

RULE_TEXT: tuple[tuple[str, float, str], ...] = (
    # DMXAPI / other relays: {"error":"API key status invalid", "status":"invalid"}; "token status invalid"
    ("auth.invalid_key", 0.92, r"\b(?:api[ _-]?key|token|key)\s+status\s+(?:is\s+)?(?:invalid|disabled|expired)"),
    # a rate limit said only by the code or type field: Mistral's "rate_limited", relays' "code": "rate_limit"
    # (the \b keeps rate_limit_exceeded and rate_limit_error to the main table's row)
    ("ratelimit.exceeded", 0.9, r"\brate_limited\b|\brate_limit\b"),
    # "服务器已经满载", "负载过高", "模型过载": the server says it is full, whatever status the relay put on it
    ("server.overloaded", 0.9, r"满载|负载过高|服务过载|模型过载|服务器过载"),
    # a full request queue is the server saying it is busy: Groq's "ErrorQueueFull", "queue is full", "队列已满"
    ("server.overloaded", 0.88, r"errorqueuefull|\bqueue (?:is )?full\b|队列已满|排队已满"),
    # Azure's Entra ID check: a resource key sent as "Authorization: Bearer" is read as an access token and fails
    # on its audience; Azure OpenAI keys go in the "api-key" header
    ("auth.wrong_header", 0.88, r"access token is missing, invalid, audience is incorrect|audience is incorrect"),
)
