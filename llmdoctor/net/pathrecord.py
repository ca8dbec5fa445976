"""Where one target's connection goes, as the links measured it: one typed record, not other checks' facts.

The dns link records the addresses the system resolver gave, the tcp link the address it connected to;
net/netpath.py reads them to open the very connection the SDK would (issue 14.1: the engine reads no
check's facts by name). One record per target lives on that target's HttpClientFactory, like the
connections handed along the chain (net/handoff.py); only that target's checks touch it, in order.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class PathRecord:
    addresses: tuple[str, ...] = ()  # the system resolver's answer, in the SDK's order
    connected_to: str | None = None  # the address a direct TCP connection reached

    def first_address(self) -> str | None:
        """The address a direct connection goes to: the one connected to, else DNS's first."""
        return self.connected_to or (self.addresses[0] if self.addresses else None)
