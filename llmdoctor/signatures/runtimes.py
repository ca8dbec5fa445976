"""How runtimes other than Python's and Node's name the step that failed: Ruby, .NET, Dart.

Rows read by `transport.compiled()` with the other clients' rows: (causes, pattern), lower-case regexes over
the whole text. Each client names the step in an exception class or a fixed sentence, read from its source:

- Ruby's net/http (lib/net/http.rb, lib/net/protocol.rb): `Net::OpenTimeout` is raised by the timeout around
  `TCPSocket.open` (the TCP connect, `open_timeout`), `Net::ReadTimeout` by `rbuf_fill` waiting for the answer
  (`read_timeout`), `Net::WriteTimeout` while sending the body. Faraday, HTTParty and ruby-openai re-raise them
  and keep the class name in the message ("Net::ReadTimeout with #<TCPSocket:(closed)>");
- .NET's HttpClient (System.Net.Http, Strings.resx): `net_http_request_timedout` "The request was canceled due
  to the configured HttpClient.Timeout of {0} seconds elapsing." is the client's own whole-request timeout
  (100 s by default, shorter than a long generation); its stack names the connect when it was still
  connecting (`ConnectToTcpHostAsync`, `EstablishProxyTunnelAsync`). `net_http_ssl_connection_failed` "The SSL
  connection could not be established, see inner exception." names the TLS step; the inner exception says
  why (a reset there is the handshake cut off);
- Dart's dart:io (sdk/lib/_internal/vm/bin/socket_patch.dart): `Failed host lookup: 'host'` is the resolver;
  `OS Error: ..., errno = N` carries the OS's number (read with the other socket errors in `errnos`).
"""

from __future__ import annotations

Row = tuple[tuple[tuple[str, float], ...], str]

# the inner exception of .NET's TLS step when the peer closed or reset the connection during the handshake
# (SocketException 10054 / 104, "Received an unexpected EOF or 0 bytes from the transport stream",
# "Authentication failed because the remote party has closed the transport stream")
_DOTNET_TLS_CUT = (r"forcibly closed by the remote host|connection reset by peer|远程主机强迫关闭了一个现有的连接|"
                   r"unexpected eof or 0 bytes from the transport stream|remote party has closed the transport stream")

SIGNS: tuple[Row, ...] = (
    # --- Ruby net/http ----------------------------------------------------------------------------------------------
    ((("net.connect_timeout", 0.88),), r"\bnet::opentimeout\b"),
    ((("net.read_timeout", 0.86),), r"\bnet::readtimeout\b"),
    # --- .NET HttpClient ----------------------------------------------------------------------------------------------
    ((("net.client_timeout_too_short", 0.8),),
     r"configured httpclient\.timeout of [\d.,]+ seconds elapsing"),
    # ... while the stack shows it still connecting (to the API, or through the proxy's tunnel)
    ((("net.connect_timeout", 0.85),),
     r"configured httpclient\.timeout of [\d.,]+ seconds elapsing(?s:.{0,3000}?)connecttotcphostasync"),
    ((("proxy.not_responding", 0.85),),
     r"configured httpclient\.timeout of [\d.,]+ seconds elapsing(?s:.{0,3000}?)establishproxytunnelasync"),
    ((("tls.handshake_reset", 0.82),),
     r"the ssl connection could not be established(?s:.{0,800}?)(?:" + _DOTNET_TLS_CUT + ")"),
    # --- Dart dart:io -------------------------------------------------------------------------------------------------
    ((("dns.failure", 0.9),), r"failed host lookup: '"),
)

# Wordings that name a step but not what went wrong in it: candidates only
VAGUE: tuple[Row, ...] = (
    # .NET's TLS step without its inner exception: a certificate the client does not trust, a handshake cut off,
    # a protocol neither side shares, or a proxy in between
    ((("tls.handshake_reset", 0.4), ("tls.unknown_ca", 0.35), ("tls.protocol_mismatch", 0.3),
      ("proxy.not_responding", 0.25)),
     r"the ssl connection could not be established"),
)
