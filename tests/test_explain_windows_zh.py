# ruff: noqa: E501  (real texts are quoted whole, as their sources printed them)
"""Windows socket errors as Chinese (and other) users paste them: by number in every shape, by words in zh-CN,
and garbled (GBK shown as cp1252 or UTF-8, UTF-8 shown as GBK, Python 2's byte escapes).

Texts are from tests/corpus (tuned part) or quoted from their source; the URL is where each comes from. A
garbled form is made from a real text by the real mis-decoding, the way it reaches users' screens.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import reading

from llmdoctor.explain import explain
from llmdoctor.explain.mojibake import repaired
from llmdoctor.signatures import errnos

REAL = [
    # the number in Python's OSError repr inside urllib3's "Connection aborted." (after the connect: no verdict)
    ("requests.exceptions.ConnectionError: ('Connection aborted.', ConnectionResetError(10054, '远程主机强迫关闭了一个现有的连接。', None, 10054, None))",
     "ambiguous"),  # https://github.com/OpenBMB/XAgent/issues/287
    ("openai.error.APIConnectionError: Error communicating with OpenAI: ('Connection aborted.', ConnectionAbortedError(10053, '你的主机中的软件中止了一个已建立的连接。', None, 10053, None))",
     "ambiguous"),  # https://github.com/justjavac/openai-proxy/issues/15
    # a timeout on an established connection is not a connect timeout
    ("requests.exceptions.ConnectionError: ('Connection aborted.', TimeoutError(10060, '由于连接方在一段时间后没有正确答复或连接的主机没有反应，连接尝试失败。', None, 10060, None))",
     "ambiguous"),  # https://github.com/sfyc23/EverydayWechat/issues/83
    ("xxxxxxxxxx.workers.dev' 返回 OSError(10051, '[WinError 10051] 向一个无法连接的网络尝试了一个套接字操作。')，重试",
     "net.unreachable"),  # https://github.com/SeaHOH/GotoX/issues/201
    # a refusal inside another library's message; "Timeout" in pymongo's class name is not the socket's outcome
    ("pymysql.err.OperationalError: (2003, \"Can't connect to MySQL server on '127.0.0.1' ([WinError 10061] 由于目标计算机积极拒绝，无法连接。)\")",
     "net.connect_refused"),  # https://github.com/shuhm-gh/stockopr/issues/1
    ("出现pymongo.errors.ServerSelectionTimeoutError: 127.0.0.1:27017: [WinError 10061] 由于目标计算机积极拒绝，无法连接。",
     "net.connect_refused"),  # https://github.com/AllenTom/BangumiSpider/issues/1
    # the number alone, no words
    ('y al momento de correrlo, me arroja el siguiente error "Error: [WinError 10061]", estuve buscando en internet posibles soluciones pero la verdad no me funciono ninguna.',
     "net.connect_refused"),  # https://github.com/IIC2233/Syllabus-2022-1/issues/228
    ("socket.error: [Errno 10060] \n我试了一下 为什么总是连接不上啊",
     "net.connect_timeout"),  # https://github.com/paramiao/pyMail/issues/1
    ("It is showing a Window Error 10061: No connection could be made because the target machine actively refused it.",
     "net.connect_refused"),  # https://github.com/schedutron/CPAP/issues/2
    # no free local port at connect (WSAEADDRINUSE): the text does not say why
    ("Failed to establish a new connection: [WinError 10048] 通常每个套接字地址(协议/网络地址/端口)只允许使用一次。')))",
     "ambiguous"),  # https://github.com/mvdctop/Movie_Data_Capture/issues/901
    # a console wrapped the message mid-word; Windows 7's 您 for 你
    ("future: <Task finished name='Task-68' coro=<worker_serve.<locals>._server_callba\nck() done, defined at C:\\Program Files\\Python38\\lib\\site-packages\\hypercorn\\asyn\ncio\\run.py:88> exception=ConnectionAbortedError(10053, '您的主机中的软件中止了一\n个已建立的连接。', None, 10053, None)>",
     "ambiguous"),  # https://github.com/nonebot/aiocqhttp/issues/41
    ("Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x000001B18A7A2A60>: Failed to establish a new connection: [WinError 10061] 由于目标计算机积极拒绝，无法连接。')",
     "net.connect_refused"),  # https://github.com/binary-husky/gpt_academic/issues/63
    # no route to an IPv6 address is IPv6 missing here; the same error to an IPv4 address is not
    ("补充一下：不停出现10051错误，[DEBUG] connect 2607:f8b0:401e:e::15 fail:error(10051, 'A socket operation was attempted to an unreachable network')",
     "net.ipv6_broken"),  # https://github.com/XX-net/XX-Net/issues/8505
    ("requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.openai.com', port=443): Max retries exceeded with url: /v1/chat/completions (Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object at 0x000001FC12BA9D90>: Failed to establish a new connection: [WinError 10051] 向一个无法连接的网络尝试了一个套接字操作。'))",
     "net.unreachable"),  # https://github.com/lss233/kirara-ai/issues/238
    # a paraphrase of the 10060 message: the number decides
    ("I followed your code to try to run it in my own environment, but I encountered the following: httpx.ConnectError: [WinError 10060],The connection attempt failed because the connecting party did not reply correctly after some time or the connected host did not respond,could you tell me how to deal with this question.",
     "net.connect_timeout"),  # https://github.com/marcopeix/time-series-analysis/issues/3
]


@pytest.mark.parametrize("text,cause", REAL)
def test_windows_socket_errors_read_right(text: str, cause: str) -> None:
    result = explain(text)
    assert reading(result) == cause, [(c.id, c.confidence) for c in result.causes[:3]]


def test_an_ambiguous_windows_error_says_so_and_exits_1() -> None:
    text = REAL[0][0]
    env = {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8", "PYTHONPATH": str(Path(__file__).parent / "guard"),
           "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-m", "llmdoctor", "explain", "--lang", "zh", text], capture_output=True,
                          env=env, timeout=60, text=True)
    assert done.returncode == 1, done.stderr
    assert "仅凭这段文字无法判断" in done.stdout


# --- the same messages garbled ---------------------------------------------------------------------------------
def _gbk_as_cp1252(text: str) -> str:
    return text.encode("gbk").decode("cp1252", errors="replace")


def _utf8_as_gbk(text: str) -> str:
    return text.encode("utf-8").decode("gbk", errors="replace")


def _gbk_as_utf8(text: str) -> str:  # the bytes are lost: only the number can carry the error
    return text.encode("gbk").decode("utf-8", errors="replace")


def _python2_repr(text: str) -> str:
    return "".join(c if ord(c) < 128 else "".join(f"\\x{b:02x}" for b in c.encode("gbk")) for c in text)


GARBLINGS: list[Callable[[str], str]] = [_gbk_as_cp1252, _utf8_as_gbk, _gbk_as_utf8, _python2_repr]
NUMBERED = [text for text, cause in REAL if cause != "ambiguous"] + [
    "openai.error.APIConnectionError: Error communicating with OpenAI: HTTPSConnectionPool(host='api.openai.com', port=443): Max retries exceeded with url: /v1/chat/completions (Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object at 0x000001F748967F70>: Failed to establish a new connection: [WinError 10060] 由于连接方在一段时间后没有正确答复或连接的主机没有反应，连接尝试失败。'))",
    # https://github.com/nishiwen1214/ChatReviewer/issues/17
]


@pytest.mark.parametrize("garble", GARBLINGS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("text", NUMBERED)
def test_a_garbled_message_reads_as_the_original(text: str, garble: Callable[[str], str]) -> None:
    assert reading(explain(garble(text))) == reading(explain(text))


@pytest.mark.parametrize("garble", [_gbk_as_cp1252, _python2_repr], ids=lambda f: f.__name__)
@pytest.mark.parametrize("message", ["由于目标计算机积极拒绝，无法连接。", "远程主机强迫关闭了一个现有的连接。",
                                     "由于连接方在一段时间后没有正确答复或连接的主机没有反应，连接尝试失败。"])
def test_recoverable_garblings_give_the_chinese_back(message: str, garble: Callable[[str], str]) -> None:
    assert repaired(f"OSError: {garble(message)}") == f"OSError: {message}"


def test_utf8_shown_as_gbk_gives_the_chinese_back_between_the_lost_bytes() -> None:
    # the bytes GBK could not pair became "�": the runs between them come back, the lost characters do not
    back = repaired("你的主机中的软件中止了一个已建立的连接".encode().decode("gbk", errors="replace"))
    assert back.startswith("你的主机") and back.endswith("已建立的连接")


def test_python2s_escaped_repr_is_read_as_its_message() -> None:
    # goagent's error page before and after its fix (https://github.com/phuslu/goagent/pull/118)
    before = "error(10013, '\\xd2\\xd4\\xd2\\xbb\\xd6\\xd6\\xb7\\xc3\\xce\\xca\\xc8\\xa8\\xcf\\xde\\xb2\\xbb\\xd4\\xca\\xd0\\xed\\xb5\\xc4\\xb7\\xbd\\xca\\xbd\\xd7\\xf6\\xc1\\xcb\\xd2\\xbb\\xb8\\xf6\\xb7\\xc3\\xce\\xca\\xcc\\xd7\\xbd\\xd3\\xd7\\xd6\\xb5\\xc4\\xb3\\xa2\\xca\\xd4\\xa1\\xa3')"
    assert repaired(before) == "error(10013, '以一种访问权限不允许的方式做了一个访问套接字的尝试。')"
    assert reading(explain(before)) == reading(explain("[Errno 10013] 以一种访问权限不允许的方式做了一个访问套接字的尝试。"))


def test_text_that_is_not_garbled_is_left_alone() -> None:
    for text, _ in REAL:
        assert repaired(text) == text
    assert repaired("Ungültige Anfrage: café crème brûlée") == "Ungültige Anfrage: café crème brûlée"


# --- every Windows number, in every shape, whatever the words ----------------------------------------------------
SHAPES = ["[WinError {n}] ����", "ConnectionError({n}, '����', None, {n}, None)", "System.Net.Sockets.SocketException ({n}): ����",
          "Socket Error # {n}", "Winsock error {n}", "network error: {n} (������)", "OSError: [Errno {n}] ����"]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("row", [r for r in errnos.SOCKET_ERRORS if r.windows and r.outcome != errnos.RESET],
                         ids=lambda r: r.name)
def test_a_windows_number_carries_its_row_in_any_shape(row: errnos.SocketError, shape: str) -> None:
    n = max(row.windows)
    result = explain(shape.format(n=n))
    want = errnos.OUTCOME_CAUSE[row.outcome]
    if row.outcome == errnos.LOCAL:
        assert result.ambiguous and want in [c.id for c in result.causes]
    else:
        assert reading(result) == want, (shape.format(n=n), [(c.id, c.confidence) for c in result.causes[:3]])


def test_winsocks_names_are_read() -> None:
    assert reading(explain("connect failed: WSAECONNREFUSED")) == "net.connect_refused"
    assert reading(explain("recv: WSAETIMEDOUT")) == "net.connect_timeout"
    assert reading(explain("getaddrinfo: WSAHOST_NOT_FOUND")) == "dns.failure"


def test_a_provider_code_that_looks_like_a_winsock_number_is_not_one() -> None:
    # iFlytek Spark's 10013 is its content audit, not WSAEACCES (https://www.xfyun.cn/doc/spark/Web.html)
    result = explain("{'header': {'code': 10013, 'message': 'the input content is not compliant', 'sid': 'cht000b', 'status': 2}}")
    assert reading(result) == "request.content_filtered"


def test_the_live_checks_read_the_new_row() -> None:
    assert errnos.outcome_of(10048) == errnos.LOCAL
    assert errnos.cause_of(10048) == "net.error"


# --- Chinese as \u escapes outside a body the parser decodes ------------------------------------------------------
def test_unicode_escapes_read_as_the_chinese_they_stand_for() -> None:
    # grok2api's own answer, quoted inside the client's message (https://github.com/xLmiler/grok2api_python/issues/68)
    assert reading(explain('Chat completion request error: UNAUTHORIZED {"error":"API_KEY\\u7f3a\\u5931"}')) == "config.missing_key"
    # a relay's message printed with ensure_ascii (https://github.com/popjane/free_chatgpt_api/issues/65, escaped)
    message = "当前分组上游负载已饱和，请稍后再试 (request id: 2024121602163036521732429064585)"
    escaped = message.encode("ascii", "backslashreplace").decode()
    assert reading(explain(f"Error: {escaped}")) == "ratelimit.relay_saturated"
    assert repaired(escaped) == message
