"""Reads a `.env` file the way python-dotenv does for the common cases, without executing anything."""

from __future__ import annotations

import re
from pathlib import Path

from llmdoctor.model import CheckResult, Finding, Status

_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*?)\s*$")
MAX_DOTENV_BYTES = 1_000_000


def parse_dotenv(text: str) -> dict[str, str]:
    """KEY=VALUE lines; quotes, `export` and inline comments handled; anything else ignored."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        match = _LINE.match(line)
        if not match:
            continue
        name, raw = match.groups()
        if raw[:1] in ("'", '"') and raw.count(raw[0]) >= 2:
            quote = raw[0]
            raw = raw[1:raw.index(quote, 1)]
            if quote == '"':
                raw = raw.replace("\\n", "\n")
        else:
            raw = re.split(r"\s+#", raw, maxsplit=1)[0].strip()
        values[name] = raw
    return values


def read_dotenv(directory: Path) -> tuple[dict[str, str], str | None]:
    """Values of `.env` in `directory`, and a problem description when it exists but cannot be read.

    A `.env` that is not a regular file (often a virtualenv made with `python -m venv .env`, or a fifo)
    is skipped without a word, as python-dotenv's `find_dotenv` skips it (`os.path.isfile`)."""
    path = directory / ".env"
    try:
        if not path.is_file():
            return {}, None
        data = path.read_bytes()[:MAX_DOTENV_BYTES]
    except OSError as exc:
        return {}, f"cannot read {path}: {exc.strerror or exc}"
    return parse_dotenv(data.decode("utf-8", errors="replace")), None


def unreadable_finding(problem: str) -> Finding:
    """The finding for a `.env` that exists but could not be read: its values were not used."""
    return Finding("config.dotenv_unreadable", f"{problem}; its values were not used",
                   "Make it readable by the user who runs your code (chmod 600 .env), then run llmdoctor again.",
                   Status.WARN, 0.7, {"problem": problem})


def unreadable_result(problem: str, target: str) -> CheckResult:
    """The engine's own line for the unreadable `.env`, reported before the checks of `target`."""
    return CheckResult(Status.WARN, f"{problem}; its values were not used", (unreadable_finding(problem),),
                       {"problem": problem}, check="dotenv", target=target)
