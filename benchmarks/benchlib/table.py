"""The results table (Markdown, also readable in a terminal) and the README section it lives in."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

START, END = "<!-- benchmark-table -->", "<!-- /benchmark-table -->"
SECTION = f"""## Performance

`benchmarks/run.py` builds a loopback world — a fake OpenAI-compatible HTTPS server reached through a relay
that adds 50 ms each way, an authenticated proxy (seen from 50 ms away, so TCP to it, the CONNECT, the TLS
handshake and the request each cost a round trip), and broken peers (a blackholed port, silent proxies, a DNS
server that never answers, a server that never sends a byte) — and measures llmdoctor side by side with `curl`,
the official `openai` SDK and bare Python start-up. It needs the test extras (`pip install -e '.[test]'`), takes
about five minutes, prints the table, writes `benchmarks/results/latest.json`, and with `--update-readme`
rewrites the table below (the numbers are never edited by hand):

```bash
.venv/bin/python benchmarks/run.py --update-readme          # --sdk-python PATH: an interpreter with openai
```

{START}
{END}

"""


def render(rows: Sequence[Mapping[str, Any]], machine: Mapping[str, Any], settings: Mapping[str, Any]) -> str:
    checks = ", ".join(machine.get("checks") or []) or "none"
    lines = [
        f"Measured {machine['date'][:10]} on {machine['os']}, {machine['cpu_count']} CPUs, Python "
        f"{machine['python']}, llmdoctor {machine['llmdoctor']}; proxy {machine.get('proxy')}, SDK "
        f"{machine.get('sdk') or 'not run'}; {settings['runs']} runs each, median (min). Checks installed: {checks}.",
        "",
        "| measurement | llmdoctor | baseline | ratio | target | result |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        cells = [row["label"], row["value"], row["baseline"], row["ratio"], row["target"], f"**{row['result']}**"]
        lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
    if settings.get("quick"):
        lines += ["", "(--quick: one run, shortened timeouts; not a real measurement.)"]
    return "\n".join(lines)


def update_readme(readme: Path, table: str) -> None:
    """Rewrites what lies between the markers; adds the section before "## Layout" if missing."""
    text = readme.read_text(encoding="utf-8")
    if START not in text or END not in text:
        anchor = text.find("\n## Layout")
        anchor = anchor + 1 if anchor >= 0 else len(text)
        text = text[:anchor].rstrip("\n") + "\n\n" + SECTION + text[anchor:]
    head, _, rest = text.partition(START)
    _old, _, tail = rest.partition(END)
    readme.write_text(f"{head}{START}\n{table}\n{END}{tail}", encoding="utf-8")
