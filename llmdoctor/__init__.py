"""llmdoctor: tells you why your call to an LLM API failed, and how to fix it."""

from llmdoctor import _httpx_cli

__version__ = "0.1.0"
DIST_NAME = "llm-api-doctor"  # on PyPI; "llmdoctor" there is an unrelated project

_httpx_cli.install()
