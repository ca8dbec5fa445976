"""Which HTTP stack each installed SDK is built on, read from package metadata (the SDKs are never imported).

openai >= 3 and anthropic >= 2 require `httpx2` (with httpcore2 and truststore); older majors
require `httpx`. SOCKS proxies need `socksio` importable next to that stack. The SDKs created
their httpx client with `proxies=` until openai 1.55.3 and anthropic 0.40.0 (both released
2024-11-28, "compat with new httpx 0.28.0 release"), and httpx 0.28 removed that argument:
older SDKs raise `TypeError: Client.__init__() got an unexpected keyword argument 'proxies'`.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Sequence
from dataclasses import dataclass

from llmdoctor import distinfo
from llmdoctor.model import Finding, Status
from llmdoctor.proxyenv.stack import PythonStack, parse_version

SDKS = ("openai", "anthropic")
PROXIES_FIXED = {"openai": (1, 55, 3), "anthropic": (0, 40, 0)}
HTTPX_WITHOUT_PROXIES = (0, 28, 0)
CAUSE = "env.sdk_incompatible"


@dataclass(frozen=True)
class SdkStack:
    """One installed SDK and the HTTP library it runs on."""

    sdk: str
    version: str
    stack: str  # "httpx" or "httpx2"
    stack_version: str | None  # None: the required library is not installed
    core: str  # "httpcore" or "httpcore2"
    core_version: str | None
    socksio: bool
    python: str | None = None  # the interpreter it is installed in (None: llmdoctor's own)

    def to_dict(self) -> dict[str, object]:
        return {"sdk": self.sdk, "version": self.version, "stack": self.stack, "stack_version": self.stack_version,
                "core": self.core, "core_version": self.core_version, "socksio": self.socksio,
                "python": self.python}


def _version(name: str, paths: Sequence[str] | None) -> str | None:
    return distinfo.version(name, paths)


def stack_of(requires: Sequence[str]) -> str:
    """`httpx2` when a non-extra requirement names it, else `httpx`."""
    for line in requires:
        requirement, _, marker = line.partition(";")
        name = re.split(r"[\s<>=!~\[(]", requirement.strip(), maxsplit=1)[0].lower()
        if "extra" in marker:
            continue
        if name in ("httpx2", "httpx"):
            return name
    return "httpx"


def socksio_available(paths: Sequence[str] | None) -> bool:
    if paths is None:
        try:
            return importlib.util.find_spec("socksio") is not None
        except (ImportError, ValueError):
            return False
    return distinfo.find("socksio", paths) is not None


def installed(paths: Sequence[str] | None = None) -> list[SdkStack]:
    """Every installed SDK's stack; `paths` (site-packages folders) inspects another environment."""
    stacks: list[SdkStack] = []
    socks = socksio_available(paths)
    for sdk in SDKS:
        dist = distinfo.find(sdk, paths)
        version = distinfo.field(dist, "Version") if dist is not None else None
        if dist is None or version is None:
            continue
        stack = stack_of(distinfo.requires(dist))
        core = "httpcore2" if stack == "httpx2" else "httpcore"
        stacks.append(SdkStack(sdk, version, stack, _version(stack, paths), core, _version(core, paths), socks))
    return stacks


def from_python(py: PythonStack) -> list[SdkStack]:
    """The SDK stacks of another interpreter, from the probe's versions: openai >= 3 and anthropic >= 2 need httpx2."""
    stacks: list[SdkStack] = []
    for sdk, major in (("openai", 3), ("anthropic", 2)):
        version = py.packages.get(sdk)
        if version is None:
            continue
        stack = "httpx2" if parse_version(version)[:1] >= (major,) else "httpx"
        core = "httpcore2" if stack == "httpx2" else "httpcore"
        stacks.append(SdkStack(sdk, version, stack, py.packages.get(stack), core, py.packages.get(core), py.socksio,
                               py.executable))
    return stacks


def findings(stacks: Sequence[SdkStack]) -> list[Finding]:
    found: list[Finding] = []
    for s in stacks:
        where = f" (in {s.python})" if s.python else ""
        pip = f"{s.python} -m pip" if s.python else "pip"
        if s.stack_version is None:
            found.append(Finding(CAUSE, f"{s.sdk} {s.version} needs {s.stack}, which is not installed{where}",
                                 f"{pip} install --force-reinstall {s.sdk}=={s.version}", Status.FAIL, 0.9,
                                 s.to_dict()))
            continue
        fixed = PROXIES_FIXED[s.sdk]
        if (s.stack == "httpx" and parse_version(s.version) < fixed
                and parse_version(s.stack_version) >= HTTPX_WITHOUT_PROXIES):
            fixed_text = ".".join(map(str, fixed))
            found.append(Finding(
                CAUSE, f"{s.sdk} {s.version}{where} passes proxies= to httpx, which httpx {s.stack_version} removed: "
                       "every client raises TypeError: Client.__init__() got an unexpected keyword argument 'proxies'",
                f"{pip} install -U '{s.sdk}>={fixed_text}' (or pin 'httpx<0.28').", Status.FAIL, 0.95, s.to_dict()))
    return found
