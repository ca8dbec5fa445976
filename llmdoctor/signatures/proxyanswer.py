"""What a proxy's answer to CONNECT means, by its status: one table for the live proxy check and for explain.

The live check (`net.httpconnect`) reads the status off the wire; explain reads it in a pasted curl -v
transcript (`< HTTP/1.1 407` after `> CONNECT`), in undici's `Proxy response (407) !== 200`, in .NET's
`failed with status code '407'`. A status a proxy gives to CONNECT is the proxy's, never the API's: tinyproxy
and wstunnel answer a wrong password with 401, not 407.
"""

from __future__ import annotations

CONNECT_STATUS: dict[int, str] = {
    401: "proxy.auth_failed", 407: "proxy.auth_failed",
    403: "proxy.blocked",
    500: "proxy.upstream_failed", 502: "proxy.upstream_failed", 503: "proxy.upstream_failed",
    504: "proxy.upstream_failed",
    400: "proxy.protocol_mismatch",
}
# Any other non-2xx answer: an HTTP server that is not a forward proxy able to tunnel.
OTHER = "proxy.protocol_mismatch"


def connect_status_cause(status: int) -> str | None:
    """The cause a CONNECT answered with `status` shows; None for a tunnel that opened (2xx)."""
    if 200 <= status < 300:
        return None
    return CONNECT_STATUS.get(status, OTHER)


def statuses_of(cause: str) -> tuple[int, ...]:
    """The statuses the table reads as `cause`, for building the wording rows."""
    return tuple(sorted(status for status, named in CONNECT_STATUS.items() if named == cause))
