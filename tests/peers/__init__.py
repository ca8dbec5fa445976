"""Real loopback peers for llmdoctor's tests: TLS/HTTP servers, hostile TCP peers, a delaying
relay, DNS servers, real proxy daemons and a private network namespace.

Import from the submodules or from here: `from peers import HttpServer, Reply, make_certs`.
(`tests/` is on sys.path via tests/conftest.py.)
"""
