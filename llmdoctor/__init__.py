"""llmdoctor: tells you why your call to an LLM API failed, and how to fix it."""

from llmdoctor import httpx_internals

__version__ = "0.1.0"

httpx_internals.install_cli_placeholder()
