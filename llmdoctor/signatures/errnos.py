"""Socket errors by name and number on Linux, macOS and Windows, and what each means at connect time.

One row per error, so the live checks (which see an `OSError` and its `errno`) and `explain`
(which sees `[Errno 111] Connection refused`, `[WinError 10061] 由于目标计算机积极拒绝，无法连接。`
or Node's `ECONNREFUSED`) read the same facts. Numbers come from the platforms' headers: Linux
<asm-generic/errno.h>, macOS <sys/errno.h>, Windows <winsock2.h> (WSAE*) and <winerror.h>; the
Chinese texts are what `FormatMessageW` prints on a zh-CN Windows, as users paste them.
Resolver errors (getaddrinfo's EAI_* and Windows' WSAHOST_NOT_FOUND) are rows here too.
"""

from __future__ import annotations

import errno as _errno
import functools
from dataclasses import dataclass

# What happened at the connect step; the live dialer reports these words, explain maps them to causes.
REFUSED, TIMEOUT, RESET, UNREACHABLE, DNS, FORBIDDEN = "refused", "timeout", "reset", "unreachable", "dns", "forbidden"
# the client's own machine ran out of something (a local port): not the network, not the server
LOCAL = "local"

OUTCOME_CAUSE = {REFUSED: "net.connect_refused", TIMEOUT: "net.connect_timeout", RESET: "tls.handshake_reset",
                 UNREACHABLE: "net.unreachable", DNS: "dns.failure", FORBIDDEN: "net.connect_refused",
                 LOCAL: "net.error"}


@dataclass(frozen=True)
class SocketError:
    """One socket error as every platform names and numbers it."""

    name: str  # the POSIX / Node name: ECONNREFUSED
    outcome: str
    linux: tuple[int, ...] = ()
    macos: tuple[int, ...] = ()
    windows: tuple[int, ...] = ()  # WSAE* codes and Win32 errors, as [WinError N] shows them
    texts: tuple[str, ...] = ()  # strerror wordings, English and zh-CN Windows, lower-case


SOCKET_ERRORS: tuple[SocketError, ...] = (
    SocketError("ECONNREFUSED", REFUSED, (111,), (61,), (10061, 1225),
                ("connection refused", "actively refused", "由于目标计算机积极拒绝", "远程计算机拒绝网络连接",
                 "connect call failed", "(connectionrefused)")),
    SocketError("ETIMEDOUT", TIMEOUT, (110,), (60,), (10060, 121),
                ("connection timed out", "由于连接方在一段时间后没有正确答复",
                 "信号灯超时时间已到", "connected party did not properly respond")),
    SocketError("ECONNRESET", RESET, (104,), (54,), (10054,),
                ("connection reset by peer", "forcibly closed by the remote host", "远程主机强迫关闭了一个现有的连接",
                 "socket hang up")),
    SocketError("ECONNABORTED", RESET, (103,), (53,), (10053,),
                ("software caused connection abort", "你的主机中的软件中止了一个已建立的连接",
                 "established connection was aborted by the software in your host machine")),
    # Win32 1231/1232 (ERROR_NETWORK_UNREACHABLE / ERROR_HOST_UNREACHABLE): what Windows' overlapped connect (asyncio's
    # proactor, .NET) reports for WSAENETUNREACH / WSAEHOSTUNREACH, "The network location cannot be reached."
    SocketError("ENETUNREACH", UNREACHABLE, (101,), (51,), (10051, 1231),
                ("network is unreachable", "向一个无法连接的网络尝试了一个套接字操作",
                 "attempted to an unreachable network", "the network location cannot be reached", "不能访问网络位置")),
    SocketError("EHOSTUNREACH", UNREACHABLE, (113,), (65,), (10065, 1232),
                ("no route to host", "attempted to an unreachable host", "套接字操作尝试一个无法连接的主机")),
    SocketError("ENETDOWN", UNREACHABLE, (100,), (50,), (10050,), ("network is down",)),
    SocketError("EADDRNOTAVAIL", UNREACHABLE, (99,), (49,), (10049,),
                ("cannot assign requested address", "在其上下文中，该请求的地址无效")),
    SocketError("EAFNOSUPPORT", UNREACHABLE, (97,), (47,), (10047,), ("address family not supported",)),
    # WSAEACCES: a firewall, antivirus or VPN client (or a reserved port range) forbids the connection.
    SocketError("EACCES", FORBIDDEN, (), (), (10013,),
                ("forbidden by its access permissions", "以一种访问权限不允许的方式做了一个访问套接字的尝试")),
    # Resolver errors: getaddrinfo's EAI_* (negative on Linux, small positive on macOS) and Windows' WSA*.
    SocketError("ENOTFOUND", DNS, (-2, -5), (8,), (11001, 11004),
                ("name or service not known", "nodename nor servname provided", "getaddrinfo failed",
                 "no address associated with hostname", "name does not resolve", "不知道这样的主机",
                 "could not resolve host", "temporary failure in name resolution", "no such host",
                 "no such host is known", "requested name is valid, but no data of the requested type",
                 "请求的名称有效，但是找不到请求的类型的数据")),
    SocketError("EAI_AGAIN", DNS, (-3,), (), (11002,),
                ("temporary failure in name resolution", "temporary error during hostname resolution",
                 "这通常是在主机名解析时出现的暂时错误")),
    # WSAEADDRINUSE at connect time: the client's machine has no free local port left (a program opening a new
    # connection per request, thousands in TIME_WAIT). Seen in "Failed to establish a new connection: [WinError
    # 10048] 通常每个套接字地址(协议/网络地址/端口)只允许使用一次。"
    SocketError("EADDRINUSE", LOCAL, (98,), (48,), (10048,),
                ("address already in use", "only one usage of each socket address",
                 "通常每个套接字地址(协议/网络地址/端口)只允许使用一次")),
)

