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
          sdk_paths: tuple[str, ...] | None = None, python: str | None = None,
          describe_pythons: bool = True) -> dict[str, Any]:
    """The whole view as JSON-safe data (the text view renders the same data)."""
    from pathlib import Path

    from llmdoctor.documents import header
    from llmdoctor.dotenv import read_dotenv, unreadable_finding
    from llmdoctor.proxyenv import noproxy
    from llmdoctor.proxyenv.analysis import analyse, observe
    from llmdoctor.proxyenv.system import reader_for

    dotenv, dotenv_problem = read_dotenv(Path.cwd())
    urls = _targets(url, env, dotenv)
    pythons = None
    if describe_pythons and sdk_paths is None:
        from llmdoctor.interpreter import describe_once

        def pythons() -> list[Any]:  # probed while the OS settings and ports are read
            return describe_once(env, python)
    obs = observe(env, reader or reader_for(sys.platform, env), scan_ports, sdk_paths, pythons=pythons)
    analysis = analyse(env, urls, obs, dotenv, runtime_findings=True)
    findings = [*analysis.findings, *([unreadable_finding(dotenv_problem)] if dotenv_problem else [])]
    status = max((analysis.status, *(f.severity for f in findings)), key=lambda s: s.severity)
    data: dict[str, Any] = {**header("env"), "status": status.value}
    data.update(analysis.facts())
    no_proxy = env.get("no_proxy") or env.get("NO_PROXY") or ""
    data["no_proxy_entries"] = [{"entry": e, **noproxy.explain_entry(e)} for e in noproxy.entries(no_proxy)]
    data["findings"] = [f.to_dict() for f in findings]
    return data


@click.command("env")
@click.argument("url", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the analysis as JSON.")
@click.option("--no-scan", is_flag=True, help="Do not probe 127.0.0.1 for local proxies.")
@click.option("--ports", "ports_text", metavar="LIST", help="Ports on 127.0.0.1 to probe (comma-separated) "
              "instead of the usual proxy ports (7890, 7897, 1080, 10808, 10809, 8080, 8118, 8888, …).")
@click.option("--lang", type=click.Choice(["en", "zh"]), default=None,
              help="Language of the text view [default: from LC_ALL/LANG].")
@click.option("--python", "python", metavar="PATH", help="The Python your code runs in (default: auto-detected).")
@click.pass_context
def env(ctx: click.Context, url: str | None, as_json: bool, no_scan: bool, ports_text: str | None,
        lang: str | None, python: str | None) -> None:
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
    from llmdoctor.interpreter import check_python

    snapshot = dict(os.environ)
    data = build(checked, snapshot, scan_ports, python=check_python(python))
    data = scrubber_from_env(snapshot).scrub_data(data)  # type: ignore[assignment]
    if as_json:
        sys.stdout.write(render_json(data))
    else:
        from llmdoctor.render.env_view import render_text

        click.echo(render_text(data, choose_lang(group_lang(lang), snapshot)), nl=False)
    ctx.exit(exitcodes.PROBLEM if data["status"] in ("fail", "error") else exitcodes.OK)
