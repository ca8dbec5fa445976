"""GET /: a short HTML page listing the targets and links, as blackbox_exporter's front page does.

It shows target names and provider ids only: no base URL (a relay's host is often private),
no key facts. Every value is escaped, though names are identifiers already.
"""

from __future__ import annotations

import html
import urllib.parse

from llmdoctor import __version__
from llmdoctor.serve.targets import TargetTable


def render_index(table: TargetTable) -> bytes:
    rows = []
    for name, probe_target in table.targets.items():
        link = "/probe?" + urllib.parse.urlencode({"target": name})
        provider = probe_target.target.provider.id
        rows.append(f'<tr><td><a href="{html.escape(link)}">{html.escape(name)}</a></td>'
                    f"<td>{html.escape(provider)}</td></tr>")
    body = "\n".join(rows) or '<tr><td colspan="2">no targets configured</td></tr>'
    source = "a config file" if table.source != "environment" else "the environment and .env"
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>llmdoctor exporter</title></head>
<body>
<h1>llmdoctor exporter</h1>
<p>llmdoctor {html.escape(__version__)}: <code>/probe?target=NAME</code> diagnoses one target and answers in
the Prometheus exposition format. Targets come from {source}.</p>
<table><thead><tr><th>Target</th><th>Provider</th></tr></thead>
<tbody>
{body}
</tbody></table>
<p><a href="/metrics">/metrics</a> (the exporter itself)</p>
</body></html>
"""
    return page.encode("utf-8")
