"""Combines the pieces: variables, per-client decisions, OS settings, local listeners, SDK stacks.

`observe()` does the (small, bounded) I/O: it reads the OS settings, scans 127.0.0.1 and reads
package metadata. `analyse()` is pure: the same observations always give the same findings.
"""

from __future__ import annotations

import functools
import ipaddress
import urllib.parse
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from llmdoctor.model import Finding, Status
from llmdoctor.net.proxies import urllib_proxies
from llmdoctor.proxyenv import clients, names, noproxy, ports, sdks, shells, variables
from llmdoctor.proxyenv.runtimes import Runtime
from llmdoctor.proxyenv.stack import Installed, PythonStack
from llmdoctor.proxyenv.system import SystemProxyReader, SystemProxySettings
from llmdoctor.runmemo import RunMemo
from llmdoctor.secrets import redact_url
from llmdoctor.urls import is_local_host

CAUSE = variables.CAUSE
PYTHON_SIDE = ("httpx", "httpx2", "requests", "curl")
LOCAL_VIA_PROXY = "env.local_via_proxy"


@dataclass(frozen=True)
class Observations:
    """Everything read from the machine; tests build this by hand."""

    system: SystemProxySettings
    listeners: tuple[ports.Listener, ...] = ()
    open_ports: Mapping[int, bool] = field(default_factory=dict)  # loopback proxy ports the settings name
    sdks: tuple[sdks.SdkStack, ...] = ()
    socksio: bool = True  # importable in this interpreter
    scanned: bool = True
    pythons: tuple[PythonStack, ...] = ()  # the user's interpreter(s), the first one described per client
    curl: tuple[int, ...] | None = None  # `curl --version`; None: no curl (its rules then default to 8.0)
    runtimes: tuple[Runtime, ...] = ()  # node, bun, go on PATH

    def python(self) -> PythonStack:
        """The interpreter the per-client rows describe (legacy observations: llmdoctor's own)."""
        if self.pythons:
            return self.pythons[0]
        packages: dict[str, str | None] = {"httpx": "0.28"}
        if any(s.stack == "httpx2" for s in self.sdks):
            packages["httpx2"] = next(s.stack_version for s in self.sdks if s.stack == "httpx2")
        socks = self.socksio and all(s.socksio for s in self.sdks)
        return PythonStack("python", "?", packages, {"socksio": socks}, "llmdoctor")


@dataclass(frozen=True)
class TargetDecision:
    name: str
    url: str
    decisions: tuple[clients.ClientDecision, ...]

    @property
    def httpx(self) -> clients.ClientDecision:
        return self.decisions[0]

    def to_dict(self) -> dict[str, object]:
        return {"target": self.name, "url": self.url, "clients": [d.to_dict() for d in self.decisions]}


@dataclass(frozen=True)
class Analysis:
    variables: Mapping[str, str]  # redacted
    targets: tuple[TargetDecision, ...]
    observations: Observations
    shell: str
    findings: tuple[Finding, ...]
    fix: Mapping[str, str | None]  # the variable changes the hints suggest
    fix_commands: tuple[dict[str, object], ...]

    @property
    def status(self) -> Status:
        worst = Status.PASS
        for f in self.findings:
            if f.severity.severity > worst.severity:
                worst = f.severity
        return worst

    def facts(self) -> dict[str, object]:
        obs = self.observations
        return {
            "variables": dict(self.variables),
            "targets": [t.to_dict() for t in self.targets],
            "system": obs.system.to_dict(),
            "listeners": [listener.to_dict() for listener in obs.listeners],
            "scanned": obs.scanned,
            "sdks": [s.to_dict() for s in obs.sdks],
            "socksio": obs.socksio,
            "pythons": [p.to_dict() for p in obs.pythons],
            "curl": ".".join(map(str, obs.curl)) if obs.curl else None,
            "runtimes": [r.to_dict() for r in obs.runtimes],
            "shell": self.shell,
            "fix_commands": list(self.fix_commands),
        }


def _proxy_endpoint(url: str) -> tuple[str, int] | None:
    """(host, port) of a proxy URL on loopback, else None."""
    try:
        parts = urllib.parse.urlsplit(url if "://" in url else f"http://{url}")
        host, port = (parts.hostname or "").lower(), parts.port
    except ValueError:
        return None
    if port is None:
        port = {"http": 80, "https": 443}.get(parts.scheme.lower(), 1080)
    if host == "localhost":
        return host, port
    try:
        if ipaddress.ip_address(host).is_loopback:
            return host, port
    except ValueError:
        return None
    return None


