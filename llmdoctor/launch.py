"""The program's entry: a plain run puts its network path on the wire before click and the CLI load.

What a plain run is, and how the CLI takes the start made here, is `llmdoctor/prestart.py`.
"""

from __future__ import annotations

import sys
from typing import NoReturn

from llmdoctor import prestart


def main() -> None:
    """The console script and `python -m llmdoctor`."""
    import os

    options = prestart.plain_options(sys.argv[1:])
    if options is not None:
        from pathlib import Path

        try:
            prestart.begin_early(options, dict(os.environ), Path.cwd())
        except KeyboardInterrupt:
            from llmdoctor import exitcodes

            sys.stderr.write("llmdoctor: interrupted\n")
            sys.exit(exitcodes.INTERRUPTED)
        except Exception:  # a bad .env or value: the CLI reports it in its own words
            pass
    from llmdoctor.cli import entry

    try:
        entry()
    except SystemExit as done:
        _end(done.code)
    _end(0)


def _end(code: object) -> NoReturn:
    """Ends the process once its output is out, without tearing down each of its few hundred modules
    (10-20 ms of a run, after the answer is on the screen). Only when nothing is left to finish: the
    atexit functions run, and a thread that is not a daemon (an executor's worker still alive) leaves
    the ending to Python's own shutdown, which waits for it."""
    import atexit
    import contextlib
    import os
    import threading

    status = code if isinstance(code, int) else 0 if code is None else 1
    if not isinstance(code, (int, type(None))):
        sys.stderr.write(f"{code}\n")  # what sys.exit("…") would print
    if any(t.is_alive() and not t.daemon for t in threading.enumerate() if t is not threading.main_thread()):
        sys.exit(status)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: the CLI already said what it could
            stream.flush()
    os._exit(status)