# Winsock's own names for the rows above (<winsock2.h>, <winerror.h>): C programs, Delphi/Indy and .NET's
# SocketError print these instead of the POSIX name. The numbers are the same in every Windows locale, so a
# Chinese, Russian or mojibake message still carries its row in the number and in these names.
WINSOCK_NAMES: dict[str, tuple[str, ...]] = {
    "ECONNREFUSED": ("WSAECONNREFUSED",), "ETIMEDOUT": ("WSAETIMEDOUT",), "ECONNRESET": ("WSAECONNRESET",),
    "ECONNABORTED": ("WSAECONNABORTED",), "ENETUNREACH": ("WSAENETUNREACH",), "EHOSTUNREACH": ("WSAEHOSTUNREACH",),
    "ENETDOWN": ("WSAENETDOWN",), "EADDRNOTAVAIL": ("WSAEADDRNOTAVAIL",), "EAFNOSUPPORT": ("WSAEAFNOSUPPORT",),
    "EACCES": ("WSAEACCES",), "ENOTFOUND": ("WSAHOST_NOT_FOUND", "WSANO_DATA"), "EAI_AGAIN": ("WSATRY_AGAIN",),
    "EADDRINUSE": ("WSAEADDRINUSE",),
}

# Short stems of the zh-CN messages: a console wraps long lines anywhere ("你的主机中的软件中止了一个已\n建立的连接"),
# Windows 7 says 您 where 10 says 你, and a half-repaired mojibake keeps only part of a message.
ZH_STEMS: dict[str, tuple[str, ...]] = {
    "ECONNREFUSED": ("积极拒绝",), "ETIMEDOUT": ("没有正确答复",), "ECONNRESET": ("强迫关闭",),
    "ECONNABORTED": ("主机中的软件中止了",), "ENETUNREACH": ("无法连接的网络",), "EHOSTUNREACH": ("无法连接的主机",),
    "ENOTFOUND": ("不知道这样的主机",), "EADDRINUSE": ("只允许使用一次",),
}

