"""llmdoctor: tells you why your call to an LLM API failed, and how to fix it."""

from llmdoctor import _httpx_cli

__version__ = "0.1.0"

_httpx_cli.install()
