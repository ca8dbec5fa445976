"""How a started exporter lives: the start-up lines, SIGTERM and SIGINT to stop, SIGHUP to reload.

Signal handlers run in the main thread, which is inside `serve_forever`; `shutdown()` waits for
that loop to end, so it is called from a helper thread, as is a reload (it reads files).
"""

from __future__ import annotations

import gc
import ipaddress
import signal
import threading
from collections.abc import Callable
from typing import Any

from llmdoctor.config import ConfigError
from llmdoctor.serve.prober import Prober
from llmdoctor.serve.server import ExporterServer
from llmdoctor.serve.targets import TargetTable

STOP_GRACE_S = 10.0  # how long a stopping server waits for the probes in progress


def long_lived_process() -> None:
    """The CLI turned the cyclic GC off for one short run (cli._short_lived_process); a server needs it
    back, with what start-up loaded frozen out of every later collection."""
    gc.enable()
    gc.collect()
    gc.freeze()


def serve_until_stopped(server: ExporterServer, prober: Prober, reload: Callable[[], TargetTable]) -> bool:
    """Serves until SIGTERM (True) or Ctrl-C (False). SIGHUP calls `reload` and swaps the targets."""
    stopped = threading.Event()

    def stop(signum: int, _frame: Any) -> None:
        stopped.set()
        threading.Thread(target=server.shutdown, name="llmdoctor-shutdown", daemon=True).start()

    def swap() -> None:
        try:
            prober.replace_table(reload())
        except ConfigError as exc:
            server.log(f"llmdoctor serve: reload failed, keeping the old targets: {exc}")
            return
        server.metrics.targets.set(len(prober.table.targets))
        server.log(f"llmdoctor serve: reloaded: {_targets_line(prober.table)}")

    def on_hup(signum: int, _frame: Any) -> None:
        threading.Thread(target=swap, name="llmdoctor-reload", daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    if hasattr(signal, "SIGHUP"):  # not on Windows
        signal.signal(signal.SIGHUP, on_hup)
    server.log(f"llmdoctor serve: listening on {server.url} ({_targets_line(prober.table)})")
    if not ipaddress.ip_address(str(server.server_address[0])).is_loopback:
        server.log("llmdoctor serve: warning: not loopback only; anyone who reaches this port can run probes")
    for problem in prober.plugin_problems:
        server.log(f"llmdoctor serve: plug-in problem: {problem.source}: {problem.problem}")
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        return False
    finally:
        server.server_close()
        prober.wait_idle(STOP_GRACE_S)
    return stopped.is_set()


def _targets_line(table: TargetTable) -> str:
    return f"{len(table.targets)} targets from {table.source}: {', '.join(table.names()) or 'none'}"
