"""llmdoctor: tells you why your call to an LLM API failed, and how to fix it."""

__version__ = "0.1.0"
