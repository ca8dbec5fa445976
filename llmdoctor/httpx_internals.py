"""Every private httpx name llmdoctor relies on, in one module, each with the reason it is worth the risk.

httpx and httpcore keep these names out of their public API, so any upgrade may move them. Keeping them here
means one file to fix, and `problems()` (run by tests/test_httpx_internals.py) names what moved:

- `httpx._main`, httpx's own command-line client. httpx's `__init__` imports it whenever click and rich are
  installed, as they are next to llmdoctor (pygments, rich.progress, rich.syntax: 30 ms of a run's 490 ms of
  imports by `-X importtime`). `import llmdoctor` puts a placeholder in `sys.modules` first;
  `httpx.main()` still works: the placeholder loads the real client on first use.
- `httpx._utils.URLPattern`, the matcher httpx uses for its proxy mounts and NO_PROXY (and its ordering,
  most specific first), so net/proxies.py chooses exactly the proxy httpx would.
- `httpx.HTTPTransport._pool`, the transport's httpcore pool: net/reuse.py puts a pool in front of it so the
  first request goes over the connection the tls check already verified.

Nothing here imports httpx at module level: `import llmdoctor` must stay cheap and must run before httpx is
first imported for the placeholder to work.
"""

from __future__ import annotations

import importlib
import sys
import types

TYPE_CHECKING = False  # `typing` is not imported at run time: `import llmdoctor` stays as cheap as it was
if TYPE_CHECKING:
    from typing import Any

CLI_MODULE = "httpx._main"


def _real_main() -> None:
    """httpx's command-line client, loaded when somebody calls it."""
    if sys.modules.get(CLI_MODULE) is _PLACEHOLDER:
        del sys.modules[CLI_MODULE]
    importlib.import_module(CLI_MODULE).main()


_PLACEHOLDER = types.ModuleType(CLI_MODULE, "Placeholder for httpx's command-line client "
                                            "(see llmdoctor.httpx_internals).")
_PLACEHOLDER.main = _real_main  # type: ignore[attr-defined]


def install_cli_placeholder() -> None:
    """Puts the placeholder in place before httpx is first imported; a no-op once it has been."""
    if "httpx" not in sys.modules:
        sys.modules.setdefault(CLI_MODULE, _PLACEHOLDER)


def url_pattern(pattern: str) -> Any:
    """httpx's own mount pattern (`all://*example.com`); instances sort most specific first."""
    from httpx._utils import URLPattern

    return URLPattern(pattern)


def transport_pool(transport: Any) -> Any:
    """The httpcore pool behind an `httpx.HTTPTransport`, or None when this httpx keeps it elsewhere."""
    return getattr(transport, "_pool", None)


def replace_transport_pool(transport: Any, pool: Any) -> None:
    """Makes `transport` send its requests through `pool` (which wraps the original)."""
    transport._pool = pool


def problems() -> list[str]:
    """What this httpx no longer offers of the names above, one line each; empty when all is in place."""
    import importlib.util

    import httpx

    found: list[str] = []
    where = f"llmdoctor/httpx_internals.py relies on it (httpx {httpx.__version__})"
    init_source = importlib.util.find_spec("httpx")
    origin = init_source.origin if init_source else None
    text = ""
    if origin:
        with open(origin, encoding="utf-8") as handle:
            text = handle.read()
    if "from ._main import main" not in text:
        found.append(f"httpx/__init__.py no longer imports `._main`: the CLI placeholder is useless; {where}")
    if sys.modules.get(CLI_MODULE) is not _PLACEHOLDER and importlib.util.find_spec(CLI_MODULE) is None:
        found.append(f"{CLI_MODULE} does not exist; {where}")
    try:
        ordered = sorted([url_pattern("all://"), url_pattern("https://"), url_pattern("all://*example.com")])
        if ordered[0].pattern != "all://*example.com" or not ordered[0].matches(httpx.URL("https://a.example.com")):
            found.append(f"httpx._utils.URLPattern no longer sorts the most specific pattern first; {where}")
    except (ImportError, AttributeError, TypeError) as exc:
        found.append(f"httpx._utils.URLPattern is gone or changed ({type(exc).__name__}: {exc}); {where}")
    transport = httpx.HTTPTransport()
    try:
        pool = transport_pool(transport)
        if not callable(getattr(pool, "handle_request", None)):
            found.append(f"httpx.HTTPTransport has no `_pool` with handle_request(); {where}")
    finally:
        transport.close()
    return found
