"""The process exit codes every command returns, in one place so the CLI, the report and the docs agree.

Documented in `llmdoctor --help`, docs/report-schema.md and the README. The numbers follow
pre-commit's `error_handler` and pip's `status_codes.py`: 0 healthy, 1 a problem was found, 2 the
command line could not be used, 3 a bug in llmdoctor, 130 interrupted (128 + SIGINT, as shells do).
"""

from __future__ import annotations

OK = 0
PROBLEM = 1
USAGE = 2
INTERNAL = 3
INTERRUPTED = 130
