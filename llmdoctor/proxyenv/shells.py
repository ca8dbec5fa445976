"""Fix commands for the user's shell: printed in hints, never run.

The shell comes from the environment snapshot: `SHELL` on Unix and in Git Bash; on Windows,
`PSModulePath` exists in every process (it is a system variable), but only PowerShell adds the
user's `Documents\\...PowerShell\\Modules` entry to it, so that entry tells PowerShell from cmd.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Mapping

from llmdoctor.secrets import with_userinfo

SHELLS = ("bash", "zsh", "fish", "powershell", "cmd")
PASSWORD_PLACEHOLDER = "PASSWORD"


def detect_shell(env: Mapping[str, str]) -> str:
    shell = env.get("SHELL", "").replace("\\", "/").rsplit("/", 1)[-1].lower().removesuffix(".exe")
    if shell in ("bash", "zsh", "fish"):
        return shell
    if shell in ("sh", "dash", "ksh", "ash"):
        return "bash"
    modules = env.get("PSModulePath", "").lower()
    if "documents" in modules and "powershell" in modules:
        return "powershell"
    if env.get("ComSpec") or env.get("COMSPEC"):
        return "cmd"
    if modules:
        return "powershell"
    return "bash"


def placeholder_url(value: str) -> str:
    """The proxy URL with its password replaced by a placeholder the user fills in."""
    try:
        parts = urllib.parse.urlsplit(value)
    except ValueError:
        return value
    if parts.password is None:
        return value
    return with_userinfo(parts, f"{parts.username or ''}:{PASSWORD_PLACEHOLDER}")


def _quote_posix(value: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9_@%+=:,./-]+", value):
        return value
    return "'" + value.replace("'", "'\\''") + "'"


def commands(shell: str, changes: Mapping[str, str | None], persist: bool = False) -> list[str]:
    """Lines that set (value) or unset (None) each variable, for this window or for new windows."""
    lines: list[str] = []
    for name, raw in changes.items():
        value = placeholder_url(raw) if raw is not None else None
        if shell in ("bash", "zsh"):
            rc = "~/.zshrc" if shell == "zsh" else "~/.bashrc"
            if value is None:
                lines.append(f"unset {name}" + (f"   # and delete its line from {rc}" if persist else ""))
            elif persist:
                lines.append(f"echo {_quote_posix(f'export {name}={_quote_posix(value)}')} >> {rc}")
            else:
                lines.append(f"export {name}={_quote_posix(value)}")
        elif shell == "fish":
            if value is None:
                lines.append(f"set -e{'U' if persist else ''} {name}")
            else:
                lines.append(f"set -{'U' if persist else 'g'}x {name} {_quote_posix(value)}")
        elif shell == "powershell":
            if value is None:
                lines.append(f'[Environment]::SetEnvironmentVariable("{name}", $null, "User")' if persist
                             else f"Remove-Item Env:{name}")
            else:
                escaped = value.replace("`", "``").replace('"', '`"').replace("$", "`$")
                lines.append(f'[Environment]::SetEnvironmentVariable("{name}", "{escaped}", "User")' if persist
                             else f'$env:{name} = "{escaped}"')
        elif shell == "cmd":
            if value is None:
                lines.append(f"reg delete HKCU\\Environment /v {name} /f" if persist else f"set {name}=")
            else:
                lines.append(f'setx {name} "{value}"' if persist else f"set {name}={value}")
    return lines


def all_commands(env: Mapping[str, str], changes: Mapping[str, str | None]) -> list[dict[str, object]]:
    """Every shell's commands, the detected shell first: for the facts list and `llmdoctor env`."""
    first = detect_shell(env)
    order = [first, *[s for s in SHELLS if s != first]]
    return [{"shell": s, "this_window": commands(s, changes), "new_windows": commands(s, changes, persist=True)}
            for s in order]


def hint(env: Mapping[str, str], changes: Mapping[str, str | None]) -> str:
    """One short line for a finding's hint: the detected shell's command for this window."""
    shell = detect_shell(env)
    lines = commands(shell, changes)
    if not lines:
        return ""
    label = {"bash": "bash", "zsh": "zsh", "fish": "fish", "powershell": "PowerShell", "cmd": "cmd"}[shell]
    persist = {"powershell": " (for new windows: [Environment]::SetEnvironmentVariable(..., \"User\"))",
               "cmd": " (for new windows: setx)"}.get(shell, "")
    return f"{label}: " + "; ".join(lines) + persist
