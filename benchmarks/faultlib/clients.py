"""The clients: their programs, which of them exist here and at what version, one run, the row's text."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

from faultlib.world import ANTHROPIC_KEY, CAUSES, MORE_PYTHON, OPENAI_KEY, PY, PYTHON, RUN_DEADLINE, Call, World

# --- the clients -------------------------------------------------------------------------------------------

_BLOCK = "import sys\nfor _m in {mods!r}:\n    sys.modules[_m] = None  # as if not installed\n"
_MESSAGES = '[{"role": "user", "content": "Say OK"}]'


def _python_source(client: str, call: Call) -> str:
    timeout = f", timeout={call.timeout}" if call.timeout is not None else ""
    if client == "openai-python-async":  # AsyncOpenAI, as LangChain and most servers use it (anyio underneath)
        stream = ", stream=True" if call.stream else ""
        body = f"""\
            import asyncio

            from openai import AsyncOpenAI


            async def main() -> None:
                client = AsyncOpenAI(max_retries=0{timeout})
                response = await client.chat.completions.create(model="{call.model}", messages={_MESSAGES}{stream})
            """
        body = textwrap.dedent(body)
        body += ("    async for chunk in response:\n        print(chunk.choices[0].delta.content or '', end='')\n"
                 if call.stream else "    print(response.choices[0].message.content)\n")
        body += "\n\nasyncio.run(main())\n"
    elif client == "openai-python":
        stream = ", stream=True" if call.stream else ""
        body = f"""\
            from openai import OpenAI

            client = OpenAI(max_retries=0{timeout})
            response = client.chat.completions.create(model="{call.model}", messages={_MESSAGES}{stream})
            """
        body = textwrap.dedent(body)
        body += ("for chunk in response:\n    print(chunk.choices[0].delta.content or '', end='')\n" if call.stream
                 else "print(response.choices[0].message.content)\n")
    elif client == "anthropic-python":
        stream = ", stream=True" if call.stream else ""
        body = f"""\
            import anthropic

            client = anthropic.Anthropic(max_retries=0{timeout})
            message = client.messages.create(
                model="{call.anthropic_model}", max_tokens=64, messages={_MESSAGES}{stream})
            """
        body = textwrap.dedent(body)
        body += "for event in message:\n    print(event.type)\n" if call.stream else "print(message.content[0].text)\n"
    elif client == "aiohttp":  # trust_env=True: as apps behind a proxy set it (aiohttp ignores HTTPS_PROXY without)
        timeout = f", timeout=aiohttp.ClientTimeout(total={call.timeout})" if call.timeout is not None else ""
        body = f"""\
            import asyncio
            import os

            import aiohttp


            async def main() -> None:
                url = os.environ["OPENAI_BASE_URL"] + "/chat/completions"
                headers = {{"Authorization": "Bearer " + os.environ["OPENAI_API_KEY"]}}
                async with aiohttp.ClientSession(trust_env=True{timeout}) as session:
                    async with session.post(url, headers=headers, json={{"model": "{call.model}", \
"messages": {_MESSAGES}}}) as r:
                        r.raise_for_status()
                        print((await r.json())["choices"][0]["message"]["content"])


            asyncio.run(main())
            """
    elif client == "urllib3":
        timeout = call.timeout if call.timeout is not None else 60
        body = f"""\
            import os

            import urllib3

            url = os.environ["OPENAI_BASE_URL"] + "/chat/completions"
            headers = {{"Authorization": "Bearer " + os.environ["OPENAI_API_KEY"]}}
            r = urllib3.request("POST", url, headers=headers, json={{"model": "{call.model}", \
"messages": {_MESSAGES}}}, timeout={timeout})
            print(r.json()["choices"][0]["message"]["content"])
            """
    elif client == "langchain-openai":
        timeout = f", timeout={call.timeout}" if call.timeout is not None else ""
        if call.stream:
            tail = "for chunk in llm.stream(\"Say OK\"):\n    print(chunk.content, end=\"\")\n"
        else:
            tail = "print(llm.invoke(\"Say OK\").content)\n"
        body = f"""\
            from langchain_openai import ChatOpenAI

            llm = ChatOpenAI(model="{call.model}", max_retries=0{timeout})
            """
        body = textwrap.dedent(body) + tail
    else:
        module = client
        body = f"""\
            import os
            import {module}

            url = os.environ["OPENAI_BASE_URL"] + "/chat/completions"
            headers = {{"Authorization": "Bearer " + os.environ["OPENAI_API_KEY"]}}
            r = {module}.post(url, headers=headers, json={{"model": "{call.model}", "messages": {_MESSAGES}}}, \
timeout={call.timeout if call.timeout is not None else 60})
            r.raise_for_status()
            print(r.json()["choices"][0]["message"]["content"])
            """
    source = textwrap.dedent(body)
    return (_BLOCK.format(mods=call.block) if call.block else "") + source


def _node_source(client: str, call: Call) -> str:
    if client == "openai-node":
        timeout = f", timeout: {int(call.timeout * 1000)}" if call.timeout is not None else ""
        return textwrap.dedent(f"""\
            import OpenAI from "openai";

            const client = new OpenAI({{ maxRetries: 0{timeout} }});
            const completion = await client.chat.completions.create({{
              model: "{call.model}",
              messages: [{{ role: "user", content: "Say OK" }}],
            }});
            console.log(completion.choices[0].message.content);
            """)
    signal_ = f",\n  signal: AbortSignal.timeout({int(call.timeout * 1000)})" if call.timeout is not None else ""
    return textwrap.dedent(f"""\
        const res = await fetch(`${{process.env.OPENAI_BASE_URL}}/chat/completions`, {{
          method: "POST",
          headers: {{ "Content-Type": "application/json", Authorization: `Bearer ${{process.env.OPENAI_API_KEY}}` }},
          body: JSON.stringify({{ model: "{call.model}", messages: [{{ role: "user", content: "Say OK" }}] }}){signal_},
        }});
        console.log(await res.json());
        """)


def _curl_argv(call: Call) -> list[str]:
    body = json.dumps({"model": call.model, "messages": [{"role": "user", "content": "Say OK"}]})
    key = "" if "OPENAI_API_KEY" in call.unset else call.env.get("OPENAI_API_KEY", OPENAI_KEY)
    argv = ["curl", "-sS", f"{call.openai_base}/chat/completions", "-H", "Content-Type: application/json",
            "-H", f"Authorization: Bearer {key}", "-d", body]
    return argv + (["-m", f"{call.timeout:g}"] if call.timeout is not None else [])


@dataclass
class Clients:
    """Which clients exist here, their versions, and where the openai Node SDK was installed."""

    tmp: Path
    versions: dict[str, str] = field(default_factory=dict)
    node_modules: Path | None = None

    def probe(self, wanted: tuple[str, ...]) -> None:
        for name, module in (("openai-python", "openai"), ("openai-python-async", "openai"),
                             ("anthropic-python", "anthropic"), ("httpx", "httpx"),
                             ("requests", "requests"), ("aiohttp", "aiohttp"), ("urllib3", "urllib3"),
                             ("langchain-openai", "langchain_openai")):
            if name in wanted:
                dist = name.replace("-async", "").replace("-python", "")  # the distribution's name
                code = f"import importlib.metadata, {module}; print(importlib.metadata.version({dist!r}))"
                out = subprocess.run([PY, "-c", code],
                                     capture_output=True, text=True, timeout=30)
                if out.returncode == 0:
                    self.versions[name] = out.stdout.strip()
        if "curl" in wanted and shutil.which("curl"):
            self.versions["curl"] = subprocess.run(["curl", "--version"], capture_output=True, text=True,
                                                   timeout=10).stdout.split()[1]
        node = shutil.which("node")
        if node and "node-fetch" in wanted:
            self.versions["node-fetch"] = "node " + subprocess.run([node, "--version"], capture_output=True,
                                                                   text=True, timeout=10).stdout.strip()
        if node and "openai-node" in wanted and shutil.which("npm"):
            self._install_openai_node()

    def _install_openai_node(self) -> None:
        where = self.tmp / "node"
        where.mkdir(exist_ok=True)
        (where / "package.json").write_text('{"name": "faults", "private": true, "type": "module"}')
        done = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent", "openai"], cwd=where,
                              capture_output=True, text=True, timeout=300)
        package = where / "node_modules" / "openai" / "package.json"
        if done.returncode != 0 or not package.exists():
            print(f"openai-node skipped: npm install failed: {done.stderr.strip()[-300:]}", file=sys.stderr)
            return
        self.node_modules = where
        self.versions["openai-node"] = json.loads(package.read_text())["version"]


def run_client(client: str, call: Call, clients: Clients, world: World) -> str | None:
    """What the client printed (stdout and stderr, as a terminal shows them), or None if it did not end."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/root"),
           "LANG": "C.UTF-8", "OPENAI_API_KEY": OPENAI_KEY, "ANTHROPIC_API_KEY": ANTHROPIC_KEY,
           "OPENAI_BASE_URL": call.openai_base, "ANTHROPIC_BASE_URL": call.anthropic_base,
           "SSL_CERT_FILE": "/etc/ssl/certs/ca-certificates.crt", "NODE_EXTRA_CA_CERTS": "",
           "CURL_CA_BUNDLE": "/etc/ssl/certs/ca-certificates.crt",
           "REQUESTS_CA_BUNDLE": "/etc/ssl/certs/ca-certificates.crt", **call.env}
    for name in call.unset:
        env.pop(name, None)
    if client in PYTHON or client in MORE_PYTHON:
        script = clients.tmp / "app.py"
        script.write_text(_python_source(client, call))
        argv = [PY, str(script)]
        cwd = clients.tmp
    elif client == "curl":
        argv, cwd = _curl_argv(call), clients.tmp
    else:
        cwd = clients.node_modules or clients.tmp
        script = cwd / "app.mjs"
        script.write_text(_node_source(client, call))
        argv = ["node", str(script)]
    if world.netns:
        argv = world.netns.argv(argv)
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=cwd,
                            stdin=subprocess.DEVNULL)
    try:
        if call.interrupt is not None:
            try:
                deadline = time.monotonic() + RUN_DEADLINE
                while call.ready and not call.ready() and time.monotonic() < deadline and proc.poll() is None:
                    time.sleep(0.02)
                proc.wait(call.interrupt)
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=RUN_DEADLINE)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return None
    if proc.returncode == 0 and client != "curl":
        return None  # not a failure: nothing to record (curl prints an error body and exits 0)
    return out.decode("utf-8", "replace")


def scrub(text: str, secrets: tuple[str, ...]) -> str:
    """Keys and proxy passwords masked the way providers mask them; nothing else is touched."""
    for key in (OPENAI_KEY, ANTHROPIC_KEY):
        text = text.replace(key, key[:8] + "*" * 10 + key[-4:])
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


def layer(cause: str, fallback: str) -> str:
    path = CAUSES / f"{cause if cause != 'ambiguous' else fallback}.json"
    return str(json.loads(path.read_text())["layer"])
