"""GET /: a short HTML page listing the targets and links, as blackbox_exporter's front page does.

It shows target names, provider ids and the last probe's result with its cause ids only: no
base URL (a relay's host is often private), no key facts, no message. Every value is escaped,
though all of them are identifiers already.
"""

from __future__ import annotations

import html
import time
import urllib.parse
from collections.abc import Callable

from llmdoctor import __version__
from llmdoctor.serve.prober import ProbeOutcome
from llmdoctor.serve.targets import TargetTable


def _last(outcome: ProbeOutcome | None, now: float) -> tuple[str, str]:
    if outcome is None:
        return "not probed yet", ""
    ago = max(0, int(now - outcome.at))
    state = "OK" if outcome.success else "FAILING"
    return f"{state} ({outcome.duration_s * 1000:.0f} ms, {ago} s ago)", ", ".join(outcome.causes)


def render_index(table: TargetTable, last: Callable[[str], ProbeOutcome | None] = lambda name: None) -> bytes:
    rows = []
    now = time.time()
    for name, probe_target in table.targets.items():
        link = "/probe?" + urllib.parse.urlencode({"target": name})
        provider = probe_target.target.provider.id
        state, causes = _last(last(name), now)
        rows.append(f'<tr><td><a href="{html.escape(link)}">{html.escape(name)}</a></td>'
                    f"<td>{html.escape(provider)}</td><td>{html.escape(state)}</td>"
                    f"<td>{html.escape(causes)}</td></tr>")
    body = "\n".join(rows) or '<tr><td colspan="4">no targets configured</td></tr>'
    source = "a config file" if table.source != "environment" else "the environment and .env"
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>llmdoctor exporter</title></head>
<body>
<h1>llmdoctor exporter</h1>
<p>llmdoctor {html.escape(__version__)}: <code>/probe?target=NAME</code> diagnoses one target and answers in
the Prometheus exposition format. Targets come from {source}.</p>
<table><thead><tr><th>Target</th><th>Provider</th><th>Last probe</th><th>Causes found</th></tr></thead>
<tbody>
{body}
</tbody></table>
<p><a href="/metrics">/metrics</a> (the exporter itself)</p>
</body></html>
"""
    return page.encode("utf-8")