def loopback_proxy_ports(env: Mapping[str, str], system: SystemProxySettings) -> set[int]:
    """The loopback ports that the configured proxies (env or OS) point to: checked with `ports.is_listening`."""
    found: set[int] = set()
    values = [v for n, v in variables.present(env).items() if n.lower() != "no_proxy" and v]
    values += list(system.python_proxies.values())
    for value in values:
        endpoint = _proxy_endpoint(value.strip())
        if endpoint:
            found.add(endpoint[1])
    return found


def observe(env: Mapping[str, str], reader: SystemProxyReader, scan_ports: Iterable[int] | None = ports.DEFAULT_PORTS,
            sdk_paths: Sequence[str] | None = None, timeout: float = 0.3,
            pythons: Sequence[PythonStack] | Callable[[], Sequence[PythonStack]] | None = None,
            memo: RunMemo | None = None) -> Observations:
    """Reads the machine: OS proxy settings, 127.0.0.1 listeners (None: no scan), SDK stacks, curl.

    `pythons` (from `llmdoctor.interpreter.describe`, or a function returning them) are the user's
    interpreters; the SDK stacks and socksio are then theirs, not llmdoctor's. The subprocesses
    (`node --version`, `curl --version`, the interpreter probe) run while the OS and ports are read.
    With the run's `memo`, the OS settings and the proxy ports' state are read once per run, however
    many callers observe (the proxy-env check of each target, the report's client table).
    """
    once = memo.once if memo is not None else (lambda _key, compute: compute())
    from concurrent.futures import ThreadPoolExecutor

    from llmdoctor.proxyenv import runtimes
    from llmdoctor.proxyenv.stack import curl_version

    with ThreadPoolExecutor(3, thread_name_prefix="llmdoctor-observe") as pool:
        found_f = pool.submit(runtimes.detect)
        curl_f = pool.submit(curl_version)
        pythons_f = pool.submit(pythons) if callable(pythons) else None
        try:
            system = once(("system-proxy", type(reader)), reader.read)
        except Exception as exc:  # a reader must never stop the analysis
            system = SystemProxySettings("other", notes=(f"reading the system proxy failed: {type(exc).__name__}",))
        listeners = tuple(ports.scan(scan_ports, timeout)) if scan_ports is not None else ()
        open_ports = {p: once(("listening", p), functools.partial(ports.is_listening, p, timeout))
                      for p in sorted(loopback_proxy_ports(env, system))}
        found, curl = found_f.result(), curl_f.result()
        if pythons_f is not None:
            pythons = pythons_f.result()
    assert not callable(pythons)
    if pythons:
        first = pythons[0]
        return Observations(system, listeners, open_ports, tuple(sdks.from_python(first)), first.socksio,
                            scan_ports is not None, tuple(pythons), curl, found)
    return Observations(system, listeners, open_ports, tuple(sdks.installed(sdk_paths)), sdks.socksio_available(None),
                        scan_ports is not None, (), curl, found)


def _env_proxy_set(env: Mapping[str, str]) -> bool:
    info = urllib_proxies(env)
    return any(k in info for k in ("http", "https", "all"))


def _no_proxy_with_local(env: Mapping[str, str]) -> tuple[str, str]:
    name = "no_proxy" if env.get("no_proxy") else "NO_PROXY"
    current = [e.strip() for e in env.get(name, "").split(",") if e.strip()]
    for local in ("localhost", "127.0.0.1", "::1"):
        if local not in current:
            current.append(local)
    return name, ",".join(current)


