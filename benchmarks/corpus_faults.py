"""Runs real clients into real faults on loopback and prints what each one says, as corpus rows (jsonl).

Why: users paste what their client printed when the call failed uncaught (the whole traceback, curl's
exit line, Node's `fetch failed` with its cause). Public threads hold only the wordings people happened
to post; here every client meets every fault it can meet, so explain is measured on the wordings
clients really print. Each row's cause is the fault by construction, or "ambiguous" when the text
alone does not name it (an SDK's bare "Connection error." with nothing chained, a status with no body).

The world: a private network namespace (tests/peers/netns.py) whose resolver is a test DNS server on
its own loopback, so `api.openai.com` and `api.anthropic.com` resolve to 127.0.0.1 in there and the
texts read like users' texts; a misspelled host gets NXDOMAIN from that server. Without a namespace
(not root, no iproute2) the API lives on 127.0.0.1 with free ports and the DNS scenario is skipped.
No name is ever resolved through the machine's resolver.

Clients (missing ones are skipped): the openai (sync and async) and anthropic Python SDKs, httpx, requests,
aiohttp (trust_env=True), urllib3 directly, LangChain's ChatOpenAI, curl, Node's fetch, and the openai Node SDK
(installed with npm into a temporary directory).

The pieces are in benchmarks/faultlib/: replies.py (the API's and gateways' answers), world.py (names, ports,
one call), scenarios.py (the faults and their causes), clients.py (the client programs and one run).

Usage: python benchmarks/corpus_faults.py [--scenario NAME]... [--client NAME]... [--list] [--no-netns] > rows.jsonl
       python benchmarks/corpus_add.py < rows.jsonl
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from faultlib.clients import Clients, layer, run_client, scrub  # noqa: E402
from faultlib.scenarios import SCENARIOS  # noqa: E402
from faultlib.world import ALL, NAMESPACE, World  # noqa: E402
from peers import make_certs  # noqa: E402
from peers.netns import NetNamespace, netns_available  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", action="append", help="only these scenarios (repeatable)")
    parser.add_argument("--client", action="append", help="only these clients (repeatable)")
    parser.add_argument("--list", action="store_true", help="list the scenarios and their clients")
    parser.add_argument("--no-netns", action="store_true", help="loopback addresses only, as without root")
    parser.add_argument("--again", action="store_true",
                        help="also run scenario x client pairs whose source is already in tests/corpus")
    args = parser.parse_args(argv)
    scenarios = [s for s in SCENARIOS if not args.scenario or s.name in args.scenario]
    if args.list:
        for s in SCENARIOS:
            print(f"{s.name:24} {s.cause:28} {' '.join(s.clients)}")
        return 0
    wanted = tuple(c for c in ALL if not args.client or c in args.client)
    # one scenario x client is one source: a second run would add near-copies under it (texts differ by temp paths)
    known = set() if args.again else {json.loads(line)["source"] for path in (ROOT / "tests" / "corpus").glob("*.jsonl")
                                      for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}
    usable, why = (False, "--no-netns") if args.no_netns else netns_available()
    tmp = Path(tempfile.mkdtemp(prefix="llmd-faults-"))
    clients = Clients(tmp)
    clients.probe(wanted)
    print(f"clients: {clients.versions}; netns: {'yes' if usable else 'no (' + why + ')'}", file=sys.stderr)
    zones: dict[str, Any] = {"api.openai.com": {"A": ["127.0.0.1"]}, "api.anthropic.com": {"A": ["127.0.0.1"]},
                             "faults-eastus.openai.azure.com": {"A": ["127.0.0.1"]},
                             "api.deepseek.com": "DROP"}
    with contextlib.ExitStack() as stack:
        ns = stack.enter_context(NetNamespace(zones)) if usable else None
        NAMESPACE[:] = [ns] if ns else []
        if ns:
            stack.enter_context(ns.inside())  # every peer and client below lives in the namespace
        world = World(ns, make_certs(tmp / "certs"), tmp)
        for scenario in scenarios:
            if scenario.name.startswith(("dns_", "unreachable_", "hang_dns")) and ns is None:  # would leave loopback
                print(f"{scenario.name} skipped: needs a network namespace", file=sys.stderr)
                continue
            for client in scenario.clients:
                if client not in wanted or client not in clients.versions:
                    continue
                source = f"generated: benchmarks/corpus_faults.py {scenario.name} {client} {clients.versions[client]}"
                if source in known:
                    continue
                started = time.monotonic()
                with scenario.setup(world) as call:
                    text = run_client(client, call, clients, world)
                took = time.monotonic() - started
                if not text:
                    print(f"  {scenario.name} {client}: no failure output ({took:.1f} s)", file=sys.stderr)
                    continue
                cause = scenario.overrides.get(client, scenario.overrides.get("*", scenario.cause))
                provider = ("relay" if "relay" in scenario.name else
                            "anthropic" if client == "anthropic-python" else "openai")
                row = {"text": scrub(text, call.secrets).strip("\n"), "cause": cause, "source": source,
                       "client": client, "provider": provider,
                       "lang": "zh" if re.search("[\u4e00-\u9fff]", text) else "en",
                       "class": f"fault_{layer(cause, scenario.cause)}"}
                print(json.dumps(row, ensure_ascii=False), flush=True)
                print(f"  {scenario.name} {client}: {len(text)} chars ({took:.1f} s)", file=sys.stderr)
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
