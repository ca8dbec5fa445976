"""`llmdoctor serve`: a Prometheus exporter in the blackbox_exporter style.

`targets` reads what may be probed (the server's environment, `.env`, a TOML file), `params`
turns a request into a target and a deadline, `prober` runs the engine for one target,
`selfmetrics` counts what the exporter did, `page` is the index page and `server` the HTTP door.
"""
