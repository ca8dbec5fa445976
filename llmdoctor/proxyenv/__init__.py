"""Proxy-environment analysis: what proxy settings this machine has and what each client does with them.

One module per job: `variables` (the *_PROXY values), `noproxy` (NO_PROXY per client), `clients`
(the decision per client for one URL), `system` + `windows`/`macos`/`linux` (OS proxy settings),
`ports` (who listens on 127.0.0.1), `shells` (fix commands), `sdks` (which HTTP stack each SDK
uses), `names` (misspelled variable names) and `analysis`, which combines them.
"""
