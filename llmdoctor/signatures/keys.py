"""More of what clients print when they have no key to send (issue 16, keys class), read from their source.

Rows read by `transport.compiled()` right after its own client rows; same shape as `frameworks.SIGNS`.

- httpx/h11 and http.client refuse a header value with trailing whitespace: an empty key makes the SDK send
  "Bearer " and the client raises "Illegal header value b'Bearer '" (h11 `_headers.py`) or "Invalid header
  value b'Bearer '" (http.client) before anything is sent. With a key after "Bearer " it is a stray newline
  or space (`config.key_whitespace`, transport's row).
- openai-python's Azure client: "Missing credentials. Please pass one of `api_key`, `azure_ad_token`,
  `azure_ad_token_provider`, or the `AZURE_OPENAI_API_KEY` or `AZURE_OPENAI_AD_TOKEN` environment variables."
  (lib/azure.py; the OpenAI client's "Please pass an `api_key`, ..." is transport's row).
- LangChain.js: "OpenAI or Azure OpenAI API key or Token Provider not found" (langchain-openai's chat_models).
- aider: "Missing these environment variables:" then the names, one a line (aider/models.py sanity checks).
- Semantic Kernel (.NET): "The value cannot be an empty string or composed entirely of whitespace.
  (Parameter 'apiKey')" (Verify.NotNullOrWhiteSpace).
"""

from __future__ import annotations

Row = tuple[tuple[tuple[str, float], ...], str]

SIGNS: tuple[Row, ...] = (
    ((("config.missing_key", 0.93),), r"(?:illegal|invalid) header value b?['\"]bearer ?['\"]"),
    ((("config.missing_key", 0.93),),
     r"missing credentials\. please pass one of `?api_key|"
     r"api key or token provider not found|"
     r"missing these environment variables:?\s*(?:-\s*)?[a-z][a-z0-9]*_(?:api_key|access_token|auth_token|key)\b|"
     r"cannot be an empty string or composed entirely of whitespace\. \(parameter '\w*api_?key'\)"),
)
