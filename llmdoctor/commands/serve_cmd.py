"""`llmdoctor serve`: parse options, read the targets once, start the exporter, stop on a signal."""

from __future__ import annotations

import ipaddress
import os
import sys
from pathlib import Path
from typing import Any

import click

from llmdoctor import exitcodes
from llmdoctor.cli import _positive

DEFAULT_LISTEN = "127.0.0.1:9464"  # 9464: the port the OpenTelemetry Prometheus exporters use by default


def parse_listen(text: str) -> tuple[str, int]:
    """HOST:PORT, [V6]:PORT or :PORT (every interface); the host is an IP address or localhost, so
    starting never waits on a name lookup."""
    host, sep, port_text = text.strip().rpartition(":")
    if not sep or not port_text.isdigit() or int(port_text) > 65535:
        raise click.BadParameter("expected HOST:PORT, e.g. 127.0.0.1:9464, [::1]:9464 or :9464",
                                 param_hint="--listen")
    host = host.strip()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if host in ("", "*"):
        host = "0.0.0.0"
    elif host == "localhost":
        host = "127.0.0.1"
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise click.BadParameter(f"{host[:100]!r} is not an IP address (or localhost)", param_hint="--listen") from None
    return host, int(port_text)


@click.command("serve")
@click.option("--listen", default=DEFAULT_LISTEN, show_default=True, metavar="HOST:PORT",
              help="Where to listen; loopback unless you say otherwise (:PORT listens everywhere).")
@click.option("--config", "config", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.toml",
              help="Targets to probe ([targets.NAME] tables); default: the environment and .env, as a run reads them.")
@click.option("--timeout", type=float, default=None, callback=_positive, metavar="SECONDS",
              help="Timeout of each network operation in a probe [default: 4].")
@click.option("--max-timeout", type=float, default=None, callback=_positive, metavar="SECONDS",
              help="The longest a probe may take, whatever ?timeout= or the scrape timeout asks [default: 60].")
@click.option("--concurrency", type=click.IntRange(1, 256), default=8, show_default=True, metavar="N",
              help="Probes that may run at once; one that waits half its deadline for a slot gets a 503.")
@click.option("--probe-completion", is_flag=True,
              help="Also send one tiny streamed completion per probe (costs tokens; off by default).")
def serve(**options: Any) -> None:
    """Run a Prometheus exporter in the blackbox_exporter style.

    GET /probe?target=NAME diagnoses one configured target and answers with probe_success,
    probe_duration_seconds, per-phase durations, llmdoctor_check_status, llmdoctor_cause and
    rate-limit headroom. GET /metrics is the exporter itself, GET / lists the targets.
    Targets and keys come from this process' environment, .env or --config, never from a request.
    Exit codes: 0 stopped by SIGTERM, 2 usage error, 130 interrupted.
    """
    sys.exit(run_server(options))


def run_server(options: dict[str, Any]) -> int:
    import dataclasses

    from prometheus_client import disable_created_metrics

    from llmdoctor import warmup
    from llmdoctor.config import DEFAULT_TIMEOUT, ConfigError, Settings
    from llmdoctor.serve import lifecycle, params, targets
    from llmdoctor.serve.prober import Prober
    from llmdoctor.serve.server import ExporterServer

    host, port = parse_listen(options["listen"])
    env = dict(os.environ)
    config = options.get("config")
    try:
        table = targets.load(env, Path.cwd(), config)
    except ConfigError as exc:
        click.echo(f"llmdoctor: error: {exc}", err=True)
        return exitcodes.USAGE
    # *_created series would double the exporter's own /metrics for no alert's use.
    disable_created_metrics()  # type: ignore[no-untyped-call]
    settings = dataclasses.replace(Settings(), timeout=options.get("timeout") or DEFAULT_TIMEOUT,
                                   enabled=frozenset({"completion"} if options.get("probe_completion") else ()))
    prober = Prober(table, settings, concurrency=options["concurrency"])
    try:
        server = ExporterServer((host, port), prober, max_timeout=options.get("max_timeout") or params.MAX_TIMEOUT,
                                max_connections=max(64, options["concurrency"] * 8))
    except OSError as exc:
        click.echo(f"llmdoctor: error: cannot listen on {options['listen']}: {exc.strerror or exc}", err=True)
        return exitcodes.USAGE
    # After the bind: a port in use fails at once, with no thread left inside OpenSSL (exiting under one
    # can crash the interpreter: seen as SIGSEGV in 5 of 25 runs). Then wait for it whatever the load.
    warmup.start(env)
    warmup.wait(30.0)
    lifecycle.long_lived_process()
    by_signal = lifecycle.serve_until_stopped(server, prober, lambda: targets.load(env, Path.cwd(), config))
    return exitcodes.OK if by_signal else exitcodes.INTERRUPTED
