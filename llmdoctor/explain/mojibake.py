"""Chinese error messages that arrive garbled, put back into Chinese before the signature table reads them.

A zh-CN Windows writes its socket errors in GBK (code page 936), and programs do not always agree on the
encoding, so users paste the same message in one of these shapes:

- GBK bytes shown as cp1252 / Latin-1 (a console or log viewer in a Western code page):
  "ÓÉÓÚÄ¿±ê¼ÆËã»ú»ý¼«¾Ü¾ø£¬ÎÞ·¨Á¬½Ó¡£" for 由于目标计算机积极拒绝，无法连接。
- GBK bytes as Python 2's escapes in an exception's repr: "error(10013, '\\xd2\\xd4\\xd2\\xbb...')"
  (phuslu/goagent#118 shows one);
- UTF-8 bytes shown as GBK (a UTF-8 program in a cp936 console): "鐢变簬鐩爣璁＄畻鏈..." for 由于目标计算机...;
- Chinese as JSON's or Python's \\u escapes outside a JSON body the parser decodes: "Error: \\u4f59\\u989d\\u4e0d
  \\u8db3" for 余额不足 (a body printed with ensure_ascii and quoted again, a log line, grok2api#68's
  {"error":"API_KEY\\u7f3a\\u5931"} inside a message);
- GBK bytes read as UTF-8 with replacement characters ("�����"): those bytes are gone for good. The WinError
  number next to them still carries the error (`signatures.transport` reads the number in every form).

Each garbled run is replaced by its repair only when the repair decodes cleanly and is Chinese, so a text that is
not garbled comes back unchanged.
"""

from __future__ import annotations

import re

# cp1252 shows GBK's bytes 0x80-0x9f as these, 0xa1-0xfe as Latin-1 letters
_CP1252_HIGH = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_LATIN_RUN = re.compile(f"[\u00a1-\u00ff{_CP1252_HIGH}]{{4,}}")
_ESCAPED_RUN = re.compile(r"(?:\\x[0-9a-fA-F]{2}){4,}")
_UNICODE_RUN = re.compile(r"(?:\\u[0-9a-fA-F]{4}){2,}")
_CJK_RUN = re.compile("[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]{4,}")
_CJK = re.compile("[\u4e00-\u9fff]")


def _chinese(candidate: str) -> bool:
    """At least two Chinese characters, and mostly Chinese: what a zh-CN Windows message is made of."""
    return len(_CJK.findall(candidate)) >= max(2, len(candidate) // 3)


def _from_latin(run: str) -> str | None:
    try:
        raw = run.encode("cp1252")
    except UnicodeEncodeError:
        try:
            raw = run.encode("latin-1")
        except UnicodeEncodeError:
            return None
    try:
        repaired = raw.decode("gbk")
    except UnicodeDecodeError:
        return None
    return repaired if _chinese(repaired) else None


def _from_escapes(run: str) -> str | None:
    raw = bytes.fromhex(run.replace("\\x", ""))
    for codec in ("gbk", "utf-8"):
        try:
            repaired = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        if _chinese(repaired):
            return repaired
    return None


def _from_unicode_escapes(run: str) -> str | None:
    repaired = "".join(chr(int(run[i + 2:i + 6], 16)) for i in range(0, len(run), 6))
    return repaired if _chinese(repaired) else None


def _from_gbk_shown_utf8(run: str) -> str | None:
    """UTF-8 read as GBK: three bytes a character became one and a half GBK characters, so the run's end may hold
    half a character; up to two trailing bytes are dropped. Real Chinese re-encoded as GBK almost never forms valid
    UTF-8 over four characters, so a strict decode is the test."""
    try:
        raw = run.encode("gbk")
    except UnicodeEncodeError:
        return None
    for cut in (0, 1, 2):
        try:
            repaired = raw[:len(raw) - cut].decode("utf-8")
        except UnicodeDecodeError:
            continue
        return repaired if _chinese(repaired) and repaired != run else None
    return None


def repaired(text: str) -> str:
    """The text with every garbled Chinese run decoded; unchanged when nothing is garbled."""
    for pattern, repair in ((_UNICODE_RUN, _from_unicode_escapes), (_ESCAPED_RUN, _from_escapes),
                            (_LATIN_RUN, _from_latin), (_CJK_RUN, _from_gbk_shown_utf8)):
        text = pattern.sub(lambda m, fix=repair: fix(m.group(0)) or m.group(0), text)  # type: ignore[misc]
    return text
