"""The program's entry: a plain run puts its network path on the wire before click and the CLI load.

What a plain run is, and how the CLI takes the start made here, is `llmdoctor/prestart.py`.
"""

from __future__ import annotations

import sys

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

    entry()
