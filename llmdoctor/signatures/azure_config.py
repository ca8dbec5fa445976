"""An Azure OpenAI client that was never told which resource or which api-version to call.

Each wording is the client's own, read from its source, and each is raised before any request is sent
(so only `explain` sees them; the live checks send a request of their own):

- openai-python `lib/azure.py` (AzureOpenAI, AsyncAzureOpenAI, and LangChain's/LlamaIndex's Azure classes
  built on them): "Must provide one of the `base_url` or `azure_endpoint` arguments, or the
  `AZURE_OPENAI_ENDPOINT` environment variable" and "Must provide either the `api_version` argument or the
  `OPENAI_API_VERSION` environment variable";
- openai-node `src/azure.ts`: "Must provide one of the `baseURL` or `endpoint` arguments, or the
  `AZURE_OPENAI_ENDPOINT` environment variable" and "The OPENAI_API_VERSION environment variable is missing or
  empty; either provide it, or instantiate the AzureOpenAI client with an apiVersion option, …";
- openai-python 0.x (`api_requestor`, through LiteLLM and old frameworks): "An API version is required for the
  Azure API type.";
- the Vercel AI SDK's @ai-sdk/azure, through provider-utils `loadSetting` (opencode, MCPJam, next-ai-draw-io):
  "Azure OpenAI resource name setting is missing. Pass it using the 'resourceName' parameter or the
  AZURE_RESOURCE_NAME environment variable." (`AI_LoadSettingError`);
- LangChain.js `utils/azure.ts` getEndpoint: "azureOpenAIApiInstanceName is required when using azureOpenAIApiKey".

Rows read by `transport.compiled()` with the framework rows; same shape as `config_shapes.SIGNS`.
"""

from __future__ import annotations

Row = tuple[tuple[tuple[str, float], ...], str]

_CAUSE = "config.azure_endpoint_missing"

SIGNS: tuple[Row, ...] = (
    # the quote around each name is a backtick in the SDKs, a straight quote where a framework re-quotes it
    (((_CAUSE, 0.95),),
     r"must provide one of the .(?:base_url|baseurl). or .(?:azure_endpoint|endpoint). arguments|"
     r"must provide either the .api_version. argument or the .openai_api_version. environment variable|"
     r"the openai_api_version environment variable is missing or empty|"
     r"an api version is required for the azure api type"),
    (((_CAUSE, 0.93),),
     r"azure openai resource name setting is missing|azureopenaiapiinstancename is required when using"),
)
