"""The HTML view (`--output report.html`): one self-contained page to attach to a support ticket.

Why a page: a support engineer (or the user, later) sees the chain as a picture — each link with its
status and where it broke — and the timing as a waterfall, which Markdown cannot draw. The file is
self-contained (inline CSS, no script, no image, no font, no link fetched), so it opens offline, in a
mail client's preview, or behind a strict Content-Security-Policy. Like every view it only lays out
the report object, which is already scrubbed of secrets; every string is HTML-escaped.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from typing import Any

from llmdoctor.render.labels import STATUS_MARK, label

_CSS = """
:root { --pass:#1a7f37; --warn:#9a6700; --fail:#cf222e; --skip:#6e7781; --error:#8250df; --ink:#1f2328;
        --line:#d0d7de; --soft:#f6f8fa; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", "WenQuanYi Micro Hei",
       sans-serif;
       color: var(--ink); margin: 0 auto; max-width: 1100px; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 10px; border-bottom: 1px solid var(--line); }
h3 { font-size: 16px; margin: 16px 0 6px; }
.meta { color: var(--skip); font-size: 13px; }
.verdict { border-radius: 8px; padding: 14px 18px; margin: 16px 0; font-size: 17px; font-weight: 600;
           border: 2px solid var(--fail); background: #ffebe9; }
.verdict.healthy { border-color: var(--pass); background: #dafbe1; }
.chain { display: flex; flex-wrap: wrap; align-items: stretch; gap: 0; margin: 8px 0 4px; }
.link { position: relative; border: 2px solid var(--line); border-radius: 6px; padding: 6px 10px; min-width: 92px;
        background: var(--soft); margin: 4px 22px 4px 0; }
.link::after { content: "→"; position: absolute; right: -19px; top: 50%; transform: translateY(-50%);
               color: var(--skip); font-size: 16px; }
.link:last-child::after { content: ""; }
.link .name { font-weight: 600; font-size: 14px; } .link .st { font-size: 12px; }
.link.pass { border-color: var(--pass); } .link.pass .st { color: var(--pass); }
.link.warn { border-color: var(--warn); } .link.warn .st { color: var(--warn); }
.link.fail { border-color: var(--fail); background: #ffebe9; } .link.fail .st { color: var(--fail); }
.link.error { border-color: var(--error); } .link.error .st { color: var(--error); }
.link.skip { border-style: dashed; color: var(--skip); }
.link.broke { box-shadow: 0 0 0 3px #ff818266; }
.broke-here { font-size: 11px; font-weight: 700; color: var(--fail); text-transform: uppercase; }
table { border-collapse: collapse; width: 100%; font-size: 14px; margin: 6px 0 12px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
td.ms { white-space: nowrap; text-align: right; }
td[class^="st-"] { white-space: nowrap; }
th { background: var(--soft); }
td.st-pass { color: var(--pass); } td.st-fail { color: var(--fail); font-weight: 600; }
td.st-warn { color: var(--warn); } td.st-skip { color: var(--skip); } td.st-error { color: var(--error); }
.wf { display: grid; grid-template-columns: 110px 90px 1fr; gap: 3px 10px; align-items: center; font-size: 13px; }
.wf .track { position: relative; height: 14px; background: var(--soft); border-radius: 3px; }
.wf .bar { position: absolute; top: 0; bottom: 0; background: #0969da; border-radius: 3px; min-width: 2px; }
.cause { border: 1px solid var(--line); border-left: 5px solid var(--fail); border-radius: 6px; padding: 8px 14px;
         margin: 10px 0; }
.cause.warn { border-left-color: var(--warn); }
.cause .id { color: var(--skip); font-size: 13px; font-weight: 400; }
code, .fix li { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 13px; }
.fix li { white-space: pre-wrap; overflow-wrap: anywhere; margin: 2px 0; }
.evidence { color: #57606a; font-size: 13px; }
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _status(lang: str, status: str) -> str:
    return f"{STATUS_MARK.get(status, '?')} {label(lang, f'status_{status}')}"


def _chain(target: Mapping[str, Any], lang: str) -> str:
    """The chain as boxes joined by arrows; the first failing link is marked as where it broke."""
    results = target.get("results", [])
    broke = next((r["check"] for r in results if r["status"] in ("fail", "error")), None)
    links = []
    for result in results:
        status = str(result["status"])
        marked = result["check"] == broke
        links.append(
            f'<div class="link {_e(status)}{" broke" if marked else ""}" title="{_e(result.get("summary", ""))}">'
            f'<div class="name">{_e(result["check"])}</div><div class="st">{_e(_status(lang, status))}</div>'
            + (f'<div class="broke-here">{_e(label(lang, "broke_here"))}</div>' if marked else "")
            + "</div>")
    return f'<div class="chain" role="list">{"".join(links)}</div>'


def _results_table(target: Mapping[str, Any], lang: str) -> str:
    rows = "".join(
        f"<tr><td>{_e(r['check'])}</td><td class=\"st-{_e(r['status'])}\">{_e(_status(lang, str(r['status'])))}</td>"
        f"<td>{_e(r.get('summary', ''))}</td><td class=\"ms\">{float(r.get('duration_ms', 0)):.0f} ms</td></tr>"
        for r in target.get("results", []))
    return (f"<table><tr><th>{_e(label(lang, 'check'))}</th><th>{_e(label(lang, 'status'))}</th>"
            f"<th>{_e(label(lang, 'summary'))}</th><th>{_e(label(lang, 'time'))}</th></tr>{rows}</table>")


def _waterfall(rows: Sequence[Mapping[str, Any]]) -> str:
    end = max((float(r.get("start_ms", 0)) + float(r.get("ms", 0)) for r in rows), default=0.0) or 1.0
    cells = []
    for row in rows:
        start, span = float(row.get("start_ms", 0)), float(row.get("ms", 0))
        left, width = start / end * 100, span / end * 100
        cells.append(f"<div>{_e(row.get('phase', ''))}</div><div>{span:.1f} ms</div>"
                     f'<div class="track"><div class="bar" style="left:{left:.2f}%;width:{width:.2f}%"></div></div>')
    return f'<div class="wf">{"".join(cells)}</div>'


def _cause(index: int, cause: Mapping[str, Any], lang: str) -> str:
    parts = [f'<div class="cause {"warn" if cause.get("severity") == "warn" else ""}">',
             f"<h3>{index}. {_e(cause.get('title', cause['id']))} <span class=\"id\">[{_e(cause['id'])}, "
             f"{_e(label(lang, 'confidence'))} {float(cause.get('confidence', 0)):.0%}]</span></h3>"]
    if cause.get("explanation"):
        parts.append(f"<p>{_e(cause['explanation'])}</p>")
    if cause.get("evidence"):
        items = "".join(f"<li>{_e(line)}</li>" for line in cause["evidence"])
        heading = label(lang, "evidence") + label(lang, "colon").strip()
        parts.append(f'<div class="evidence">{_e(heading)}<ul>{items}</ul></div>')
    if cause.get("fix"):
        steps = "".join(f"<li>{_e(step)}</li>" for step in cause["fix"])
        parts.append(f'<b>{_e(label(lang, "fix") + label(lang, "colon").strip())}</b><ol class="fix">{steps}</ol>')
    if cause.get("docs"):
        # Plain text, not links: the page fetches nothing, and a click should be the reader's choice.
        docs = label(lang, "docs") + label(lang, "colon") + " ".join(cause["docs"])
        parts.append(f'<div class="meta">{_e(docs)}</div>')
    parts.append("</div>")
    return "".join(parts)


def _value(value: object) -> str:
    if isinstance(value, (dict, list)):
        return f"<code>{_e(json.dumps(value, ensure_ascii=False, sort_keys=True))}</code>"
    return _e("" if value is None else value)


def _environment(env: Mapping[str, Any], settings: Mapping[str, Any], lang: str) -> str:
    rows = []
    for name, value in env.items():
        if isinstance(value, dict) and value and all(not isinstance(v, (dict, list)) for v in value.values()):
            inner = "<br>".join(f"{_e(k)}: {_e('—' if v is None else v)}" for k, v in value.items())
            rows.append(f"<tr><th>{_e(name)}</th><td>{inner}</td></tr>")
        else:
            rows.append(f"<tr><th>{_e(name)}</th><td>{_value(value)}</td></tr>")
    for name, value in settings.items():
        rows.append(f"<tr><th>settings.{_e(name)}</th><td>{_value(value)}</td></tr>")
    return f"<table>{''.join(rows)}</table>"


def render_html(data: Mapping[str, Any]) -> str:
    lang = str(data.get("lang", "en"))
    healthy = bool(data.get("healthy"))
    tool = data.get("tool", {})
    out = ["<!DOCTYPE html>", f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
           # No fetch of any kind, even if a string slipped through escaping.
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{_e(label(lang, 'title'))}</title><style>{_CSS}</style></head><body>",
           f"<h1>{_e(label(lang, 'title'))}</h1>",
           f'<div class="meta">llmdoctor {_e(tool.get("version", ""))} · schema {_e(data.get("schema_version", ""))}'
           f" · {_e(label(lang, 'generated'))} {_e(data.get('generated_at', ''))}"
           f" · exit code {_e(data.get('exit_code', ''))}</div>",
           f'<div class="verdict{" healthy" if healthy else ""}" id="verdict">'
           f'{_e(label(lang, "verdict") + label(lang, "colon"))}'
           f"{_e(data.get('verdict', ''))}</div>"]
    for target in data.get("targets", []):
        key = target.get("key", {})
        key_text = (f"{key.get('redacted')} ({key.get('source')}, {key.get('length')})" if key.get("present")
                    else label(lang, "none"))
        out.append(f"<h2>{_e(label(lang, 'target') + label(lang, 'colon'))}{_e(target['name'])} "
                   f"({_e(target.get('provider_name', ''))})</h2>")
        out.append(f'<div class="meta">base URL <code>{_e(target.get("base_url", ""))}</code> '
                   f"({_e(target.get('base_url_source', ''))}) · "
                   f"{_e(label(lang, 'key') + label(lang, 'colon') + key_text)}</div>")
        out.append(_chain(target, lang))
        for result in target.get("results", []):
            rows = result.get("facts", {}).get("waterfall")
            if rows:
                out.append(f"<h3>{_e(label(lang, 'timing'))}</h3>{_waterfall(rows)}")
        out.append(_results_table(target, lang))
    causes = data.get("causes", [])
    out.append(f"<h2>{_e(label(lang, 'causes'))}</h2>")
    if not causes:
        out.append(f"<p>{_e(label(lang, 'no_causes'))}</p>")
    out.extend(_cause(index, cause, lang) for index, cause in enumerate(causes, 1))
    if data.get("plugin_problems"):
        items = "".join(f"<li><code>{_e(p['entry_point'])}</code> ({_e(p['source'])}): {_e(p['problem'])}</li>"
                        for p in data["plugin_problems"])
        out.append(f"<h2>{_e(label(lang, 'plugins'))}</h2><ul>{items}</ul>")
    if data.get("request_ids"):
        items = "".join(f"<li>{_e(r.get('target'))}: <code>{_e(r.get('header'))}: {_e(r.get('value'))}</code> "
                        f"{_e(r.get('at', ''))}</li>" for r in data["request_ids"])
        out.append(f"<h2>{_e(label(lang, 'request_ids'))}</h2><ul>{items}</ul>")
    out.append(f"<h2>{_e(label(lang, 'environment'))}</h2>")
    out.append(_environment(data.get("environment", {}), data.get("settings", {}), lang))
    out.append("</body></html>\n")
    return "\n".join(out)