def _target_findings(env: Mapping[str, str], target: TargetDecision, obs: Observations,
                     fix: dict[str, str | None]) -> list[Finding]:
    found: list[Finding] = []
    hx = target.httpx
    host = noproxy.split_host(target.url)[0]
    local = bool(host) and is_local_host(host)
    if hx.problem and hx.source.startswith("system:"):
        found.append(Finding(CAUSE, f"the system proxy gives Python {hx.proxy} for {target.url}: {hx.problem}",
                             "Set HTTPS_PROXY/HTTP_PROXY to an http:// or socks5h:// URL: variables take priority "
                             "over the system setting.", Status.FAIL, 0.85))
    if hx.proxy_url and local:
        name, value = _no_proxy_with_local(env)
        fix[name] = value
        loop = _proxy_endpoint(hx.proxy_url) is not None
        why = "httpx ignores the system bypass list" if hx.source.startswith("system:") else f"{name} does not list it"
        message = f"the request to the local gateway {host} ({target.name}) goes to the proxy {hx.proxy}: {why}"
        found.append(Finding(LOCAL_VIA_PROXY, message, f"Add it to NO_PROXY — {shells.hint(env, {name: value})}",
                             Status.WARN if loop else Status.FAIL, 0.75, {"proxy": hx.proxy}))
    broken = [d for d in target.decisions if d.problem and d.source.lower().endswith("no_proxy")]
    for d in broken:
        entry = d.problem.split("entry ", 1)[1].split(" ", 1)[0] if d.problem and "entry " in d.problem else "?"
        bare = entry.strip("'").strip("[]").rsplit("]:", 1)[0]
        # FAIL when the SDKs described run on httpx 0.28 (or none is known); WARN when they all run on httpx2
        on_httpx2 = bool(obs.sdks) and all(x.stack == "httpx2" for x in obs.sdks)
        found.append(Finding(CAUSE, f"{d.client} {d.version or ''}: {d.problem} — every SDK on it (openai < 3, "
                                    "anthropic < 2) fails before sending anything".replace("  ", " "),
                             f"Write IPv6 NO_PROXY entries without brackets or port (e.g. {bare or '::1'}), or "
                             "upgrade to openai >= 3 / anthropic >= 2 (httpx2 skips such entries).",
                             Status.WARN if on_httpx2 else Status.FAIL, 0.9, {"client": d.client}))
    configured = _env_proxy_set(env)
    if hx.bypass and configured and not local:
        found.append(Finding("env.proxy_bypassed", f"NO_PROXY entry {hx.bypass!r} sends {host} direct although a "
                                                   "proxy is configured", f"Remove {hx.bypass!r} from NO_PROXY if "
                                                   f"{host} is only reachable through the proxy.", Status.WARN, 0.6,
                             {"entry": hx.bypass}))
    python_side = [d for d in target.decisions if d.client in PYTHON_SIDE]
    via = {d.client: bool(d.proxy_url) for d in python_side}
    skipped = {d.client: d.bypass for d in python_side if d.bypass}
    if skipped and len(set(via.values())) > 1 and not local:
        detail = "; ".join(f"{d.client}: {d.describe()}" for d in python_side)
        found.append(Finding(CAUSE, f"the clients read NO_PROXY differently for {host}: {detail}",
                             "Use plain host names in NO_PROXY (example.com, no '*', no CIDR) so every client agrees.",
                             Status.WARN, 0.4))
    return found


def _socks_findings(targets: Sequence[TargetDecision], obs: Observations) -> list[Finding]:
    socks = [t for t in targets if t.httpx.proxy_url and clients.proxy_scheme(t.httpx.proxy_url).startswith("socks")]
    if not socks:
        return []
    py = obs.python()
    missing = [f"{s.sdk} ({s.stack})" for s in obs.sdks if not s.socksio]
    if not py.socksio and not missing:
        missing = ["httpx"]
    if not missing:
        return []
    where = py.label if obs.pythons else "this Python"
    command = ("pip install socksio (or pip install 'httpx[socks]') in the same environment as your code"
               if not obs.pythons else f"{interpreter_install(py, 'socksio')}  (the interpreter your code runs in)")
    return [Finding("env.socks_dependency_missing",
                    f"a SOCKS proxy ({socks[0].httpx.proxy}) is configured but 'socksio' is not importable for "
                    f"{', '.join(missing)} in {where}: the client raises ImportError before sending anything",
                    command[0].upper() + command[1:] + ".", Status.FAIL, 0.9, {"python": py.executable})]


