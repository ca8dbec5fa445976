"""Which language the human-readable texts are in: `--lang`, else the POSIX locale variables.

Its own tiny module because the CLI needs it before anything heavy is imported, and every command and
the knowledge base must pick the language the same way.
"""

from __future__ import annotations

from collections.abc import Mapping

LANGS = ("en", "zh")


def detect_lang(env: Mapping[str, str]) -> str:
    """`zh` when the POSIX locale variables ask for Chinese, else `en`.

    Order follows POSIX precedence (LC_ALL, then LC_MESSAGES, then LANG); the first one set wins,
    even if it says English.
    """
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def choose_lang(option: str | None, env: Mapping[str, str]) -> str:
    """The `--lang` option when given, else what the locale asks for."""
    return option if option in LANGS else detect_lang(env)
