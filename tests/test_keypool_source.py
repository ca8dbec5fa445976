"""Reading key files: every shape a pool comes in, and refusals that never quote a key."""

from __future__ import annotations

import hashlib
import io

import pytest

from llmdoctor.keypool.source import MAX_BYTES, SourceError, decode, fingerprint, parse, read_bytes

KEY_A = "sk-proj-" + "Ab1Cd2Ef3Gh4" * 4
KEY_B = "sk-ant-api03-" + "Zy9Xw8Vu7Ts6" * 4
KEY_C = "sk-" + "Qq1Ww2Ee3Rr4" * 4


def keys_of(text: str, **kwargs: object) -> list[tuple[str, str, list[int]]]:
    pool = parse(text, "keys.txt", **kwargs)  # type: ignore[arg-type]
    return [(e.secret.reveal(), e.name, e.lines) for e in pool.entries]


def test_plain_lines_skip_blanks_and_comments_and_audit_a_duplicate_once() -> None:
    text = f"# my pool\n\n{KEY_A}\n   # indented comment\n{KEY_B}\n{KEY_A}\n\n"
    pool = parse(text, "keys.txt")
    assert [(e.secret.reveal(), e.lines) for e in pool.entries] == [(KEY_A, [3, 6]), (KEY_B, [5])]
    assert pool.duplicate_lines == 1
    assert pool.format == "lines"


def test_name_equals_key_lines_dotenv_style() -> None:
    text = f'OPENAI_KEY_1={KEY_A}\nexport backup = "{KEY_B}"\nteam.c={KEY_C}  # comment\n'
    assert keys_of(text) == [(KEY_A, "OPENAI_KEY_1", [1]), (KEY_B, "backup", [2]), (KEY_C, "team.c", [3])]


def test_bom_crlf_and_utf16_are_read_like_plain_utf8() -> None:
    raw = f"{KEY_A}\r\n{KEY_B}\r\n".encode()
    assert keys_of(decode(b"\xef\xbb\xbf" + raw, "k")) == [(KEY_A, "", [1]), (KEY_B, "", [2])]
    # PowerShell's `echo $k > keys.txt` writes UTF-16LE with a BOM
    assert keys_of(decode(f"{KEY_A}\r\n".encode("utf-16"), "k")) == [(KEY_A, "", [1])]
    pool = parse(decode(raw, "k"), "k")
    assert all(not e.notes for e in pool.entries)  # a CRLF line end is not whitespace around the key


def test_whitespace_quotes_and_bearer_are_removed_and_reported() -> None:
    pool = parse(f"  {KEY_A}\t\n'{KEY_B}'\nBearer {KEY_C}\n", "k")
    assert [e.secret.reveal() for e in pool.entries] == [KEY_A, KEY_B, KEY_C]
    codes = [[n.code for n in e.notes] for e in pool.entries]
    assert codes == [["config.key_whitespace"]] * 3
    assert "whitespace" in pool.entries[0].notes[0].message
    inner = parse("sk-abc def0123456789xyz\n", "k").entries[0]
    assert "inside" in inner.notes[0].message


def test_csv_with_a_named_or_detected_column() -> None:
    text = f"label,api_key,owner\nprod,{KEY_A},ops\nstaging,{KEY_B},dev\n"
    assert keys_of(text) == [(KEY_A, "prod", [2]), (KEY_B, "staging", [3])]
    text = f"who;secret_value\nx;{KEY_A}\n"
    assert keys_of(text, column="secret_value") == [(KEY_A, "", [2])]
    assert keys_of(f"a\tb\n1\t{KEY_C}\n", column="2") == [(KEY_C, "", [2])]


def test_csv_without_a_key_column_asks_for_column_and_lists_headers_not_values() -> None:
    with pytest.raises(SourceError, match="--column") as info:
        parse(f"who,what\nx,{KEY_A}\n", "pool.csv")
    assert KEY_A not in str(info.value) and "'what'" in str(info.value)
    with pytest.raises(SourceError, match="no key column 'nope'"):
        parse(f"key\n{KEY_A}\n", "pool.csv", column="nope")


def test_json_list_objects_and_mapping() -> None:
    assert keys_of(f'["{KEY_A}", "{KEY_B}"]') == [(KEY_A, "", [1]), (KEY_B, "", [2])]
    assert keys_of(f'[{{"name": "a", "key": "{KEY_A}"}}, {{"name": "b", "token": "{KEY_B}"}}]') == \
        [(KEY_A, "a", [1]), (KEY_B, "b", [2])]
    assert keys_of(f'{{"prod": "{KEY_A}", "dev": "{KEY_C}"}}') == [(KEY_A, "prod", [1]), (KEY_C, "dev", [2])]
    assert keys_of(f'{{"keys": [{{"k": "{KEY_A}"}}]}}', column="k") == [(KEY_A, "", [1])]


def test_bad_json_is_one_line_without_the_key() -> None:
    with pytest.raises(SourceError, match="not valid JSON") as info:
        parse(f'["{KEY_A}",', "k.json")
    assert KEY_A not in str(info.value)


def test_binary_and_huge_inputs_are_refused() -> None:
    with pytest.raises(SourceError, match="binary"):
        decode(b"\x7fELF\x02\x01\x01\x00\x00\x00", "a.out")
    with pytest.raises(SourceError, match="not UTF-8"):
        decode(b"\xff\xd8\xff\xe0 JFIF", "photo.jpg")
    with pytest.raises(SourceError, match="larger than 8 MB"):
        read_bytes(io.BytesIO(b"k" * (MAX_BYTES + 1)), "big.txt")


def test_no_keys_and_column_on_plain_lines_are_usage_errors() -> None:
    with pytest.raises(SourceError, match="no keys found"):
        parse("# only comments\n\n", "k")
    with pytest.raises(SourceError, match="--column applies to CSV or JSON"):
        parse(f"{KEY_A}\n", "k", column="key")


def test_fingerprint_is_the_first_12_hex_digits_of_sha256() -> None:
    assert fingerprint(KEY_A) == hashlib.sha256(KEY_A.encode()).hexdigest()[:12]
    entry = parse(f"{KEY_A}\n", "k").entries[0]
    assert entry.fingerprint == fingerprint(KEY_A)
    assert KEY_A not in repr(entry)  # the key is a Secret from the moment it is read


def test_trailing_comments_and_base64_padding() -> None:
    text = f"{KEY_A}   # team A\nprod={KEY_B}\t# rotated in May\nc='{KEY_C}' # quoted\ndGVzdGtleTEyMw==\n"
    assert keys_of(text) == [(KEY_A, "", [1]), (KEY_B, "prod", [2]), (KEY_C, "c", [3]), ("dGVzdGtleTEyMw==", "", [4])]
    assert all(not e.notes for e in parse(text, "k").entries)  # .env quoting is not a mistake
    pool = parse(f"{KEY_A}   # team A\n", "k")
    assert pool.entries[0].notes == []  # the spaces before a comment separate it; they are not the key's
