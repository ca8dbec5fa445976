"""The five measurements of issue 7, each returning its JSON section and its table rows."""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .llmd import PYTHON, Workdir, base_env, check_times, curl_argv, llmdoctor_argv, run_llmdoctor, verdict_of
from .sdk import SdkProbe, SdkResult
from .timing import Stats, repeat, run_timed
from .world import DELAY_S, PROVIDERS, World, fake_key, traffic, wait_quiet

HEALTHY_RATIO = 1.5
FLOOR_RATIO = 1.0  # llmdoctor's full run vs one plain httpx.get() (issue 18)
TLS_SLACK_MS = 20.0  # the tls check may add one round trip plus this to the critical path (issue 18)
VERDICT_MAX_S = 6.0
STARTUP_RATIO = 2.0
TARGETS_RATIO = 1.5
MEMORY_MB = 80.0
# The floor: the smallest program on the design card's HTTP client that does curl's job. It starts
# Python, imports httpx (without httpx's own CLI, as llmdoctor does) and makes the one GET, with the
# same proxy and trust store from the environment. No diagnosis can take less.
FLOOR_CODE = ("import os, sys, types; sys.modules['httpx._main'] = types.ModuleType('httpx._main'); import httpx; "
              "httpx.get(os.environ['OPENAI_BASE_URL'] + '/models', timeout=30, "
              "headers={'Authorization': 'Bearer ' + os.environ['OPENAI_API_KEY']}).raise_for_status()")
HEAVY_MODULES = ("httpx", "httpcore", "dns", "rich", "socksio", "h11", "anyio")


@dataclass
class Options:
    runs: int = 5
    budget_s: float = 40.0  # per measurement: stop repeating when the next run would overrun it
    cap_s: float = 60.0  # the SDK's cap
    sdk_python: str | None = None
    quick: bool = False
    verdict_args: tuple[str, ...] = ()  # --quick shortens llmdoctor's timeouts (never in a real run)


@dataclass
class Row:
    """One line of the table."""

    label: str
    value: str
    baseline: str
    ratio: str
    target: str
    ok: bool | None  # None: not measured here

    @property
    def result(self) -> str:
        return "n/a" if self.ok is None else ("PASS" if self.ok else "MISS")

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "result": self.result}


@dataclass
class Section:
    data: dict[str, Any] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)


def fmt(seconds: float, capped: bool = False) -> str:
    if seconds != seconds:  # nan
        return "–"
    text = f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"
    return f"≥ {text}" if capped else text


def fmt_stats(stats: Stats) -> str:
    return f"{fmt(stats.median, stats.capped)} ({fmt(stats.min)})"


