"""Key pools: read many keys, audit each with a zero-token probe, class every answer.

`source` reads the file, `plan` decides where each key goes and what is sent, `pacing` keeps the
audit polite per host, `probe` sends one key's requests, `classes` names the answer, `audit` runs
them all under one deadline. The command (`llmdoctor keys`) only parses options and renders.
"""
