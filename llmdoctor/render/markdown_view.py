"""The Markdown view, for pasting into a support ticket or an issue."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from llmdoctor.render.labels import STATUS_MARK, label


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(data: Mapping[str, Any]) -> str:
    lang = data.get("lang", "en")
    out = [f"# {label(lang, 'title')}", "",
           f"**{label(lang, 'verdict')}:** {data.get('verdict', '')}", "",
           f"- llmdoctor {data['tool']['version']}, schema {data['schema_version']}, "
           f"{label(lang, 'generated')} {data.get('generated_at', '')}, exit code {data.get('exit_code')}", ""]
    causes = data.get("causes", [])
    out.append(f"## {label(lang, 'causes')}")
    out.append("")
    if not causes:
        out.append(label(lang, "no_causes"))
    for index, cause in enumerate(causes, 1):
        out.append(f"### {index}. {cause.get('title', cause['id'])} (`{cause['id']}`, "
                   f"{label(lang, 'confidence')} {cause.get('confidence', 0):.0%})")
        out.append("")
        if cause.get("explanation"):
            out.extend([cause["explanation"], ""])
        if cause.get("evidence"):
            out.append(f"**{label(lang, 'evidence')}:**")
            out.extend(f"- {line}" for line in cause["evidence"])
            out.append("")
        if cause.get("fix"):
            out.append(f"**{label(lang, 'fix')}:**")
            out.extend(f"{n}. {step}" for n, step in enumerate(cause["fix"], 1))
            out.append("")
        if cause.get("docs"):
            out.append(f"**{label(lang, 'docs')}:** " + ", ".join(cause["docs"]))
            out.append("")
    for target in data.get("targets", []):
        key = target.get("key", {})
        key_text = f"{key.get('redacted')} ({key.get('source')}, {key.get('length')} chars)" \
            if key.get("present") else label(lang, "none")
        out.extend([f"## {label(lang, 'target')}: {target['name']} ({target['provider_name']})", "",
                    f"- base URL: `{target['base_url']}` ({target['base_url_source']})",
                    f"- {label(lang, 'key')}: {key_text}", "",
                    f"| {label(lang, 'check')} | {label(lang, 'status')} | {label(lang, 'summary')} "
                    f"| {label(lang, 'time')} |",
                    "|---|---|---|---|"])
        for result in target.get("results", []):
            mark = STATUS_MARK.get(result["status"], "?")
            status = label(lang, f"status_{result['status']}")
            out.append(f"| {result['check']} | {mark} {status} | {_cell(result['summary'])} "
                       f"| {result['duration_ms']:.0f} ms |")
        out.append("")
        for result in target.get("results", []):
            rows = result.get("facts", {}).get("waterfall")
            if rows:
                out.extend(["| phase | start | duration |", "|---|---|---|"])
                out.extend(f"| {r.get('phase')} | {float(r.get('start_ms', 0)):.1f} ms "
                           f"| {float(r.get('ms', 0)):.1f} ms |" for r in rows)
                out.append("")
    if data.get("plugin_problems"):
        out.extend([f"## {label(lang, 'plugins')}", ""])
        out.extend(f"- `{p['entry_point']}` ({p['source']}): {p['problem']}" for p in data["plugin_problems"])
        out.append("")
    if data.get("request_ids"):
        out.extend([f"## {label(lang, 'request_ids')}", ""])
        out.extend(f"- {r.get('target')}: `{r.get('header')}: {r.get('value')}` {r.get('at', '')}"
                   for r in data["request_ids"])
        out.append("")
    env = data.get("environment", {})
    if env:
        out.extend([f"## {label(lang, 'environment')}", "", "```"])
        for name, value in env.items():
            out.append(f"{name}: {value}")
        out.extend(["```", ""])
    return "\n".join(out)
