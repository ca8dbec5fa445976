"""The text view of `llmdoctor env`: the data `commands.env_cmd.build` computed, laid out, nothing computed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from llmdoctor.render.labels import label


def render_text(data: Mapping[str, Any], lang: str = "en") -> str:
    """The text view: fixed words in `lang`, each finding with its cause's title; values as measured."""
    from llmdoctor.knowledge import load

    lines: list[str] = []

    def _line(text: str = "") -> None:
        lines.append(text)

    def t(key: str, **values: str) -> str:
        return label(lang, f"env_{key}").format(**values)

    from llmdoctor.i18n import translator

    words = translator(lang)  # the clients' notes and NO_PROXY matches, measured values kept

    _line(t("variables"))
    variables = data["variables"]
    if not variables:
        _line(f"  {t('none_set')}")
    width = max((len(n) for n in variables), default=0)
    for name, value in variables.items():
        shown = value if value and value.strip() == value else repr(value)
        _line(f"  {name:<{width}} = {shown}")
    system = data["system"]
    _line()
    _line(f"{t('system')} ({system['platform']}{', ' + system['source'] if system['source'] else ''})")
    if system["servers"]:
        _line(f"  {t('manual')}: " + ", ".join(f"{k}={v}" for k, v in system["servers"].items()))
    if system["pac_url"]:
        _line(f"  {t('pac', url=system['pac_url'])}")
    if system["bypass"]:
        _line(f"  {t('bypass')}: " + ";".join(system["bypass"]))
    if system["python_proxies"]:
        _line(f"  {t('python_takes')}: " + ", ".join(f"{k}={v}" for k, v in system["python_proxies"].items()))
    if system["winhttp"]:
        _line(f"  {t('winhttp', value=system['winhttp'])}")
    if system["wsl"]:
        mirrored = t("wsl_mirrored") if system["wsl_mirrored"] else ""
        _line(f"  WSL {system['wsl']}{mirrored}; {t('wsl_host')}: {system['wsl_host'] or t('unknown')}")
    for name, value in system["persisted_env"].items():
        _line(f"  {t('saved')}: {name} = {value}")
    if not (system["servers"] or system["pac_url"] or system["persisted_env"]):
        _line(f"  {t('no_system')}")
    for note in system["notes"]:
        _line(f"  {t('note')}: {note}")
    _line()
    _line(t("local"))
    if not data["scanned"]:
        _line(f"  {t('not_scanned')}")
    elif not data["listeners"]:
        _line(f"  {t('nothing_listening')}")
    for listener in data["listeners"]:
        _line(f"  {listener['address']}  {listener['kind']:<7}  {listener['label']}")
    _line()
    _line(t("sdks"))
    for py in data.get("pythons", []):
        open_, close = ("（", "）") if lang == "zh" else (" (", ")")
        where = f"  Python {py['version']}: {py['executable']}{open_}{words(py['chosen_by'])}{close}"
        _line(where + (f" — {t('probe_failed')}: {words(py['error'])}" if py.get("error") else ""))
        ssl = py.get("ssl") or {}
        if ssl.get("openssl"):
            cafile = "默认 CA 文件" if lang == "zh" else "default CA file"
            _line(f"    {ssl['openssl']}; {cafile} {ssl.get('cafile') or '-'}; "
                  f"certifi {ssl.get('certifi') or '-'}")
    if not data["sdks"]:
        _line(f"  {t('no_sdks')}")
    for sdk in data["sdks"]:
        stack = f"{sdk['stack']} {sdk['stack_version'] or t('missing')}"
        _line(f"  {sdk['sdk']} {sdk['version']}: {stack}, {sdk['core']} {sdk['core_version'] or '?'}, "
              f"socksio {t('yes') if sdk['socksio'] else t('no')}")
    for target in data["targets"]:
        _line()
        _line(f"{target['target']} -> {target['url']}")
        has_httpx2 = any(d["client"] == "httpx2" for d in target["clients"])
        names = {"httpx": "httpx" if has_httpx2 else "httpx (SDKs)", "httpx2": "httpx2 (SDKs)"}
        width = max([13, *(len(names.get(d["client"], d["client"])) for d in target["clients"])])
        for d in target["clients"]:
            name = names.get(d["client"], d["client"])
            if d["problem"]:
                text = t("fails", problem=d["problem"])
            elif d["proxy"]:
                text = t("via", proxy=d["proxy"], source=d["source"])
            elif d["bypassed_by"]:
                text = t("direct_bypass", entry=repr(d["bypassed_by"]))
            else:
                text = t("direct")
            if d.get("connects_to") and d["proxy"] and d["connects_to"] not in d["proxy"]:
                text += f" -> {d['connects_to']}"
            version = f" {d['version']}" if d.get("version") else ""
            _line(f"  {name:<{width}} {text}{version and f'  [{version.strip()}]'}")
            if d.get("note"):
                _line(f"  {'':<{width}} {words(d['note'])}")
    if data["no_proxy_entries"]:
        _line()
        _line(t("no_proxy_entries"))
        for entry in data["no_proxy_entries"]:
            _line(f"  {entry['entry']}")
            for client in ("httpx", "requests", "curl"):
                _line(f"    {client:<9} {words(entry[client])}")
    _line()
    if not data["findings"]:
        _line(t("no_problems"))
    else:
        _line(t("findings"))
        kb = load()
        from llmdoctor.i18n import to_zh

        for f in data["findings"]:
            title = f" ({kb.get(f['code']).title(lang)})" if lang != "en" and f["code"] in kb else ""
            message = to_zh(f["message"]) if lang == "zh" else f["message"]
            severity = f["severity"].upper() if lang == "en" else label(lang, f"status_{f['severity']}")
            _line(f"  {severity:<4} {f['code']}{title}{label(lang, 'colon')}{message}")
            hint = _hint_zh(kb, f) if lang == "zh" else f["hint"]
            if hint:
                _line(f"       {t('fix')}{label(lang, 'colon')}{hint}")
    if data["fix_commands"]:
        first = data["fix_commands"][0]
        _line()
        _line(t("fix_commands", shell=first["shell"]))
        _line(f"  {t('this_window')}")
        for line in first["this_window"]:
            _line(f"    {line}")
        _line(f"  {t('new_windows')}")
        for line in first["new_windows"]:
            _line(f"    {line}")
        others = ", ".join(c["shell"] for c in data["fix_commands"][1:])
        _line(f"  {t('other_shells', shells=others)}")
    return "\n".join(lines) + "\n"


def _hint_zh(kb: Any, finding: Mapping[str, Any]) -> str:
    """A finding's hint for a Chinese reader: translated, else its cause's first Chinese step that needs
    no value this view lacks (an English sentence would be the only English line of the view)."""
    from llmdoctor.fixvalues import fact_values, fill
    from llmdoctor.i18n import hint_zh

    hint = hint_zh(str(finding.get("hint") or ""))
    if hint or finding.get("code") not in kb:
        return hint
    known = {k: v for k, v in fact_values([finding.get("facts") or {}]).items() if v}
    for step in kb.get(finding["code"]).fix("zh", None):
        filled = fill(step, known)
        if filled:
            return filled
    return ""
