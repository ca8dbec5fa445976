"""English left in a Chinese report: every line a user reads, minus the measured values.

A line is English when, after the values are taken out (URLs, hosts, addresses, commands in
backticks, variable names, cause ids, the server's own words in quotes), three English words still
stand in a row and the line holds no Han character at all, or an English sentence of five words
or more remains beside the Chinese. Used by the e2e tests and by `python -m e2e.zhscan DIR`.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

HAN = re.compile(r"[\u4e00-\u9fff]")
# Values a Chinese line keeps as they are.
_VALUES = [
    re.compile(r"HTTP \d+（[^）]*）：.*$"),  # the server's own words after "服务器返回 HTTP 401（…）："
    re.compile(r"`[^`]*`"),  # a command or a value in backticks
    re.compile(r"错误信息：.*$"),  # explain quoting the pasted error as it was pasted
    re.compile(r"\b[A-Z]\w*(?:Error|Exception|Warning): .*$"),  # an exception as Python prints it
    re.compile(r"\b(?:python3? -m )?pipx? (?:install|show|uninstall) [^。，；]*"),  # a pip command inside a line
    re.compile(r"(?:\$|\b)(?:[a-z][a-z0-9+.-]*)://\S+"),  # URLs
    re.compile(r"(?m)^\s*(?:export|set|unset|\$env:|curl|getent|python3?|pip|pipx|npm|node|sudo|ping|nc|openssl|"
               r"security|certutil|scutil|gsettings|ollama|uv|echo|printf|cat|ls|llmdoctor|git|apt|apt-get|"
               r"brew|dig|nslookup|resolvectl|ip|ss|netstat|systemctl|docker|unsetenv|setx)\b.*$"),
    re.compile(r"\b[A-Z][A-Z0-9_]{2,}\b"),  # variable names, HTTP words in capitals
    re.compile(r"\b[a-z]+\.[a-z_]+\b"),  # cause ids (net.connect_refused), module names
    re.compile(r"\"[^\"]*\"|“[^”]*”|'[^']*'"),  # the server's or a library's own words, quoted
    re.compile(r"--[a-z][a-z-]*"),  # options
]
_QUOTED = re.compile(r"（[^（）]*）")
ENGLISH = re.compile(r"\b[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}\b")
LONG_ENGLISH = re.compile(r"\b[A-Za-z]{2,}(?:[ ,] ?[A-Za-z]{2,}){4,}\b")


def english_left(line: str) -> str | None:
    """The English words left in `line` once its values are out, or None when the line reads Chinese."""
    text = line
    for pattern in _VALUES:
        text = pattern.sub(" ", text)
    if HAN.search(line):  # a Chinese template quotes a library's or server's own words in full-width brackets
        text = _QUOTED.sub(" ", text)
    found = (LONG_ENGLISH if HAN.search(line) else ENGLISH).search(text)
    return found.group(0) if found else None


def lines_read(report: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(where, text) for every line of a run report a user reads in the terminal, Markdown and HTML views."""
    yield "verdict", str(report.get("verdict", ""))
    for item in report.get("not_run", []) or []:
        yield "not_run", str(item)
    for target in report.get("targets", []):
        for result in target.get("results", []):
            where = f"{target['name']}/{result['check']}"
            yield f"{where} summary", str(result.get("summary", ""))
            for finding in result.get("findings", []):
                yield f"{where} {finding.get('code')} message", str(finding.get("message", ""))
                if finding.get("hint"):
                    yield f"{where} {finding.get('code')} hint", str(finding["hint"])
    for cause in report.get("causes", []):
        where = str(cause.get("id"))
        for key in ("title", "explanation"):
            yield f"{where} {key}", str(cause.get(key, ""))
        for line in cause.get("evidence", []):
            yield f"{where} evidence", str(line)
        for step in cause.get("fix", []):
            yield f"{where} fix", str(step)


def english_lines(report: Mapping[str, Any]) -> list[str]:
    """`where: text [words]` for each line of a zh report that still reads English."""
    found = []
    for where, text in lines_read(report):
        words = english_left(text) if text else None
        if words:
            found.append(f"{where}: {text}  [{words}]")
    return found


def main(folder: str) -> int:
    total = 0
    unique: dict[str, list[str]] = {}
    for path in sorted(Path(folder).glob("*.json")):
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            continue
        for line in english_lines(report):
            total += 1
            unique.setdefault(line.split(": ", 1)[1], []).append(path.stem)
    for text, names in sorted(unique.items(), key=lambda kv: -len(kv[1])):
        print(f"{len(names):3d}  {text}   <{names[0]}>")
    print(f"{total} English lines, {len(unique)} distinct")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
