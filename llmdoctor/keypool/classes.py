"""The class of a key: one word a pool operator acts on, from the knowledge base's cause id.

The cause says *why* (the same ids the diagnosis and `explain` use); the class says what to do with
the key: keep it (valid), drop it (invalid, wrong_provider), top it up (no_quota), wait
(rate_limited), move it (region_blocked), or look at the network, not the key (unreachable).
"""

from __future__ import annotations

from enum import Enum


class KeyStatus(str, Enum):
    VALID = "valid"
    INVALID = "invalid"
    WRONG_PROVIDER = "wrong_provider"
    NO_QUOTA = "no_quota"
    RATE_LIMITED = "rate_limited"
    REGION_BLOCKED = "region_blocked"
    MODEL_RESTRICTED = "model_restricted"
    UNREACHABLE = "unreachable"
    ERROR = "error"


ORDER = tuple(KeyStatus)  # the table's order: usable keys first, then what the key itself is wrong about

_BY_CAUSE = {
    "auth.invalid_key": KeyStatus.INVALID,
    "config.missing_key": KeyStatus.INVALID,
    "config.key_placeholder": KeyStatus.INVALID,
    "auth.key_wrong_provider": KeyStatus.WRONG_PROVIDER,
    "auth.wrong_region": KeyStatus.WRONG_PROVIDER,  # a .cn key on the .ai platform: another vendor account
    "quota.insufficient": KeyStatus.NO_QUOTA,
    "ratelimit.exceeded": KeyStatus.RATE_LIMITED,
    "ratelimit.relay_saturated": KeyStatus.RATE_LIMITED,
    "auth.region_blocked": KeyStatus.REGION_BLOCKED,
}
# Transport failures say nothing about the key: the path to the host is broken.
_NETWORK_PREFIXES = ("dns.", "net.", "tls.", "proxy.", "env.")


def status_for(cause: str, *, model_probe: bool = False) -> KeyStatus:
    """The class a cause puts a key in; on the --model probe, "not found" or "forbidden" is the model."""
    if model_probe and cause in ("model.not_found", "auth.permission_denied", "endpoint.not_found"):
        return KeyStatus.MODEL_RESTRICTED
    if cause in _BY_CAUSE:
        return _BY_CAUSE[cause]
    if cause.startswith(_NETWORK_PREFIXES):
        return KeyStatus.UNREACHABLE
    return KeyStatus.ERROR
