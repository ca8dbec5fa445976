"""`llmdoctor env [URL]`: every proxy setting in sight, and what each client does with it. Never changes anything."""

from __future__ import annotations

import sys
from typing import Any

import click

from llmdoctor import exitcodes
from llmdoctor.cli import group_lang


def _parse_ports(value: str | None) -> tuple[int, ...] | None:
    """`--ports 7890,1080`: ports on 127.0.0.1 to probe instead of the usual ones."""
    if value is None:
        return None
    found: list[int] = []
    for item in value.split(","):
        item = item.strip()
        if not item:
            continue
        if not (item.isascii() and item.isdigit()) or not 0 < int(item) < 65536:
            raise click.BadParameter(f"{item!r} is not a port number (1-65535)", param_hint="--ports")
        found.append(int(item))
    return tuple(found)


def _check_url(url: str) -> str:
    from llmdoctor.urls import split_url

    parts = split_url(url.strip()) if "://" in url else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise click.BadParameter(f"{url!r} is not an http:// or https:// URL (e.g. https://api.openai.com/v1)",
                                 param_hint="URL")
    return url.strip()


def _targets(url: str | None, env: dict[str, str],
             dotenv: dict[str, str]) -> list[tuple[str, str]]:
    from llmdoctor.config import CliValues, build_targets

    if url:
        return [("url", url)]
    return [(t.name, t.base_url.value) for t in build_targets(CliValues(), env, dotenv)]


def build(url: str | None, env: dict[str, str], scan_ports: tuple[int, ...] | None, reader: Any = None,
          sdk_paths: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The whole view as JSON-safe data (the text view renders the same data)."""
    from pathlib import Path

    from llmdoctor.documents import header
    from llmdoctor.dotenv import read_dotenv, unreadable_finding
    from llmdoctor.proxyenv import noproxy
    from llmdoctor.proxyenv.analysis import analyse, observe
    from llmdoctor.proxyenv.system import reader_for

    dotenv, dotenv_problem = read_dotenv(Path.cwd())
    urls = _targets(url, env, dotenv)
    obs = observe(env, reader or reader_for(sys.platform, env), scan_ports, sdk_paths)
    analysis = analyse(env, urls, obs, dotenv)
    findings = [*analysis.findings, *([unreadable_finding(dotenv_problem)] if dotenv_problem else [])]
    status = max((analysis.status, *(f.severity for f in findings)), key=lambda s: s.severity)
    data: dict[str, Any] = {**header("env"), "status": status.value}
    data.update(analysis.facts())
    no_proxy = env.get("no_proxy") or env.get("NO_PROXY") or ""
    data["no_proxy_entries"] = [{"entry": e, **noproxy.explain_entry(e)} for e in noproxy.entries(no_proxy)]
    data["findings"] = [f.to_dict() for f in findings]
    return data


def _line(text: str = "") -> None:
    click.echo(text)


def render_text(data: dict[str, Any], lang: str = "en") -> None:
    """The text view: fixed words in `lang`, each finding with its cause's title; values as measured."""
    from llmdoctor.knowledge import load
    from llmdoctor.render.labels import label

    def t(key: str, **values: str) -> str:
        return label(lang, f"env_{key}").format(**values)

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
        for d in target["clients"]:
            name = {"httpx": "httpx" if has_httpx2 else "httpx (SDKs)", "httpx2": "httpx2 (SDKs)"}.get(
                d["client"], d["client"])
            if d["problem"]:
                text = t("fails", problem=d["problem"])
            elif d["proxy"]:
                text = t("via", proxy=d["proxy"], source=d["source"])
            elif d["bypassed_by"]:
                text = t("direct_bypass", entry=repr(d["bypassed_by"]))
            else:
                text = t("direct")
            _line(f"  {name:<13} {text}")
    if data["no_proxy_entries"]:
        _line()
        _line(t("no_proxy_entries"))
        for entry in data["no_proxy_entries"]:
            _line(f"  {entry['entry']}")
            for client in ("httpx", "requests", "curl"):
                _line(f"    {client:<9} {entry[client]}")
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
            if f["hint"]:
                _line(f"       {t('fix')}{label(lang, 'colon')}{f['hint']}")
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


@click.command("env")
@click.argument("url", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the analysis as JSON.")
@click.option("--no-scan", is_flag=True, help="Do not probe 127.0.0.1 for local proxies.")
@click.option("--ports", "ports_text", metavar="LIST", help="Ports on 127.0.0.1 to probe (comma-separated) "
              "instead of the usual proxy ports (7890, 7897, 1080, 10808, 10809, 8080, 8118, 8888, …).")
@click.option("--lang", type=click.Choice(["en", "zh"]), default=None,
              help="Language of the text view [default: from LC_ALL/LANG].")
@click.pass_context
def env(ctx: click.Context, url: str | None, as_json: bool, no_scan: bool, ports_text: str | None,
        lang: str | None) -> None:
    """Show proxy settings and what each client does with them.

    For URL (default: each configured provider's base URL) shows what httpx and the openai /
    anthropic SDKs, requests and curl would do: which proxy, from which setting, or direct.
    Exit codes: 0 nothing wrong, 1 a problem (FAIL) was found, 2 usage error.
    """
    import os

    from llmdoctor.language import choose_lang
    from llmdoctor.proxyenv.ports import DEFAULT_PORTS
    from llmdoctor.render.json_view import render_json
    from llmdoctor.secrets import scrubber_from_env

    checked = _check_url(url) if url is not None else None
    scan_ports = _parse_ports(ports_text) if ports_text is not None else DEFAULT_PORTS
    if no_scan:
        scan_ports = None
    snapshot = dict(os.environ)
    data = build(checked, snapshot, scan_ports)
    data = scrubber_from_env(snapshot).scrub_data(data)  # type: ignore[assignment]
    if as_json:
        sys.stdout.write(render_json(data))
    else:
        render_text(data, choose_lang(group_lang(lang), snapshot))
    ctx.exit(exitcodes.PROBLEM if data["status"] in ("fail", "error") else exitcodes.OK)