def runtime_decisions(url: str, env: Mapping[str, str],
                      found: Sequence[Runtime]) -> tuple[clients.ClientDecision, ...]:
    """Rows for Node.js and Bun when installed, and Go and Rust (compiled programs need no toolchain)."""
    from llmdoctor.proxyenv import native_rules, node_rules

    rows: list[clients.ClientDecision] = []
    by_name = {r.name: r for r in found}
    if "node" in by_name:
        rows += node_rules.node_decisions(url, env, by_name["node"].version)
    if "bun" in by_name:
        rows += node_rules.bun_decisions(url, env, by_name["bun"].version)
    go = by_name.get("go")
    rows.append(native_rules.go_decision(url, env, go.version_text if go else None))
    rows.append(native_rules.reqwest_decision(url, env))
    return tuple(rows)


def _runtime_findings(env: Mapping[str, str], obs: Observations, fix: dict[str, str | None]) -> list[Finding]:
    """Node's findings (all WARN: loud in the message, not a failed run); their variable changes join
    the fix commands, written for the detected shell."""
    from llmdoctor.proxyenv import node_rules

    node = next((r.version for r in obs.runtimes if r.name == "node"), None)
    found: list[Finding] = []
    for code, message, hint in node_rules.findings(env, node):
        changes = node_rules.fix_changes(code, env, node)
        fix.update(changes)
        shell_hint = shells.hint(env, changes) if changes else ""
        found.append(Finding(code, message, f"{hint} — {shell_hint}" if shell_hint else hint, Status.WARN, 0.6))
    return found


def interpreter_install(py: PythonStack, requirement: str) -> str:
    from llmdoctor.interpreter import install_command

    return install_command(py, requirement)


def _listening_findings(env: Mapping[str, str], targets: Sequence[TargetDecision], obs: Observations) -> list[Finding]:
    found: list[Finding] = []
    seen: set[int] = set()
    for t in targets:
        endpoint = _proxy_endpoint(t.httpx.proxy_url or "")
        if t.httpx.problem or not endpoint or endpoint[1] in seen or obs.open_ports.get(endpoint[1], True):
            continue
        seen.add(endpoint[1])
        sysinfo = obs.system
        message = f"the proxy {t.httpx.proxy} ({t.httpx.source}) is not listening: nothing accepts connections on " \
                  f"{endpoint[0]}:{endpoint[1]}"
        hint = _start_or_unset(env, t.httpx.source, endpoint)
        if sysinfo.wsl == 2 and not sysinfo.wsl_mirrored:
            host = sysinfo.wsl_host or "the Windows host's address (ip route show default)"
            message += "; inside WSL 2, 127.0.0.1 is the Linux VM, not Windows"
            hint = (f"Point the variable at the Windows host, {host}:{endpoint[1]}, and enable \"Allow LAN\" in the "
                    "proxy app — or set networkingMode=mirrored in .wslconfig.")
        found.append(Finding("env.proxy_not_listening", message, hint, Status.FAIL, 0.85,
                             {"port": endpoint[1], "wsl": sysinfo.wsl, "proxy": t.httpx.proxy}))
    return found


def _start_or_unset(env: Mapping[str, str], source: str, endpoint: tuple[str, int]) -> str:
    """The fix with the user's own values: the address the proxy app must listen on, the variable that names it,
    and the command that unsets it (in both cases of its name, as both are read) for a direct connection."""
    where = f"{endpoint[0]}:{endpoint[1]}"
    name = source.split(":", 1)[1] if source.startswith("env:") else ""
    names = sorted({k for k in env if k.lower() == name.lower()}) if name else []
    if not names:
        return f"Start the proxy app so that it listens on {where}, or change the proxy setting to where it listens."
    return (f"Start the proxy app so that it listens on {where}; for a direct connection, unset {name} — "
            f"{shells.hint(env, {n: None for n in names})}")