def _median_checks(reports: Sequence[dict[str, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Per check: median duration over runs, and the statuses seen."""
    names = list(dict.fromkeys(name for r in reports for name in r))
    out = {}
    for name in names:
        times = [r[name]["ms"] for r in reports if name in r and r[name]["ms"] is not None]
        statuses = sorted({str(r[name]["status"]) for r in reports if name in r})
        out[name] = {"median_ms": round(statistics.median(times), 1) if times else None, "statuses": statuses}
    return out


# --- healthy path ------------------------------------------------------------------------------


def healthy(world: World, opts: Options, far: bool = True) -> Section:
    """One healthy target through the authenticated proxy, 50 ms each way: with `far` the proxy is
    50 ms away and the API next to it (the issue's setup: CONNECT, TLS and the request each cost a
    round trip), else the proxy is local and the API 50 ms behind it (Clash on 127.0.0.1:7890)."""
    key = fake_key("sk-proj-")
    url, proxy = (world.near_url, world.far_proxy) if far else (world.healthy_url, world.proxy)
    counted: slice | str = "far" if far else slice(0, 1)
    env = {**base_env(world), "OPENAI_API_KEY": key, "OPENAI_BASE_URL": url, "HTTPS_PROXY": proxy.url}
    curl_env = {"PATH": env["PATH"], "HOME": env["HOME"]}
    work = Workdir("healthy" if far else "healthy-local-proxy")
    curl = curl_argv(url + "/models", world.ca_pem, proxy.curl_url, key)
    if not opts.quick:  # warm-up: page cache, .pyc files, the proxy's first fork
        run_llmdoctor((), env, work)
        run_timed(curl, curl_env, work.path, 30)
    ours, theirs, floor = Stats(), Stats(), Stats()
    rss: list[float] = []
    checks: list[dict[str, dict[str, Any]]] = []
    outcomes: list[dict[str, Any]] = []
    curl_phases: list[str] = []
    floor_errors: list[str] = []

    wire: list[dict[str, Any]] = []
    handshakes: list[float] = []  # the tls check's own handshake time (tls_ms), what it adds to the path

    def once() -> None:
        wait_quiet()
        before = traffic(world, counted)
        run, report = run_llmdoctor((), env, work)
        wire.append(_wire_delta(before, traffic(world, counted)))
        ours.add(run.wall_s)
        ours.capped |= run.killed
        rss.append(run.maxrss_mb)
        checks.append(check_times(report))
        outcomes.append(verdict_of(report, run))
        tls_ms = tls_handshake_ms(report)
        if tls_ms is not None:
            handshakes.append(tls_ms)
        wait_quiet()
        c = run_timed(curl, curl_env, work.path, 30)
        theirs.add(c.wall_s)
        curl_phases.append(c.stdout.strip())
        wait_quiet()
        bare = run_timed([PYTHON, "-c", FLOOR_CODE], env, work.path, 30)
        floor.add(bare.wall_s)
        floor.capped |= bare.killed
        if bare.returncode != 0:
            floor_errors.append((bare.stderr.strip().splitlines() or [f"exit {bare.returncode}"])[-1][:200])

    repeat(once, opts.runs, opts.budget_s)
    ratio = ours.median / theirs.median if theirs.samples else float("nan")
    floor_ratio = floor.median / theirs.median if theirs.samples else float("nan")
    over_floor = ours.median / floor.median if floor.samples else float("nan")
    section = Section({
        "description": "full llmdoctor run vs one curl GET /models, same proxy, " + (
            "the proxy 50 ms away (a relay in front of it)" if far else "a local proxy, the API behind a 50 ms relay"),
        "proxy": world.proxy.kind, "llmdoctor": ours.to_dict(), "curl": theirs.to_dict(),
        "curl_w": curl_phases, "ratio": round(ratio, 2), "target_ratio": HEALTHY_RATIO,
        "pass": ratio <= HEALTHY_RATIO and over_floor <= FLOOR_RATIO, "checks": _median_checks(checks),
        "outcomes": outcomes[:1],
        "httpx_floor": {"command": f"python -c {FLOOR_CODE!r}", "wall": floor.to_dict(),
                        "vs_curl": round(floor_ratio, 2), "llmdoctor_vs_floor": round(over_floor, 2),
                        "errors": floor_errors[:3]},
        "exit_codes": [o["exit_code"] for o in outcomes], "maxrss_mb": rss, "wire": wire[:1],
    })
    where = "the proxy 50 ms away" if far else "a local proxy, the API 50 ms behind it"
    section.rows.append(Row(f"healthy path: 1 target via {proxy.kind} (auth), {where}",
                            fmt_stats(ours), f"curl {fmt_stats(theirs)}", f"{ratio:.2f}×",
                            f"≤ {HEALTHY_RATIO}× curl", ratio <= HEALTHY_RATIO))
    section.rows.append(Row(f"healthy path floor ({where}): one `httpx.get()` of the same URL, same proxy",
                            f"failed: {floor_errors[0]}" if floor_errors else fmt_stats(floor),
                            f"curl {fmt_stats(theirs)}", f"{floor_ratio:.2f}×",
                            f"llmdoctor {over_floor:.2f}× this, target ≤ {FLOOR_RATIO}×", over_floor <= FLOOR_RATIO))
    if handshakes:
        # The tls check releases the API checks when the handshake verified (certificate details and the
        # OS store's verdict follow off the path), so its cost on the critical path is the handshake itself.
        rtt_ms = 2 * DELAY_S * 1000
        tls_median = statistics.median(handshakes)
        section.data["tls_handshake_ms"] = {"median": round(tls_median, 1), "samples": handshakes,
                                            "rtt_ms": rtt_ms}
        section.rows.append(Row(f"healthy path ({where}): the TLS handshake on the critical path",
                                f"{tls_median:.0f} ms", f"1 round trip {rtt_ms:.0f} ms", "",
                                f"≤ 1 RTT + {TLS_SLACK_MS:.0f} ms", tls_median <= rtt_ms + TLS_SLACK_MS))
    if wire:
        first = wire[0]
        section.rows.append(Row(f"healthy path ({where}): on the wire per run",
                                f"{first['connections']} TCP connections to the "
                                f"{'proxy (the tunnels and the port check)' if far else 'API'}, "
                                f"{len(first['requests'])} requests", "curl: 1, 1", "", "no repeats without a reason",
                                None))
    return section


def tls_handshake_ms(report: dict[str, Any] | None) -> float | None:
    """The tls check's `tls_ms` fact of the first target, if it measured one."""
    for target in (report or {}).get("targets", [])[:1]:
        for result in target.get("results", []):
            if result.get("check") == "tls" and isinstance(result.get("facts", {}).get("tls_ms"), (int, float)):
                return float(result["facts"]["tls_ms"])
    return None


def _wire_delta(before: tuple[int, list[str]], after: tuple[int, list[str]]) -> dict[str, Any]:
    """What one run put on the wire: new TCP connections to the target, and its requests."""
    return {"connections": after[0] - before[0], "requests": after[1][len(before[1]):]}


# --- time to verdict ---------------------------------------------------------------------------


@dataclass
class Case:
    id: str
    label: str
    env: dict[str, str]
    args: tuple[str, ...] = ()
    netns: bool = False
    sdk: bool = True  # False: the SDK cannot be put in this situation (no --dns-server)
    note: str = ""


def verdict_cases(world: World) -> list[Case]:
    key = {"OPENAI_API_KEY": fake_key("sk-proj-")}
    cases = [
        Case("blackhole_target", "blackholed target (SYNs dropped)", {**key, "OPENAI_BASE_URL": world.syndrop_url}),
        Case("silent_http_proxy", "silent HTTP proxy", {**key, "OPENAI_BASE_URL": world.healthy_url,
                                                        "HTTPS_PROXY": world.silent_http_proxy}),
        Case("silent_socks_proxy", "silent SOCKS5 proxy", {**key, "OPENAI_BASE_URL": world.healthy_url,
                                                           "HTTPS_PROXY": world.silent_socks_proxy}),
        Case("dns_silent_netns", "DNS never answers (system resolver, netns)",
             {**key, "OPENAI_BASE_URL": "https://api.openai.test/v1"}, netns=True,
             note="private netns whose resolv.conf points at a DNS server that drops every query (glibc defaults)"),
        Case("dns_silent_server", "DNS never answers (--dns-server, --resolve)",
             {**key, "OPENAI_BASE_URL": world.dns_base_url},
             ("--dns-server", world.dns_server, "--resolve", world.dns_resolve), sdk=False,
             note="the SDK has no --dns-server; compare with the netns row"),
        Case("silent_server", "server never sends the first byte",
             {**key, "OPENAI_BASE_URL": world.silent_server_url}),
    ]
    return cases


def time_to_verdict(world: World, opts: Options, sdk_python: str | None, sdk_reason: str) -> Section:
    cases = verdict_cases(world)
    section = Section({"description": "default settings; llmdoctor wall time vs the openai SDK's time to raise",
                       "target_max_s": VERDICT_MAX_S, "sdk_cap_s": opts.cap_s, "cases": {}})
    probes: dict[str, SdkProbe] = {}
    for case in cases:
        if case.netns and world.netns is None:
            continue
        if sdk_python and case.sdk:
            prefix = world.netns.argv([]) if case.netns and world.netns else []
            probes[case.id] = SdkProbe(sdk_python, {**base_env(world), **case.env}, world.home, opts.cap_s, prefix)
    for probe in probes.values():  # imports are CPU-bound: let them finish before timing llmdoctor
        probe.wait_ready()
    for case in cases:
        if case.netns and world.netns is None:
            section.data["cases"][case.id] = {"label": case.label, "skipped": world.netns_reason}
            section.rows.append(Row(f"verdict: {case.label}", "skipped", world.netns_reason, "",
                                    f"≤ {VERDICT_MAX_S:.0f} s", None))
            continue
        section.data["cases"][case.id], row = _verdict_case(world, opts, case)
        section.rows.append(row)
    for case_id, probe in probes.items():
        sdk = probe.result()
        section.data["cases"][case_id]["sdk"] = sdk.to_dict()
        row = next(r for r in section.rows if r.label == f"verdict: {section.data['cases'][case_id]['label']}")
        row.baseline, row.ratio = _sdk_cells(sdk, opts.cap_s, section.data["cases"][case_id]["llmdoctor"]["median_s"])
    for case in cases:
        entry = section.data["cases"].get(case.id, {})
        if "llmdoctor" in entry and "sdk" not in entry:
            reason = case.note if not case.sdk else (sdk_reason or "SDK not run")
            entry["sdk"] = {"skipped": reason}
            row = next(r for r in section.rows if r.label == f"verdict: {case.label}")
            row.baseline = "SDK: see netns row" if not case.sdk else "SDK: not run"
    return section


def _verdict_case(world: World, opts: Options, case: Case) -> tuple[dict[str, Any], Row]:
    env = {**base_env(world), **case.env}
    work = Workdir(case.id)
    prefix = world.netns.argv([]) if case.netns and world.netns else []
    stats = Stats()
    checks: list[dict[str, dict[str, Any]]] = []
    outcomes: list[dict[str, Any]] = []

    def once() -> None:
        run, report = run_llmdoctor((*case.args, *opts.verdict_args), env, work, prefix=prefix)
        stats.add(run.wall_s)
        stats.capped |= run.killed
        checks.append(check_times(report))
        outcomes.append(verdict_of(report, run))

    repeat(once, opts.runs, opts.budget_s)
    worst = max(stats.samples)
    # A broken world that llmdoctor calls healthy measured no verdict at all: not a PASS.
    found = any(o["exit_code"] != 0 for o in outcomes)
    passed = (worst <= VERDICT_MAX_S and not stats.capped) if found else None
    data = {"label": case.label, "note": case.note, "llmdoctor": stats.to_dict(),
            "checks": _median_checks(checks), "outcome": outcomes[0] if outcomes else None,
            "found_problem": found, "pass": passed}
    value = f"{fmt_stats(stats)}, max {fmt(worst, stats.capped)}" + ("" if found else "; no problem reported")
    row = Row(f"verdict: {case.label}", value, "", "", f"≤ {VERDICT_MAX_S:.0f} s (max)", passed)
    return data, row


def _sdk_cells(sdk: SdkResult, cap: float, ours: float) -> tuple[str, str]:
    if sdk.hung:
        return f"SDK ≥ {cap:.0f} s (hangs)", f"≥ {cap / ours:.0f}× faster" if ours else ""
    if sdk.elapsed_s is None:
        return f"SDK: {sdk.outcome}", ""
    return f"SDK {fmt(sdk.elapsed_s)}", f"{sdk.elapsed_s / ours:.1f}× faster" if ours else ""


# --- start-up ----------------------------------------------------------------------------------


def _import_report(args: Sequence[str], env: dict[str, str], work: Workdir) -> dict[str, Any]:
    """`-X importtime`: which top-level packages load, and the heavy ones that should not."""
    run = run_timed([PYTHON, "-X", "importtime", *llmdoctor_argv(*args)[1:]], env, work.path, 30)
    tops: dict[str, int] = {}
    for line in run.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m:
            top = m.group(4).split(".")[0]
            tops[top] = max(tops.get(top, 0), int(m.group(2)))
    heavy = sorted(name for name in HEAVY_MODULES if name in tops)
    biggest = sorted(tops.items(), key=lambda kv: -kv[1])[:8]
    return {"heavy_imported": heavy, "top_imports_ms": {k: round(v / 1000, 1) for k, v in biggest}}


EXPLAIN_TEXT = ('openai.AuthenticationError: Error code: 401 - {"error": {"message": "Incorrect API key provided: '
                'sk-abc*****************xyz. You can find your API key at https://platform.openai.com/account/api-keys.",'
                ' "type": "invalid_request_error", "param": null, "code": "invalid_api_key"}}')
EXPLAIN_AMBIGUOUS = "openai.APIConnectionError: Connection error."


def startup(world: World, opts: Options) -> Section:
    env = base_env(world)
    work = Workdir("startup")
    commands = {"baseline": [PYTHON, "-c", "import click"], "version": llmdoctor_argv("--version"),
                "help": llmdoctor_argv("--help"), "explain": llmdoctor_argv("explain", EXPLAIN_TEXT),
                "explain_ambiguous": llmdoctor_argv("explain", EXPLAIN_AMBIGUOUS)}
    stats = {name: Stats() for name in commands}
    for argv in commands.values():  # warm-up
        run_timed(argv, env, work.path, 30)

    def once() -> None:
        for name, argv in commands.items():
            stats[name].add(run_timed(argv, env, work.path, 30).wall_s)

    repeat(once, max(opts.runs, 10) if not opts.quick else 1, opts.budget_s)
    imports = {name: _import_report(commands[name][3:], env, work) for name in ("version", "help")}
    base = stats["baseline"]
    section = Section({"description": "llmdoctor --version / --help / explain vs python -c 'import click'",
                       **{k: v.to_dict() for k, v in stats.items()}, "imports": imports,
                       "target_ratio": STARTUP_RATIO})
    for name, label in (("version", "llmdoctor --version"), ("help", "llmdoctor --help"),
                        ("explain", "llmdoctor explain <a 401 body>"),
                        ("explain_ambiguous", "llmdoctor explain 'Connection error.'")):
        ratio = stats[name].median / base.median
        section.data[f"ratio_{name}"] = round(ratio, 2)
        section.rows.append(Row(f"start-up: {label}", fmt_stats(stats[name]),
                                f"import click {fmt_stats(base)}", f"{ratio:.2f}×", f"≤ {STARTUP_RATIO:.0f}×",
                                ratio <= STARTUP_RATIO))
    heavy = sorted({m for i in imports.values() for m in i["heavy_imported"]})
    section.rows.append(Row("start-up: heavy imports on --version/--help (-X importtime)",
                            ", ".join(heavy) or "none", "", "", "no httpx, dnspython, rich", not heavy))
    return section


# --- several targets and memory -----------------------------------------------------------------


def several_targets(world: World, opts: Options, healthy_rss: Sequence[float]) -> tuple[Section, Section]:
    common = {**base_env(world), "HTTPS_PROXY": world.proxy.url}
    every = dict(common)
    for pid, (key_var, url_var, prefix, _path) in PROVIDERS.items():
        every[key_var], every[url_var] = fake_key(prefix), world.targets[pid]
    key_var, url_var, prefix, _ = PROVIDERS["openai"]
    one = {**common, key_var: fake_key(prefix), url_var: world.targets["openai"]}
    work = Workdir("targets")
    stats = {"one": Stats(), "eight": Stats()}
    rss: dict[str, list[float]] = {"one": [], "eight": []}
    seen: dict[str, list[Any]] = {"one": [], "eight": []}
    if not opts.quick:
        run_llmdoctor((), every, work)

    wire: dict[str, list[dict[str, Any]]] = {"one": [], "eight": []}

    def measure(name: str, env: dict[str, str]) -> None:
        wait_quiet()
        before = traffic(world, slice(1, None))
        run, report = run_llmdoctor((), env, work)
        delta = _wire_delta(before, traffic(world, slice(1, None)))
        wire[name].append({"connections": delta["connections"], "requests": len(delta["requests"])})
        stats[name].add(run.wall_s)
        stats[name].capped |= run.killed
        rss[name].append(run.maxrss_mb)
        seen[name].append({"targets": len((report or {}).get("targets", [])), **verdict_of(report, run)})

    def both() -> None:
        measure("one", one)
        measure("eight", every)

    repeat(both, opts.runs, opts.budget_s)
    ratio = stats["eight"].median / stats["one"].median
    targets = Section({"description": "8 env-configured providers (each its own server behind its own relay) vs 1",
                       "one": stats["one"].to_dict(), "eight": stats["eight"].to_dict(),
                       "ratio": round(ratio, 2), "target_ratio": TARGETS_RATIO, "pass": ratio <= TARGETS_RATIO,
                       "outcomes": {k: v[:1] for k, v in seen.items()}, "wire": {k: v[:1] for k, v in wire.items()}})
    targets.rows.append(Row("8 targets vs 1 (concurrent)", fmt_stats(stats["eight"]),
                            f"1 target {fmt_stats(stats['one'])}", f"{ratio:.2f}×", f"≤ {TARGETS_RATIO}×",
                            ratio <= TARGETS_RATIO))
    peak = max(healthy_rss or [0.0])
    peak8 = max(rss["eight"] or [0.0])
    memory = Section({"description": "peak RSS (ru_maxrss of the child) of full runs", "healthy_max_mb": peak,
                      "eight_targets_max_mb": peak8, "target_mb": MEMORY_MB, "pass": 0 < peak <= MEMORY_MB})
    memory.rows.append(Row("peak RSS, full run (1 target; 8 targets)", f"{peak:.0f} MB; {peak8:.0f} MB", "", "",
                           f"≤ {MEMORY_MB:.0f} MB", 0 < peak <= MEMORY_MB))
    return targets, memory

