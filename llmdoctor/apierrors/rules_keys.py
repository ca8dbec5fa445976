"""Rows for what an API says about the key's organization, project and model access (issue 16, keys class).

Same shape as `rules._RULE_TEXT` (cause, confidence, pattern over the lower-cased haystack), in a block of
their own. Wordings from OpenAI's error-code guide, AWS's and Hugging Face's answers, and issue threads:

- "No such organization: org-…" / code `invalid_organization`, "OpenAI-Organization header should match
  organization for API key" (`mismatched_organization`), and the same for `OpenAI-Project`: the key is
  fine, the organization or project header names one it does not belong to (401, typed
  invalid_request_error, so the 401 fallback would call it a bad key);
- "Project `proj_…` does not have access to model `gpt-4o`" (403, code `model_not_found`) and "You are not
  allowed to sample from this model": the model is not enabled for the key's project, the same way out as a
  model that does not exist (pick another or enable it), not a bad request.
"""

from __future__ import annotations

RULE_TEXT: tuple[tuple[str, float, str], ...] = (
    # A credential the server read and refused, in words the main table lacks: Hugging Face's "Invalid
    # credentials in Authorization header" and "Authorization header is correct, but the token seems invalid";
    # AWS's UnrecognizedClientException "The security token included in the request is invalid" (a wrong access
    # key pair or session token; "... is expired" / ExpiredTokenException for an expired session)
    ("auth.invalid_key", 0.92,
     r"invalid credentials in authorization header|token seems invalid|unrecognizedclientexception|"
     r"security token included in the request is (?:invalid|expired)|expiredtokenexception"),
    # A key past its life, in servers' own words ("This API key has expired.", code api_key_expired, "This API key
    # was revoked or doesn't exist", "invalid_api_key: the key was revoked"): the main table has "api key is expired"
    ("auth.invalid_key", 0.92,
     r"\bapi[ _-]?key (?:has|had) expired|\bapi[ _-]?key (?:was|has been) (?:revoked|disabled|deleted)|"
     r"api_key_expired|\bkey was revoked"),
    # AWS Signature V4 carries the local time: "Signature expired: 20240101T000000Z is now earlier than ..."
    ("tls.clock_skew", 0.85, r"signature expired: \d{8}t\d{6}z is now (?:earlier|later) than"),
    # Size said by a validator instead of a context window: AWS's "Member must have length less than or equal
    # to 25000000" for the body, Bedrock's "Malformed input request: expected maxLength: 42000, actual: 46735",
    # OpenAI's "Invalid 'messages[17].content': string too long. Expected a string with maximum length 1048576"
    ("request.too_large", 0.92,
     r"value at 'body' failed to satisfy constraint: member must have length less than or equal to|"
     r"expected maxlength: \d+, actual: \d+|string too long\. expected a string with maximum length"),
    # GitHub Models answers 401 {'code': 'unauthorized', 'message': 'The `models` permission is required to access
    # this endpoint'} to a personal access token without the Models permission (its docs: "tokens must include the
    # models permission ... Tokens without this scope will trigger an unauthorized (401) response"): the token is
    # valid, its scope is short. The same sentence with another scope's name is the same reading
    ("auth.permission_denied", 0.92, r"[`'\"]?[\w:-]+[`'\"]? (?:permission|scope) is required to access"),
    ("auth.permission_denied", 0.9,
     r"invalid_organization|no such organization|mismatched_project|"
     r"openai-(?:organization|project) header should match"),
    ("model.not_found", 0.9,
     r"project `?[\w-]*`? does not have access to model|not allowed to sample from this model"),
)