# The same rows in the other locales users paste from (issue 16, clients class), one table for every locale.
# Linux and Python on Linux print glibc's strerror()/gai_strerror() in the user's LANG: the msgstr of libc.po
# (glibc 2.36, Debian's libc-l10n) for "Connection refused", "Connection timed out", "Connection reset by peer",
# "Network is unreachable", "No route to host", "Name or service not known", "Temporary failure in name
# resolution" in de, fr, es, it, pt, pt_BR, ru, ja, ko, vi, tr, pl. Windows prints FormatMessageW's text for the
# WSAE* code in its display language (.NET's SocketException, Python's [WinError N]); those are kept as short stems
# of each message (a console wraps lines, French has both ' and ’), as users paste them: "No se puede establecer
# una conexión ya que el equipo de destino denegó expresamente dicha conexión", "対象のコンピューターによって拒否された
# ため、接続できませんでした", "Подключение не установлено, т.к. конечный компьютер отверг запрос на подключение".
LOCALE_TEXTS: dict[str, tuple[str, ...]] = {
    "ECONNREFUSED": (
        # glibc
        "verbindungsaufbau abgelehnt", "connexion refusée", "conexión rehusada", "connessione rifiutata",
        "ligação recusada", "conexão recusada", "в соединении отказано", "接続を拒否されました", "연결이 거부됨",
        "kết nối bị từ chối", "bağlantı reddedildi", "połączenie odrzucone",
        # Windows 10061
        "denegó expresamente dicha conexión", "die verbindung verweigerte", "expressément refusée",
        "recusou ativamente", "rifiutata attivamente", "отверг запрос на подключение", "拒否されたため、接続できません",
        "연결을 거부했으므로"),
    "ETIMEDOUT": (
        "die wartezeit für die verbindung ist abgelaufen", "connexion terminée par expiration du délai",
        "expiró el tiempo de conexión", "connessione scaduta", "ligação expirada", "tempo esgotado para conexão",
        "время ожидания соединения истекло", "接続がタイムアウトしました", "연결 시간 초과", "kết nối đã quá hạn",
        "bağlantıda zaman aşımı", "przekroczony czas oczekiwania na połączenie",
        # Windows 10060
        "no respondió adecuadamente tras un periodo", "nach einer bestimmten zeitspanne nicht richtig reagiert",
        "pas répondu convenablement", "não respondeu corretamente", "не получен нужный отклик",
        "正しく応答しなかったため", "응답이 없어 연결하지 못했"),
    "ECONNRESET": (
        "vom kommunikationspartner zurückgesetzt", "ré-initialisée par le correspondant",
        "reinicializada por la máquina remota", "interrotta dal corrispondente", "ligação reposta pelo peer",
        "conexão fechada pela outra ponta", "соединение разорвано другой стороной", "接続が相手からリセットされました",
        "상대편이 연결을 끊음", "kết nối bị đặt lại", "bağlantı karşıdan kesildi",
        "połączenie zerwane przez drugą stronę",
        # Windows 10054
        "vom remotehost geschlossen", "fermée par l’hôte distant", "fermée par l'hôte distant",
        "forzado la interrupción de una conexión existente", "fechada forçadamente pelo host remoto",
        "cancelamento de uma conexão existente pelo host remoto", "принудительно разорвал существующее подключение",
        "強制的に切断されました", "원격 호스트에 의해 강제로 끊겼습니다"),
    "ECONNABORTED": (
        # Windows 10053 (glibc has no connect-time text for it)
        "abandonnée par un logiciel de votre ordinateur hôte", "conexión establecida por el software en su equipo host",
        "softwaregesteuert durch den hostcomputer abgebrochen", "разорвала установленное подключение",
        "ホスト コンピューターのソウトウェアによって中止されました"),
    "ENETUNREACH": (
        "das netzwerk ist nicht erreichbar", "le réseau n'est pas accessible", "la red es inaccesible",
        "la rete non è raggiungibile", "a rede está fora de alcance", "rede inacessível", "сеть недоступна",
        "ネットワークに届きません", "네트워크가 접근 불가능합니다", "không thể kết nối mạng"),
    "EHOSTUNREACH": (
        "keine route zum zielrechner", "aucun chemin d'accès pour atteindre l'hôte", "no existe ninguna ruta hasta",
        "nessun instradamento per l'host", "não há rota para o host", "нет маршрута до узла",
        "ホストへの経路がありません",
        "호스트로 갈 루트가 없음"),
    "ENOTFOUND": (
        "der name oder der dienst ist nicht bekannt", "nom ou service inconnu", "nombre o servicio desconocido",
        "nome o servizio sconosciuto", "nome ou serviço desconhecido", "неизвестное имя или служба",
        "имя или служба не известны", "名前またはサービスが不明です", "이름 혹은 서비스를 알 수 없습니다",
        "không rõ tên hoặc dịch vụ", "isim ya da servis bilinmiyor",
        # Windows 11001
        "そのようなホストは不明です", "этот хост неизвестен", "no se conoce este host",
        "der angegebene host ist unbekannt"),
    "EAI_AGAIN": (
        "temporärer fehler bei der namensauflösung", "échec temporaire dans la résolution du nom",
        "fallo temporal en la resolución del nombre", "errore temporaneo nella risoluzione del nome",
        "falha temporária na resolução de nome", "falha temporário na resolução de nome",
        "временный сбой в разрешении имен", "名前解決に一時的に失敗しました", "tạm thời không thể phân giải tên"),
}


# strerror() on a Linux in a zh_CN locale (glibc's zh_CN.po): Java ("java.net.ConnectException: 拒绝连接"), Python
# ("[Errno 111] 拒绝连接"), ssh and curl print these where an English system says "Connection refused". They are
# everyday words too ("是连接超时了吗"), so `transport` reads them only where strerror puts them, after ": " or "] ".
GLIBC_ZH: dict[str, tuple[str, ...]] = {
    "ECONNREFUSED": ("拒绝连接",), "ETIMEDOUT": ("连接超时",), "ECONNRESET": ("连接被对方重设", "连接被对方重置"),
    "ENETUNREACH": ("网络不可达",), "EHOSTUNREACH": ("没有到主机的路由",), "ENOTFOUND": ("未知的名称或服务",),
    "EAI_AGAIN": ("域名解析暂时失败",), "EADDRINUSE": ("地址已在使用",),
}


@functools.cache
def _by_name() -> dict[str, SocketError]:
    return {row.name: row for row in SOCKET_ERRORS}


def outcome_of(code: int | None) -> str | None:
    """What an `OSError.errno` seen on *this* machine means at connect time (None: not a connect error).

    The number is turned into its name with this platform's `errno` module, because the same number
    means different things on Linux and macOS; Windows' WSA codes (10000+) are unique everywhere.
    """
    if code is None:
        return None
    name = _errno.errorcode.get(code)
    if name is not None and name in _by_name():
        return _by_name()[name].outcome
    for row in SOCKET_ERRORS:
        if code in row.windows:
            return row.outcome
    return None


def cause_of(code: int | None) -> str | None:
    outcome = outcome_of(code)
    return OUTCOME_CAUSE[outcome] if outcome else None


def is_unreachable(code: int | None) -> bool:
    return outcome_of(code) == UNREACHABLE
