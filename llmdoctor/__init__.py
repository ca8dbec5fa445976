"""llmdoctor: tells you why your call to an LLM API failed, and how to fix it."""

from llmdoctor import httpx_internals

__version__ = "0.1.0"
DIST_NAME = "llm-api-doctor"  # on PyPI; "llmdoctor" there is an unrelated project

httpx_internals.install_cli_placeholder()
