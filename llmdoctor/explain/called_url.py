"""The URL a failed call went to, read against the provider's API root: a 404 there is the base URL.

httpx and requests print the URL with the status ("404 Not Found for url 'https://api.openai.com/chat/
completions'"). On a provider's own host the path of every endpoint is fixed by its API root
(providers.json `base_url`, or `base_paths` where the provider accepts several): OpenAI answers only
under /v1, Anthropic under /v1/messages. An endpoint path outside that root means the configured base
URL lacks (or has an extra) path segment, whatever the 404's body says.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

from llmdoctor.signatures.prefilter import Lazy

_ENDPOINT_URL = Lazy(r"https?://[^\s'\"<>)\]]+?/(?:chat/completions|completions|embeddings|models|responses|"
                     r"messages)\b", re.I)
_OPENAI_ENDPOINTS = ("/chat/completions", "/completions", "/embeddings", "/models", "/responses")
_ANTHROPIC_ENDPOINTS = ("/v1/messages", "/v1/models", "/v1/complete")


def outside_api_root(text: str) -> str | None:
    """The first called URL on a known provider host whose endpoint path is not under that provider's root."""
    matches = list(_ENDPOINT_URL.finditer(text[:200_000]))
    if not matches:
        return None
    from llmdoctor import providers  # the table is read only for a text that names an endpoint URL

    for match in matches:
        url = urlparse(match.group(0))
        provider = providers.owner_of_host(url.hostname or "")
        if provider is None or not provider.base_url or provider.api not in ("openai", "anthropic"):
            continue
        roots = provider.base_paths or (urlparse(provider.base_url).path,)
        endpoints = _ANTHROPIC_ENDPOINTS if provider.api == "anthropic" else _OPENAI_ENDPOINTS
        expected = {root.rstrip("/") + endpoint for root in roots for endpoint in endpoints}
        if url.path.rstrip("/") not in expected:
            return match.group(0)
    return None


# Azure OpenAI's data plane: https://{resource}.openai.azure.com/openai/deployments/{deployment}/chat/completions
# ?api-version=2024-10-21 (learn.microsoft.com/azure/ai-services/openai/reference: api-version is a required query
# parameter of every deployment path; only the newer /openai/v1/ paths go without it). httpx, requests and aiohttp
# print the URL they called with its query, so a deployment URL without one is a client not given the api-version
# (OpenAI() pointed at an Azure URL, or an AzureOpenAI whose version was left empty).
_AZURE_DEPLOYMENT_URL = Lazy(r"https?://[a-z0-9-]+\.(?:openai\.azure\.com|cognitiveservices\.azure\.com)"
                             r"/openai/deployments/[^/\s'\"<>]+/(?:chat/completions|completions|embeddings)"
                             r"(?:\?[^\s'\"<>]*)?", re.I)


def azure_without_api_version(text: str) -> str | None:
    """The first Azure OpenAI deployment URL in the text that carries no api-version query."""
    for match in _AZURE_DEPLOYMENT_URL.finditer(text[:200_000]):
        if "api-version=" not in match.group(0).lower():
            return match.group(0)
    return None
