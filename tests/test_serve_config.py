"""What `llmdoctor serve` may probe (targets from the environment, .env or a TOML file) and how a
request's timeout becomes the probe's deadline."""

from __future__ import annotations

from pathlib import Path

import pytest
from serve_world import write_config

from llmdoctor.config import ConfigError
from llmdoctor.serve import params, targets

KNOWN = ("openai", "relay-a")


@pytest.mark.parametrize("query, header, expected", [
    ("target=openai", None, params.DEFAULT_TIMEOUT),
    ("target=openai", "10", 9.5),  # blackbox_exporter: the scrape timeout less a 0.5 s offset
    ("target=openai", "0.6", 0.3),  # shorter than twice the offset: half of it
    ("target=openai&timeout=3", "10", 3.0),  # ?timeout= may shorten the scrape's deadline
    ("target=openai&timeout=30", "10", 9.5),  # ... never lengthen it
    ("target=openai&timeout=2.5", None, 2.5),
    ("target=openai&timeout=1000", None, params.MAX_TIMEOUT),  # capped
    ("target=openai", "1000", params.MAX_TIMEOUT),
    ("target=openai&timeout=0.001", None, params.MIN_TIMEOUT),
    ("target=relay-a", "  ", params.DEFAULT_TIMEOUT),  # an empty header names no timeout
])
def test_the_probe_deadline(query: str, header: str | None, expected: float) -> None:
    request = params.parse(query, header, KNOWN)
    assert request.timeout_s == pytest.approx(expected)


def test_the_cap_is_the_servers() -> None:
    assert params.parse("target=openai&timeout=50", None, KNOWN, max_timeout=5).timeout_s == 5


@pytest.mark.parametrize("query, header", [
    ("", None), ("target=x", None), ("target=openai&key=sk-1", None), ("target=openai&timeout=0", None),
    ("target=openai", "-3"), ("target=openai", "1e999"), ("target=openai&timeout=1&timeout=2", None),
])
def test_bad_requests(query: str, header: str | None) -> None:
    with pytest.raises(params.BadRequest) as caught:
        params.parse(query, header, KNOWN)
    assert "\n" not in str(caught.value)
    assert "sk-1" not in str(caught.value)


# --- targets ------------------------------------------------------------------------------------


def test_without_a_file_the_targets_are_what_a_run_would_diagnose(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("ANTHROPIC_API_KEY=sk-ant-from-dotenv-0123456789\n")
    table = targets.load({"OPENAI_API_KEY": "sk-proj-" + "x" * 40}, tmp_path)
    assert table.names() == ["openai", "anthropic"]
    assert table.targets["anthropic"].target.key_source == ".env:ANTHROPIC_API_KEY"
    assert table.source == "environment"


def test_a_config_file_names_targets_and_where_their_keys_are(tmp_path: Path) -> None:
    (tmp_path / "relay.key").write_text("sk-relay-key-from-a-file-0123456789\n")
    config = write_config(tmp_path, """
[targets.office-relay]
base_url = "https://relay.example.com/v1"
api_key_file = "relay.key"
model = "gpt-4o-mini"
proxy = "http://127.0.0.1:7890"

[targets.openai]
provider = "openai"
api_key_env = "WORK_OPENAI_KEY"
no_proxy = true

[targets.unset]
provider = "deepseek"
api_key_env = "NOT_SET_ANYWHERE"
""")
    table = targets.load({"WORK_OPENAI_KEY": "sk-proj-" + "w" * 40, "DEEPSEEK_API_KEY": "sk-" + "d" * 32},
                         tmp_path, config)
    assert table.names() == ["office-relay", "openai", "unset"]
    relay = table.targets["office-relay"]
    assert relay.target.provider.id == "relay"
    assert relay.target.api_key is not None and relay.target.api_key.reveal() == "sk-relay-key-from-a-file-0123456789"
    assert relay.target.key_source == f"file:{tmp_path / 'relay.key'}"
    assert relay.proxy == "http://127.0.0.1:7890" and relay.target.model is not None
    openai = table.targets["openai"]
    assert openai.target.key_source == "env:WORK_OPENAI_KEY" and openai.no_proxy
    # The variable the file names decides, even when it is unset: not the provider's DEEPSEEK_API_KEY.
    assert table.targets["unset"].target.api_key is None


@pytest.mark.parametrize("text, message", [
    ('[targets.a]\nprovider = "openai"\napi_key = "sk-proj-secretsecret"\n', "not in this file"),
    ('[targets.a]\nprovider = "openai"\ncolour = "red"\n', "unknown setting 'colour'"),
    ('[targets."bad name"]\nprovider = "openai"\n', "target name 'bad name' must be"),
    ('[targets.a]\nmodel = "x"\n', "give a provider or a base_url"),
    ('[targets.a]\nprovider = "nope"\n', "unknown provider 'nope'"),
    ('[targets.a]\nprovider = "relay"\n', "needs --base-url"),
    ('[targets.a]\nprovider = "openai"\nproxy = "ftp://x"\n', "targets.a.proxy"),
    ('[targets.a]\nprovider = "openai"\nno_proxy = "yes"\n', "no_proxy must be true or false"),
    ('[targets.a]\nprovider = "openai"\napi_key_file = "missing.key"\n', "cannot read"),
    ('[targets.a]\nprovider = "openai"\napi_key_env = "A"\napi_key_file = "b"\n', "exclude each other"),
    ('[server]\nport = 1\n', "unknown table 'server'"),
    ("", "no targets"),
    ("[targets\n", "not valid TOML"),
])
def test_config_problems_are_one_line_naming_file_and_target(tmp_path: Path, text: str, message: str) -> None:
    config = write_config(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        targets.load({}, tmp_path, config)
    assert message in str(caught.value)
    assert str(config) in str(caught.value)
    assert "\n" not in str(caught.value) and "secretsecret" not in str(caught.value)


def test_a_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        targets.load({}, tmp_path, tmp_path / "nope.toml")


@pytest.mark.parametrize("text, expected", [
    ("127.0.0.1:9464", ("127.0.0.1", 9464)),
    ("[::1]:9464", ("::1", 9464)),
    (":9464", ("0.0.0.0", 9464)),
    ("localhost:0", ("127.0.0.1", 0)),
    (" 10.0.0.5:80 ", ("10.0.0.5", 80)),
])
def test_listen_addresses(text: str, expected: tuple[str, int]) -> None:
    from llmdoctor.commands.serve_cmd import parse_listen

    assert parse_listen(text) == expected


@pytest.mark.parametrize("text", ["9464", "127.0.0.1", "127.0.0.1:http", "127.0.0.1:65536", "[::1:9464",
                                  "example.com:9464", "::1:9464x"])
def test_bad_listen_addresses(text: str) -> None:
    import click

    from llmdoctor.commands.serve_cmd import parse_listen

    with pytest.raises(click.BadParameter):
        parse_listen(text)
