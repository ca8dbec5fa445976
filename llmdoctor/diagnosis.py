"""Ranks the causes the checks found, root causes first, and writes the one-sentence verdict.

Checks name causes in `Finding.code`; this module merges them across targets and checks, weighs
them, and puts a failure early in the chain (env → config → dns → proxy → tcp → tls → api → timing)
above the later failures it explains, so the report opens with what to fix first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from llmdoctor.concerns import Concerns, concerns_of
from llmdoctor.knowledge import Cause, KnowledgeBase, load
from llmdoctor.model import CheckResult, Finding, Status

_COUNTED = (Status.WARN, Status.FAIL, Status.ERROR)
_WARN_WEIGHT = 0.75  # a warning is advice; a failure is what broke the call
_CORROBORATION = 0.05  # each further check or target that saw the same cause
_MAX_CONFIDENCE = 0.99
_MAX_EVIDENCE = 8
ACTIONABLE = 0.6  # below this a cause is a guess: the verdict says "most likely …; to confirm: …"

@dataclass(frozen=True)
class RankedCause:
    """One cause in the report: its text in the chosen language, how sure we are, and what showed it."""

    id: str
    confidence: float
    title: str
    explanation: str
    fix: tuple[str, ...]
    retry: str
    docs: tuple[str, ...]
    evidence: tuple[str, ...]
    targets: tuple[str, ...]
    severity: str = Status.FAIL.value
    layer: str = "api"
    explains: tuple[str, ...] = ()  # ids of the failures in this run it was found to be the root of
    confirmed_by: str = ""  # for a suspicion a later failure confirmed: that failure's evidence (the verdict's)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "confidence": round(self.confidence, 2),
            "severity": self.severity,
            "layer": self.layer,
            "title": self.title,
            "explanation": self.explanation,
            "fix": list(self.fix),
            "retry": self.retry,
            "docs": list(self.docs),
            "evidence": list(self.evidence),
            "targets": list(self.targets),
            "explains": list(self.explains),
        }


@dataclass
class _Group:
    cause: Cause
    scores: list[float] = field(default_factory=list)
    sources: set[tuple[str, str]] = field(default_factory=set)
    evidence: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    blocking: bool = False  # at least one FAIL or ERROR finding
    score: float = 0.0
    concerns: list[Concerns] = field(default_factory=list)
    explained: list[str] = field(default_factory=list)  # ids of the failures this root was found to explain
    promoted: bool = False  # a warning found to be the root of a failure: reported as a failure
    confirmed_by: str = ""  # the first failure's evidence that made a warning the root
    facts: list[Mapping[str, Any]] = field(default_factory=list)  # each finding's, for the fix templates
    hints: list[str] = field(default_factory=list)  # the checks' own concrete fixes, first seen first

    @property
    def failing(self) -> bool:
        return self.blocking or self.promoted


def _weight(finding: Finding) -> float:
    confidence = min(max(float(finding.confidence), 0.0), 1.0)
    return confidence if finding.severity in (Status.FAIL, Status.ERROR) else confidence * _WARN_WEIGHT


def _label(result: CheckResult) -> str:
    return "/".join(x for x in (result.target, result.check) if x)


def _related(root: _Group, symptom: _Group) -> bool:
    """Some finding of each could be about the same thing: same target, no contradicting host, address or proxy."""
    return any(not a.contradicts(b) for a in root.concerns for b in symptom.concerns)


def _linked(root: _Group, symptom: _Group) -> bool:
    """A relation the knowledge base declares holds only between findings about one thing: when both name
    network facts, some fact must be shared (the API host's failed lookup does not explain why a proxy at
    127.0.0.1:7890 refused; the proxy host's does). Findings without such facts link as before."""
    named = [c for c in root.concerns if c.names_network], [c for c in symptom.concerns if c.names_network]
    if not named[0] or not named[1]:
        return True
    return any(a.shares_fact(b) for a in named[0] for b in named[1])


def _same_subject(root: _Group, symptom: _Group) -> bool:
    return any(a.same_subject(b) for a in root.concerns for b in symptom.concerns)


def _explains(root: _Group, symptom: _Group) -> bool:
    """Whether `root` is the reason for `symptom` (docs/diagnosis.md): the facts must not contradict, then
    the cause's file says so (`explains`), or a failure earlier in the chain explains a later one."""
    if root is symptom or not _related(root, symptom):
        return False
    if symptom.cause.id in root.cause.explains:
        return _linked(root, symptom)
    if root.cause.id in symptom.cause.explains:
        return False  # the data says it the other way round
    return root.blocking and root.cause.layer_rank < symptom.cause.layer_rank


def _collect(results: Sequence[CheckResult], kb: KnowledgeBase) -> dict[str, _Group]:
    groups: dict[str, _Group] = {}
    for result in results:
        for finding in result.findings:
            if finding.severity not in _COUNTED:
                continue
            # A code the knowledge base does not know (a plug-in's own) still counts, in its own words.
            cause = kb.get(finding.code) if finding.code in kb else Cause.adhoc(finding.code, finding.message,
                                                                                finding.hint)
            group = groups.setdefault(finding.code, _Group(cause))
            group.facts.append(finding.facts)
            hint = " ".join(finding.hint.split())
            if hint and not hint.startswith("See the ") and hint not in group.hints:
                group.hints.append(hint)
            group.scores.append(_weight(finding))
            group.sources.add((result.target, result.check))
            group.concerns.append(concerns_of(finding.facts, target=result.target, check=result.check,
                                              layer=group.cause.layer))
            group.blocking = group.blocking or finding.severity in (Status.FAIL, Status.ERROR)
            label = _label(result)
            line = f"{label}: {finding.message}" if label else finding.message
            if line not in group.evidence:
                group.evidence.append(line)
            if result.target and result.target not in group.targets:
                group.targets.append(result.target)
    for group in groups.values():
        extra = _CORROBORATION * (len(group.sources) - 1)
        group.score = min(max(group.scores) + extra, _MAX_CONFIDENCE)
    return groups


def _order(groups: dict[str, _Group], chain: bool = True) -> list[_Group]:
    """Link roots to what they explain, then the order: what broke the call first, roots above symptoms."""
    items = list(groups.values())
    if not chain:
        return sorted(items, key=lambda g: (-g.score, g.cause.layer_rank, g.cause.id))
    # Roots in chain order, so a root's lift can carry on to what it explains in turn.
    for root in sorted(items, key=lambda g: g.cause.layer_rank):
        for symptom in items:
            if not _explains(root, symptom):
                continue
            if symptom.failing and not root.blocking:
                # A suspicion (a warning) that explains a failure is that failure's root cause (13.1).
                root.promoted = True
                root.confirmed_by = root.confirmed_by or (symptom.evidence[0] if symptom.evidence else "")
            if symptom.failing:
                root.explained.append(symptom.cause.id)
            if symptom.failing and root.promoted:  # the failure that confirmed a suspicion is its evidence
                root.evidence.extend(e for e in symptom.evidence if e not in root.evidence)
            if root.score <= symptom.score:
                root.score = min(symptom.score + 0.01, _MAX_CONFIDENCE)
                if root.score <= symptom.score:  # both at the ceiling
                    symptom.score = round(root.score - 0.01, 4)
    # One fact, one cause: a symptom about the very same proxy or address:port as its root is folded into it.
    for root in sorted(items, key=lambda g: g.cause.layer_rank):
        if root not in items:
            continue
        for symptom in list(items):
            if symptom is not root and symptom.cause.id in root.cause.explains and _same_subject(root, symptom) \
                    and _explains(root, symptom):
                root.evidence.extend(e for e in symptom.evidence if e not in root.evidence)
                root.targets.extend(t for t in symptom.targets if t not in root.targets)
                items.remove(symptom)
    return sorted(items, key=lambda g: (not g.failing, -g.score, g.cause.layer_rank, g.cause.id))


_MAX_HINTS = 2


# A shell command a fix step leads with: `export NO_PROXY=…`, `unset HTTPS_PROXY`, `$env:X = "…"`, `set X=…`.
# A value ends at white space or at the full-width punctuation a Chinese step goes on with ("…,::1（PowerShell：…）").
_VALUE = r"[^\s\uff08\uff09\uff0c\u3002\uff1b\u3001]"
_COMMAND = re.compile(rf"(?:export|unset|set|setx) [A-Za-z_][A-Za-z0-9_]*(?:={_VALUE}*)?"
                      rf"|\$env:[A-Za-z_][A-Za-z0-9_]* = {_VALUE}+")


def _says_again(step: str, hints: Sequence[str]) -> bool:
    """A cause step whose first command a check's hint already gives, written for this user's shell and values
    ("export NO_PROXY=localhost,127.0.0.1,::1" twice, once as the hint and once as the general step)."""
    first = _COMMAND.search(step)
    if first is not None and any(first.group(0) in hint for hint in hints):
        return True
    # a step that ends in the command a hint already gives ("…: ollama pull mistral" after "Pull it first: ollama
    # pull mistral")
    command = step.rpartition(": ")[2].rstrip("。.")
    return bool(command) and command != step and len(command) >= 8 and any(command in hint for hint in hints)


def _fix(group: _Group, lang: str, provider: str | None, values: Mapping[str, Mapping[str, str | None]],
         client: str | None = None) -> tuple[str, ...]:
    """The checks' own concrete hints first, then the cause's steps written with the user's values
    (llmdoctor/fixvalues.py); a step that needs a value this run lacks is left out."""
    from llmdoctor.fixvalues import fact_values, fill

    known: dict[str, str | None] = {}
    for target in group.targets:
        known.update({k: v for k, v in (values.get(target) or {}).items() if k not in known or not known[k]})
    known.update({k: v for k, v in fact_values(group.facts).items() if v})
    hints = group.hints[:_MAX_HINTS]
    steps = list(hints)
    for step in group.cause.fix(lang, provider, client):
        filled = fill(step, known)
        if filled is not None and filled not in steps and not _says_again(filled, hints):
            steps.append(filled)
    return tuple(steps)


def diagnose(results: Sequence[CheckResult], lang: str = "en",
             providers: Mapping[str, str] | None = None, *, chain: bool = True,
             values: Mapping[str, Mapping[str, str | None]] | None = None,
             kb: KnowledgeBase | None = None, client: str | None = None) -> list[RankedCause]:
    """The causes behind these results, best explanation first (empty when nothing is wrong).

    `providers` maps a target name to its provider id so fixes can name the right console.
    `chain=False` ranks by confidence only: for competing guesses about one error (explain),
    where an early-layer guess explains nothing because it was not observed.
    `values` maps a target name to the values its fix steps are written with (fixvalues.target_values).
    `client` is the runtime a pasted error came from, when not Python's (explain): causes word their
    explanation and fix for it where they can (knowledge.CLIENTS).
    """
    kb = kb if kb is not None else load()
    groups = _collect(results, kb)
    ranked: list[RankedCause] = []
    for group in _order(groups, chain):
        cause = group.cause
        provider = next(((providers or {}).get(t) for t in group.targets if (providers or {}).get(t)), None)
        ranked.append(RankedCause(
            id=cause.id,
            confidence=round(group.score, 2),
            title=cause.title(lang, client),
            explanation=cause.explanation(lang, client),
            fix=_fix(group, lang, provider, values or {}, client),
            retry=cause.retry,
            docs=cause.docs(provider, client),
            evidence=tuple(group.evidence[:_MAX_EVIDENCE]),
            targets=tuple(group.targets),
            severity=(Status.FAIL if group.failing else Status.WARN).value,
            layer=cause.layer,
            explains=tuple(dict.fromkeys(group.explained)),
            confirmed_by=group.confirmed_by,
        ))
    return ranked


# --- verdict ---------------------------------------------------------------------------------------------

_LATENCY_KEYS = ("latency_ms", "ttfb_ms", "total_ms", "elapsed_ms")


def _latency(results: Sequence[CheckResult]) -> float | None:
    """The API's answer time from the last passing result that measured one (api and timing checks)."""
    for result in reversed(results):
        if result.status is not Status.PASS:
            continue
        for key in _LATENCY_KEYS:
            value = result.facts.get(key)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return float(value)
        timings = result.facts.get("timings")
        if isinstance(timings, Mapping):
            for key in ("total", "ttfb"):
                value = timings.get(key)
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    return float(value)
    return None


def _via_proxy(results: Sequence[CheckResult]) -> bool:
    return any(r.status is Status.PASS and r.facts.get("proxy") for r in results)


def _short(text: str, limit: int = 220) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _lower_first(title: str) -> str:
    """"A proxy exists …" → "a proxy exists …" mid-sentence; "DNS …", "IPv6 …", "TLS …" stay as they are."""
    if len(title) > 1 and title[1].isupper():
        return title
    return title[:1].lower() + title[1:]


def _strip_label(line: str) -> str:
    head, sep, rest = line.partition(": ")
    return rest if sep and " " not in head else line


def _first_evidence(cause: RankedCause, lang: str = "en") -> str:
    if not cause.evidence:
        return ""
    # Evidence lines start with "target/check: "; the verdict names the target itself.
    seen = _strip_label(cause.evidence[0])
    if cause.confirmed_by:
        # A suspicion a later failure confirmed: say what failed because of it.
        then = "；随后" if lang == "zh" else "; then "
        return _short(seen, 160) + then + _short(_strip_label(cause.confirmed_by), 140)
    return _short(seen)


def verdict(causes: Sequence[RankedCause], results: Sequence[CheckResult], lang: str = "en",
            not_run: Sequence[str] = ()) -> str:
    """The sentence that opens the report: always about cause 1 when something failed."""
    zh = lang == "zh"
    blocking = [c for c in causes if c.severity != Status.WARN.value]
    failed = [r for r in results if r.status.blocks_dependents]
    if not results:
        return "没有运行任何检查。" if zh else "No checks ran."
    if blocking or (causes and failed):
        top = causes[0]
        where = f"（{', '.join(top.targets)}）" if zh and top.targets else (
            f" ({', '.join(top.targets)})" if top.targets else "")
        seen = _first_evidence(top, lang)
        if top.confidence < ACTIONABLE and top.fix:
            # Too unsure to act on: say it as a guess, and how to confirm it before acting.
            confirm = _short(top.fix[0], 160).rstrip("。.")
            if zh:
                shown = f"（{seen}）" if seen else ""
                return f"最可能的原因：{top.title}{where}{shown}；确认方法：{confirm}。"
            return f"Most likely: {_lower_first(top.title)}{where}" + (f" ({seen})" if seen else "") + \
                f"; to confirm: {confirm}."
        if zh:
            return f"{top.title}{where}：{seen}" if seen else f"{top.title}{where}。"
        return f"{top.title}{where}: {seen}" if seen else f"{top.title}{where}."
    if failed:
        names = ", ".join(dict.fromkeys(_label(r) for r in failed))
        if zh:
            return f"有检查未通过（{names}），但没有匹配到已知原因；请查看下面的详情。"
        return f"Some checks failed ({names}) but no known cause matched; see the details below."
    if not_run:
        if zh:
            return f"无法判断调用是否正常：请求的检查没有运行（{_short('; '.join(not_run))}）。"
        return f"Not a healthy run: what was asked for did not run ({_short('; '.join(not_run))})."
    if causes:
        top = causes[0]
        if zh:
            return f"调用可以正常工作，但有 {len(causes)} 条警告，首要一条：{top.title}。"
        return f"The call works, but there {'is 1 warning' if len(causes) == 1 else f'are {len(causes)} warnings'}: " \
               f"{_lower_first(top.title)}."
    latency = _latency(results)
    proxy = _via_proxy(results)
    if zh:
        how = "通过你的代理" if proxy else ""
        took = f"，用时 {latency:.0f} 毫秒" if latency is not None else ""
        return f"所有检查均已通过：API {how}正常响应{took}。"
    how = " through your proxy" if proxy else ""
    took = f" in {latency:.0f} ms" if latency is not None else ""
    return f"All checks passed: the API answered{how}{took}."