def _system_findings(env: Mapping[str, str], obs: Observations, targets: Sequence[TargetDecision],
                     fix: dict[str, str | None]) -> list[Finding]:
    found: list[Finding] = []
    sysinfo = obs.system
    env_set = bool(urllib_proxies(env))
    warn = Status.WARN
    remote = any(not is_local_host(noproxy.split_host(t.url)[0]) for t in targets)
    if not env_set and remote:
        if sysinfo.pac_url and not sysinfo.python_proxies:
            found.append(Finding("env.system_proxy_ignored",
                                 f"the system proxy is a PAC script ({redact_url(sysinfo.pac_url)}); Python, httpx, "
                                 "the SDKs and curl ignore PAC and connect directly",
                                 "Set HTTPS_PROXY to the proxy the PAC file returns (e.g. http://127.0.0.1:7890).",
                                 warn, 0.6))
        elif sysinfo.servers and not sysinfo.python_proxies:
            where = {"linux": "GNOME's proxy settings (gsettings)", "macos": "the macOS SOCKS proxy"}.get(
                sysinfo.platform, "the system proxy")
            first = next(iter(sysinfo.servers.values()))
            scheme = "socks5h" if "socks" in sysinfo.servers and len(sysinfo.servers) == 1 else "http"
            url = f"{scheme}://{first}"
            fix.setdefault("HTTPS_PROXY", url)
            found.append(Finding("env.system_proxy_ignored",
                                 f"{where} set a proxy ({first}) that Python, httpx, the SDKs and curl do not read",
                                 shells.hint(env, {"HTTPS_PROXY": url}), warn, 0.6))
    windows = sysinfo.platform == "windows"
    known = {k.upper() for k in env} if windows else set(env)  # Windows variable names ignore case
    for name, value in sysinfo.persisted_env.items():
        if (name.upper() if windows else name) not in known and value and "proxy" in name.lower():
            where = "for your user (setx / System Properties)" if windows else "in /etc/environment"
            found.append(Finding("env.proxy_not_configured",
                                 f"{name} is saved {where} but is not set in this process: it applies only to "
                                 "programs started after it was saved",
                                 "Open a new terminal (on Linux: log out and in), or set it in this window too.",
                                 warn, 0.5, {"name": name}))
    configured = env_set or bool(sysinfo.python_proxies)
    if obs.listeners and not configured and remote:
        best = obs.listeners[0]
        fix.setdefault("HTTPS_PROXY", best.suggested_url)
        fix.setdefault("HTTP_PROXY", best.suggested_url)
        listed = ", ".join(f"{ports.LOOPBACK}:{x.port} ({x.label}, {x.kind})" for x in obs.listeners)
        found.append(Finding("env.proxy_not_configured",
                             f"a proxy is listening on {listed}, but no variable points to it: requests go direct",
                             "If the API is only reachable through it: "
                             + shells.hint(env, {"HTTPS_PROXY": best.suggested_url}), warn, 0.4,
                             {"listeners": [x.to_dict() for x in obs.listeners]}))
    return found


def analyse(env: Mapping[str, str], urls: Sequence[tuple[str, str]], obs: Observations,
            dotenv: Mapping[str, str] | None = None, curl_version: tuple[int, ...] | None = None,
            runtime_findings: bool = False) -> Analysis:
    """Pure analysis of the snapshot for the given (name, URL) targets.

    Rows for Node, Bun, Go and Rust are always computed; their findings (Node ignoring the proxy
    variables, NODE_TLS_REJECT_UNAUTHORIZED=0) only with `runtime_findings` (`llmdoctor env`): the
    checks diagnose the Python SDK call and must not fail it for another runtime.
    """
    targets: list[TargetDecision] = []
    installed = Installed(obs.python(), obs.curl or (curl_version if not obs.pythons else None))
    for name, url in urls:
        rows = clients.decisions(url, env, obs.system, installed) + runtime_decisions(url, env, obs.runtimes)
        targets.append(TargetDecision(name, url, rows))
    fix: dict[str, str | None] = {}
    found: list[Finding] = []
    found += variables.all_findings(env)
    found += names.misspelled(env.keys(), env)
    if dotenv:
        found += names.misspelled(dotenv.keys(), dotenv, ".env file")
    found += sdks.findings(obs.sdks)
    found += _socks_findings(targets, obs)
    found += _listening_findings(env, targets, obs)
    for target in targets:
        found += _target_findings(env, target, obs, fix)
    found += _system_findings(env, obs, targets, fix)
    if runtime_findings:
        found += _runtime_findings(env, obs, fix)
    unique: dict[tuple[str, str], Finding] = {}
    for finding in found:
        unique.setdefault((finding.code, finding.message), finding)
    ordered = tuple(sorted(unique.values(), key=lambda f: -f.severity.severity))
    return Analysis(
        variables={k: variables.shown(v) for k, v in variables.present(env).items()},
        targets=tuple(targets),
        observations=obs,
        shell=shells.detect_shell(env),
        findings=ordered,
        fix=fix,
        fix_commands=tuple(shells.all_commands(env, fix)) if fix else (),
    )
